"""A real Celery worker process on the real Redis broker, for tests that must not run eagerly."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def celery_worker(**env):
    """Yields a private queue name consumed by a fresh worker; `env` overrides its environment
    (e.g. DATABASE_URL of the test database). The private queue keeps a `make run` worker on
    the same Redis from taking the test's tasks."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    with worker_process(queue, **env):
        yield queue


@contextmanager
def worker_process(queue: str, **env):
    """A worker consuming `queue`; yields its process (a test may kill it)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--queues",
         queue, "--loglevel=WARNING", "--without-heartbeat", "--without-mingle",
         "--without-gossip"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output.decode(errors="replace"))


def worker_database_url() -> str:
    """The URL of the database this test runs on, for a worker process to use it too."""
    from django.db import connection

    settings = connection.settings_dict
    return (f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
            f"{settings['PORT']}/{settings['NAME']}")
