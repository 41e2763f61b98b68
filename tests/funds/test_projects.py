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
        if to == S.EVALUATED:  # 绩效评价: 完成值 first, then a score (test below)
            svc.record_achieved(project=project, actor=users["longde_fupin"],
                                values={t.pk: "20座" for t in project.targets.all()})
            project = svc.evaluate(project=project, actor=users[who], score="92", note="同意")
        else:
            project = svc.transition(project, to, users[who], comment="同意")
        assert project.status == to
        last = project.transitions.last()
        assert (last.to_status, last.actor) == (to, users[who]) and "同意" in last.comment
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


# Pages --------------------------------------------------------------------------------------

def _login(client, user):
    client.force_login(user)
    return client


def test_the_library_lists_filters_counts_and_scopes(client, funds_world, django_assert_max_num_queries):
    users = funds_world.users
    make_project(funds_world.village, code="2022-BG-001", name="北关村大棚")
    make_project(funds_world.chengguan, code="2022-CG-002", name="城关镇冷库",
                 status=S.IN_LIBRARY)
    make_project(funds_world.xinbin, code="2022-XB-001", name="新宾专有项目")
    page = _login(client, users["longde_nongban"]).get("/funds/projects/").content.decode()
    assert "北关村大棚" in page and "城关镇冷库" in page and "新宾专有项目" not in page
    assert 'data-status="declared">申报 1' in page and 'data-status="in_library">入库 1' in page
    page = client.get("/funds/projects/?status=in_library").content.decode()
    assert "城关镇冷库" in page and "北关村大棚" not in page
    page = client.get("/funds/projects/?q=BG-001&sort=name").content.decode()
    assert "北关村大棚" in page and "城关镇冷库" not in page
    page = client.get("/funds/projects/?region=640423100201&year=2022").content.decode()
    assert "北关村大棚" in page and "城关镇冷库" not in page
    assert client.get("/funds/projects/?year=abc&sort=evil").status_code == 200
    page = _login(client, users["xinbin"]).get("/funds/projects/").content.decode()
    assert "新宾专有项目" in page and "北关村大棚" not in page
    # bounded queries: more rows, same number of queries
    _login(client, users["longde_nongban"])
    with django_assert_max_num_queries(20) as first:
        client.get("/funds/projects/")
    for i in range(15):
        make_project(funds_world.village, code=f"2022-MORE-{i}", funding=Decimal("5"))
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/funds/projects/")


def test_the_nav_links_the_library_for_people_with_a_place(client, funds_world):
    page = _login(client, funds_world.users["longde_chengguan"]).get("/funds/projects/")
    assert 'href="/funds/projects/">衔接资金' in page.content.decode()


@pytest.mark.parametrize(("persona", "buttons"), [
    ("longde_chengguan", {"township_reviewed", "returned"}),
    ("longde_nongban", set()), ("longde_leader", set()), ("longde_fupin", set())])
def test_the_detail_page_offers_the_steps_the_user_may_take(client, funds_world, persona,
                                                            buttons, django_assert_max_num_queries):
    project = make_project(funds_world.village)
    svc.transition(project, S.TOWNSHIP_REVIEWED, funds_world.users["longde_chengguan"])
    svc.transition(project, S.RETURNED, funds_world.users["longde_nongban"], comment="补充材料")
    svc.transition(project, S.DECLARED, funds_world.users["longde_chengguan"])
    _login(client, funds_world.users[persona])
    with django_assert_max_num_queries(20):
        page = client.get(f"/funds/projects/{project.pk}/").content.decode()
    import re
    assert set(re.findall(r'data-step="(\w+)"', page)) == buttons
    assert "补充材料" in page and "新建大棚数量0" in page
    if buttons:
        assert 'data-confirm="确认将项目转为“乡镇审核”？"' in page and 'name="comment"' in page


def test_a_sibling_county_gets_404_and_cannot_move_the_project(client, funds_world):
    project = make_project(funds_world.village)
    client = _login(client, funds_world.users["xinbin_duban"])
    assert client.get(f"/funds/projects/{project.pk}/").status_code == 404
    assert client.get(f"/funds/projects/{project.pk}/notice/").status_code == 404
    response = client.post(f"/funds/projects/{project.pk}/transition/",
                           {"to": "township_reviewed"})
    assert response.status_code == 404
    project.refresh_from_db()
    assert project.status == S.DECLARED


