"""An administrator imports a county's edited 责任清单 in a real headless Chromium: upload,
preview with the change and a problem-free sheet, confirm; screenshots of each step."""

from playwright.sync_api import expect

from obligations.models import Obligation
from obligations.selectors.exports import responsibility_rows, to_xlsx
from obligations.services.seed import create_demo_accounts, load_seed
from tests.e2e import screenshot
from tests.e2e.test_report_review_flow import log_in
from tests.obligations.conftest import during_the_transition
from tests.obligations.test_list_import import LONGDE, edit, row_of


def test_admin_uploads_previews_and_confirms_a_list(page, live_server, tmp_path,
                                                   external_requests):
    load_seed()
    during_the_transition()  # the seed's day (tests/obligations/conftest.py)
    create_demo_accounts()
    measures = Obligation.objects.filter(kind="measure", document__doc_number=LONGDE)
    data = edit(to_xlsx(responsibility_rows(measures)),
                lambda sheet: setattr(row_of(sheet, "二.(五)")[8], "value", "2022年6月30日前"))
    path = tmp_path / "隆德县责任清单.xlsx"
    path.write_bytes(data)

    log_in(page, live_server.url, "admin")
    page.get_by_role("link", name="导入责任清单").click()
    expect(page.get_by_role("heading", name="导入责任清单（Excel）")).to_be_visible()
    page.get_by_label("导入到文件").select_option(label=f"{LONGDE} 关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的实施意见")
    page.set_input_files("#id_file", str(path))
    expect(page.locator("#chosen-file")).to_have_text("隆德县责任清单.xlsx")
    screenshot(page, "import_01_upload")
    page.get_by_role("button", name="上传并预览").click()

    expect(page.locator('[data-count="change"]')).to_have_text("1")
    expect(page.locator('[data-count="create"]')).to_have_text("0")
    expect(page.get_by_text("2022年6月30日前完成")).to_be_visible()
    screenshot(page, "import_02_preview")
    assert Obligation.objects.get(document__doc_number=LONGDE, code="二.(五)").deadline_text \
        != "2022年6月30日前"

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="确认导入（新增 0 项，修改 1 项）").click()
    expect(page.get_by_text("已导入：新增 0 项，修改 1 项。")).to_be_visible()
    screenshot(page, "import_03_done")
    assert Obligation.objects.get(document__doc_number=LONGDE, code="二.(五)").deadline_text \
        == "2022年6月30日前"
    assert external_requests == []
