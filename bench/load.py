"""The web tier under load (issue 17): gunicorn (config/gunicorn.py, config.settings.loadtest) on
loopback over the benchmark's synthetic province, driven by locust (bench/locustfile.py) on the
same machine. Run after bench.jobs and bench.dashboards (the province, its summaries, the
published 2023 assessment).

Three runs of the same scenario, each bounded in users and time and stopping by itself:
1. idle: one simulated person at a time, each kind in turn, a moment between clicks — the
   baseline (after a warm-up that loads every worker's templates);
2. the province at a deadline: N users (default 200) arriving gradually, statistics from the
   moment all have arrived (locust --reset-stats);
3. the login storm: 100 officials signing in within 10 s.
Each prints, per page, requests/s, median and p95 and the failures, beside the idle median.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from accounts.hashers import Argon2idHasher
from obligations.models import Membership, Region, Task, Unit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Bench-" + "load-2024!"
KINDS = ("Official", "Supervisor", "Leader", "ApiClient")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@transaction.atomic
def personas(*, officials: int, storm: int, supervisors: int, leaders: int, api: int) -> dict:
    """Accounts on the synthetic province: officials of departments (each their own unit, so
    two never report on one task), county supervisors over those counties, province leaders,
    county tokens. One Argon2id hash for all (the same password, as production hashes it)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from obligations.services.api_clients import create_api_client

    province = Region.objects.filter(name__startswith="合成省").order_by("code").first()
    counties = list(Region.objects.filter(level="county", path__startswith=province.path)
                    .select_related("parent").order_by("code"))
    units = list(Unit.objects.filter(region__in=counties, kind="department")
                 .order_by("region__code", "id"))
    # Interleave the counties so the first officials spread over many of them.
    by_county: dict[int, list[Unit]] = {}
    for unit in units:
        by_county.setdefault(unit.region_id, []).append(unit)
    spread = [unit for round_ in zip(*by_county.values(), strict=True) for unit in round_]
    need = officials + storm
    assert len(spread) >= need, f"合成省只有 {len(spread)} 个部门，不够 {need} 个填报人"
    encoded = Argon2idHasher().encode(PASSWORD, Argon2idHasher().salt())
    User = get_user_model()
    now = timezone.now()
    run = f"load{secrets.token_hex(3)}"  # a run's own names: earlier runs' stay (audited)

    def accounts(prefix, n):
        return User.objects.bulk_create([
            User(username=f"{run}_{prefix}{i:04d}", password=encoded, date_joined=now)
            for i in range(n)])

    official_users = accounts("official", officials)
    storm_users = accounts("storm", storm)
    Membership.objects.bulk_create(
        [Membership(user=u, unit=unit, role="official")
         for u, unit in zip(official_users + storm_users, spread, strict=False)])
    tasks: dict[int, list[int]] = {}
    for unit_id, task_id in (Task.objects.filter(unit__in=spread[:officials])
                             .order_by("unit_id", "id").values_list("unit_id", "id")):
        if len(tasks.setdefault(unit_id, [])) < 50:
            tasks[unit_id].append(task_id)
    county_of = {u.pk: u.region for u in spread}
    reporting_counties = list({county_of[u.pk].pk: county_of[u.pk]
                               for u in spread[:officials]}.values())
    governments = {u.region_id: u for u in Unit.objects.filter(region__in=reporting_counties,
                                                               kind="government")}
    supervisor_users = accounts("supervisor", supervisors)
    Membership.objects.bulk_create([
        Membership(user=u, unit=governments[county.pk], role="supervisor", region=county)
        for u, county in zip(supervisor_users,
                             (reporting_counties * supervisors)[:supervisors], strict=True)])
    leader_users = accounts("leader", leaders)
    Membership.objects.bulk_create([Membership(user=u, role="leader", region=province)
                                    for u in leader_users])
    keys = {u.pk: secrets.token_hex(20) for u in supervisor_users + leader_users}
    TOTPDevice.objects.bulk_create([TOTPDevice(user=u, name="基准", key=keys[u.pk],
                                               confirmed=True)
                                    for u in supervisor_users + leader_users])
    places = [{"city": c.parent.code, "county": c.code, "unit": governments[c.pk].pk}
              for c in reporting_counties]
    tokens = [create_api_client(name=f"{run}-{i}", region=county, can_write=False, actor=None)[1]
              for i, county in enumerate((reporting_counties * api)[:api])]
    return {
        "year": 2024, "assessment_year": 2023,
        "officials": [{"username": u.username, "password": PASSWORD,
                       "tasks": tasks[unit.pk]}
                      for u, unit in zip(official_users, spread, strict=False) if tasks.get(unit.pk)],
        "storm": [{"username": u.username, "password": PASSWORD} for u in storm_users],
        "supervisors": [{"username": u.username, "password": PASSWORD, "totp": keys[u.pk]}
                        for u in supervisor_users],
        "leaders": [{"username": u.username, "password": PASSWORD, "totp": keys[u.pk],
                     "places": places} for u in leader_users],
        "api": [{"token": key} for key in tokens],
    }


class Server:
    """gunicorn with config/gunicorn.py on a free loopback port, over the benchmark database."""

    def __init__(self, workdir: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.loadtest",
            "BENCH_DATABASE_NAME": settings.DATABASES["default"]["NAME"],
            "LOADTEST_STATIC_ROOT": str(workdir / "static"),
            "LOADTEST_MEDIA_ROOT": str(workdir / "media"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "LOADTEST_BROKER_URL": _broker_url(),
        }
        self.process = None

    def __enter__(self):
        subprocess.run([str(BIN / "python"), "manage.py", "collectstatic", "--noinput",
                        "--verbosity", "0"], cwd=ROOT, env=self.env, check=True)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"], cwd=ROOT,
            env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/login/", timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn 没有启动") from None
                time.sleep(0.5)

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


