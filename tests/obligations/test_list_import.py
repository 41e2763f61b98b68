"""The 责任清单 Excel import: preview, problems by row and column, confirm, round trip."""

import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from obligations.models import (
    DataFlag,
    ListImport,
    Milestone,
    Obligation,
    ObligationPerson,
    ObligationUnit,
    PolicyDocument,
    ProgressReport,
    Region,
    Task,
    Unit,
)
from obligations.selectors.exports import responsibility_rows, to_xlsx
from obligations.services.list_import import plan_import

LONGDE = "隆党发〔2021〕2号"


@pytest.fixture
def people(seeded):
    return {u.username: u for u in get_user_model().objects.all()}


def snapshot():
    """Everything an import could write, counted and fingerprinted."""
    return {
        "obligations": sorted(Obligation.objects.values_list(
            "id", "code", "title", "text", "deadline_text", "parent_id")),
        "units": sorted(ObligationUnit.objects.values_list("obligation_id", "role", "written_name",
                                                           "position", "unit_id", "collective_id")),
        "people": sorted(ObligationPerson.objects.values_list("obligation_id", "role",
                                                              "written_name", "position")),
        "tasks": Task.objects.count(),
        "milestones": Milestone.objects.count(),
        "flags": DataFlag.objects.count(),
        "register_units": Unit.objects.count(),
        "documents": PolicyDocument.objects.count(),
    }


def export_xlsx(**filters) -> bytes:
    measures = Obligation.objects.filter(kind="measure", **filters)
    return to_xlsx(responsibility_rows(measures))


def upload(client, data: bytes, name="清单.xlsx", **fields):
    return client.post(reverse("obligations:list_import"),
                       {"file": SimpleUploadedFile(name, data), **fields})


def edit(data: bytes, change) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    change(workbook.worksheets[0])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def row_of(sheet, code):
    for row in sheet.iter_rows(min_row=2):
        if row[9].value == code:
            return row
    raise AssertionError(code)


def test_exporting_every_document_and_importing_it_back_changes_nothing(seeded, client, people):
    before = snapshot()
    data = export_xlsx()
    plan = plan_import(data, file_name="全部.xlsx", documents=PolicyDocument.objects.all())
    assert plan.valid, [p.message for p in plan.problems]
    assert (plan.count("create"), plan.count("change")) == (0, 0)
    assert plan.count("unchanged") == Obligation.objects.filter(kind="measure").count()
    assert len(plan.sheets) == 5

    client.force_login(people["admin"])
    response = upload(client, data)
    preview = client.get(response["Location"])
    assert "清单与系统中的数据一致，没有需要写入的内容" in preview.content.decode()
    client.post(reverse("obligations:list_import_confirm", args=[ListImport.objects.get().pk]))
    assert snapshot() == before


