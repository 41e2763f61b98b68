"""衔接资金 in a real headless Chromium (issue 15), with screenshots of each step:

- a township official declares a project and reviews it; the county's supervisor approves it,
  puts it in the library, arranges funding, plans it, records spending, accepts it, registers
  its asset, fills in the 完成值 and evaluates it; the public notice prints what a notice
  carries; the asset ledger lists the asset and takes its income;
- the county's project library goes out as Excel and comes back unchanged (the preview shows
  nothing new and nothing changed);
- the county leader's funds dashboard shows the figures and a rule flag, and drills down to
  the project.
"""

import re
from decimal import Decimal

from playwright.sync_api import expect

from funds.models import Asset, LandQuotaProceeds, Project
from obligations.models import Region
from obligations.services.seed import create_demo_accounts, load_catalog
from tests.e2e import screenshot
from tests.e2e.test_report_review_flow import log_in, log_out
from tests.funds.conftest import make_project


def _world():
    load_catalog()
    create_demo_accounts()


def _step(page, name):
    """Take the workflow step whose button is labelled `name` (confirming its dialog)."""
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=name, exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text(f"项目已转为“{name}”")


def test_a_project_goes_from_declaration_to_evaluation(page, live_server, external_requests):
    _world()
    log_in(page, live_server.url, "longde_chengguan")
    page.goto(f"{live_server.url}/funds/projects/")
    page.get_by_role("link", name="申报项目").click()
    page.get_by_label("项目名称").fill("城关镇食用菌大棚")
    page.get_by_label("实施地点").select_option(label="城关镇")
    page.get_by_label("项目类别").select_option(label="产业发展")
    page.get_by_label("建设内容").fill("新建食用菌大棚12座")
    page.get_by_label("责任人").fill("王建国")
    page.get_by_label("监督电话").fill("0954-6011234")
    page.get_by_label("受益户数").fill("36")
    page.locator('[name="targets-0-kind"]').select_option(label="产出指标")
    page.locator('[name="targets-0-indicator"]').fill("新建大棚数量")
    page.locator('[name="targets-0-target_value"]').fill("12座")
    screenshot(page, "funds_01_declare")
    page.get_by_role("button", name="申报", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("城关镇食用菌大棚"))).to_be_visible()
    project = Project.objects.get(name="城关镇食用菌大棚")
    assert project.status == "declared" and project.targets.count() == 1
    _step(page, "乡镇审核")
    screenshot(page, "funds_02_township_reviewed")
    log_out(page)

    log_in(page, live_server.url, "longde_nongban")
    page.goto(f"{live_server.url}/funds/projects/{project.pk}/")
    _step(page, "县级论证审定")
    _step(page, "入库")
    # a negative amount is refused with a message, nothing written
    page.get_by_label("金额（元）").first.fill("-5")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="安排资金").click()
    expect(page.get_by_text("须大于零")).to_be_visible()
    assert not project.fundings.exists()
    page.get_by_label("金额（元）").first.fill("360000")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="安排资金").click()
    expect(page.get_by_text("已安排资金。")).to_be_visible()
    _step(page, "纳入年度计划")
    _step(page, "实施")
    page.locator("#spending-month").fill("2026-06")
    page.locator("#spending-amount").fill("120000")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="记录支出").click()
    expect(page.get_by_text("已记录支出。")).to_be_visible()
    screenshot(page, "funds_03_funded_and_spending")
    _step(page, "验收")
    _step(page, "资产移交")
    page.get_by_label("资产名称").fill("城关镇食用菌大棚（12座）")
    page.get_by_label("资产类别").select_option(label="经营性资产")
    page.get_by_label("价值（元）").fill("360000")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="登记资产").click()
    # a township's project has no village collective to own it by default: say who owns it
    expect(page.get_by_role("alert")).to_contain_text("请填写资产所有权人")
    expect(page.get_by_label("资产名称")).to_have_value("城关镇食用菌大棚（12座）")  # kept
    page.get_by_label("所有权人").fill("城关镇农村集体经济联合社")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="登记资产").click()
    expect(page.get_by_text(re.compile("已登记资产"))).to_be_visible()
    screenshot(page, "funds_04_asset")
    assert Asset.objects.get(project=project).owner == "城关镇农村集体经济联合社"
    page.goto(f"{live_server.url}/funds/projects/{project.pk}/")
    page.get_by_label(re.compile("新建大棚数量")).fill("12座")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="保存完成值").click()
    expect(page.get_by_text("已保存绩效完成值。")).to_be_visible()
    page.get_by_label("绩效评价得分（0—100）").fill("93")
    page.get_by_label("评价意见").fill("大棚全部建成投产")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="绩效评价", exact=True).click()
    expect(page.locator("[data-evaluation]")).to_contain_text("93.00 分（优）")
    screenshot(page, "funds_05_evaluated")
    project.refresh_from_db()
    assert project.status == "evaluated" and project.transitions.count() == 9

    page.get_by_role("link", name="公示").click()
    notice = page.locator("main")
    for text in ("城关镇食用菌大棚", "360,000.00", "新建食用菌大棚12座", "新建大棚数量", "王建国",
                 "0954-6011234", "36"):
        expect(notice).to_contain_text(text)
    expect(notice).not_to_contain_text("大棚全部建成投产")  # reviewers' opinions stay inside
    screenshot(page, "funds_06_notice")

    # the asset ledger: the asset is listed, its income recorded by use
    page.goto(f"{live_server.url}/funds/assets/")
    page.get_by_role("link", name=re.compile("城关镇食用菌大棚（12座）")).click()
    page.get_by_label("用途").select_option(label="帮扶脱贫户、监测户")
    page.get_by_label("金额（元）").fill("18000")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="记录收益").click()
    expect(page.get_by_text("已记录收益。")).to_be_visible()
    expect(page.locator("main")).to_contain_text("18,000.00")
    screenshot(page, "funds_06b_asset_ledger")
    assert external_requests == []


