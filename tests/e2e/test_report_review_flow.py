"""An official reports with evidence, the supervisor returns it, the official resubmits, the
supervisor approves: in a real headless Chromium, with a screenshot of each step."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accounts.selectors import mfa_required
from obligations.models import Milestone, ProgressReport
from obligations.services.seed import create_demo_accounts, load_seed
from tests.accounts.helpers import fresh_code, totp_device
from tests.e2e import screenshot
from tests.obligations.conftest import during_the_transition

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TASK_TITLE = "加强帮扶项目资产管理监督"


def log_in(page, base, username):
    """Password, and for supervisors, leaders and administrators the authenticator's code."""
    user = get_user_model().objects.get(username=username)
    device = totp_device(user) if mfa_required(user) else None
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("demo-2021")
    page.get_by_role("button", name="登录").click()
    if device is not None:
        expect(page.get_by_role("heading", name="二次验证")).to_be_visible()
        page.get_by_label("验证码").fill(fresh_code(device))
        page.get_by_role("button", name="验证").click()


def log_out(page):
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def test_report_return_resubmit_approve(page, live_server):
    load_seed()
    during_the_transition()  # the seed's day (tests/obligations/conftest.py)
    create_demo_accounts()
    base = live_server.url

    log_in(page, base, "longde_fupin")
    expect(page.get_by_role("heading", name="我的任务")).to_be_visible()
    page.get_by_label("搜索").fill("资产管理")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=TASK_TITLE).first.click()
    expect(page.get_by_text("2021年6月30日完成")).to_be_visible()
    screenshot(page, "01_official_task")

    page.get_by_role("link", name="填报进展").click()
    page.get_by_label("进展状态").select_option(label="已完成")
    page.get_by_label("完成百分比").fill("100")
    page.get_by_label("进展情况").fill("已建立扶贫项目资产管理台账，完成确权登记。")
    page.get_by_label("上传佐证材料").set_input_files(
        files=[{"name": "资产台账.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    screenshot(page, "02_official_report_form")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已提交，等待审核。")).to_be_visible()
    expect(page.get_by_role("link", name="📎 资产台账.pdf")).to_be_visible()
    screenshot(page, "03_official_submitted")
    log_out(page)

    log_in(page, base, "longde_nongban")
    page.get_by_role("link", name="审核队列").click()
    expect(page.get_by_text("已建立扶贫项目资产管理台账")).to_be_visible()
    page.get_by_placeholder("退回意见（必填）").fill("请补充资产确权登记表。")
    screenshot(page, "04_supervisor_queue")
    page.get_by_role("button", name="退回").click()
    expect(page.get_by_text("已退回，填报人会收到通知。")).to_be_visible()
    screenshot(page, "05_supervisor_returned")
    log_out(page)

    log_in(page, base, "longde_fupin")
    expect(page.get_by_label("未读通知")).to_have_text("1")
    page.get_by_role("link", name=re.compile("^通知")).click()
    expect(page.get_by_text("请补充资产确权登记表。")).to_be_visible()
    screenshot(page, "06_official_notification")
    page.get_by_role("link", name=re.compile("报告被退回")).click()
    page.get_by_role("link", name="填报进展").click()
    # Prefilled from the returned report; the file already uploaded is offered again.
    expect(page.get_by_label("进展情况")).to_have_value("已建立扶贫项目资产管理台账，完成确权登记。")
    page.get_by_label("进展情况").fill("已补充资产确权登记表，台账同步更新。")
    page.get_by_label("资产台账.pdf").check()
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已提交，等待审核。")).to_be_visible()
    screenshot(page, "07_official_resubmitted")
    log_out(page)

    log_in(page, base, "longde_nongban")
    page.get_by_role("link", name="审核队列").click()
    expect(page.get_by_text("已补充资产确权登记表")).to_be_visible()
    page.get_by_role("button", name="通过", exact=True).click()
    expect(page.get_by_text("已通过。")).to_be_visible()
    expect(page.get_by_text("没有待审核的报告。")).to_be_visible()
    screenshot(page, "08_supervisor_approved")

    reports = list(ProgressReport.objects.order_by("id"))
    assert [r.review for r in reports] == ["returned", "approved"]
    assert reports[1].evidence.get().original_name == "资产台账.pdf"
    milestone = reports[1].task.milestones.get()
    assert milestone.status == Milestone.Status.CLOSED
    assert page.external_requests == []
