"""The procedure from 线索 to 已消除风险: each step by its role and no one else, the refusals
(reason, notice period, department results, elimination conditions each), the audit rows."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from households import selectors
from households.lines import amount_in, line_for
from households.models import Case, IncomeRecord, Measure, MonitoringLine
from households.services import cases as svc
from obligations.models import AuditEntry, Region
from tests.households.conftest import id_number, make_household

S = Case.Status
D = datetime.date
COMPARISON = {"民政局": "未享受低保", "医保局": "年内住院自付 3.2 万元"}
FLOW = [  # (to, who, day)
    (S.VERIFIED, "longde_beiguan", D(2024, 1, 10)),
    (S.COMPARED, "longde_nongban", D(2024, 1, 15)),
    (S.PUBLICIZED, "longde_beiguan", D(2024, 1, 16)),
    (S.TOWNSHIP_REVIEWED, "longde_chengguan", D(2024, 1, 21)),
    (S.MONITORING, "longde_nongban", D(2024, 1, 25)),
    (S.PROPOSED_ELIMINATION, "longde_beiguan", D(2024, 8, 1)),
    (S.ELIMINATED, "longde_nongban", D(2024, 8, 5)),
]
EVERYONE = ["longde_beiguan", "longde_chengguan", "longde_nongban",
            "longde_fupin", "longde_leader", "xinbin_duban", "qingyuan", "fushun_leader"]


def _case(hh_world, **kwargs):
    household = make_household(hh_world.village, hh_world.users["longde_beiguan"], **kwargs)
    return svc.open_case(household=household, actor=hh_world.users["longde_beiguan"],
                         channel="visit", category="sudden", risk="illness",
                         opened_on=D(2024, 1, 5))


def _fingerprint(case):
    case.refresh_from_db()
    return (case.status, case.version, case.steps.count(),
            AuditEntry.objects.filter(subject=f"case:{case.pk}").count())


def _ready_to_eliminate(case, *, per_capita=9000):
    IncomeRecord.objects.create(household=case.household, period_end=D(2024, 7, 31),
                                net_income=Decimal(per_capita * 3), people=3)
    Measure.objects.create(case=case, kind="medical", description="大病保险报销",
                           starts_on=D(2024, 2, 1), status="done")
    Case.objects.filter(pk=case.pk).update(two_assurances_secured=True)


def test_the_whole_procedure_step_by_step_each_by_its_role_and_no_one_else(hh_world):
    users = hh_world.users
    case = _case(hh_world)
    for to, who, day in FLOW:
        if to == S.ELIMINATED:
            _ready_to_eliminate(case)
        others = [u for u in EVERYONE if not selectors.can_take(users[u], case, to)]
        assert who not in others and "xinbin_duban" in others and "longde_leader" in others
        for other in others:
            before = _fingerprint(case)
            with pytest.raises(ValidationError, match="您无权"):
                svc.transition(case, to, users[other], today=day, comparison=COMPARISON)
            assert _fingerprint(case) == before
        audits = AuditEntry.objects.filter(subject=f"case:{case.pk}").count()
        case = svc.transition(case, to, users[who], "同意", today=day, comparison=COMPARISON)
        assert case.status == to
        assert case.steps.last().actor == users[who]
        assert AuditEntry.objects.filter(subject=f"case:{case.pk}").count() == audits + 1
    case.refresh_from_db()
    assert (case.confirmed_on, case.eliminated_on) == (D(2024, 1, 25), D(2024, 8, 5))
    assert case.comparison == COMPARISON
    assert svc.MOVES[case.status] == ()  # kept for tracking, nothing further


def test_the_notice_period_must_run_out_before_the_township_reviews(hh_world):
    users = hh_world.users
    case = _case(hh_world)
    for to, who, day in FLOW[:3]:
        case = svc.transition(case, to, users[who], today=day, comparison=COMPARISON)
    with pytest.raises(ValidationError, match="公示期未满（5天，2024年1月21日期满）"):
        svc.transition(case, S.TOWNSHIP_REVIEWED, users["longde_chengguan"],
                       today=D(2024, 1, 20))
    case = svc.transition(case, S.TOWNSHIP_REVIEWED, users["longde_chengguan"],
                          today=D(2024, 1, 21))
    assert case.status == S.TOWNSHIP_REVIEWED


def test_department_comparison_needs_each_departments_result(hh_world):
    users = hh_world.users
    case = svc.transition(_case(hh_world), S.VERIFIED, users["longde_beiguan"])
    for bad in ({}, {"民政局": ""}, {" ": "x"}):
        with pytest.raises(ValidationError, match="逐个部门"):
            svc.transition(case, S.COMPARED, users["longde_nongban"], comparison=bad)
    assert _fingerprint(case)[0] == S.VERIFIED


@pytest.mark.parametrize("step", [S.RETURNED, S.REJECTED])
def test_return_and_rejection_need_a_reason_and_a_returned_case_is_verified_again(hh_world, step):
    users = hh_world.users
    case = _case(hh_world)
    for to, who, day in FLOW[:3]:
        case = svc.transition(case, to, users[who], today=day, comparison=COMPARISON)
    reviewer = users["longde_chengguan"]
    with pytest.raises(ValidationError, match="须填写理由"):
        svc.transition(case, step, reviewer, " ", today=D(2024, 1, 22))
    case = svc.transition(case, step, reviewer, "收入核实有误", today=D(2024, 1, 22))
    assert case.status == step
    if step == S.RETURNED:
        assert case.returned_from == S.PUBLICIZED
        case = svc.transition(case, S.VERIFIED, users["longde_beiguan"])
        assert case.status == S.VERIFIED
    else:
        assert svc.MOVES[S.REJECTED] == ()


def test_a_household_has_one_open_case_at_a_time(hh_world):
    case = _case(hh_world)
    with pytest.raises(ValidationError, match="已有正在办理"):
        svc.open_case(household=case.household, actor=hh_world.users["longde_beiguan"],
                      channel="visit", category="edge", risk="illness")


def _monitored(hh_world):
    users = hh_world.users
    case = _case(hh_world)
    for to, who, day in FLOW[:5]:
        case = svc.transition(case, to, users[who], today=day, comparison=COMPARISON)
    return svc.transition(case, S.PROPOSED_ELIMINATION, users["longde_beiguan"],
                          today=D(2024, 8, 1))


@pytest.mark.parametrize(("broken", "message"), [
    ("income", "未超过监测标准"), ("months", "纳入监测仅"), ("assurances", "两不愁三保障"),
    ("measures", "已落实的帮扶措施 0 项"), ("line", "未设置监测标准"), ("no_income", "没有家庭收支记录")])
def test_each_elimination_condition_refuses_when_unmet(hh_world, broken, message):
    case = _monitored(hh_world)
    _ready_to_eliminate(case, per_capita=5000 if broken == "income" else 9000)
    day = D(2024, 8, 5)
    if broken == "months":
        day = D(2024, 6, 30)  # five months after 2024-01-25
    if broken == "assurances":
        Case.objects.filter(pk=case.pk).update(two_assurances_secured=False)
    if broken == "measures":
        case.measures.update(status="ongoing")
    if broken == "line":
        MonitoringLine.objects.all().delete()
    if broken == "no_income":
        case.household.incomes.all().delete()
    before = _fingerprint(case)
    with pytest.raises(ValidationError, match=message):
        svc.transition(case, S.ELIMINATED, hh_world.users["longde_nongban"], today=day)
    assert _fingerprint(case) == before


def test_the_line_rises_as_the_document_says(hh_world):
    fushun = MonitoringLine.objects.create(region=Region.objects.get(code="210400"),
                                           base_year=2021, base_amount=Decimal(6600),
                                           yearly_rise=Decimal("0.10"), document="抚顺",
                                           clause="二(一)2")
    assert [amount_in(fushun, y) for y in (2021, 2022, 2023)] == [6600, 7260, 7986]
    fushun.compound = False
    assert amount_in(fushun, 2023) == 7920
    # 隆德 (the world's line: 6,000 rising 5 %) for a village, the nearest line applies
    amount, line = line_for(hh_world.village, 2023)
    assert (amount, line.region.code) == (6615, "640423")
    assert line_for(hh_world.village, 2020) is None


def test_qinghai_follows_its_own_2411_procedure(hh_world):
    """001 注①: 申请、乡村干部审核、行业部门比对、县级审定录入系统并公示 — no 乡镇审核 step after a
    公示; the 公示 starts at 县级审定."""
    from django.contrib.auth import get_user_model

    from households.procedure import QINGHAI, template_for
    from obligations.models import Membership, Unit

    datong = Region.objects.get(code="630121")
    township = Region.objects.create(code="630121100", name="桥头镇", level="township",
                                     parent=datong)
    village = Region.objects.create(code="630121100201", name="新城村", level="village",
                                    parent=township)
    cadre = get_user_model().objects.create_user("qiaotou_cadre")
    Membership.objects.create(user=cadre, role="official", unit=Unit.objects.create(
        region=township, name="桥头镇人民政府", kind="government"))
    county = get_user_model().objects.create_user("datong_county")
    Membership.objects.create(user=county, role="supervisor", region=datong,
                              unit=Unit.objects.filter(region=datong).first())
    assert template_for(village) is QINGHAI
    household = make_household(village, cadre, code="QH-1")
    case = svc.open_case(household=household, actor=cadre, channel="application",
                         category="edge", risk="illness")
    case = svc.transition(case, S.VERIFIED, cadre)
    assert svc.steps_for(cadre, case) == []
    case = svc.transition(case, S.COMPARED, county, comparison={"民政局": "未享受低保"})
    assert S.PUBLICIZED not in svc.steps_for(county, case)
    with pytest.raises(ValidationError, match="不能转为“民主评议和公示”"):
        svc.transition(case, S.PUBLICIZED, county)
    case = svc.transition(case, S.MONITORING, county, today=D(2024, 5, 1))
    case.refresh_from_db()
    assert (case.status, case.confirmed_on, case.notice_from) == (S.MONITORING, D(2024, 5, 1),
                                                                 D(2024, 5, 1))
    # a 退回 after 比对 is the county's (the reviewer of 部门信息比对 in this template)
    other = svc.open_case(household=make_household(village, cadre, code="QH-2",
                                                   id_number=id_number(71)),
                          actor=cadre, channel="visit", category="edge", risk="illness")
    other = svc.transition(other, S.VERIFIED, cadre)
    other = svc.transition(other, S.COMPARED, county, comparison={"民政局": "已享受低保"})
    other = svc.transition(other, S.REJECTED, county, "已纳入低保，风险已化解")
    assert other.status == S.REJECTED


def test_an_administrators_elimination_rule_for_a_region_applies_below_it(hh_world):
    from households.models import EliminationRule

    case = _monitored(hh_world)
    _ready_to_eliminate(case)
    case.refresh_from_db()
    EliminationRule.objects.create(region=Region.objects.get(code="640423"), months_stable=12,
                                   min_measures_done=2, clause="县里的规定")
    unmet = svc.unmet_for_elimination(case, D(2024, 8, 5))
    assert any("至少 12 个月" in u for u in unmet) and any("至少须 2 项" in u for u in unmet)
    EliminationRule.objects.create(region=hh_world.village.parent, months_stable=3,
                                   min_measures_done=1)  # the township's, nearer, wins
    assert svc.unmet_for_elimination(case, D(2024, 8, 5)) == []
