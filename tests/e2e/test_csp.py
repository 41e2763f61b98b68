"""The main pages under the Content-Security-Policy, in a real Chromium: nothing refused.

The ``page`` fixture fails any test whose pages made the browser log a CSP violation; this walk
visits the pages each kind of user works on (task list, task page, report form, review queue,
dashboards, document upload, the admin, the API docs) and checks that their scripts ran (file
names shown, charts drawn, Swagger UI built), which they would not if the policy refused them.
"""

from django.utils import timezone
from playwright.sync_api import expect

from monitoring.jobs import aggregate_progress, sweep_overdue
from obligations.services.seed import create_demo_accounts, load_seed
from tests.e2e.test_dashboards import assert_charts_drawn
from tests.e2e.test_report_review_flow import log_in, log_out
from tests.obligations.conftest import during_the_transition

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_recorder_sees_a_refused_inline_style(page, live_server):
    page.goto(f"{live_server.url}/login/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    expect(page.locator("body")).not_to_have_css("color", "rgb(255, 0, 0)")
    page.wait_for_timeout(200)
    assert any("style-src" in text for text in page.csp_violations)
    page.csp_violations.clear()  # seen; the fixture's own check is for the pages themselves


def test_main_pages_run_under_the_policy_without_a_violation(page, live_server):
    load_seed()
    during_the_transition()  # the seed's day (tests/obligations/conftest.py)
    create_demo_accounts()
    today = timezone.localdate()
    sweep_overdue(today=today)
    aggregate_progress(today=today)
    base = live_server.url

    # An official: task list, a task, the report form (its file-name script).
    log_in(page, base, "longde_fupin")
    expect(page.get_by_role("heading", name="我的任务")).to_be_visible()
    page.get_by_role("link", name="加强帮扶项目资产管理监督").first.click()
    page.get_by_role("link", name="填报进展").click()
    expect(page.locator("#chosen-files")).to_have_text("未选择文件")
    page.get_by_label("上传佐证材料").set_input_files(files=[
        {"name": "台账.pdf", "mimeType": "application/pdf", "buffer": PDF},
        {"name": "照片.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    expect(page.locator("#chosen-files")).to_have_text("台账.pdf、照片.pdf")
    page.get_by_label("上传佐证材料").set_input_files(files=[])
    expect(page.locator("#chosen-files")).to_have_text("未选择文件")
    log_out(page)

    # A supervisor: the review queue; a leader's dashboards, charts drawn and a tooltip shown.
    log_in(page, base, "longde_nongban")
    page.get_by_role("link", name="审核队列").click()
    expect(page.get_by_role("heading", name="审核队列")).to_be_visible()
    page.get_by_role("link", name="领导看板").click()
    assert_charts_drawn(page, ["各亮灯任务数"])
    page.locator(".dashboard-chart canvas").first.hover()
    page.wait_for_timeout(300)
    page.get_by_role("link", name="考核", exact=True).click()
    page.wait_for_load_state("load")
    log_out(page)

    # The administrator: document upload, the admin (list and change form), the API docs.
    log_in(page, base, "admin")
    page.get_by_role("link", name="导入政策文件").click()
    expect(page.get_by_role("button", name="上传并解析")).to_be_visible()
    page.get_by_role("link", name="导入责任清单").click()
    page.set_input_files("#id_file", files=[{"name": "清单.xlsx", "buffer": b"x",
                                              "mimeType": "application/octet-stream"}])
    expect(page.locator("#chosen-file")).to_have_text("清单.xlsx")
    page.goto(f"{base}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    page.goto(f"{base}/admin/obligations/task/")
    page.locator("#result_list tbody a").first.click()
    expect(page.locator("form#task_form")).to_be_visible()
    page.goto(f"{base}/api/docs/")
    # Built by Swagger UI's scripts from the schema: the operations are listed.
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
    assert page.external_requests == []
