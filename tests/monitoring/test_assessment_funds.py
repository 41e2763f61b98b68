"""政策落实 reading the funds (issue 15): the 支出进度 of the year's projects weighs in only
when an administrator gives "资金支出进度" a weight above 0; a published year keeps its
weights, and so its results, when the weight changes later."""

import datetime
from decimal import Decimal

from funds.models import PerformanceTarget, Project, ProjectFunding, Spending
from monitoring.assessment import (
    FUNDS_PART,
    compute_assessment,
    publish_assessment,
    verify_assessment,
)
from monitoring.models import AssessmentResult, AssessmentWeight
from tests.monitoring.conftest import report_on

D = datetime.date


NOVEMBER = D(2023, 11, 1)


def _funds(region, *, arranged, spent, year=2023, spent_in=NOVEMBER):
    project = Project.objects.create(code=f"P-{region.code}-{year}", name="大棚", year=year,
                                     region=region, category="industry", status="implementing")
    PerformanceTarget.objects.create(project=project, kind="output", indicator="大棚",
                                     target_value="10座")
    ProjectFunding.objects.create(project=project, source="central", amount=Decimal(arranged),
                                  allocated_on=D(year, 3, 1))
    if spent:
        Spending.objects.create(project=project, source="central", month=spent_in,
                                amount=Decimal(spent))
    return project


def _east_2023(world):
    """东县: one task in 2023 with two milestones, one reported on time (on-time share 50)."""
    task = world.task(world.east_unit, D(2023, 3, 31), D(2023, 9, 30))
    report_on(task, D(2023, 3, 15))
    return task


def test_funds_weigh_nothing_by_default(world):
    _east_2023(world)
    _funds(world.east, arranged=1000, spent=100)
    compute_assessment(2023)
    east = AssessmentResult.objects.get(year__year=2023, region=world.east)
    assert east.parts["政策落实"] == 50.0
    assert "funds_arranged" not in east.inputs


def test_spending_progress_weighs_into_policy_with_its_weight(world):
    _east_2023(world)
    _funds(world.east, arranged=1000, spent=400)  # 支出进度 40
    # money spent in January of the next year does not count for 2023
    _funds(world.east, arranged=0, spent=0, year=2022)
    Spending.objects.create(project=Project.objects.get(year=2023), source="central",
                            month=D(2024, 1, 1), amount=Decimal(500))
    AssessmentWeight.objects.filter(subject="county", part=FUNDS_PART).update(weight=1)
    compute_assessment(2023)
    east = AssessmentResult.objects.get(year__year=2023, region=world.east)
    assert east.inputs["funds_arranged"] == "1000.00" and east.inputs["funds_spent"] == "400.00"
    assert east.parts["政策落实"] == 45.0  # (50 × 1 + 40 × 1) ÷ 2
    AssessmentWeight.objects.filter(subject="county", part=FUNDS_PART).update(weight=3)
    compute_assessment(2023)
    east = AssessmentResult.objects.get(year__year=2023, region=world.east)  # results are rewritten
    assert east.parts["政策落实"] == 42.5  # (50 + 40 × 3) ÷ 4


def test_a_county_without_money_arranged_keeps_its_on_time_share(world):
    _east_2023(world)
    AssessmentWeight.objects.filter(subject="county", part=FUNDS_PART).update(weight=1)
    compute_assessment(2023)
    assert AssessmentResult.objects.get(region=world.east).parts["政策落实"] == 50.0


def test_a_published_year_keeps_its_weights_when_the_funds_weight_changes(world):
    _east_2023(world)
    _funds(world.east, arranged=1000, spent=400)
    compute_assessment(2023)
    publish_assessment(2023, actor=None)
    AssessmentWeight.objects.filter(subject="county", part=FUNDS_PART).update(weight=1)
    assert verify_assessment(2023) == []
    _, changed = compute_assessment(2023)
    assert not changed
    assert AssessmentResult.objects.get(region=world.east).parts["政策落实"] == 50.0


def test_the_assessment_page_shows_the_funds_component(client, world):
    from django.contrib.auth import get_user_model

    from obligations.models import Membership

    _east_2023(world)
    _funds(world.east, arranged=1000, spent=400)
    AssessmentWeight.objects.filter(subject="county", part=FUNDS_PART).update(weight=1)
    compute_assessment(2023)
    publish_assessment(2023, actor=None)
    AssessmentWeight.objects.filter(subject="county", part=FUNDS_PART).update(weight=5)
    leader = get_user_model().objects.create_user("city_leader")
    Membership.objects.create(user=leader, role="leader", region=world.city)
    client.force_login(leader)
    body = client.get("/dashboard/assessment/2023/").content.decode()
    # the weight the year was computed with, not today's
    assert "资金支出进度 400.00 ÷ 1000.00 · 权重 1" in body and "权重 5" not in body


def test_the_weights_admin_accepts_only_the_parts_the_assessment_reads(db):
    from monitoring.admin import AssessmentWeightForm

    row = AssessmentWeight.objects.get(subject="county", part=FUNDS_PART)  # from the migration
    assert row.weight == 0
    assert AssessmentWeightForm({"subject": "county", "part": FUNDS_PART, "weight": "2"},
                                instance=row).is_valid()
    form = AssessmentWeightForm({"subject": "unit", "part": FUNDS_PART, "weight": "2"})
    assert not form.is_valid() and "行业责任" in form.errors["part"][0]
    assert not AssessmentWeightForm({"subject": "city", "part": "资金", "weight": "1"}).is_valid()