_offset = 0


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def locust(server: Server, workdir: Path, name: str, classes, *, users: int, rate: float,
           seconds: int, think=(3, 12), reset=False) -> dict[str, dict]:
    """One headless locust run; its per-page statistics {name: {...}} ("合计" for all).
    Each run takes people no earlier run used (LOAD_OFFSET)."""
    global _offset
    prefix = workdir / name
    command = [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "--host", server.url, "-u", str(users), "-r", str(rate), "-t", f"{seconds}s",
               "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
               "--loglevel", "WARNING", *(["--reset-stats"] if reset else []), *classes]
    env = {**server.env, "LOAD_PERSONAS": str(workdir / "personas.json"),
           "LOAD_OFFSET": str(_offset),
           "LOAD_THINK_MIN": str(think[0]), "LOAD_THINK_MAX": str(think[1])}
    print(f"  locust {name}: {users} 个用户，每秒增加 {rate} 个，{seconds} 秒……", file=sys.stderr)
    subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)
    _offset += users
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = "合计" if row["Name"] == "Aggregated" else row["Name"]
            stats[key] = {"count": int(row["Request Count"]),
                          "failures": int(row["Failure Count"]),
                          "rps": float(row["Requests/s"]),
                          "median": _ms(row["50%"]), "p95": _ms(row["95%"])}
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for row in list(csv.DictReader(failures.open(encoding="utf-8")))[:10]:
            print(f"    失败：{row['Name']} {row['Error']} ×{row['Occurrences']}", file=sys.stderr)
    return stats


def _broker_url() -> str:
    """A Redis database of the server's own for the work its reports queue (no worker runs)."""
    from urllib.parse import urlsplit

    return urlsplit(settings.REDIS_URL)._replace(path="/14").geturl()


def _empty_broker() -> None:
    """The summary rebuilds the reports queued: none should wait for the next benchmark."""
    import redis

    redis.Redis.from_url(_broker_url()).flushdb()


def run(*, users: int, seconds: int, storm: int) -> list[tuple]:
    """Rows of the load table: (run, page, requests, rps, median ms, p95 ms, failures,
    idle median ms, target)."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        # Enough of each kind for the warm-up, the idle runs and the load (LOAD_OFFSET).
        people = personas(officials=users * 12 // 20 + 20, storm=storm,
                          supervisors=users * 3 // 20 + 20, leaders=users * 3 // 20 + 20,
                          api=users * 2 // 20 + 20)
        (workdir / "personas.json").write_text(json.dumps(people, ensure_ascii=False),
                                               encoding="utf-8")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        with Server(workdir) as server:
            # Every worker process loads its templates and URLs once (cold start, not load).
            locust(server, workdir, "warm", KINDS, users=8, rate=8, seconds=20, think=(0, 0.2))
            # Idle: one simulated person at a time, each kind in turn.
            idle: dict[str, dict] = {}
            for kind in (*KINDS, "Relogin"):
                for page, s in locust(server, workdir, f"idle-{kind}", [kind], users=1, rate=1,
                                      seconds=15, think=(0.2, 0.5)).items():
                    if page != "合计" and s["count"] and page not in idle:
                        idle[page] = s
            busy = locust(server, workdir, "province", KINDS, users=users,
                          rate=max(1, users / 100), seconds=seconds, reset=True)
            storm_stats = locust(server, workdir, "storm", ["StormUser"], users=storm,
                                 rate=storm / 10, seconds=25)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        _empty_broker()
    rows = []
    for label, stats, target in ((f"{users}个用户（全部到达之后）", busy, "p95 <500 毫秒，0 失败"),
                                 (f"{storm}个用户 10 秒内登录", storm_stats, "登录 p95 <3 秒")):
        for page, s in sorted(stats.items(), key=lambda item: (item[0] == "合计", item[0])):
            if not s["count"]:
                continue
            base = idle.get(page, {}).get("median")
            rows.append((label, page, s["count"], s["rps"], s["median"], s["p95"], s["failures"],
                         base, target))
    return rows


def print_table(rows) -> None:
    header = ("负载", "页面", "请求数", "每秒请求", "中位数(毫秒)", "p95(毫秒)", "失败",
              "空闲中位数(毫秒)", "目标")
    print()
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for label, page, count_, rps, median, p95, failures, base, target in rows:
        idle = "—" if base is None else f"{base:.0f}"
        print(f"{label} | {page} | {count_} | {rps:.1f} | {median or 0:.0f} | {p95 or 0:.0f} | {failures}"
              f" | {idle} | {target}")


def hash_cost(*, timed) -> list[tuple]:
    """What one sign-in's password check costs: Argon2id (ours) beside Django's PBKDF2."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    ours, pbkdf2 = Argon2idHasher(), PBKDF2PasswordHasher()
    encoded, old = ours.encode(PASSWORD, ours.salt()), pbkdf2.encode(PASSWORD, pbkdf2.salt())
    samples = timed(lambda: ours.verify(PASSWORD, encoded), repeat=10)
    baseline = timed(lambda: pbkdf2.verify(PASSWORD, old), repeat=10)
    return [("密码校验（Argon2id，t=3、64 MiB、4 路）", "每次登录一次", samples, baseline,
             f"基线：Django 默认 PBKDF2-SHA256（{pbkdf2.iterations} 次迭代）")]
