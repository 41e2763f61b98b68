"""The background jobs on the synthetic province (issue 6): sweep against a bare UPDATE of the
same rows, aggregation, one year's assessment; each with the process's peak memory."""

from __future__ import annotations

import datetime
import resource
import sys
import time

from django.db import connection, transaction

from monitoring.assessment import compute_assessment
from monitoring.jobs import aggregate_progress, sweep_overdue
from monitoring.synthetic import generate
from obligations.models import Milestone, Region, Task


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare_update():
    with transaction.atomic(), connection.cursor() as cursor:
        # The same rows the sweep rewrites, with no logic: the machine's floor.
        cursor.execute("UPDATE obligations_milestone SET light = CASE WHEN light = 'red' "
                       "THEN 'green' ELSE 'red' END")


def reset_lights():
    with connection.cursor() as cursor:
        cursor.execute("UPDATE obligations_milestone SET light = 'green', red_since = NULL")
        cursor.execute("TRUNCATE obligations_reminder, obligations_notification")
        cursor.execute("VACUUM ANALYZE obligations_milestone")


def generate_province(size: dict, *, today: datetime.date) -> dict:
    """The synthetic province of `size` (seed 1), vacuumed and analysed as a night would find it."""
    print(f"生成合成省份 {size} ……", file=sys.stderr)
    started = time.monotonic()
    counts = generate(**size, seed=1, today=today)
    print(f"  {counts}，用时 {time.monotonic() - started:.0f} 秒", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return counts


def measure(*, today: datetime.date, repeat: int, timed) -> dict:
    """The jobs on what the database holds: a full sweep (lights reset before each), the next
    night's sweep after a full one (and what it changed), the aggregation, the 2023 assessment;
    their samples, and the process's peak memory after each."""
    sweep = timed(lambda: sweep_overdue(today=today), repeat=repeat, before=reset_lights)
    sweep_peak = peak_mb()
    # A normal night: yesterday's sweep ran, few lights change today.
    next_day = today + datetime.timedelta(days=1)
    second = timed(lambda: sweep_overdue(today=next_day), repeat=repeat,
                   before=lambda: sweep_overdue(today=today))
    sweep_overdue(today=today)
    changed = sweep_overdue(today=next_day).counts  # what a normal night changes
    aggregation = timed(lambda: aggregate_progress(today=today), repeat=repeat)
    aggregation_peak = peak_mb()
    assessment = timed(lambda: compute_assessment(2023), repeat=max(1, repeat // 2))
    return {"sweep": sweep, "sweep_peak": sweep_peak, "next_day": second, "changed": changed,
            "aggregation": aggregation, "aggregation_peak": aggregation_peak,
            "assessment": assessment, "assessment_peak": peak_mb()}


def run(*, size: dict, repeat: int, timed) -> list[tuple]:
    today = datetime.date(2024, 6, 15)
    generate_province(size, today=today)
    rows = Milestone.objects.count()
    label = f"{rows}节点"
    jobs = measure(today=today, repeat=repeat, timed=timed)
    changed = jobs["changed"]
    bare = timed(bare_update, repeat=repeat)
    # A county of the synthetic province (not the milestone benchmark's 10,000-task county).
    county = (Region.objects.filter(level="county", name__startswith="合成市")
              .order_by("code").first())
    county_tasks = Task.objects.filter(unit__region__path__startswith=county.path).count()
    one_county = timed(lambda: aggregate_progress(today=today, regions=[county.code]),
                       repeat=repeat)
    return [
        ("逾期扫描（亮灯+提醒+督办）", label, jobs["sweep"], bare,
         f"同一批行的裸 SQL UPDATE；进程峰值内存 {jobs['sweep_peak']:.0f} MB（目标 ≤3× 基线，<500 MB）"),
        ("逾期扫描：次日（上一晚已扫描）", label, jobs["next_day"], jobs["sweep"],
         f"基线：首次全量扫描；当晚变化 {changed['milestones_changed']} 个节点、"
         f"{changed['tasks_changed']} 个任务的亮灯"),
        ("进度汇总", label, jobs["aggregation"], bare,
         f"目标 <10 秒；进程峰值内存 {jobs['aggregation_peak']:.0f} MB"),
        ("一个县的汇总重算（一次审核之后）", f"{county.name}（{county_tasks}个任务）", one_county,
         jobs["aggregation"],
         "目标 <1 秒；基线：全省进度汇总"),
        ("年度考核（2023年）", label, jobs["assessment"], bare,
         f"目标 <30 秒；进程峰值内存 {jobs['assessment_peak']:.0f} MB"),
    ]


def api(*, repeat_requests: int, timed) -> list[tuple]:
    """GET /api/v1/obligations/?page_size=100 and one county's Excel responsibility list, on the
    synthetic province, through the full Django stack (test client, token authentication)."""
    from django.test import Client
    from django.test.utils import override_settings

    from obligations.models import Region
    from obligations.services.api_clients import create_api_client

    county = Region.objects.filter(level="county", name__startswith="合成市").order_by("code").first()
    _client, key = create_api_client(name="bench", region=county, can_write=False,
                                     actor=None)
    http = Client(HTTP_AUTHORIZATION=f"Token {key}")
    rows = []
    with override_settings(REST_FRAMEWORK={**__import__("django.conf").conf.settings.REST_FRAMEWORK,
                                           "DEFAULT_THROTTLE_CLASSES": []}):
        for label, params in (("GET /api/v1/obligations/?page_size=100", {"page_size": 100}),
                              ("一个县的责任清单 Excel", {"format": "xlsx"})):
            url = "/api/v1/obligations/" if "page_size" in params else "/api/v1/responsibility-list/"

            def fetch(url=url, params=params):
                response = http.get(url, params)
                assert response.status_code == 200, response.content[:200]

            samples = timed(fetch, repeat=repeat_requests)
            baseline = timed(lambda: http.get("/api/v1/regions/", {"page_size": 1}), repeat=50)
            rows.append((label, f"{repeat_requests}次请求", samples, baseline,
                         "基线：同一令牌 GET /api/v1/regions/?page_size=1（认证+序列化的最小开销）"))
    return rows
