"""The project workflow: every move per step and role, the refusals, funding and spending,
the audit rows, the rollover."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funds import selectors
from funds.models import Project, ProjectTransition, Spending
from funds.services import projects as svc
from obligations.models import AuditEntry
from tests.funds.conftest import make_project

S = Project.Status
FLOW = [  # (to, who takes it)
    (S.TOWNSHIP_REVIEWED, "longde_chengguan"),
    (S.COUNTY_APPROVED, "longde_nongban"),
    (S.IN_LIBRARY, "longde_nongban"),
    (S.PLANNED, "longde_nongban"),
    (S.IMPLEMENTING, "longde_fupin"),
    (S.ACCEPTED, "longde_nongban"),
    (S.HANDED_OVER, "longde_nongban"),
    (S.EVALUATED, "longde_nongban"),
]
OUTSIDERS = ["longde_leader", "xinbin_duban", "xinbin", "qingyuan_duban", "fushun_leader"]


def _audits(project):
    return AuditEntry.objects.filter(action=AuditEntry.Action.FUNDS_PROJECT,
                                     subject=f"project:{project.pk}").count()


def _fingerprint(project):
    project.refresh_from_db()
    return (project.status, project.version, project.transitions.count(), _audits(project),
            project.fundings.count(), Spending.objects.filter(project=project).count())


def test_declare_writes_the_project_its_targets_a_transition_and_an_audit_row(funds_world):
    user = funds_world.users["longde_chengguan"]
    project = svc.declare(actor=user, data={
        "name": "北关村道路硬化", "year": 2022, "region": funds_world.village,
        "category": "infrastructure"}, targets=[
        {"kind": "output", "indicator": "硬化道路长度", "target_value": "3公里"}])
    assert project.status == S.DECLARED and project.code == "2022-640423100201-001"
    assert project.targets.count() == 1
    assert list(project.transitions.values_list("from_status", "to_status")) == [("", S.DECLARED)]
    assert _audits(project) == 1


@pytest.mark.parametrize("who", ["longde_nongban", "longde_leader", "xinbin", "admin_none"])
def test_only_officials_of_the_place_declare(funds_world, who):
    if who == "admin_none":
        user = funds_world.users["xinbin"]
        region = funds_world.village  # a Longde village for a Xinbin official
    else:
        user, region = funds_world.users[who], funds_world.village
    with pytest.raises(ValidationError, match="只有项目所在地的填报人"):
        svc.declare(actor=user, data={"name": "越权申报", "year": 2022, "region": region,
                                      "category": "other"}, targets=[])
    assert not Project.objects.filter(name="越权申报").exists()


def test_the_whole_flow_step_by_step_each_by_its_role_and_no_one_else(funds_world):
    users = funds_world.users
    project = make_project(funds_world.village)
    for to, who in FLOW:
        if to == S.PLANNED:
            svc.arrange_funding(project=project, source="central", amount="100000",
                                actor=users["longde_nongban"])
        others = [u for u in [*OUTSIDERS, "longde_chengguan", "longde_nongban", "longde_fupin",
                              "longde_minzheng"]
                  if not selectors.can_take(users[u], project, to)]
        assert "xinbin_duban" in others and "longde_leader" in others
        for other in others:
            before = _fingerprint(project)
            with pytest.raises(ValidationError, match="您无权"):
                svc.transition(project, to, users[other])
            assert _fingerprint(project) == before
        before_audits = _audits(project)
        project = svc.transition(project, to, users[who], comment="同意")
        assert project.status == to
        last = project.transitions.last()
        assert (last.to_status, last.actor, last.comment) == (to, users[who], "同意")
        assert _audits(project) == before_audits + 1
    assert project.transitions.count() == len(FLOW)


def test_township_review_is_not_the_countys_and_county_steps_are_not_the_townships(funds_world):
    users = funds_world.users
    project = make_project(funds_world.village)
    assert not selectors.can_take(users["longde_nongban"], project, S.TOWNSHIP_REVIEWED)
    assert not selectors.can_take(users["longde_fupin"], project, S.TOWNSHIP_REVIEWED)
    project.status = S.TOWNSHIP_REVIEWED
    assert not selectors.can_take(users["longde_chengguan"], project, S.COUNTY_APPROVED)
    # a county-level project has no township: its county supervisor reviews that step
    county = make_project(funds_world.longde, code="P-002")
    assert selectors.can_take(users["longde_nongban"], county, S.TOWNSHIP_REVIEWED)


def test_moves_outside_the_table_are_refused(funds_world):
    users = funds_world.users
    project = make_project(funds_world.village)
    for to in (S.IN_LIBRARY, S.PLANNED, S.EVALUATED, "nonsense"):
        before = _fingerprint(project)
        with pytest.raises(ValidationError):
            svc.transition(project, to, users["admin"])
        assert _fingerprint(project) == before


@pytest.mark.parametrize(("status", "reviewer"), [
    (S.DECLARED, "longde_chengguan"), (S.TOWNSHIP_REVIEWED, "longde_nongban"),
    (S.COUNTY_APPROVED, "longde_nongban")])
def test_return_from_each_review_step_needs_a_reason_and_remembers_where(funds_world, status,
                                                                          reviewer):
    users = funds_world.users
    project = make_project(funds_world.village, status=status)
    before = _fingerprint(project)
    with pytest.raises(ValidationError, match="退回理由"):
        svc.transition(project, S.RETURNED, users[reviewer], comment="  ")
    assert _fingerprint(project) == before
    with pytest.raises(ValidationError, match="您无权"):
        svc.transition(project, S.RETURNED, users["xinbin_duban"], comment="越权退回")
    project = svc.transition(project, S.RETURNED, users[reviewer], comment="预算不实")
    assert (project.status, project.returned_from) == (S.RETURNED, status)
    assert project.transitions.last().comment == "预算不实"
    with pytest.raises(ValidationError, match="您无权"):
        svc.transition(project, S.DECLARED, users["longde_nongban"])
    project = svc.transition(project, S.DECLARED, users["longde_chengguan"], comment="已修改")
    assert project.status == S.DECLARED and project.returned_from == status


def test_no_return_after_the_library(funds_world):
    project = make_project(funds_world.village, status=S.IN_LIBRARY)
    with pytest.raises(ValidationError, match="不能转为"):
        svc.transition(project, S.RETURNED, funds_world.users["admin"], comment="晚了")


def test_planning_needs_targets_and_funding(funds_world):
    nongban = funds_world.users["longde_nongban"]
    bare = make_project(funds_world.village, status=S.IN_LIBRARY, targets=0)
    with pytest.raises(ValidationError, match="绩效目标"):
        svc.transition(bare, S.PLANNED, nongban)
    unfunded = make_project(funds_world.village, status=S.IN_LIBRARY, code="P-002")
    with pytest.raises(ValidationError, match="安排资金"):
        svc.transition(unfunded, S.PLANNED, nongban)
    assert not ProjectTransition.objects.exists()


def test_a_stale_version_is_refused(funds_world):
    project = make_project(funds_world.village)
    with pytest.raises(ValidationError, match="刷新"):
        svc.transition(project, S.TOWNSHIP_REVIEWED, funds_world.users["longde_chengguan"],
                       expected_version=project.version + 1)


@pytest.mark.parametrize("status", [S.DECLARED, S.TOWNSHIP_REVIEWED, S.COUNTY_APPROVED,
                                    S.RETURNED])
def test_funding_before_the_library_is_refused(funds_world, status):
    project = make_project(funds_world.village, status=status)
    with pytest.raises(ValidationError, match="入库后才能安排资金"):
        svc.arrange_funding(project=project, source="central", amount="1000",
                            actor=funds_world.users["longde_nongban"])
    assert not project.fundings.exists() and _audits(project) == 0


def test_funding_needs_targets_a_county_supervisor_and_a_positive_amount(funds_world):
    users = funds_world.users
    bare = make_project(funds_world.village, status=S.IN_LIBRARY, targets=0)
    with pytest.raises(ValidationError, match="没有绩效目标"):
        svc.arrange_funding(project=bare, source="central", amount="1000",
                            actor=users["longde_nongban"])
    project = make_project(funds_world.village, status=S.IN_LIBRARY, code="P-002")
    for who in ("xinbin_duban", "longde_fupin", "longde_leader"):
        with pytest.raises(ValidationError, match="只有县级审核人"):
            svc.arrange_funding(project=project, source="central", amount="1000",
                                actor=users[who])
    for amount in ("-5", "0", "abc"):
        with pytest.raises(ValidationError):
            svc.arrange_funding(project=project, source="central", amount=amount,
                                actor=users["longde_nongban"])
    assert not project.fundings.exists()
    svc.arrange_funding(project=project, source="central", amount="1000",
                        actor=users["longde_nongban"])
    svc.arrange_funding(project=project, source="central", amount="500.5",
                        actor=users["longde_nongban"])
    assert project.fundings.get().amount == Decimal("1500.50") and _audits(project) == 2


def test_spending_within_funding_by_source_and_month(funds_world):
    users = funds_world.users
    project = make_project(funds_world.village, status=S.IMPLEMENTING, funding=Decimal("1000"))
    may = datetime.date(2022, 5, 17)
    svc.record_spending(project=project, source="central", month=may, amount="600",
                        actor=users["longde_chengguan"])
    svc.record_spending(project=project, source="central", month=may, amount="300",
                        actor=users["longde_nongban"])
    row = Spending.objects.get(project=project)
    assert (row.month, row.amount) == (datetime.date(2022, 5, 1), Decimal("900.00"))
    with pytest.raises(ValidationError) as refused:
        svc.record_spending(project=project, source="central", month=may, amount="100.01",
                            actor=users["longde_nongban"])
    message = refused.value.messages[0]
    assert "1000" in message and "900.00" in message and "1000.01" in message
    with pytest.raises(ValidationError, match="支出超过资金安排"):  # no funding from this source
        svc.record_spending(project=project, source="county", month=may, amount="1",
                            actor=users["longde_nongban"])
    with pytest.raises(ValidationError, match="须大于零"):
        svc.record_spending(project=project, source="central", month=may, amount="-1",
                            actor=users["longde_nongban"])
    with pytest.raises(ValidationError, match="您无权"):
        svc.record_spending(project=project, source="central", month=may, amount="1",
                            actor=users["xinbin_duban"])
    assert Spending.objects.get(project=project).amount == Decimal("900.00")
    assert _audits(project) == 2


def test_spending_before_the_plan_is_refused(funds_world):
    project = make_project(funds_world.village, status=S.IN_LIBRARY, funding=Decimal("1000"))
    with pytest.raises(ValidationError, match="纳入年度计划后"):
        svc.record_spending(project=project, source="central", month=datetime.date(2022, 5, 1),
                            amount="1", actor=funds_world.users["longde_nongban"])


def test_rollover_copies_unfunded_library_projects_once(funds_world):
    carried = make_project(funds_world.village, status=S.IN_LIBRARY, code="2022-BG-001", targets=2)
    make_project(funds_world.village, status=S.IN_LIBRARY, code="2022-BG-002",
                 funding=Decimal("10"))
    make_project(funds_world.village, status=S.DECLARED, code="2022-BG-003")
    make_project(funds_world.village, status=S.IN_LIBRARY, code="2021-BG-004", year=2021)
    created = svc.roll_over(2022)
    assert [p.code for p in created] == ["2023-BG-001"]
    new = created[0]
    assert (new.year, new.status, new.rolled_over_from) == (2023, S.IN_LIBRARY, carried)
    assert new.targets.count() == 2 and _audits(new) == 1
    assert new.transitions.get().comment.startswith("由2022年项目")
    assert svc.roll_over(2022) == []
    assert Project.objects.filter(year=2023).count() == 1
