"""The seeds' checks on monitored households (households/checks.py), each on a small example
that fails when the check is removed, and the 一户一策 measures' refusals."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from households import checks
from households.models import Case, Household, Measure, Member
from households.services import measures
from tests.households.conftest import id_number, make_household

D = datetime.date


def _monitored(hh_world, **household):
    h = make_household(hh_world.village, hh_world.users["longde_beiguan"], **household)
    case = Case.objects.create(household=h, status="monitoring", channel="visit",
                               category="edge", risk="illness", opened_on=D(2024, 1, 1),
                               confirmed_on=D(2024, 2, 1))
    return h, case


def _codes(queryset=None):
    return sorted((f.check, f.household_code) for f in checks.flags_for(
        queryset if queryset is not None else Household.objects.all()))


def test_a_monitored_household_without_a_measure_is_flagged(hh_world):
    household, case = _monitored(hh_world)
    assert _codes() == [("no_measure", "HH-001")]
    measures.add_measure(case=case, actor=hh_world.users["longde_beiguan"], kind="public_job",
                         description="村保洁公益性岗位", starts_on=D(2024, 3, 1))
    assert _codes() == []


def test_no_work_capacity_and_no_income_needs_dibao_or_tekun(hh_world):
    household = make_household(hh_world.village, hh_world.users["longde_beiguan"])
    Member.objects.filter(household=household).update(work_capacity="none", stable_income=False)
    assert _codes() == [("no_safety_net", "HH-001")]
    Member.objects.filter(household=household).update(in_tekun=True)
    assert _codes() == []


def test_a_dropout_is_red_unless_for_health(hh_world):
    household = make_household(hh_world.village, hh_world.users["longde_beiguan"])
    Member.objects.filter(household=household).update(schooling="out_of_school")
    flags = checks.flags_for(Household.objects.all())
    assert [f.check for f in flags] == ["dropout"] and "马某" in flags[0].message
    Member.objects.filter(household=household).update(out_of_school_for_health=True)
    assert _codes() == []


def test_exit_no_policy_households_get_no_measures(hh_world):
    household, case = _monitored(hh_world)
    Household.objects.filter(pk=household.pk).update(base_status="exit_no_policy")
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="不安排帮扶措施"):
        measures.add_measure(case=case, actor=hh_world.users["longde_beiguan"], kind="dibao",
                             description="低保", starts_on=D(2024, 3, 1))
    Measure.objects.create(case=case, kind="dibao", description="导入的旧数据",
                           starts_on=D(2024, 3, 1))
    assert ("exit_no_policy_measure", "HH-001") in _codes()


def test_checks_only_see_the_households_given(hh_world):
    _monitored(hh_world)
    other = make_household(hh_world.xinbin_village, hh_world.users["admin"], code="HH-XB",
                           id_number=id_number(5, region="210422"))
    Member.objects.filter(household=other).update(schooling="out_of_school")
    assert _codes(Household.objects.filter(region=hh_world.village)) == [("no_measure", "HH-001")]


def test_measures_refuse_bad_input_and_other_people(hh_world):
    household, case = _monitored(hh_world)
    beiguan = hh_world.users["longde_beiguan"]
    for kwargs, message in (({"kind": "x"}, "帮扶类型"), ({"description": " "}, "帮扶内容"),
                            ({"starts_on": None}, "开始日期"),
                            ({"ends_on": D(2023, 1, 1)}, "结束日期")):
        data = {"kind": "medical", "description": "资助参保", "starts_on": D(2024, 3, 1),
                **kwargs}
        with pytest.raises(ValidationError, match=message):
            measures.add_measure(case=case, actor=beiguan, **data)
    with pytest.raises(ValidationError, match="无权"):
        measures.add_measure(case=case, actor=hh_world.users["xinbin_duban"], kind="medical",
                             description="资助参保", starts_on=D(2024, 3, 1))
    assert not Measure.objects.exists()


def test_measures_in_the_case_page(client, hh_world):
    household, case = _monitored(hh_world)
    client.force_login(hh_world.users["longde_beiguan"])
    page = client.get(f"/households/cases/{case.pk}/").content.decode()
    assert 'data-check="no_measure"' in page and 'name="description"' in page
    response = client.post(f"/households/cases/{case.pk}/measures/", {
        "kind": "employment", "description": "推荐到县城务工", "starts_on": "2024-03-01"},
        follow=True)
    body = response.content.decode()
    assert "已制定帮扶措施" in body and 'data-measure="employment"' in body
    assert 'data-check="no_measure"' not in body
    measure = case.measures.get()
    client.post(f"/households/cases/{case.pk}/measures/{measure.pk}/", {"status": "done"})
    measure.refresh_from_db()
    assert measure.status == "done"
    body = client.get("/households/flags/").content.decode()
    assert 'data-count="no_measure">0' in body


def test_the_medical_subsidy_follows_the_regions_rule(hh_world):
    from households.checks import medical_subsidy_rule

    # 隆德 (000–003's rule): 低保 定额
    household, case = _monitored(hh_world)
    Member.objects.filter(household=household).update(in_dibao=True)
    measures.add_measure(case=case, actor=hh_world.users["longde_beiguan"], kind="medical",
                         description="资助参保", starts_on=D(2024, 3, 1), subsidy="full")
    flags = [f for f in checks.flags_for(Household.objects.all()) if f.check == "medical_subsidy"]
    assert len(flags) == 1 and "应为定额资助参保" in flags[0].message
    case.measures.update(subsidy="fixed")
    assert not [f for f in checks.flags_for(Household.objects.all())
                if f.check == "medical_subsidy"]
    # 抚顺 (004 二(二)4): 低保 全额; 特困 全额 everywhere
    assert medical_subsidy_rule("210422100201", tekun=False, dibao=True)[0] == "full"
    assert medical_subsidy_rule("640423100201", tekun=True, dibao=True)[0] == "full"
    assert medical_subsidy_rule("640423100201", tekun=False, dibao=False)[0] == "fixed"
    with pytest.raises(ValidationError, match="只用于医疗保障"):
        measures.add_measure(case=case, actor=hh_world.users["longde_beiguan"], kind="dibao",
                             description="低保", starts_on=D(2024, 3, 1), subsidy="full")
