"""The day ends at midnight Beijing time (Asia/Shanghai, UTC+8), for "reported on time" and
for the lights: 23:59 on the due date is that day, 00:01 is the next one — though both are
the same UTC day (15:59 and 16:01), which is what a UTC date would get wrong."""

import datetime

import pytest
from django.utils import timezone

from monitoring.assessment import compute_assessment
from monitoring.jobs import aggregate_progress, sweep_overdue
from monitoring.models import AssessmentResult, ProgressSummary
from tests.monitoring.conftest import BEIJING, report_on

D = datetime.date
DUE = D(2023, 3, 31)
JUST_BEFORE = datetime.time(23, 59)  # on the due date
JUST_AFTER = datetime.time(0, 1)     # on the day after


def late_and_on_time(world, *, name_the_milestone):
    """东县 reports at 23:59 on the due date, 西县 at 00:01 the day after."""
    east = world.task(world.east_unit, DUE)
    west = world.task(world.west_unit, DUE)
    report_on(east, DUE, at_time=JUST_BEFORE,
              milestone=east.milestones.get() if name_the_milestone else None)
    late = report_on(west, DUE + datetime.timedelta(days=1), at_time=JUST_AFTER,
                     milestone=west.milestones.get() if name_the_milestone else None)
    late.refresh_from_db()
    assert late.submitted_at.astimezone(datetime.UTC).date() == DUE  # the same UTC day
    return east, west


@pytest.mark.parametrize("name_the_milestone", [True, False], ids=["named", "window"])
def test_summaries_count_2359_on_the_due_date_on_time_and_0001_after_late(world,
                                                                         name_the_milestone):
    late_and_on_time(world, name_the_milestone=name_the_milestone)
    aggregate_progress(today=D(2023, 7, 1))
    east = ProgressSummary.objects.get(scope="unit", scope_id=world.east_unit.pk, year=2023)
    west = ProgressSummary.objects.get(scope="unit", scope_id=world.west_unit.pk, year=2023)
    assert (east.milestones_due, east.milestones_on_time) == (1, 1)
    assert (west.milestones_due, west.milestones_on_time) == (1, 0)


@pytest.mark.parametrize("name_the_milestone", [True, False], ids=["named", "window"])
def test_assessment_counts_2359_on_the_due_date_on_time_and_0001_after_late(world,
                                                                           name_the_milestone):
    late_and_on_time(world, name_the_milestone=name_the_milestone)
    compute_assessment(2023)
    east = AssessmentResult.objects.get(year__year=2023, region=world.east)
    west = AssessmentResult.objects.get(year__year=2023, region=world.west)
    assert (east.inputs["due"], east.inputs["on_time"]) == (1, 1)
    assert (west.inputs["due"], west.inputs["on_time"]) == (1, 0)


def sweep_at(monkeypatch, day, at_time):
    """The nightly sweep as its clock would run it, at `at_time` Beijing time on `day`."""
    moment = datetime.datetime.combine(day, at_time, tzinfo=BEIJING)
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))
    sweep_overdue()


def test_an_open_milestone_turns_red_when_the_next_beijing_day_begins(world, monkeypatch):
    task = world.task(world.east_unit, DUE)
    sweep_at(monkeypatch, DUE, JUST_BEFORE)
    task.refresh_from_db()
    assert task.light != "red" and task.milestones.get().light != "red"
    sweep_at(monkeypatch, DUE + datetime.timedelta(days=1), JUST_AFTER)
    task.refresh_from_db()
    milestone = task.milestones.get()
    assert (task.light, milestone.light) == ("red", "red")
    assert milestone.red_since == DUE + datetime.timedelta(days=1)