def test_the_project_library_goes_out_as_excel_and_comes_back_unchanged(page, live_server,
                                                                       tmp_path,
                                                                       external_requests):
    _world()
    chengguan = Region.objects.get(code="640423100")
    for n in range(3):
        make_project(chengguan, code=f"2022-CG-{n:03d}", name=f"城关镇项目{n}",
                     status="in_library", funding=Decimal(100000 + n))
    log_in(page, live_server.url, "longde_nongban")
    page.goto(f"{live_server.url}/funds/import/")
    with page.expect_download() as download:
        page.get_by_role("link", name="项目库").first.click()
    path = tmp_path / "隆德县项目库.xlsx"
    download.value.save_as(path)
    page.get_by_label("导入内容").select_option(label="项目库")
    page.get_by_label("入库年度").fill("2022")
    page.set_input_files("#id_file", str(path))
    expect(page.locator("#chosen-file")).to_have_text("隆德县项目库.xlsx")
    screenshot(page, "funds_07_import_upload")
    page.get_by_role("button", name="上传并预览").click()
    expect(page.locator('[data-count="unchanged"]')).to_have_text("3")
    expect(page.locator('[data-count="create"]')).to_have_text("0")
    expect(page.locator('[data-count="change"]')).to_have_text("0")
    expect(page.locator('[data-count="problems"]')).to_have_text("0")
    screenshot(page, "funds_08_import_preview_unchanged")
    assert external_requests == []


def test_the_leaders_funds_dashboard_drills_down_to_a_project(page, live_server,
                                                             external_requests):
    _world()
    longde = Region.objects.get(code="640423")
    project = make_project(Region.objects.get(code="640423100"), code="2023-CG-001",
                           name="城关镇以工代赈道路", status="implementing", year=2023,
                           funding=Decimal(500000))
    Project.objects.filter(pk=project.pk).update(labour_wages_due=Decimal(80000),
                                                 labour_wages_paid=Decimal(60000))
    LandQuotaProceeds.objects.create(region=longde, year=2023, proceeds=Decimal(900000),
                                     returned=Decimal(900000))
    log_in(page, live_server.url, "longde_leader")
    page.goto(f"{live_server.url}/funds/dashboard/")
    expect(page.get_by_role("heading", name=re.compile("隆德县衔接资金"))).to_be_visible()
    expect(page.get_by_text(re.compile("已安排 500,000.00 元"))).to_be_visible()
    expect(page.get_by_role("link", name="以工代赈劳务报酬足额发放")).to_be_visible()
    screenshot(page, "funds_09_dashboard")
    page.get_by_role("link", name=re.compile("城关镇以工代赈道路.*未足额发放")).click()
    expect(page.get_by_role("heading", name=re.compile("2023-CG-001"))).to_be_visible()
    assert external_requests == []
