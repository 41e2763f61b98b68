"""Unit resolution, collective expansion into tasks, aliases and renames."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from obligations.importers import parse_text
from obligations.models import CollectiveUnit, DataFlag, Obligation, ObligationUnit, Task, Unit
from obligations.services.documents import save_parsed_document
from obligations.services.units import rename_unit


def tasks_of(document, code):
    obligation = Obligation.objects.get(document=document, code=code)
    return {(t.unit.name, t.role) for t in obligation.tasks.select_related("unit")}


def test_township_collective_expands_to_every_township(seeded):
    longde = seeded["隆党发〔2021〕2号"]
    tasks = tasks_of(longde, "二.(二)")
    townships = {name for name, role in tasks if name.endswith(("镇人民政府", "乡人民政府"))}
    assert len(townships) == 13
    assert ("扶贫办", "lead") in tasks
    assert ("民政局", "support") in tasks


def test_group_collective_expands_to_its_members(seeded):
    longde = seeded["隆党发〔2021〕2号"]
    group = Unit.objects.get(region__code="640423", name="县扶贫开发领导小组")
    members = set(group.members.values_list("name", flat=True))
    tasks = tasks_of(longde, "二.(一)")
    # 扶贫办 leads and is also a member: it keeps one task, as lead.
    assert ("扶贫办", "lead") in tasks and ("扶贫办", "support") not in tasks
    assert {name for name, role in tasks if role == "support"} == members - {"扶贫办"}


def test_finance_divisions_and_city_county_bureaus(seeded):
    plan = seeded["青财农字〔2021〕818号"]
    tasks = tasks_of(plan, "一.(一)")  # 厅各相关处室，各市（州）、县财政局分别负责
    divisions = Unit.objects.filter(parent__name="青海省财政厅").count()
    assert len({n for n, _ in tasks if n.endswith("处")}) == divisions == 17
    bureaus = {n for n, _ in tasks if n.endswith("财政局")}
    assert "西宁市财政局" in bureaus and "玛沁县财政局" in bureaus
    assert all(role == "lead" for _, role in tasks)


def test_abbreviation_resolves_to_the_unit_it_stands_for(seeded):
    plan = seeded["青财农字〔2021〕818号"]
    ref = ObligationUnit.objects.get(obligation__document=plan, obligation__code="二.(八)",
                                     written_name="社保处")
    assert ref.unit.name == "社会保障处"
    assert ("社会保障处", "lead") in tasks_of(plan, "二.(八)")


def test_fushun_every_measure_is_a_duty_of_each_county(seeded):
    fushun = seeded["抚委农领发〔2021〕3号"]
    measures = Obligation.objects.filter(document=fushun, kind="measure", code__startswith="二.")
    assert measures.count() == 24
    for obligation in measures:
        counties = obligation.tasks.filter(unit__region__level="county", role="lead")
        assert counties.count() == 7, obligation.code
    xinbin = Unit.objects.get(name="新宾满族自治县人民政府")
    assert Task.objects.filter(unit=xinbin, obligation__document=fushun).count() == 24


def test_multi_clause_measure_gives_each_clause_its_own_lead(seeded):
    fushun = seeded["抚委农领发〔2021〕3号"]
    refs = ObligationUnit.objects.filter(obligation__document=fushun, obligation__code="二.(三).5",
                                         from_rule=False)
    assert {r.written_name: r.clause for r in refs}["国网抚顺供电公司"] == 3
    assert ("国网抚顺供电公司", "lead") in tasks_of(fushun, "二.(三).5")


def test_documents_without_units_are_listed_as_unassigned(seeded):
    fujian = next(d for d in seeded.values() if d.region and d.region.code == "350000")
    unassigned = DataFlag.objects.filter(document=fujian, kind="no_lead_unit").count()
    assert unassigned == 28
    assert not Task.objects.filter(obligation__document=fujian).exists()


def test_rename_keeps_tasks_and_old_name_stays_searchable(seeded):
    office = Unit.objects.get(region__code="640423", name="扶贫办")
    before = set(office.tasks.values_list("id", flat=True))
    rename_unit(unit=office, new_name="乡村振兴局", renamed_on=datetime.date(2021, 9, 1),
                note="扶贫机构平稳有序转换为乡村振兴机构", actor=None)
    office.refresh_from_db()
    assert office.name == "乡村振兴局"
    assert set(office.tasks.values_list("id", flat=True)) == before
    assert Unit.objects.filter(aliases__name="扶贫办").get() == office
    assert office.renames.get().old_name == "扶贫办"
    # A later document that still writes 扶贫办 lands on the same unit, not a new one.
    parsed = parse_text(
        "中共隆德县委办公室文件\n隆党办发〔2022〕9号\n关于做好2022年衔接工作的通知\n"
        "一、重点任务\n（一）巩固成果。做好监测帮扶工作。\n责任单位：扶贫办\n",
        source_name="new.txt",
    )
    document = save_parsed_document(parsed=parsed)
    assert document.region.name == "隆德县"
    assert tasks_of(document, "一.(一)") == {("乡村振兴局", "lead")}


def test_rename_refuses_a_name_taken_in_the_region(seeded):
    office = Unit.objects.get(region__code="640423", name="扶贫办")
    with pytest.raises(ValidationError):
        rename_unit(unit=office, new_name="民政局", renamed_on=datetime.date(2021, 9, 1),
                    actor=None)
    office.refresh_from_db()
    assert office.name == "扶贫办"


def test_unknown_units_and_collectives_of_a_new_document_are_created_and_flagged(seeded):
    parsed = parse_text(
        "中共抚顺市委办公室文件\n抚委办发〔2022〕1号\n关于巩固成果的实施方案\n"
        "一、任务\n1.建设冷链设施。（责任单位：市冷链物流中心、各县区）\n"
        "2.壮大集体经济。（责任单位：市乡村振兴工作专班成员单位）\n",
        source_name="new.txt",
    )
    document = save_parsed_document(parsed=parsed)
    new_unit = Unit.objects.get(name="市冷链物流中心")
    assert new_unit.needs_review and new_unit.region.name == "抚顺市"
    messages = list(DataFlag.objects.filter(document=document, kind="unknown_unit")
                    .values_list("message", flat=True))
    assert any("市冷链物流中心" in m for m in messages)
    assert any("尚未配置展开规则" in m for m in messages)
    assert CollectiveUnit.objects.get(name="市乡村振兴工作专班成员单位").mode == "undefined"
    assert len(tasks_of(document, "一.1")) == 1 + 7  # the new unit and the 7 counties


def test_reimporting_a_document_number_is_refused(seeded):
    parsed = parse_text(
        "中共隆德县委文件\n隆党发〔2021〕2号\n关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的实施意见\n"
        "一、任务\n（一）巩固成果。做好监测。\n责任单位：扶贫办\n",
        source_name="dup.txt",
    )
    with pytest.raises(ValidationError, match="已经导入"):
        save_parsed_document(parsed=parsed)
