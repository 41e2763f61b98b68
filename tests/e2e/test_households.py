"""防止返贫监测 in a real headless Chromium (issue 16), with screenshots: a case goes from 线索
to 已消除风险 across the village (longde_beiguan), the township (longde_chengguan) and the
county (longde_nongban); the public notice shows only names and the village; no page shows an
18-digit 身份证号 in full except the one 查看完整 with a reason.

Time passes twice inside the test, as it would between the steps (the 5-day notice, six
months of monitoring): the dates are moved back in the database, nothing else."""

import datetime
import re

from playwright.sync_api import expect

from households.demo import ensure_places_and_accounts
from households.idcard import make
from households.models import Case, Household, MonitoringLine
from obligations.models import AuditEntry, Region
from obligations.services.seed import create_demo_accounts, load_catalog
from tests.e2e import screenshot
from tests.e2e.test_report_review_flow import log_in, log_out

ID18 = re.compile(r"(?<!\d)\d{17}[\dX](?!\d)")


def _world():
    load_catalog()
    create_demo_accounts()
    ensure_places_and_accounts()
    MonitoringLine.objects.create(region=Region.objects.get(code="640423"), base_year=2021,
                                  base_amount=6000, document="隆德县实施意见", clause="附件1")


def _no_full_id(page):
    assert not ID18.search(page.locator("body").inner_text()), page.url


def _step(page, label):
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text(f"已转为“{label}”")
    _no_full_id(page)


def test_a_case_from_clue_to_risk_eliminated(page, live_server, external_requests):
    _world()
    number = make("640423", datetime.date(1978, 4, 12), 35)
    base = live_server.url

    log_in(page, base, "longde_beiguan")  # the village
    page.goto(f"{base}/households/")
    page.get_by_role("link", name="登记农户").click()
    page.get_by_label("所在村").select_option(label="北关村")
    page.get_by_label("户编号").fill("640423100201-0088")
    page.get_by_label("户主姓名").fill("马永福")
    page.get_by_label("户主身份证号").fill(number[:-1] + ("1" if number[-1] != "1" else "2"))
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("alert")).to_contain_text("校验位")  # a wrong number is refused
    page.get_by_label("户主身份证号").fill(number)
    page.get_by_label("联系电话").fill("13995401234")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记农户 640423100201-0088。")).to_be_visible()
    expect(page.locator("[data-masked]")).to_have_text(number[:6] + "********" + number[-4:])
    _no_full_id(page)
    page.get_by_label("统计截止月").fill("2025-12")
    page.get_by_label("12个月家庭纯收入（元）").fill("12000")
    page.get_by_label("家庭人口").fill("3")
    page.get_by_role("button", name="登记收支").click()
    expect(page.get_by_role("alert").filter(has_text="低于监测标准")).to_be_visible()
    screenshot(page, "households_01_household_below_line")
    page.get_by_label("主要风险").select_option(label="因病")
    page.get_by_role("button", name="登记监测线索").click()
    expect(page.get_by_text("已登记监测线索。")).to_be_visible()
    case = Case.objects.get(household__code="640423100201-0088")
    _step(page, "入户核实")
    log_out(page)

    log_in(page, base, "longde_nongban")  # the county compares with the departments
    page.goto(f"{base}/households/cases/{case.pk}/")
    page.get_by_label("民政局比对结果").fill("未享受低保")
    page.get_by_label("医保局比对结果").fill("年内住院自付 2.6 万元")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="部门信息比对", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("部门信息比对")
    screenshot(page, "households_02_compared")
    log_out(page)

    log_in(page, base, "longde_beiguan")
    page.goto(f"{base}/households/cases/{case.pk}/")
    _step(page, "民主评议和公示")
    page.get_by_role("link", name="公示").click()
    notice = page.locator("body")
    expect(notice).to_contain_text("马永福")
    expect(notice).to_contain_text("北关村")
    for private in ("因病", "住院", number[-4:], "1399540"):
        expect(notice).not_to_contain_text(private)
    screenshot(page, "households_03_notice")
    page.goto(f"{base}/households/cases/{case.pk}/")  # the notice is a bare printable page
    log_out(page)

    # the 5-day notice runs out
    Case.objects.filter(pk=case.pk).update(
        notice_from=datetime.date.today() - datetime.timedelta(days=6))
    log_in(page, base, "longde_chengguan")  # the township
    page.goto(f"{base}/households/cases/?mine=1")
    page.get_by_role("link", name=re.compile("640423100201-0088")).click()
    _step(page, "乡镇审核")
    log_out(page)

    log_in(page, base, "longde_nongban")
    page.goto(f"{base}/households/cases/{case.pk}/")
    _step(page, "监测帮扶中")
    page.get_by_label("帮扶类型").select_option(label="医疗保障（分类资助参保）")
    page.get_by_label("帮扶内容").fill("落实大病保险和医疗救助")
    page.get_by_role("button", name="制定措施").click()
    expect(page.get_by_text("已制定帮扶措施。")).to_be_visible()
    page.get_by_label("状态", exact=True).select_option(label="已落实")
    page.get_by_role("button", name="更新").click()
    page.get_by_role("button", name="确认有保障").click()
    expect(page.locator("[data-assurances]")).to_have_attribute("data-assurances", "1")
    screenshot(page, "households_04_monitoring")
    # 查看完整 with a reason: one access row, the full number shown once
    page.goto(f"{base}/households/{case.household_id}/")
    page.get_by_placeholder("事由（必填）").fill("核对医疗救助申请")
    page.get_by_role("button", name="查看", exact=True).click()
    expect(page.locator("[data-revealed]")).to_contain_text(number)
    assert AuditEntry.objects.filter(action="household_unmask").count() == 1
    page.goto(f"{base}/households/{case.household_id}/")
    _no_full_id(page)
    # the household's income rose above the line
    page.get_by_label("统计截止月").fill("2026-11")
    page.get_by_label("12个月家庭纯收入（元）").fill("30000")
    page.get_by_label("家庭人口").fill("3")
    page.get_by_role("button", name="登记收支").click()
    expect(page.get_by_text("已登记家庭收支。")).to_be_visible()
    log_out(page)

    log_in(page, base, "longde_beiguan")
    page.goto(f"{base}/households/cases/{case.pk}/")
    _step(page, "拟消除风险")
    log_out(page)

    log_in(page, base, "longde_nongban")
    page.goto(f"{base}/households/cases/{case.pk}/")
    # monitored for days only: refused, with the unmet condition listed
    expect(page.get_by_role("alert").filter(has_text="尚不符合风险消除条件")).to_contain_text(
        "纳入监测仅 0 个月")
    Case.objects.filter(pk=case.pk).update(
        confirmed_on=datetime.date.today() - datetime.timedelta(days=200))  # six months later
    page.reload()
    _step(page, "已消除风险")
    expect(page.locator("[data-case-status]")).to_have_text("已消除风险")
    screenshot(page, "households_05_eliminated")
    assert Household.objects.get(code="640423100201-0088").cases.get().status == "eliminated"
    assert external_requests == []