def test_the_transition_page_moves_refuses_and_explains(client, funds_world):
    project = make_project(funds_world.village)
    client = _login(client, funds_world.users["longde_fupin"])
    assert client.post(f"/funds/projects/{project.pk}/transition/",
                       {"to": "township_reviewed"}).status_code == 403
    client = _login(client, funds_world.users["longde_chengguan"])
    response = client.post(f"/funds/projects/{project.pk}/transition/",
                           {"to": "returned", "comment": ""}, follow=True)
    assert "退回须填写退回理由" in response.content.decode()
    project.refresh_from_db()
    assert project.status == S.DECLARED
    response = client.post(f"/funds/projects/{project.pk}/transition/",
                           {"to": "township_reviewed", "version": project.version})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.TOWNSHIP_REVIEWED


def test_declaring_through_the_form(client, funds_world):
    client = _login(client, funds_world.users["longde_chengguan"])
    assert client.get("/funds/projects/new/").status_code == 200
    data = {"name": "北关村饮水工程", "year": "2022", "region": funds_world.village.pk,
            "category": "infrastructure", "households": "30", "households_poverty_exit": "5",
            "households_monitored": "1",
            "targets-TOTAL_FORMS": "3", "targets-INITIAL_FORMS": "0",
            "targets-0-kind": "output", "targets-0-indicator": "新建水池",
            "targets-0-target_value": "2座", "targets-1-kind": "",
            "targets-1-indicator": "", "targets-1-target_value": ""}
    bad = client.post("/funds/projects/new/", {**data, "targets-1-indicator": "只有指标"})
    assert bad.status_code == 200 and "绩效目标须填写类别、指标和目标值" in bad.content.decode()
    assert client.post("/funds/projects/new/", {**data, "region": funds_world.xinbin.pk}
                       ).status_code == 200
    assert not Project.objects.exists()
    response = client.post("/funds/projects/new/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    project = Project.objects.get()
    assert response.status_code == 302 and project.targets.count() == 1
    assert _login(client, funds_world.users["longde_leader"]).get(
        "/funds/projects/new/").status_code == 403


def test_funding_and_spending_through_the_page(client, funds_world):
    project = make_project(funds_world.village, status=S.IN_LIBRARY)
    client = _login(client, funds_world.users["longde_nongban"])
    client.post(f"/funds/projects/{project.pk}/funding/", {"source": "central", "amount": "800"})
    assert project.fundings.get().amount == Decimal("800")
    svc.transition(project, S.PLANNED, funds_world.users["longde_nongban"])
    response = client.post(f"/funds/projects/{project.pk}/spending/",
                           {"source": "central", "month": "2022-06", "amount": "900"}, follow=True)
    assert "支出超过资金安排" in response.content.decode()
    response = client.post(f"/funds/projects/{project.pk}/spending/",
                           {"source": "central", "month": "2022/06", "amount": "9"}, follow=True)
    assert "月份" in response.content.decode() and not Spending.objects.exists()
    client.post(f"/funds/projects/{project.pk}/spending/",
                {"source": "central", "month": "2022-06", "amount": "300"})
    page = client.get(f"/funds/projects/{project.pk}/").content.decode()
    assert "2022年6月" in page and "500.00" in page  # spent by month, what is left
    assert _login(client, funds_world.users["xinbin_duban"]).post(
        f"/funds/projects/{project.pk}/spending/",
        {"source": "central", "month": "2022-06", "amount": "1"}).status_code == 404
    assert Spending.objects.get().amount == Decimal("300")


def test_the_notice_carries_what_a_notice_carries_and_nothing_personal(client, funds_world):
    users = funds_world.users
    project = make_project(funds_world.village, status=S.COUNTY_APPROVED, funding=None)
    svc.transition(project, S.IN_LIBRARY, users["longde_nongban"], comment="审定意见内部文字")
    svc.arrange_funding(project=project, source="central", amount="120000",
                        actor=users["longde_nongban"])
    page = _login(client, users["longde_leader"]).get(
        f"/funds/projects/{project.pk}/notice/").content.decode()
    for text in ("北关村蔬菜大棚项目", "中央财政衔接推进乡村振兴补助资金", "120,000.00 元", "北关村",
                 "新建温室大棚20座", "新建大棚数量0", "王建国", "0954-6011234", "受益 40 户",
                 "funds/notice.css"):
        assert text in page, text
    for text in ("审定意见内部文字", users["longde_nongban"].first_name, "longde_nongban",
                 users["longde_leader"].first_name, "<nav"):
        assert text not in page, text


# 绩效完成值 and 绩效评价 ------------------------------------------------------------------

def test_evaluation_needs_every_achieved_value_and_a_score(funds_world):
    users = funds_world.users
    project = make_project(funds_world.village, status=S.HANDED_OVER, targets=2)
    first, second = project.targets.all()
    nongban = users["longde_nongban"]
    with pytest.raises(ValidationError, match="评价须填写评价得分"):  # not by a bare move
        svc.transition(project, S.EVALUATED, nongban)
    svc.record_achieved(project=project, actor=users["longde_fupin"], values={first.pk: "18座"})
    before = _fingerprint(project)
    with pytest.raises(ValidationError, match="尚无完成值：新建大棚数量1"):
        svc.evaluate(project=project, actor=nongban, score="90")
    for bad in ("", "abc", "101", "-1", "NaN"):
        with pytest.raises(ValidationError, match="0—100"):
            svc.evaluate(project=project, actor=nongban, score=bad)
    with pytest.raises(ValidationError, match="县级审核人"):
        svc.evaluate(project=project, actor=users["longde_fupin"], score="90")
    assert _fingerprint(project) == before
    project.refresh_from_db()
    assert project.evaluation_score is None
    svc.record_achieved(project=project, actor=users["longde_fupin"], values={second.pk: "20座"})
    project = svc.evaluate(project=project, actor=nongban, score="85.5", note="效益良好")
    project.refresh_from_db()
    assert (project.status, project.evaluation_score, project.evaluation_grade) == (
        S.EVALUATED, Decimal("85.50"), "良")
    assert project.transitions.last().comment == "评价得分 85.50（良）：效益良好"
    # after the evaluation the 完成值 are closed
    with pytest.raises(ValidationError, match="才能填报完成值"):
        svc.record_achieved(project=project, actor=nongban, values={first.pk: "19座"})


def test_achieved_values_only_for_the_projects_own_targets_and_people(funds_world):
    users = funds_world.users
    project = make_project(funds_world.village, status=S.IMPLEMENTING)
    other = make_project(funds_world.village, code="P-002", status=S.IMPLEMENTING)
    foreign = other.targets.get()
    with pytest.raises(ValidationError, match="不属于该项目"):
        svc.record_achieved(project=project, actor=users["longde_fupin"],
                            values={foreign.pk: "1"})
    with pytest.raises(ValidationError, match="您无权"):
        svc.record_achieved(project=project, actor=users["xinbin"],
                            values={project.targets.get().pk: "1"})
    with pytest.raises(ValidationError, match="100个字"):
        svc.record_achieved(project=project, actor=users["longde_fupin"],
                            values={project.targets.get().pk: "字" * 101})
    assert foreign.achieved_value == "" and project.targets.get().achieved_value == ""


def test_the_evaluation_in_the_browser_forms(client, funds_world):
    users = funds_world.users
    project = make_project(funds_world.village, status=S.HANDED_OVER)
    target = project.targets.get()
    client.force_login(users["longde_fupin"])
    page = client.get(f"/funds/projects/{project.pk}/").content.decode()
    assert f'name="achieved-{target.pk}"' in page and 'name="score"' not in page
    client.post(f"/funds/projects/{project.pk}/achieved/", {f"achieved-{target.pk}": "20座"})
    assert client.post(f"/funds/projects/{project.pk}/evaluate/",
                       {"score": "90"}).status_code == 403
    client.force_login(users["longde_nongban"])
    page = client.get(f"/funds/projects/{project.pk}/").content.decode()
    assert 'name="score"' in page and 'data-step="evaluated"' in page
    response = client.post(f"/funds/projects/{project.pk}/evaluate/", {"score": "高"},
                           follow=True)
    assert "评价得分须为 0—100 之间的数" in response.content.decode()
    response = client.post(f"/funds/projects/{project.pk}/evaluate/",
                           {"score": "95", "note": "全部完成", "version": project.version},
                           follow=True)
    assert "绩效评价：95.00 分（优）" in response.content.decode()


def test_rollover_page_carries_over_only_the_supervisors_places(client, funds_world):
    users = funds_world.users
    make_project(funds_world.village, status=S.IN_LIBRARY, code="2022-BG-001", name="北关村冷库")
    make_project(funds_world.xinbin, status=S.IN_LIBRARY, code="2022-XB-001", name="新宾专有冷库")
    client.force_login(users["longde_nongban"])
    page = client.get("/funds/projects/rollover/?year=2022").content.decode()
    assert "北关村冷库" in page and "新宾专有冷库" not in page and 'data-candidates="1"' in page
    assert client.get("/funds/projects/rollover/?year=abc").status_code == 400
    response = client.post("/funds/projects/rollover/", {"year": "2022"}, follow=True)
    assert "已将 1 个项目结转到2023年项目库" in response.content.decode()
    assert list(Project.objects.filter(year=2023).values_list("code", flat=True)) == ["2023-BG-001"]
    client.post("/funds/projects/rollover/", {"year": "2022"})  # again: nothing more
    assert Project.objects.filter(year=2023).count() == 1
    client.force_login(users["longde_fupin"])  # an official does not roll over
    assert client.get("/funds/projects/rollover/").status_code == 403
