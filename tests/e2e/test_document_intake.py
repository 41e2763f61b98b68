"""An administrator imports a county's 分工方案 (.docx with a 分工表 table) and a real county
task list (.pdf) in a real headless Chromium: upload, watch the parse run on a real Celery
worker, read the preview, correct one unit, publish, and find the tasks on the task list."""

from pathlib import Path

import docx
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from config.celery import app as celery_app
from obligations.models import PolicyDocument, Region, Task, Unit
from tests.e2e import screenshot
from tests.e2e.test_report_review_flow import log_in
from tests.workers import celery_worker, worker_database_url

CORPUS_PDF = (Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
              / "02_shengsi_xiangcun_zhenxing_qingdan" / "source.pdf")


ROWS = [
    ("序号", "重点任务", "牵头单位", "配合单位", "完成时限"),
    ("1", "落实防止返贫动态监测和帮扶机制，每月开展一次集中排查", "县乡村振兴局", "县民政局", "每月"),
    ("2", "发展壮大马铃薯、牛羊等特色产业", "县农业农村局", "县财政局", "2022年12月31日"),
    ("3", "开发乡村公益性岗位，稳定脱贫人口就业", "县人社局", "县财政局", "2022年6月30日"),
]


def _division_plan(path: Path, rows=ROWS) -> None:
    """A county 分工方案: notice, then the 重点任务分工表 as a real Word table."""
    document = docx.Document()
    document.add_paragraph("测试县人民政府办公室关于印发《测试县2022年巩固衔接重点任务分工方案》的通知")
    document.add_paragraph("测政办发〔2022〕9号")
    document.add_paragraph("各乡镇人民政府，县直各部门：现将分工方案印发给你们，请认真贯彻落实。")
    document.add_paragraph("测试县人民政府办公室")
    document.add_paragraph("2022年4月6日")
    document.add_paragraph("测试县2022年巩固衔接重点任务分工表")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    document.save(path)


@pytest.fixture
def worker_queue(transactional_db):
    """A real worker on this test's database; the views queue to it (same process)."""
    with celery_worker(DATABASE_URL=worker_database_url()) as queue:
        previous = celery_app.conf.task_default_queue
        celery_app.conf.task_default_queue = queue
        try:
            yield queue
        finally:
            celery_app.conf.task_default_queue = previous


def test_admin_uploads_a_docx_and_a_pdf_previews_and_publishes(page, live_server, tmp_path,
                                                              worker_queue, external_requests):
    county = Region.objects.create(code="990101", name="测试县", level="county")
    for name in ("测试县乡村振兴局", "测试县民政局", "测试县农业农村局", "测试县财政局",
                 "测试县人力资源和社会保障局"):
        Unit.objects.create(name=name, region=county)
    get_user_model().objects.create_superuser("boss", password="demo-2021")
    plan = tmp_path / "测试县重点任务分工方案.docx"
    _division_plan(plan)

    log_in(page, live_server.url, "boss")
    page.get_by_role("link", name="导入政策文件").click()
    expect(page.get_by_role("heading", name="导入政策文件")).to_be_visible()
    page.get_by_label("适用区划").select_option(label="测试县")
    page.set_input_files("#id_file", str(plan))
    screenshot(page, "intake_01_upload")
    page.get_by_role("button", name="上传并解析").click()

    # The parse runs on the worker; the page polls its progress and reloads when it is done.
    expect(page.get_by_role("button", name="发布到责任清单")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-counts]")).to_contain_text("措施 3 项")
    expect(page.get_by_text("2022年4月6日")).to_be_visible()
    row = page.locator('tr[data-code="3"]')
    expect(row).to_contain_text("开发乡村公益性岗位")
    expect(row.locator('[data-unit-status="new"]')).to_have_text("＋ 县人社局 新单位")
    expect(page.locator('tr[data-code="2"] [data-unit-status="known"]')).to_have_count(2)
    screenshot(page, "intake_02_preview")
    assert not PolicyDocument.objects.exists()

    # The document abbreviates the unit; the administrator corrects it to the register's name.
    row.get_by_role("link", name="修改").click()
    expect(page.get_by_label("牵头单位")).to_have_value("县人社局")
    page.get_by_label("牵头单位").fill("县人力资源和社会保障局")
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_text("已修改措施 3。")).to_be_visible()
    expect(row.locator('[data-unit-status="known"]').first).to_have_text("✓ 县人力资源和社会保障局")
    screenshot(page, "intake_02b_corrected")

    page.get_by_role("button", name="发布到责任清单").click()
    expect(page.get_by_text("任务和节点已生成")).to_be_visible()
    document = PolicyDocument.objects.get(doc_number="测政办发〔2022〕9号")
    page.get_by_role("link", name="查看这份文件的任务").click()
    expect(page.get_by_text("开发乡村公益性岗位").first).to_be_visible()
    assert set(Task.objects.filter(obligation__document=document, role="lead")
               .values_list("unit__name", flat=True)) == {
        "测试县乡村振兴局", "测试县农业农村局", "测试县人力资源和社会保障局"}
    screenshot(page, "intake_03_tasks")

    # A revised version: the 特色产业 deadline moves, the 公益性岗位 row is gone.
    kept = Task.objects.get(obligation__document=document, obligation__code="2", role="lead")
    revised = tmp_path / "测试县重点任务分工方案（修订）.docx"
    _division_plan(revised, rows=[ROWS[0], ROWS[1], (*ROWS[2][:4], "2022年10月31日")])
    page.goto(f"{live_server.url}/register/documents/")
    page.set_input_files("#id_file", str(revised))
    page.get_by_role("button", name="上传并解析").click()
    expect(page.get_by_role("button", name="发布修订版")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-revision-counts]")).to_contain_text("修改 1 项")
    expect(page.locator("[data-revision-counts]")).to_contain_text("删除 1 项")
    expect(page.locator('tr[data-change="change"]')).to_contain_text("2022年10月31日")
    screenshot(page, "intake_03b_revision")
    page.get_by_label("删除措施的原因").fill("公益性岗位另行发文")
    page.get_by_role("button", name="发布修订版").click()
    expect(page.get_by_text("原有任务和填报记录保留")).to_be_visible()
    assert Task.objects.get(pk=kept.pk).obligation.deadline_text == "2022年10月31日"
    assert PolicyDocument.objects.count() == 1

    # A real county's task list as a text-layer PDF (running header, page numbers).
    page.goto(f"{live_server.url}/register/documents/")
    page.set_input_files("#id_file", str(CORPUS_PDF))
    page.get_by_role("button", name="上传并解析").click()
    expect(page.get_by_role("button", name="发布到责任清单")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-counts]")).to_contain_text("措施 13 项")
    expect(page.get_by_text("县农业农村局").first).to_be_visible()
    screenshot(page, "intake_04_pdf_preview")
    page.get_by_role("button", name="发布到责任清单").click()
    expect(page.get_by_text("任务和节点已生成")).to_be_visible()
    assert PolicyDocument.objects.count() == 2
    assert external_requests == []