def test_preview_shows_changes_and_writes_nothing_until_confirmed(seeded, client, people):
    document = PolicyDocument.objects.get(doc_number=LONGDE)

    def change(sheet):
        row = row_of(sheet, "二.(五)")
        row[5].value = row[5].value + "、县数据管理局"  # 责任单位: one more unit
        row[8].value = "2021年12月31日前"
        sheet.append([None, "新增事项", "建立返贫风险预警台账", "每月比对一次", "张三", "民政局",
                      "李四", "", "每季度", ""])

    data = edit(export_xlsx(document=document), change)
    client.force_login(people["admin"])
    before = snapshot()
    response = upload(client, data, document=document.pk)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert snapshot() == before  # the preview writes nothing to the register
    assert 'data-count="create">1<' in page and 'data-count="change">1<' in page
    assert "县数据管理局" in page and "将新建并标记为待核实" in page
    assert "2021年12月31日前完成" in page  # how the deadline will be read
    assert "建立返贫风险预警台账" in page

    upload_pk = ListImport.objects.get().pk
    response = client.post(reverse("obligations:list_import_confirm", args=[upload_pk]))
    assert response.status_code == 302
    measure = Obligation.objects.get(document=document, code="二.(五)")
    assert measure.deadline_text == "2021年12月31日前"
    assert measure.deadline["date"] == "2021-12-31"
    new_unit = Unit.objects.get(name="县数据管理局")
    assert new_unit.needs_review
    assert Task.objects.filter(obligation=measure, unit=new_unit, role="lead").exists()
    assert Milestone.objects.filter(task__obligation=measure, due_on="2021-12-31").exists()
    # The old tasks keep their history: the 扶贫办 task is the same row as before.
    assert Task.objects.filter(obligation=measure, unit__name="扶贫办").count() == 1
    created = Obligation.objects.get(document=document, title="建立返贫风险预警台账")
    assert created.parent.title == "新增事项"
    assert Task.objects.filter(obligation=created, unit__name="民政局").exists()
    assert created.deadline["frequency"] == "quarterly"
    assert [p.written_name for p in created.person_refs.order_by("role")] == ["张三", "李四"]
    assert DataFlag.objects.filter(obligation=measure, kind="unknown_unit").exists()

    # Confirming again writes nothing twice.
    count = Obligation.objects.count()
    client.post(reverse("obligations:list_import_confirm", args=[upload_pk]))
    assert Obligation.objects.count() == count
    # And the list, exported again and imported, now matches.
    again = plan_import(export_xlsx(document=document), file_name="x.xlsx",
                        documents=PolicyDocument.objects.all())
    assert again.valid and not again.has_changes


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_written(seeded, client, people):
    document = PolicyDocument.objects.get(doc_number=LONGDE)

    def change(sheet):
        row_of(sheet, "二.(五)")[8].value = "尽快"  # an unreadable deadline
        sheet.append(["x", "", "", "", "", "民政局", "", "", "2021年底", ""])  # no title, bad 序号
        sheet.append([None, "新增事项", "一项新措施", "", "", "民政局", "", "", "", ""])

    data = edit(export_xlsx(document=document), change)
    rows = load_workbook(io.BytesIO(data)).worksheets[0].max_row
    deadline_row = next(r[0].row for r in load_workbook(io.BytesIO(data)).worksheets[0]
                        .iter_rows(min_row=2) if r[9].value == "二.(五)")
    client.force_login(people["admin"])
    before = snapshot()
    response = upload(client, data, document=document.pk)
    page = client.get(response["Location"]).content.decode()
    assert f"第{deadline_row}行 I列“完成时限”" in page and "“尽快”无法识别" in page
    assert f"第{rows - 1}行 A列“序号”" in page and "序号“x”不是整数" in page
    assert f"第{rows - 1}行 C列“具体内容”" in page
    assert "确认导入" not in page
    client.post(reverse("obligations:list_import_confirm", args=[ListImport.objects.get().pk]))
    assert snapshot() == before  # the valid new row was not written either


def test_a_countys_own_sheet_with_other_header_names_becomes_a_new_document(seeded, client,
                                                                           people):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2022年清单"
    sheet.append(["隆德县2022年巩固衔接重点任务责任清单"])  # a title row above the header
    sheet.append(["编号", "重点任务", "工作内容", "工作措施", "分管领导", "牵头单位", "具体责任人",
                  "协办单位", "完成时间"])
    sheet.append([1, "产业", "壮大肉牛产业", "新建标准化养殖场5个", "马金平", "农业农村局", "王五",
                  "财政局、发改局", "2022年6月30日"])
    sheet.append([2, None, "发展冷凉蔬菜", "种植面积稳定在3万亩", "马金平", "农业农村局", "", "",
                  "每年12月底"])
    output = io.BytesIO()
    workbook.save(output)
    longde = Region.objects.get(name="隆德县")
    client.force_login(people["admin"])
    response = upload(client, output.getvalue(), new_title="隆德县2022年重点任务责任清单",
                      new_doc_number="", new_region=longde.pk)
    page = client.get(response["Location"]).content.decode()
    assert 'data-count="create">2<' in page, page
    client.post(reverse("obligations:list_import_confirm", args=[ListImport.objects.get().pk]))
    document = PolicyDocument.objects.get(title="隆德县2022年重点任务责任清单")
    measures = list(document.obligations.filter(kind="measure").order_by("position"))
    assert [m.title for m in measures] == ["壮大肉牛产业", "发展冷凉蔬菜"]
    assert measures[1].parent.title == "产业"  # the merged 重点任务 cell
    assert measures[0].deadline["date"] == "2022-06-30"
    assert sorted(Task.objects.filter(obligation=measures[0]).values_list("unit__name", "role")) \
        == [("农业农村局", "lead"), ("发改局", "support"), ("财政局", "support")]


def test_a_unit_with_reports_cannot_be_removed_by_an_import(seeded, client, people):
    document = PolicyDocument.objects.get(doc_number=LONGDE)
    task = Task.objects.get(obligation__document=document, obligation__code="二.(五)",
                            unit__name="扶贫办")
    ProgressReport.objects.create(task=task, status="in_progress", percent=10, narrative="已启动",
                                  submitted_by=people["longde_fupin"])

    def change(sheet):
        row = row_of(sheet, "二.(五)")
        row[5].value = "、".join(n for n in row[5].value.split("、") if n != "扶贫办")

    plan = plan_import(edit(export_xlsx(document=document), change), file_name="x.xlsx",
                       documents=PolicyDocument.objects.all(), document=document)
    assert not plan.valid
    assert any("“扶贫办”在本事项上已有进展报告" in p.message and p.column == "F列“责任单位”"
               for p in plan.problems)


