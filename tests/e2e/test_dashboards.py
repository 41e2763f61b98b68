"""A leader opens the dashboards in a real headless Chromium: overview, drill-down to a county,
the assessment. The charts must be drawn (canvas pixels, not just an empty element), with
Chinese labels, from the vendored ECharts (no request leaves the app)."""

import re

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from monitoring.assessment import compute_assessment, publish_assessment
from monitoring.jobs import aggregate_progress, sweep_overdue
from obligations.models import Membership, Region
from obligations.services.seed import create_demo_accounts, load_seed
from tests.e2e import SCREENSHOT_DIR, screenshot
from tests.e2e.test_report_review_flow import log_in
from tests.obligations.conftest import during_the_transition

TODAY = timezone.localdate()
YEAR = 2025 if TODAY.year > 2025 else TODAY.year - 1

# For every chart on the page: its title (from ECharts' own option) and how many of a grid of
# sampled canvas pixels are painted.
CHARTS = """
() => Array.from(document.querySelectorAll('.dashboard-chart')).map(el => {
  const canvas = el.querySelector('canvas');
  if (!canvas) return {id: el.id, painted: 0, title: null};
  const ctx = canvas.getContext('2d');
  const {width, height} = canvas;
  const data = ctx.getImageData(0, 0, width, height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4 * 7) { if (data[i] > 0) painted++; }
  const chart = echarts.getInstanceByDom(el);
  return {id: el.id, painted, title: chart ? chart.getOption().title[0].text : null,
          categories: chart ? [].concat(chart.getOption().xAxis[0].data || [],
                                        chart.getOption().yAxis[0].data || []) : []};
})
"""


def assert_charts_drawn(page, expected_titles):
    # The heading shows while the (large) chart library may still be loading: wait until
    # every chart element has its canvas.
    page.wait_for_load_state("load")
    page.wait_for_function("""() => {
      const charts = document.querySelectorAll('.dashboard-chart');
      return charts.length > 0 && document.querySelectorAll('.dashboard-chart canvas').length
             === charts.length;
    }""")
    for _attempt in range(50):  # ECharts may paint on the next animation frame
        charts = page.evaluate(CHARTS)
        if all(chart["painted"] > 200 for chart in charts):
            break
        page.wait_for_timeout(100)
    assert charts, "no chart on the page"
    for chart in charts:
        assert chart["painted"] > 200, chart  # more than a blank canvas
    titles = [c["title"] for c in charts]
    for title in expected_titles:
        assert title in titles
    return charts


def test_leader_opens_overview_drills_to_a_county_and_reads_the_assessment(page, live_server):
    load_seed()
    during_the_transition()  # the seed's day (tests/obligations/conftest.py)
    create_demo_accounts()
    sweep_overdue(today=TODAY)
    aggregate_progress(today=TODAY)
    for year in (YEAR - 1, YEAR):
        compute_assessment(year)
        publish_assessment(year, actor=None)
    leader = get_user_model().objects.create_user("ningxia_leader", password="demo-2021",
                                                  first_name="宁夏领导")
    Membership.objects.create(user=leader, role="leader", region=Region.objects.get(code="640000"))
    base = live_server.url

    log_in(page, base, "ningxia_leader")  # with the second factor leaders must give

    # The leader's home is the overview of their region.
    expect(page.get_by_role("heading", name="宁夏回族自治区（省级）工作进展")).to_be_visible()
    expect(page.get_by_text("完成率").first).to_be_visible()
    charts = assert_charts_drawn(page, ["各亮灯任务数", "按月趋势（节点）", "逾期情况（按下级地区）"])
    lights = next(c for c in charts if c["title"] == "各亮灯任务数")
    assert lights["categories"] == ["红灯·逾期", "黄灯·将到期", "绿灯·正常", "已完成"]
    screenshot(page, "dashboard_01_overview")

    # Province → city → county, by the names in the children's table.
    page.locator('[data-table="children"]').get_by_role("link", name="固原市").click()
    expect(page.get_by_role("heading", name="固原市（市（州）级）工作进展")).to_be_visible()
    page.locator('[data-table="children"]').get_by_role("link", name="隆德县").click()
    expect(page.get_by_role("heading", name="隆德县（县（区）级）工作进展")).to_be_visible()
    breadcrumb = page.get_by_role("navigation", name="位置")
    expect(breadcrumb).to_contain_text("宁夏回族自治区")
    expect(breadcrumb).to_contain_text("固原市")
    charts = assert_charts_drawn(page, ["各亮灯任务数", "逾期情况（按单位）"])
    units = next(c for c in charts if c["title"] == "逾期情况（按单位）")
    assert any("扶贫办" in name for name in units["categories"])
    expect(page.locator('[data-table="overdue"] tbody tr').first).to_contain_text("红灯·逾期")
    screenshot(page, "dashboard_02_county")

    # A unit, then the list behind its red-light figure.
    page.locator('[data-table="units"]').get_by_role("link", name="扶贫办").click()
    expect(page.get_by_role("heading", name="隆德县扶贫办工作进展")).to_be_visible()
    assert_charts_drawn(page, ["各亮灯任务数"])

    page.get_by_role("link", name="考核", exact=True).click()
    expect(page.get_by_role("heading", name=f"{YEAR}年度考核结果")).to_be_visible()
    expect(page.locator('[data-table="county"]')).to_contain_text("隆德县")
    expect(page.locator("#assessment-actions")).to_be_attached()
    assert_charts_drawn(page, ["县（区）考核总分"])
    screenshot(page, "dashboard_03_assessment")

    # The Excel download and the print page, from the buttons on the assessment page.
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel（分项与排名）").click()
    assert download.value.suggested_filename == f"{YEAR}年度考核结果.xlsx"
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="打印版（A4 横向）").click()
    printed = opened.value
    expect(printed.get_by_role("heading", name=f"{YEAR}年度考核结果")).to_be_visible()
    expect(printed.locator('[data-table="county"]')).to_contain_text("隆德县")
    screenshot(printed, "dashboard_04_assessment_print")
    # Chromium lays the page out for paper with the page's own @page rule: A4 landscape.
    pdf = printed.pdf(prefer_css_page_size=True)
    (SCREENSHOT_DIR / "dashboard_04_assessment_print.pdf").write_bytes(pdf)
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert sizes and all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in sizes)

    assert page.external_requests == []
