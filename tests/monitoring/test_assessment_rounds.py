"""巩固成效 reading the households' screening rounds (issue 16): weighed in only with a weight
above 0 for "按期摸排审核"; a published year keeps its results when the weight changes."""

import datetime
from decimal import Decimal

from households.models import ScreeningDuty, ScreeningRound
from monitoring.assessment import (
    ROUNDS_PART,
    compute_assessment,
    publish_assessment,
    verify_assessment,
)
from monitoring.models import AssessmentResult, AssessmentWeight
from obligations.models import IndicatorTarget, IndicatorValue, Region
from tests.monitoring.conftest import report_on

D = datetime.date


def _east(world, *, rounds_done):
    """东县: a target attained (巩固成效 100 alone), a village with a monthly duty in 2023."""
    task = world.task(world.east_unit, D(2023, 6, 30))
    report_on(task, D(2023, 6, 1))
    target = IndicatorTarget.objects.create(obligation=task.obligation, name="卫生厕所普及率",
                                            comparator=">=", value=85, unit="%", due_year=2023,
                                            source_text="…")
    IndicatorValue.objects.create(target=target, region=world.east, year=2023, value=90)
    village = Region.objects.create(code="900101001001", name="东村", level="village",
                                    parent=world.east)
    duty = ScreeningDuty.objects.create(region=world.east, kind="village_monthly",
                                        starts_on=D(2023, 1, 1), clause="004 二(一)2")
    for month in range(1, rounds_done + 1):
        ScreeningRound.objects.create(duty=duty, region=village, period=D(2023, month, 1),
                                      done_on=D(2023, month, 25))


def _east_result(world):
    return AssessmentResult.objects.get(year__year=2023, region=world.east)


def test_rounds_weigh_nothing_by_default(world):
    _east(world, rounds_done=6)
    compute_assessment(2023)
    result = _east_result(world)
    assert result.parts["巩固成效"] == 100.0 and "rounds_due" not in result.inputs


def test_rounds_done_weigh_into_consolidation(world):
    _east(world, rounds_done=6)  # 6 of 12 months: 50
    AssessmentWeight.objects.filter(subject="county", part=ROUNDS_PART).update(weight=1)
    compute_assessment(2023)
    result = _east_result(world)
    assert (result.inputs["rounds_due"], result.inputs["rounds_done"]) == (12, 6)
    assert result.parts["巩固成效"] == 75.0  # (100 × 1 + 50 × 1) ÷ 2
    AssessmentWeight.objects.filter(subject="county", part=ROUNDS_PART).update(
        weight=Decimal(3))
    compute_assessment(2023)
    assert _east_result(world).parts["巩固成效"] == 62.5  # (100 + 50 × 3) ÷ 4


def test_a_published_year_keeps_its_weights(world):
    _east(world, rounds_done=3)
    compute_assessment(2023)
    publish_assessment(2023, actor=None)
    AssessmentWeight.objects.filter(subject="county", part=ROUNDS_PART).update(weight=1)
    assert verify_assessment(2023) == []
    assert _east_result(world).parts["巩固成效"] == 100.0
