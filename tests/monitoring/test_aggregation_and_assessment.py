"""Aggregation roll-up and the assessment formulas on a small hand-computed example."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from monitoring.assessment import compute_assessment, publish_assessment, reopen_assessment
from monitoring.jobs import aggregate_progress, sweep_overdue
from monitoring.models import AssessmentEvent, AssessmentResult, AssessmentWeight, ProgressSummary
from obligations.models import ProgressReport
from tests.monitoring.conftest import report_on

D = datetime.date




def summary(scope, scope_id, year=0):
    return ProgressSummary.objects.get(scope=scope, scope_id=scope_id, year=year)


def test_summaries_roll_up_the_region_tree(world):
    east = world.task(world.east_unit, D(2023, 3, 31), D(2023, 6, 30))
    west = world.task(world.west_unit, D(2023, 3, 31))
    report_on(east, D(2023, 3, 20))  # on time for 3-31
    report_on(west, D(2023, 4, 5))   # late
    sweep_overdue(today=D(2023, 7, 1))
    aggregate_progress(today=D(2023, 7, 1))
    east_sum = summary("region", world.east.pk)
    assert (east_sum.tasks, east_sum.red, east_sum.milestones_due, east_sum.milestones_on_time,
            east_sum.waiting_review) == (1, 1, 2, 1, 1)
    city = summary("region", world.city.pk, 2023)
    province = summary("region", world.province.pk, 2023)
    assert (city.tasks, city.milestones_due, city.milestones_on_time) == (2, 3, 1)
    assert (province.tasks, province.milestones_due) == (city.tasks, city.milestones_due)
    assert summary("unit", world.west_unit.pk).milestones_on_time == 0
    assert summary("document", world.document.pk).tasks == 2
    assert summary("region", world.east.pk, 2024).milestones_due == 0
    # Rebuilding gives the same rows, not more.
    before = ProgressSummary.objects.count()
    aggregate_progress(today=D(2023, 7, 1))
    assert ProgressSummary.objects.count() == before


def test_assessment_formulas_on_a_hand_computed_example(world):
    world.hand_computed_2023()
    compute_assessment(2023)
    east = AssessmentResult.objects.get(year__year=2023, region=world.east)
    # The 3-15 report covers the 3-31 milestone only; nothing was reported for 9-30.
    assert east.inputs == {"attained": 1, "closed": 1, "due": 4, "in_force": 2, "on_time": 1,
                           "reported": 1, "targets": 1}
    assert east.parts == {"责任落实": 50.0, "政策落实": 25.0, "工作落实": 25.0, "巩固成效": 100.0}
    assert east.total == Decimal("50.00")
    west_result = AssessmentResult.objects.get(year__year=2023, region=world.west)
    assert west_result.parts["责任落实"] == 100.0 and west_result.parts["政策落实"] == 100.0
    assert west_result.parts["巩固成效"] is None  # no target: the part is left out
    assert west_result.total == Decimal("66.67")  # (100 + 100 + 0) / 3
    assert (west_result.rank_in_city, east.rank_in_city) == (1, 2)
    assert east.interview and not west_result.interview


def test_weights_change_the_total(world):
    task = world.task(world.west_unit, D(2023, 6, 30))
    report_on(task, D(2023, 6, 1))
    AssessmentWeight.objects.filter(subject="county", part="工作落实").update(weight=0)
    compute_assessment(2023)
    result = AssessmentResult.objects.get(region=world.west)
    assert result.total == Decimal("100.00")


def test_ties_share_a_rank_and_are_flagged_together(world):
    for unit in (world.east_unit, world.west_unit):
        task = world.task(unit, D(2023, 6, 30))
        report_on(task, D(2023, 6, 1))
    compute_assessment(2023)
    results = AssessmentResult.objects.filter(subject="county")
    assert {r.rank_in_province for r in results} == {1}
    assert all(r.interview for r in results)


def test_a_published_year_is_frozen_and_verified(world, capsys):
    task = world.task(world.west_unit, D(2023, 6, 30))
    report_on(task, D(2023, 6, 1))
    compute_assessment(2023)
    record = publish_assessment(2023, actor=None)
    total = AssessmentResult.objects.get(region=world.west).total
    call_command("verify_assessment", "2023")
    assert "核验一致" in capsys.readouterr().out
    # Data changes after publication: recomputation changes nothing…
    ProgressReport.objects.all().delete()
    _, changed = compute_assessment(2023)
    assert not changed
    assert AssessmentResult.objects.get(region=world.west).total == total
    # …and verification names the difference.
    with pytest.raises(CommandError, match="不一致"):
        call_command("verify_assessment", "2023")
    assert "西县：发布时总分 66.67" in capsys.readouterr().out
    with pytest.raises(ValidationError):
        publish_assessment(2023, actor=None)
    with pytest.raises(ValidationError, match="说明理由"):
        reopen_assessment(2023, actor=world.supervisor, note=" ")
    reopen_assessment(2023, actor=world.supervisor, note="数据订正")
    assert list(AssessmentEvent.objects.filter(year=record).values_list("action", flat=True)) == [
        "reopen", "publish"]
    _, changed = compute_assessment(2023)
    assert changed


def test_tampering_with_a_published_result_is_detected(world):
    task = world.task(world.west_unit, D(2023, 6, 30))
    report_on(task, D(2023, 6, 1))
    compute_assessment(2023)
    publish_assessment(2023, actor=None)
    AssessmentResult.objects.filter(region=world.west).update(total=Decimal("99"))
    from monitoring.assessment import verify_assessment

    problems = verify_assessment(2023)
    assert any("被改动" in p for p in problems)


def test_the_only_subject_of_a_ranking_is_not_flagged_for_interview(world):
    task = world.task(world.east_unit, D(2023, 6, 30))
    report_on(task, D(2023, 7, 5))  # late: a low score, but no one to compare with
    compute_assessment(2023)
    east = AssessmentResult.objects.get(region=world.east)
    assert east.rank_in_province == 1 and not east.interview
