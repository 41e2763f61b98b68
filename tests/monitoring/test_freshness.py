"""Figures that are fresh and say how fresh: built by load_seed, rebuilt (coalesced) after
reports, reviews and imports, and every dashboard shows when they were computed."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.celery import app as celery_app
from monitoring import freshness, tasks
from monitoring.models import ProgressSummary
from obligations.lights import with_task_lights
from obligations.models import Task
from obligations.reporting import approve_report
from tests.monitoring.conftest import report_on

D = datetime.date


def _figure(html, name):
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


@pytest.mark.django_db
def test_right_after_load_seed_the_overview_red_count_equals_the_task_list(client):
    call_command("load_seed", verbosity=0)
    admin = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(admin)
    today = timezone.localdate()
    red = with_task_lights(Task.objects.all(), today=today).filter(current_light="red").count()
    assert red > 100  # the seed's deadlines are mostly past
    listed = client.get(reverse("obligations:tasks"), {"light": "red"})
    assert listed.context["page"].paginator.count == red
    html = client.get(reverse("monitoring:overview"), {"year": 0}).content.decode()
    assert _figure(html, "red") == str(red)
    assert "数据更新于" in html and "数据尚未汇总" not in html


@pytest.fixture
def eager():
    celery_app.conf.task_always_eager = True
    cache.delete(freshness.PENDING_KEY)
    yield
    celery_app.conf.task_always_eager = False
    cache.delete(freshness.PENDING_KEY)


def test_an_approval_rebuilds_the_summaries_once_committed(world, eager,
                                                           django_capture_on_commit_callbacks):
    w = world
    task = w.task(w.east_unit, D(2024, 6, 30))
    report = report_on(task, D(2024, 6, 1), milestone=task.milestones.get())
    call_command("aggregate_progress")
    before = ProgressSummary.objects.get(scope="unit", scope_id=w.east_unit.pk, year=0)
    assert before.waiting_review == 1 and before.done == 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        approve_report(report=report, by=w.supervisor)
    assert callbacks  # the rebuild waits for the commit
    after = ProgressSummary.objects.get(scope="unit", scope_id=w.east_unit.pk, year=0)
    assert after.waiting_review == 0 and after.done == 1  # its only milestone is closed
    assert after.computed_at > before.computed_at


def test_many_changes_within_the_delay_queue_one_rebuild(world, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    w = world
    cache.delete(freshness.PENDING_KEY)
    queued = []
    monkeypatch.setattr(tasks.refresh_summaries, "apply_async",
                        lambda **options: queued.append(options))
    reports = []
    for n in range(3):
        task = w.task(w.east_unit, D(2024, 6, 30), title=f"措施{n}")
        reports.append(report_on(task, D(2024, 6, 1), milestone=task.milestones.get()))
    with django_capture_on_commit_callbacks(execute=True):
        for report in reports:
            approve_report(report=report, by=w.supervisor)
    assert queued == [{"countdown": freshness.coalesce_seconds()}]
    freshness.rebuild_started()  # the rebuild began: the next change queues the next one
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(report=report_on(reports[0].task, D(2024, 6, 2)), by=w.supervisor)
    assert len(queued) == 2
    cache.delete(freshness.PENDING_KEY)


def test_every_dashboard_says_when_its_figures_were_computed(client, world):
    w = world
    w.task(w.east_unit, D(2024, 6, 30))
    leader = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(leader)
    html = client.get(reverse("monitoring:overview")).content.decode()
    assert "数据尚未汇总" in html  # honest before the first rebuild
    call_command("aggregate_progress")
    at = timezone.localtime(freshness.computed_at())
    stamp = f"数据更新于 {at.year}年{at.month}月{at.day}日 {at:%H:%M}"
    for url in (reverse("monitoring:overview"), reverse("monitoring:region", args=[w.east.code]),
                reverse("monitoring:unit", args=[w.east_unit.pk])):
        assert stamp in client.get(url).content.decode(), url
    assert "数据更新于" in client.get(reverse("monitoring:documents")).content.decode()