def test_a_file_that_is_not_a_workbook_gets_a_message(seeded, client, people):
    client.force_login(people["admin"])
    response = upload(client, b"not a zip", name="清单.xlsx")
    assert response.status_code == 200
    assert "不是可读取的 Excel 工作簿" in response.content.decode()
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml")
    response = upload(client, broken.getvalue(), name="清单.xlsx")
    assert "不是可读取的 Excel 工作簿" in response.content.decode()
    response = upload(client, b"a,b", name="清单.csv")
    assert "请上传 .xlsx 格式" in response.content.decode()
    assert not ListImport.objects.exists()


def test_confirming_a_preview_the_register_has_moved_past_is_refused(seeded, client, people):
    document = PolicyDocument.objects.get(doc_number=LONGDE)
    data = edit(export_xlsx(document=document),
                lambda sheet: setattr(row_of(sheet, "二.(五)")[8], "value", "2021年12月31日前"))
    client.force_login(people["admin"])
    upload(client, data, document=document.pk)
    Obligation.objects.filter(document=document, code="二.(五)").update(title="改过的标题")
    response = client.post(reverse("obligations:list_import_confirm",
                                   args=[ListImport.objects.get().pk]), follow=True)
    assert "预览之后系统中的数据有了变化" in response.content.decode()
    assert Obligation.objects.get(document=document, code="二.(五)").deadline_text != \
        "2021年12月31日前"


@pytest.mark.parametrize("name", ["longde_leader", "longde_nongban", "longde_fupin", "xinbin"])
def test_only_administrators_may_import(seeded, client, people, name):
    admin_upload = ListImport.objects.create(uploaded_by=people["admin"], file_name="a.xlsx",
                                             data=export_xlsx(document__doc_number=LONGDE))
    client.force_login(people[name])
    assert client.get(reverse("obligations:list_import")).status_code == 403
    assert upload(client, admin_upload.data).status_code == 403
    assert client.get(reverse("obligations:list_import_preview",
                              args=[admin_upload.pk])).status_code == 403
    assert client.post(reverse("obligations:list_import_confirm",
                               args=[admin_upload.pk])).status_code == 403
    assert ListImport.objects.count() == 1


def test_the_command_previews_and_writes_only_with_confirm(seeded, tmp_path):
    from django.core.management import CommandError, call_command

    document = PolicyDocument.objects.get(doc_number=LONGDE)
    path = tmp_path / "清单.xlsx"
    path.write_bytes(edit(export_xlsx(document=document),
                          lambda sheet: setattr(row_of(sheet, "二.(五)")[8], "value", "2022年底")))
    out = io.StringIO()
    call_command("import_list", str(path), stdout=out)
    assert "修改 1" in out.getvalue() and "完成时限" in out.getvalue()
    assert Obligation.objects.get(document=document, code="二.(五)").deadline_text != "2022年底"
    call_command("import_list", str(path), "--confirm", stdout=io.StringIO())
    assert Obligation.objects.get(document=document, code="二.(五)").deadline["date"] == "2022-12-31"
    with pytest.raises(CommandError, match="不是可读取的 Excel"):
        (tmp_path / "x.xlsx").write_bytes(b"nope")
        call_command("import_list", str(tmp_path / "x.xlsx"), stdout=io.StringIO())


def test_columns_a_sheet_does_not_have_are_left_as_they_are(seeded):
    document = PolicyDocument.objects.get(doc_number=LONGDE)
    # Without 主要事项, 具体内容, 责任领导 and 责任人 (columns B, C, E, G).
    data = edit(export_xlsx(document=document),
                lambda sheet: [sheet.delete_cols(i) for i in (7, 5, 3, 2)])
    plan = plan_import(data, file_name="x.xlsx", documents=PolicyDocument.objects.all(),
                       document=document)
    assert plan.valid and not plan.has_changes, [(r.row, r.changes) for r in plan.rows][:3]


def test_the_preview_runs_the_same_number_of_queries_for_5_or_100_rows(seeded, client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def sheet_with(rows: int) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["序号", "具体内容", "主要措施", "责任单位", "配合单位", "完成时限"])
        for n in range(1, rows + 1):
            sheet.append([n, f"措施{n}", "内容", "民政局", f"新单位{n}", "2022年底"])
        output = io.BytesIO()
        workbook.save(output)
        return output.getvalue()

    longde = Region.objects.get(name="隆德县")
    client.force_login(people["admin"])
    counts = []
    for rows in (5, 100):
        upload(client, sheet_with(rows), new_title=f"清单{rows}", new_region=longde.pk)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("obligations:list_import_preview",
                                      args=[ListImport.objects.latest("id").pk]))
        assert f'data-count="create">{rows}<' in page.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
