"""The sweep and the aggregation through a real Celery worker on the real Redis broker."""

import datetime
import time

import pytest
from django.utils import timezone

from monitoring import tasks
from monitoring.models import JobRun, ProgressSummary
from obligations.models import Milestone
from tests.workers import celery_worker, worker_database_url


@pytest.fixture
def worker(transactional_db):
    """A worker process whose database is this test's database."""
    with celery_worker(DATABASE_URL=worker_database_url()) as queue:
        yield queue


def test_sweep_and_aggregation_run_on_a_worker(world, worker):
    # The worker's sweep counts days in Beijing time; the machine's date.today() may be a day behind.
    past = timezone.localdate() - datetime.timedelta(days=30)
    task = world.task(world.east_unit, past)
    result = tasks.aggregate_progress.apply_async(queue=worker)
    assert result.get(timeout=120)["status"] == "ok"
    sweep = tasks.sweep_overdue.apply_async(queue=worker)
    assert sweep.get(timeout=120)["milestones_changed"] == 1
    assert task.milestones.get().light == "red"
    assert Milestone.objects.get().red_since == past + datetime.timedelta(days=1)
    # The sweep queued the aggregation (on the default queue, which no one consumes here):
    # run it on the test's worker explicitly and read its figures.
    again = tasks.aggregate_progress.apply_async(queue=worker).get(timeout=120)
    assert again["status"] == "ok"
    deadline = time.monotonic() + 10
    while not ProgressSummary.objects.filter(scope="unit", scope_id=world.east_unit.pk,
                                             year=0, red=1).exists():
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert JobRun.objects.filter(job="sweep_overdue", status="ok").count() == 1


def test_a_worker_killed_in_the_middle_of_the_sweep_is_redelivered_and_runs_once(
        world, transactional_db):
    """acks_late + reject-on-lost: a sweep whose worker dies mid-job (here: while its UPDATE
    waits on a row another connection holds) stays unacknowledged on the broker; its
    transaction dies with it; a new worker gets it again after the visibility timeout and runs
    it to the end, once."""
    import uuid

    import psycopg2

    from obligations.models import AuditEntry
    from tests.workers import worker_process

    past = timezone.localdate() - datetime.timedelta(days=30)
    task = world.task(world.east_unit, past)
    milestone = task.milestones.get()
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = {"DATABASE_URL": worker_database_url(), "CELERY_VISIBILITY_TIMEOUT": "2",
           "CELERY_RESTORE_INTERVAL": "1"}
    url = worker_database_url()
    holder = psycopg2.connect(url)
    watcher = psycopg2.connect(url)
    watcher.autocommit = True
    try:
        with holder.cursor() as cursor:  # the row the sweep must change, held elsewhere
            cursor.execute("SELECT id FROM obligations_milestone WHERE id = %s FOR UPDATE",
                           [milestone.pk])
        with worker_process(queue, **env) as first:
            result = tasks.sweep_overdue.apply_async(queue=queue)
            deadline = time.monotonic() + 60
            while True:  # wait until the worker is inside the job, blocked on that row
                with watcher.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                   "current_database() AND wait_event_type = 'Lock'")
                    if cursor.fetchone()[0]:
                        break
                assert time.monotonic() < deadline, "the worker never reached the sweep"
                time.sleep(0.1)
            first.kill()
            first.wait(timeout=30)
        holder.rollback()  # the dead worker's transaction now ends without committing
        assert not JobRun.objects.filter(job="sweep_overdue").exists()
        with worker_process(queue, **env):
            assert result.get(timeout=90)["milestones_changed"] == 1
    finally:
        holder.close()
        watcher.close()
    assert JobRun.objects.filter(job="sweep_overdue", status="ok").count() == 1
    assert AuditEntry.objects.filter(action="sweep").count() == 1
    milestone.refresh_from_db()
    assert milestone.light == "red"
