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
