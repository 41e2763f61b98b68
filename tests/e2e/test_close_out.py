"""Issue 23 in a real headless Chromium: the demo as it is on the day the test runs (a live
period, not a wall of red), and a county's supervisor closing out the transition period —
bulk disposition with a confirmation, a successor linked, the old history on the new task."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from monitoring.demo import build_demo_history
from obligations.models import Disposition, Obligation, ProgressReport, Task
from obligations.services.seed import create_demo_accounts, load_seed
from tests.e2e import screenshot
from tests.e2e.test_report_review_flow import log_in, log_out


def test_the_demo_today_and_a_county_closes_out_its_transition_period(page, live_server):
    load_seed()
    create_demo_accounts()
    today = timezone.localdate()
    build_demo_history(today=today)
    base = live_server.url

    # The leader's overview today: the red share of a live period, not every task red.
    log_in(page, base, "longde_leader")
    expect(page.get_by_role("heading", name=re.compile("工作进展"))).to_be_visible()
    red = int(page.locator("[data-figure=red]").first.inner_text())
    total = Task.objects.filter(live=True, unit__region__path__contains="/640423/").count()
    assert total and red < total / 4
    screenshot(page, "issue23-01-leader-overview-today")
    page.goto(f"{base}/tasks/")
    assert not re.search(r"已逾期 \d{3,} 天", page.content())
    log_out(page)

    # The supervisor's queue holds the last weeks' reports; nothing of 2021.
    log_in(page, base, "longde_nongban")
    page.goto(f"{base}/review/")
    waiting = ProgressReport.objects.filter(review="submitted", task__live=True,
                                            task__unit__region__path__contains="/640423/")
    assert waiting.exists()
    assert all((today - r.submitted_at.date()).days < 40 for r in waiting)
    expect(page.get_by_text(re.compile(r"\d+ 份报告待审核"))).to_be_visible()
    assert "2021年" not in page.locator("table").inner_text()
    screenshot(page, "issue23-02-review-queue-recent")

    # Reopen one part's dispositions as if undecided, then close it out from the page.
    old = Task.objects.filter(obligation__document__doc_number="隆党发〔2021〕2号",
                              obligation__code="二.(五)")
    Disposition.objects.filter(task__in=old).delete()
    Task.objects.filter(pk__in=list(old.values_list("pk", flat=True))[:3]).update(
        status="in_progress")
    undone = old.exclude(status="done")  # done ones need no disposition: not listed
    successor = Obligation.objects.get(document__doc_number="隆党办发〔2026〕12号", code="二.(一).3")
    page.goto(f"{base}/close-out/?part=二.(五)")
    expect(page.get_by_role("heading", name="过渡期收尾处置")).to_be_visible()
    page.get_by_label("全选本页").check()
    page.get_by_label("处置方式").select_option(label="延续")
    page.get_by_label("新时期对应措施").select_option(value=str(successor.pk))
    expect(page.get_by_label("新时期对应措施").locator("option:checked")).to_contain_text(
        "隆党办发〔2026〕12号 二.(一).3")
    page.get_by_label("说明").fill("资产分类明确为国有或集体，纳入常态化监管")
    screenshot(page, "issue23-03-close-out-selected")
    page.get_by_role("button", name="处置所选任务…").click()
    expect(page.get_by_role("heading", name="确认收尾处置")).to_be_visible()
    assert not Disposition.objects.filter(task__in=old).exists()  # nothing before confirming
    screenshot(page, "issue23-04-close-out-confirm")
    page.get_by_role("button", name="确认处置").click()
    expect(page.get_by_text(re.compile(r"已处置 \d+ 个任务：延续"))).to_be_visible()
    assert Disposition.objects.filter(task__in=old, kind="continued",
                                      successor=successor).count() == undone.count() >= 3

    # The new task shows the old one's history, read-only; the old one says what became of it.
    new_task = Task.objects.filter(obligation=successor).first()
    page.goto(f"{base}/tasks/{new_task.pk}/")
    history = page.locator("[data-predecessors]")
    expect(history).to_contain_text("承接的过渡期任务")
    expect(history).to_contain_text("加强帮扶项目资产管理监督")
    screenshot(page, "issue23-05-successor-with-history")
    page.goto(f"{base}/tasks/{undone.first().pk}/")
    expect(page.locator("[data-ended]")).to_contain_text("延续")
    expect(page.get_by_role("link", name="填报进展")).to_have_count(0)

    # At phone width the close-out list stays usable.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/close-out/?state=disposed")
    expect(page.get_by_role("heading", name="过渡期收尾处置")).to_be_visible()
    screenshot(page, "issue23-06-close-out-phone")

    # The five-year summary, with its Word report.
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/dashboard/period/")
    expect(page.get_by_role("heading", name=re.compile("隆德县过渡期考核评估"))).to_be_visible()
    screenshot(page, "issue23-07-five-year-summary")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Word 报告").click()
    assert download.value.suggested_filename.endswith(".docx")
