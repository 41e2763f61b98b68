"""Periods (issue 23): a 2026 measure's duties run into the open-ended 常态化帮扶 period; the
ended 过渡期's tasks leave today's lights, lists and queue; close-out dispositions and their
refusals, scoped like everything else."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from obligations import deadlines, periods
from obligations.importers import parse_text
from obligations.importers.formats import read_document
from obligations.models import AuditEntry, Disposition, Period, PolicyDocument, Task
from obligations.services.documents import save_parsed_document
from obligations.services.periods import dispose_tasks, refresh_live
from obligations.services.sweep import refresh_lights
from tests.obligations.conftest import SOURCES, after_the_transition

D = datetime.date
TODAY = D(2026, 12, 6)
DEMO_2026 = SOURCES.parent / "demo2026"


def user(name):
    return get_user_model().objects.get(username=name)


def test_a_quarterly_duty_of_2026_gets_quarters_through_2026_and_beyond():
    spec = deadlines.parse_deadline("每季度报送", period=deadlines.Period(D(2026, 1, 1), D(2027, 12, 31)))
    span = deadlines.Period(D(2026, 1, 1), periods.horizon(None, TODAY))
    dates = [d for d, _ in deadlines.milestone_dates(spec, period=span, issued_on=D(2026, 3, 18))]
    assert dates == [D(2026, 3, 31), D(2026, 6, 30), D(2026, 9, 30), D(2026, 12, 31),
                     D(2027, 3, 31), D(2027, 6, 30), D(2027, 9, 30), D(2027, 12, 31)]
    # The transition's own measures still stop at its end.
    old = deadlines.Period(D(2021, 1, 1), D(2025, 12, 31))
    assert max(deadlines.milestone_dates(spec, period=old, issued_on=D(2021, 6, 2)))[0] == D(2025, 12, 31)


def _import(name: str) -> PolicyDocument:
    data = (DEMO_2026 / name).read_bytes()
    text = read_document(data, source_name=name, max_bytes=len(data) + 1)
    return save_parsed_document(parsed=parse_text(text, source_name=name), source_text=text,
                                actor=None)


@pytest.fixture
def closed(seeded):
    """The seed (2021 documents) plus 隆德's 2026 分工方案, on 2026-12-06 after the night's sweep."""
    after_the_transition(TODAY)
    document = _import("longde_2026_fengong.txt")
    refresh_live(today=TODAY)
    refresh_lights(today=TODAY, soon_days=7, escalate_after_days=15,
                   now=datetime.datetime(2026, 12, 6, 5, tzinfo=datetime.UTC))
    return document


def test_the_2026_document_is_in_the_current_period_and_its_recurring_duties_have_milestones(closed):
    assert closed.period.kind == Period.Kind.NORMALIZED and closed.period.end is None
    quarterly = Task.objects.filter(obligation__document=closed,
                                    obligation__deadline__frequency="quarterly").first()
    assert quarterly is not None
    dates = set(quarterly.milestones.values_list("due_on", flat=True))
    assert {D(2026, 6, 30), D(2026, 12, 31), D(2027, 12, 31)} <= dates
    ongoing = Task.objects.filter(obligation__document=closed, obligation__deadline__kind="ongoing")
    assert ongoing.exists() and all(t.milestones.exists() for t in ongoing)


def test_ended_tasks_leave_todays_lights_list_and_queue(closed, client):
    old = Task.objects.filter(obligation__document__doc_number="隆党发〔2021〕2号")
    assert not old.filter(live=True).exists()
    assert set(old.values_list("light", flat=True)) == {"ended"}
    assert not old.filter(milestones__light="red").exists()
    assert Task.objects.filter(obligation__document=closed, live=True).exists()

    client.force_login(user("longde_fupin"))
    page = client.get(reverse("obligations:tasks")).content.decode()
    assert "已逾期 1" not in page and "2021年" not in page
    archive = client.get(reverse("obligations:tasks") + "?period=archive").content.decode()
    assert "隆党发〔2021〕2号" in archive or "隆德县" in archive
    # No report on an ended task.
    task = old.filter(unit__memberships__user__username="longde_fupin").first()
    page = client.get(reverse("obligations:task", args=[task.pk])).content.decode()
    assert "填报进展" not in page and "已于 2025年12月31日 结束" in page
    assert "期满·已结束时期" in page and "红灯·逾期" not in page and "绿灯·正常" not in page


def test_a_supervisor_disposes_the_county_tasks_and_links_a_successor(closed, client):
    nongban = user("longde_nongban")
    tasks = Task.objects.filter(obligation__document__doc_number="隆党发〔2021〕2号",
                                obligation__code="二.(五)")
    successor = closed.obligations.get(code="二.(一).3")
    count = dispose_tasks(actor=nongban, tasks=tasks, kind="continued", successor=successor,
                          reason="纳入常态化监管")
    assert count == tasks.count() > 0
    assert Disposition.objects.filter(task__in=tasks, kind="continued", successor=successor).count() == count
    assert AuditEntry.objects.filter(action="disposition", task__in=tasks).count() == count

    # The successor's task shows the old history, read-only.
    new_task = Task.objects.filter(obligation=successor).first()
    client.force_login(nongban)
    page = client.get(reverse("obligations:task", args=[new_task.pk])).content.decode()
    assert "承接的过渡期任务" in page and "加强帮扶项目资产管理监督" in page

    # Re-disposing is a correction with a reason.
    with pytest.raises(ValidationError) as refused:
        dispose_tasks(actor=nongban, tasks=tasks, kind="ended", reason="到期")
    assert "更正原因" in str(refused.value)
    dispose_tasks(actor=nongban, tasks=tasks, kind="ended", reason="到期", correction="录入有误")
    assert set(Disposition.objects.filter(task__in=tasks).values_list("kind", "corrections")) == {("ended", 1)}


def test_refused_dispositions_write_nothing(closed):
    nongban = user("longde_nongban")
    old = Task.objects.filter(obligation__document__doc_number="隆党发〔2021〕2号")
    fushun_old = Task.objects.filter(obligation__document__doc_number="抚委农领发〔2021〕3号",
                                     unit__name__contains="新宾")
    rows = Disposition.objects.count()
    with pytest.raises(PermissionDenied):  # a sibling county's supervisor, and a county elsewhere
        dispose_tasks(actor=user("qingyuan_duban"), tasks=fushun_old, kind="done")
    with pytest.raises(PermissionDenied):
        dispose_tasks(actor=nongban, tasks=fushun_old, kind="done")
    with pytest.raises(PermissionDenied):  # an official may not dispose
        dispose_tasks(actor=user("longde_fupin"), tasks=old[:1], kind="done")
    with pytest.raises(ValidationError, match="退出须写明理由"):
        dispose_tasks(actor=nongban, tasks=old[:1], kind="ended")
    with pytest.raises(ValidationError, match="尚未结束"):  # a task of the current period
        dispose_tasks(actor=nongban, tasks=Task.objects.filter(obligation__document=closed)[:1],
                      kind="done")
    with pytest.raises(ValidationError, match="当前时期"):  # a successor in a closed period
        dispose_tasks(actor=nongban, tasks=old[:1], kind="continued",
                      successor=old[1].obligation)
    with pytest.raises(ValidationError, match="不适用于"):  # another region's document
        fushun_2026 = _import("fushun_2026_fengong.txt")
        dispose_tasks(actor=nongban, tasks=old[:1], kind="continued",
                      successor=fushun_2026.obligations.filter(kind="measure").first())
    assert Disposition.objects.count() == rows


def test_the_close_out_page_shows_only_the_supervisors_county(closed, client):
    client.force_login(user("longde_nongban"))
    page = client.get(reverse("obligations:close_out")).content.decode()
    assert "隆德" in page and "新宾" not in page and "清原" not in page
    client.force_login(user("xinbin_duban"))
    page = client.get(reverse("obligations:close_out")).content.decode()
    assert "新宾" in page and "隆德" not in page and "清原满族自治县人民政府" not in page
    client.force_login(user("longde_fupin"))
    assert client.get(reverse("obligations:close_out")).status_code == 403
    client.force_login(user("longde_leader"))
    assert client.get(reverse("obligations:close_out")).status_code == 403


def test_bulk_disposition_from_the_page_asks_for_a_confirmation_first(closed, client):
    client.force_login(user("longde_nongban"))
    old = Task.objects.filter(obligation__document__doc_number="隆党发〔2021〕2号",
                              obligation__code="四.(四)")
    ids = [str(pk) for pk in old.values_list("pk", flat=True)]
    data = {"tasks": ids, "kind": "done", "reason": "2025年12月完成"}
    page = client.post(reverse("obligations:close_out"), data).content.decode()
    assert "确认收尾处置" in page and not Disposition.objects.filter(task__in=old).exists()
    response = client.post(reverse("obligations:close_out"), {**data, "confirmed": "1"})
    assert response.status_code == 302
    assert Disposition.objects.filter(task__in=old, kind="done").count() == len(ids)


def test_the_close_out_list_runs_the_same_queries_for_a_few_rows_or_many(closed, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user("longde_nongban"))
    counts = []
    for query in ("?state=&part=二.(五)", "?state="):  # 22 tasks, then hundreds (a page of 50)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("obligations:close_out") + query)
        assert page.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
