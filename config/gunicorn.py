"""gunicorn's configuration: ``gunicorn -c config/gunicorn.py config.wsgi`` (issue 17).

Measured on the 2-core bench machine (`make bench`, bench/load.py uses this file): a Django
request here is mostly CPU (templates, ORM) with short waits on PostgreSQL and Redis, so
threads beyond a few per process only add contention, and processes beyond the cores only add
memory. The defaults below follow the cores; every value can be set from the environment.

- GUNICORN_WORKERS: processes, default 2 × cores (a waiting request does not hold a core).
- GUNICORN_THREADS: threads per process (gthread), default 2: a request waiting on the
  database or an Argon2 hash (which releases the GIL) lets another one run.
  GUNICORN_WORKER_CLASS: default gthread (keeps connections alive behind the balancer).
- GUNICORN_TIMEOUT: a request running longer is killed (default 60 s; the longest pages are
  the Excel exports, bounded by their row caps).
- GUNICORN_BIND: default 127.0.0.1:8000; a province puts a load balancer in front.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Keep-alive behind a load balancer: its idle timeout must be longer than this.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker is replaced after this many requests (jittered, so they are not replaced together):
# bounds the memory any slow leak can take.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The application is loaded once before forking: workers share its memory pages and a
# broken configuration fails at start, not on the first request.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
