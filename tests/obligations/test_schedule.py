"""Rules in force, conflicts between documents, milestones and indicator targets."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from obligations.models import (
    DataFlag,
    IndicatorTarget,
    IndicatorValue,
    Milestone,
    Obligation,
    Period,
    Region,
    Task,
)
from obligations.selectors.in_force import obligations_in_force
from obligations.services.schedule import generate_milestones
from tests.obligations.conftest import after_the_transition

D = datetime.date


@pytest.fixture(autouse=True)
def real_dates(request):
    """The schedule is read on the real dates: the 过渡期 ended on 2025-12-31."""
    if "seeded" in request.fixturenames:
        request.getfixturevalue("seeded")
        after_the_transition()
PILOT = ("青财农字〔2021〕818号", "二.(三)")
# Stays in force for every Qinghai county through the period: proves a list is not just empty.
FINANCE_STABILITY = ("青财农字〔2021〕818号", "二.(一)")
PLAN_INTEGRATION = ("", "第十二章第二节")  # 001's own article on the same integration


def in_force_keys(code, on):
    region = Region.objects.get(code=code)
    return {(r.obligation.document.doc_number, r.obligation.code)
            for r in obligations_in_force(region=region, on=on)}


def test_pilot_applies_to_a_non_key_poverty_county_only_in_the_first_three_years(seeded):
    minhe = "630222"  # 脱贫县, not a key county
    assert PILOT in in_force_keys(minhe, D(2022, 6, 1))
    assert PILOT in in_force_keys(minhe, D(2023, 12, 31))  # 过渡期前 3 年: the last day
    after = in_force_keys(minhe, D(2024, 1, 1))
    assert PILOT not in after
    assert {FINANCE_STABILITY, PLAN_INTEGRATION} <= after
    assert len(after) == len(in_force_keys(minhe, D(2023, 12, 31))) - 1  # only the pilot ends


def test_pilot_applies_to_a_national_key_county_throughout(seeded):
    maqin = "632621"  # 国家乡村振兴重点帮扶县
    assert PILOT in in_force_keys(maqin, D(2022, 6, 1))
    assert PILOT in in_force_keys(maqin, D(2024, 6, 1))


def test_later_plan_decides_for_provincial_key_counties(seeded):
    datong = "630121"  # 省级重点帮扶县: 000 would keep the pilot in 2024, 001 (2022) does not
    in_force = in_force_keys(datong, D(2024, 6, 1))
    assert PILOT not in in_force
    assert {FINANCE_STABILITY, PLAN_INTEGRATION} <= in_force


def test_conflict_between_finance_plan_and_provincial_plan_is_reported(seeded):
    flags = DataFlag.objects.filter(kind="rule_conflict")
    assert {(f.document.doc_number, f.obligation.code) for f in flags} == {
        PILOT, ("", "第十二章第二节"),
    }
    message = flags.get(obligation__code="二.(三)").message
    assert "国家乡村振兴重点帮扶县、省级乡村振兴重点帮扶县" in message
    assert "第十二章第二节" in message and "较晚印发" in message


def test_county_inherits_city_and_own_obligations(seeded):
    xinbin = in_force_keys("210422", D(2024, 6, 1))
    assert ("抚委农领发〔2021〕3号", "二.(三).5") in xinbin
    assert not any(number == "隆党发〔2021〕2号" for number, _ in xinbin)
    longde = in_force_keys("640423", D(2022, 1, 1))
    assert ("隆党发〔2021〕2号", "二.(一)") in longde
    # Before the Longde document was issued (2 June 2021), it owed nothing under it.
    assert not any(n == "隆党发〔2021〕2号" for n, _ in in_force_keys("640423", D(2021, 6, 1)))
    assert ("隆党发〔2021〕2号", "二.(一)") in in_force_keys("640423", D(2021, 6, 2))
    # After the transition ends (31 December 2025) nothing of the period is in force.
    assert ("隆党发〔2021〕2号", "二.(一)") in in_force_keys("640423", D(2025, 12, 31))
    assert in_force_keys("640423", D(2026, 1, 1)) == set()


def test_in_force_command_prints_the_answer(seeded, capsys):
    call_command("in_force", "632621", "2024-06-01")
    out = capsys.readouterr().out
    assert "玛沁县 2024年6月1日有效的责任事项" in out and "脱贫县继续做好涉农资金统筹整合" in out


def test_longde_early_deadlines_are_flagged_and_unreadable_words_too(seeded):
    longde = Obligation.objects.filter(document__doc_number="隆党发〔2021〕2号")
    early = DataFlag.objects.filter(obligation__in=longde, kind="deadline")
    assert {f.obligation.code for f in early} == {"二.(二)", "二.(三)"}
    obligation = longde.get(code="二.(二)")
    assert obligation.deadline["kind"] == "date_then_ongoing"
    assert obligation.deadline["date"] == "2021-05-30"


def test_fixed_rules_of_fushun_and_fujian_are_encoded(seeded):
    fushun = Obligation.objects.get(document__doc_number="抚委农领发〔2021〕3号", code="二.(四).1")
    rule = fushun.rules.get()
    assert (rule.kind, rule.phases[0]["until"]) == ("minimum", "2023-12-31")
    fujian = Obligation.objects.get(document__region__code="350000", code="六.(二十三)")
    assert fujian.rules.get().phases[-1]["until"] == "2025-12-31"


def test_milestones_are_regenerated_idempotently_and_keep_reports(seeded):
    total = Milestone.objects.count()
    assert total > 0
    reported = Milestone.objects.order_by("id").first()
    reported.status = "reported"
    reported.save()
    assert generate_milestones() == 0
    assert Milestone.objects.count() == total
    reported.refresh_from_db()
    assert reported.status == "reported"


def test_milestones_follow_a_changed_transition_period(seeded):
    before = Milestone.objects.count()
    Period.objects.filter(kind="transition").update(end=D(2024, 12, 31))
    generate_milestones()
    assert not Milestone.objects.filter(due_on__gt=D(2024, 12, 31), status="open").exists()
    # The period is shortened, not emptied: a quarterly task now ends on the new last day.
    assert 0 < Milestone.objects.count() < before
    ongoing = Task.objects.get(obligation__document__doc_number="隆党发〔2021〕2号",
                               obligation__code="二.(一)", unit__name="扶贫办")
    dates = list(ongoing.milestones.order_by("due_on").values_list("due_on", flat=True))
    assert dates[0] == D(2021, 6, 30) and dates[-3:] == [D(2024, 6, 30), D(2024, 9, 30), D(2024, 12, 31)]


def test_every_task_of_longde_gets_annual_or_quarterly_checkpoints(seeded):
    task = Task.objects.get(obligation__document__doc_number="隆党发〔2021〕2号",
                            obligation__code="二.(五)", unit__name="扶贫办")
    assert list(task.milestones.values_list("due_on", "kind")) == [(D(2021, 6, 30), "completion")]
    ongoing = Task.objects.get(obligation__document__doc_number="隆党发〔2021〕2号",
                               obligation__code="二.(一)", unit__name="扶贫办")
    dates = list(ongoing.milestones.values_list("due_on", flat=True))
    assert dates[0] == D(2021, 6, 30) and dates[-1] == D(2025, 12, 31) and len(dates) == 19


def test_generating_milestones_runs_a_fixed_number_of_queries(seeded, django_assert_num_queries):
    # period, obligations, savepoint, SET LOCAL, delete, insert, RESET, release: whatever the
    # number of tasks
    with django_assert_num_queries(8):
        generate_milestones()


def test_targets_are_read_with_their_year_and_scope(seeded):
    longde = {t.name: t for t in IndicatorTarget.objects.filter(
        obligation__document__doc_number="隆党发〔2021〕2号")}
    toilets = longde["卫生厕所普及率"]
    assert (toilets.comparator, toilets.value, toilets.unit, toilets.due_year, toilets.region_scope) == (
        ">=", Decimal("85.00"), "%", 2025, "全县")
    assert longde["农村生活污水治理率"].value == Decimal("40.00")
    fushun = {t.name: t for t in IndicatorTarget.objects.filter(
        obligation__document__doc_number="抚委农领发〔2021〕3号")}
    assert fushun["畜禽粪污综合利用率"].value == Decimal("75.00")
    assert fushun["畜禽养殖场粪污处理设施装备配套率"].value == Decimal("95.00")
    assert fushun["秸秆综合利用率"].value == Decimal("87.00")
    land = fushun["新增建设用地计划指标"]
    assert land.per_year and land.value == Decimal("5.00")
    fujian = {t.name: t for t in IndicatorTarget.objects.filter(obligation__document__region__code="350000")}
    assert fujian["对口帮扶资金"].per_year and fujian["对口帮扶资金"].unit == "万元"
    assert fujian["省、市、县三级科技特派员"].value == Decimal("2000.00")


def test_attainment_of_reported_values(seeded):
    target = IndicatorTarget.objects.get(name="卫生厕所普及率")
    longde = Region.objects.get(code="640423")
    below = IndicatorValue.objects.create(target=target, region=longde, year=2024, value=Decimal("80"))
    met = IndicatorValue.objects.create(target=target, region=longde, year=2025, value=Decimal("86.5"))
    assert not target.attained_by(below.value) and target.attained_by(met.value)


def test_export_includes_deadline_structure_and_targets(seeded):
    from obligations.selectors.register import export_register

    rows = {(r["document"]["doc_number"], r["code"]): r for r in export_register()}
    row = rows[("隆党发〔2021〕2号", "四.(四)")]
    assert row["deadline"]["kind"] == "ongoing"
    assert {"name": "卫生厕所普及率", "comparator": ">=", "value": 85.0, "unit": "%", "by": 2025,
            "per_year": False, "region_scope": "全县"} in row["targets"]
    assert any("不一致" in f for f in rows[PILOT]["flags"])
