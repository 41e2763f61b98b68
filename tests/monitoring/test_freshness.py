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
from obligations.services.reporting import approve_report
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
    lit = with_task_lights(Task.objects.all(), today=today)
    # The seed's documents are of the 过渡期: by the real date it has ended, so its past
    # deadlines light nothing red (obligations.lights), in the list and the overview alike.
    assert lit.filter(current_light="ended").count() == Task.objects.count() > 1000
    red = lit.filter(current_light="red").count()
    assert red == 0
    listed = client.get(reverse("obligations:tasks"), {"light": "red"})
    assert listed.context["page"].paginator.count == red
    archive = client.get(reverse("obligations:tasks"), {"period": "archive"})
    assert archive.context["page"].paginator.count == Task.objects.count()
    html = client.get(reverse("monitoring:overview"), {"year": 0}).content.decode()
    assert _figure(html, "red") == str(red)
    assert "数据更新于" in html and "数据尚未汇总" not in html


@pytest.fixture
def eager(world):
    celery_app.conf.task_always_eager = True
    cache.delete(freshness.pending_key(world.east.code))
    yield
    celery_app.conf.task_always_eager = False
    cache.delete(freshness.pending_key(world.east.code))


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
    for county in (w.east.code, w.west.code):
        cache.delete(freshness.pending_key(county))
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
    # One rebuild, of 东县 only.
    assert queued == [{"kwargs": {"county": w.east.code},
                       "countdown": freshness.coalesce_seconds()}]
    west = w.task(w.west_unit, D(2024, 6, 30), title="西县措施")
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(report=report_on(west, D(2024, 6, 1), milestone=west.milestones.get()),
                       by=w.far_supervisor)
    assert queued[-1]["kwargs"] == {"county": w.west.code} and len(queued) == 2
    freshness.rebuild_started(w.east.code)  # 东县's rebuild began: its next change queues again
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(report=report_on(reports[0].task, D(2024, 6, 2)), by=w.supervisor)
    assert len(queued) == 3
    for county in (w.east.code, w.west.code):
        cache.delete(freshness.pending_key(county))


def test_a_township_change_rebuilds_its_county(world):
    from obligations.models import Region

    w = world
    town = Region.objects.create(code="900101001", name="东镇", level="township", parent=w.east)
    assert freshness.counties_of([town.code, w.east.code]) == [w.east.code]
    assert freshness.counties_of([w.city.code]) == [w.city.code]


def test_every_dashboard_says_when_its_figures_were_computed(client, world):
    w = world
    w.task(w.east_unit, D(2024, 6, 30))
    leader = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(leader)
    html = client.get(reverse("monitoring:overview")).content.decode()
    assert "数据尚未汇总" in html  # honest before the first rebuild
    call_command("aggregate_progress")
    at = timezone.localtime(ProgressSummary.objects.get(
        scope="region", scope_id=w.province.pk, year=0).computed_at)
    stamp = f"数据更新于 {at.year}年{at.month}月{at.day}日 {at:%H:%M}"
    for url in (reverse("monitoring:overview"), reverse("monitoring:region", args=[w.east.code]),
                reverse("monitoring:unit", args=[w.east_unit.pk])):
        assert stamp in client.get(url).content.decode(), url
    assert "数据更新于" in client.get(reverse("monitoring:documents")).content.decode()


def _all_rows():
    from monitoring.models import MonthlySummary

    summaries = sorted(ProgressSummary.objects.values_list(
        "scope", "scope_id", "year", "tasks", "red", "yellow", "green", "done", "status_counts",
        "milestones_due", "milestones_on_time", "waiting_review", "targets", "targets_attained"))
    months = sorted(MonthlySummary.objects.values_list("scope", "scope_id", "month", "due",
                                                       "reported", "overdue"))
    return summaries, months


def test_a_countys_rebuild_gives_the_rows_of_a_whole_rebuild(world):
    from monitoring.aggregation import rebuild_summaries
    from obligations.models import IndicatorTarget, IndicatorValue, Milestone

    w = world
    w.hand_computed_2023()
    shared = w.task(w.east_unit, D(2023, 5, 31), D(2024, 5, 31), title="两县共担")
    west = Task.objects.create(obligation=shared.obligation, unit=w.west_unit, role="support")
    Milestone.objects.create(task=west, due_on=D(2023, 5, 31), kind="checkin")
    target = IndicatorTarget.objects.create(obligation=shared.obligation, name="覆盖率",
                                            comparator=">=", value=80, unit="%", per_year=True,
                                            source_text="每年覆盖率80%以上")
    today = D(2024, 1, 15)
    rebuild_summaries(today=today)
    # Changes in 东县 only: a report, a value, a closed milestone.
    report_on(shared, D(2023, 5, 20), milestone=shared.milestones.get(due_on=D(2023, 5, 31)))
    IndicatorValue.objects.create(target=target, region=w.east, year=2023, value=85)
    shared.milestones.filter(due_on=D(2023, 5, 31)).update(status="closed")
    stale = _all_rows()
    west_rows = ProgressSummary.objects.filter(scope="unit", scope_id=w.west_unit.pk)
    west_before = sorted(west_rows.values_list("id", "computed_at"))
    counts = rebuild_summaries(today=today, regions=[w.east.code])
    partial = _all_rows()
    assert partial != stale
    # Only 东县's unit was recounted (a row per year and one for all years); 西县's rows stay.
    assert counts["unit"] == ProgressSummary.objects.filter(
        scope="unit", scope_id=w.east_unit.pk).count() == 6
    assert sorted(west_rows.values_list("id", "computed_at")) == west_before
    rebuild_summaries(today=today)
    assert partial == _all_rows()  # the county's rebuild left every row as a whole one would


def test_the_assessment_pages_say_when_the_year_was_computed(client, world):
    from monitoring.assessment import compute_assessment

    w = world
    w.hand_computed_2023()
    record, _changed = compute_assessment(2023)
    admin = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(admin)
    at = timezone.localtime(record.computed_at)
    stamp = f"数据更新于 {at.year}年{at.month}月{at.day}日 {at:%H:%M}"
    for name in ("monitoring:assessment", "monitoring:assessment_print"):
        assert stamp in client.get(reverse(name, args=[2023])).content.decode(), name
