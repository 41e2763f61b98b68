"""Documents in the formats they arrive in: .docx, text-layer .pdf, .txt in any of its encodings,
and the ones refused with a message that says what to do (obligations/importers/formats.py).

The .docx files are built here with python-docx; the PDFs were printed once by
scripts/make_format_fixtures.py (system Chromium) and are committed under fixtures/formats/.
"""

import io
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.management import CommandError, call_command
from docx.oxml.ns import qn

from obligations.importers import DocumentError, parse_document, pdf_reader
from obligations.importers.formats import join_cell_lines, read_document, unify_radicals
from obligations.importers.pdf_reader import Grid, _append_continuation
from obligations.models import PolicyDocument, Region
from tests.obligations.conftest import SOURCES

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
TITLE = "隆德县人民政府办公室关于印发巩固拓展脱贫攻坚成果实施方案的通知"
BODY = "为巩固拓展脱贫攻坚成果，推动乡村全面振兴，结合我县实际，制定本方案。"


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def numbered_docx() -> bytes:
    """A notice whose measures are a Word numbered list: the numbers are not in the text."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph("隆政办发〔2023〕8号")
    document.add_paragraph(BODY)
    document.add_paragraph(
        "健全防止返贫监测帮扶机制。（责任单位：县乡村振兴局）", style="List Number"
    )
    document.add_paragraph("促进脱贫人口稳定就业。（责任单位：县人社局）", style="List Number")
    return docx_bytes(document)


def table_docx() -> bytes:
    """A 任务分工表: a caption merged across the table, one 责任单位 cell over two rows."""
    document = docx.Document()
    document.add_paragraph(TITLE)
    document.add_paragraph(BODY)
    table = document.add_table(rows=5, cols=5)
    table.cell(0, 0).merge(table.cell(0, 4)).text = "重点任务分工表"
    for column, name in enumerate(["序号", "具体内容", "责任单位", "配合单位", "完成时限"]):
        table.cell(1, column).text = name
    rows = [
        ("1", "健全防止返贫动态监测机制", None, "县民政局", "2023年6月底前"),
        ("2", "落实帮扶措施", None, "县医保局", "长期坚持"),
        ("3", "发展特色产业", "县农业农村局", "县财政局", "2024年底前"),
    ]
    for r, row in enumerate(rows, start=2):
        for column, text in enumerate(row):
            if text is not None:
                table.cell(r, column).text = text
    merged = table.cell(2, 2).merge(table.cell(3, 2))
    merged.text = "县乡村振兴局"
    # A unit on a line of its own in the merged cell, as people type them.
    merged.add_paragraph("县委组织部")
    document.add_paragraph("各乡镇、各部门要加强组织领导，确保各项任务落到实处。")
    return docx_bytes(document)


# -- .docx ------------------------------------------------------------------------------------


def test_docx_reads_word_list_numbers_into_the_measures():
    text = read_document(numbered_docx(), source_name="方案.docx")
    lines = text.splitlines()
    assert lines[:3] == [TITLE, "隆政办发〔2023〕8号", BODY]
    assert lines[3] == "1.健全防止返贫监测帮扶机制。（责任单位：县乡村振兴局）"
    assert lines[4] == "2.促进脱贫人口稳定就业。（责任单位：县人社局）"
    parsed = parse_document(numbered_docx(), source_name="方案.docx")
    assert [m.lead_units for m in parsed.measures] == [["县乡村振兴局"], ["县人社局"]]


def test_docx_table_in_document_order_with_merged_cells_resolved():
    lines = read_document(table_docx(), source_name="分工.docx").splitlines()
    assert lines == [
        TITLE,
        BODY,
        "重点任务分工表",  # merged across the whole table: a plain line, written once
        "序号\t具体内容\t责任单位\t配合单位\t完成时限",
        "1\t健全防止返贫动态监测机制\t县乡村振兴局、县委组织部\t县民政局\t2023年6月底前",
        "2\t落实帮扶措施\t县乡村振兴局、县委组织部\t县医保局\t长期坚持",  # the merged cell, again
        "3\t发展特色产业\t县农业农村局\t县财政局\t2024年底前",
        "各乡镇、各部门要加强组织领导，确保各项任务落到实处。",
    ]
    parsed = parse_document(table_docx(), source_name="分工.docx")
    leads = {m.title: m.lead_units for m in parsed.measures}
    assert leads["落实帮扶措施"] == ["县乡村振兴局", "县委组织部"]
    assert leads["发展特色产业"] == ["县农业农村局"]


def test_docx_horizontally_merged_cell_is_written_once_in_its_first_column():
    document = docx.Document()
    table = document.add_table(rows=2, cols=5)
    for column, name in enumerate(["序号", "具体内容", "责任单位", "配合单位", "完成时限"]):
        table.cell(0, column).text = name
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "健全防止返贫动态监测和帮扶机制"
    table.cell(1, 2).merge(table.cell(1, 3)).text = "县乡村振兴局"
    table.cell(1, 4).text = "长期坚持"
    document.add_paragraph("以上任务由各单位按职责分工落实，县乡村振兴局负责统筹调度和督促检查。")
    text = read_document(docx_bytes(document), source_name="x.docx")
    assert "1\t健全防止返贫动态监测和帮扶机制\t县乡村振兴局\t\t长期坚持" in text.splitlines()


def test_docx_chinese_counting_numbering_is_reproduced():
    """Word's "一、" list (numFmt chineseCounting, lvlText "%1、"), defined in numbering.xml."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = numbering.makeelement(qn("w:abstractNum"), {qn("w:abstractNumId"): "90"})
    for level, fmt, text in ((0, "chineseCounting", "%1、"), (1, "chineseCounting", "（%2）")):
        lvl = abstract.makeelement(qn("w:lvl"), {qn("w:ilvl"): str(level)})
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            lvl.append(lvl.makeelement(qn(tag), {qn("w:val"): value}))
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = numbering.makeelement(qn("w:num"), {qn("w:numId"): "90"})
    num.append(num.makeelement(qn("w:abstractNumId"), {qn("w:val"): "90"}))
    numbering.append(num)

    def numbered(text, level):
        paragraph = document.add_paragraph(text)
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = 90

    document.add_paragraph(TITLE)
    numbered("总体要求", 0)
    numbered("重点任务", 0)
    numbered("健全监测机制。（责任单位：县乡村振兴局）", 1)
    numbered("稳定就业。（责任单位：县人社局）", 1)
    numbered("保障措施", 0)
    numbered("加强组织领导。", 1)
    lines = read_document(docx_bytes(document), source_name="x.docx").splitlines()
    assert lines[1:] == [
        "一、总体要求",
        "二、重点任务",
        "（一）健全监测机制。（责任单位：县乡村振兴局）",
        "（二）稳定就业。（责任单位：县人社局）",
        "三、保障措施",
        "（一）加强组织领导。",  # a deeper level starts again under each heading
    ]


# -- .pdf -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_pages_text():
    data = (FIXTURES / "table_two_pages.pdf").read_bytes()
    return read_document(data, source_name="table_two_pages.pdf")


def test_pdf_drops_running_header_and_page_numbers(two_pages_text):
    lines = two_pages_text.splitlines()
    # The running header repeats the title on all three pages; only the title stays.
    assert lines.count("青山县巩固拓展脱贫攻坚成果实施方案") == 1
    assert lines[0] == "青山县巩固拓展脱贫攻坚成果实施方案"
    assert not [line for line in lines if line.strip(" -").isdigit()]  # "- 1 -" … "- 3 -"


def test_pdf_joins_a_paragraph_over_the_page_break(two_pages_text):
    from scripts.make_format_fixtures import LONG_PARAGRAPH

    assert LONG_PARAGRAPH in two_pages_text.splitlines()


def test_pdf_text_and_table_in_reading_order(two_pages_text):
    lines = two_pages_text.splitlines()
    order = ["青政办发〔2023〕12号", "一、总体要求", "二、重点任务", "三、任务分工", "四、保障措施"]
    assert [lines.index(line) for line in order] == sorted(lines.index(line) for line in order)
    table = [line for line in lines if line.count("\t") >= 3]
    assert lines.index(table[0]) == lines.index("三、任务分工") + 1
    assert lines.index(table[-1]) == lines.index("四、保障措施") - 1


def test_pdf_table_continued_on_the_next_page_is_one_table(two_pages_text):
    from scripts.make_format_fixtures import ROWS

    table = [line.split("\t") for line in two_pages_text.splitlines() if line.count("\t") >= 3]
    assert table[0] == [
        "序号",
        "具体内容",
        "责任单位",
        "配合单位",
        "完成时限",
    ]  # repeated header dropped
    assert [row[0] for row in table[1:]] == [str(n) for n in range(1, 21)]
    assert [tuple(row) for row in table[1:]] == ROWS  # cells whole, wraps inside cells joined


def test_pdf_parse_finds_measures_and_table_units():
    data = (FIXTURES / "table_two_pages.pdf").read_bytes()
    parsed = parse_document(data, source_name="table_two_pages.pdf")
    assert parsed.doc_number == "青政办发〔2023〕12号"
    assert ["县乡村振兴局"] in [m.lead_units for m in parsed.measures]


def test_pdf_radicals_become_ideographs():
    text = read_document((FIXTURES / "radicals.pdf").read_bytes(), source_name="radicals.pdf")
    assert text.startswith("青山县人民政府关于长效马上门")
    assert "（一）健全监测机制。（责任单位：县民政局）" in text
    assert not [ch for ch in text if "\u2e80" <= ch <= "\u2fdf"]


def test_pdf_row_split_by_the_page_break_is_put_back_together():
    before = Grid(
        [["序号", "具体内容", "责任单位", "完成时限"], ["1", "健全防止返贫", "县乡村", "2023年"]],
        0,
        1,
    )
    after = Grid(
        [
            ["序号", "具体内容", "责任单位", "完成时限"],
            ["", "动态监测机制", "振兴局", "底前"],
            ["2", "稳岗", "县人社局", "长期"],
        ],
        0,
        2,
    )
    _append_continuation(before, after)
    assert before.rows[1:] == [
        ["1", "健全防止返贫动态监测机制", "县乡村振兴局", "2023年底前"],
        ["2", "稳岗", "县人社局", "长期"],
    ]


def test_pdf_over_the_page_limit_is_refused(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PDF_PAGES", 2)
    with pytest.raises(DocumentError, match="共 3 页，超过 2 页的上限"):
        read_document((FIXTURES / "table_two_pages.pdf").read_bytes(), source_name="a.pdf")


# -- radicals and cells -------------------------------------------------------------------------


def test_radicals_of_both_blocks_map_to_unified_ideographs():
    assert unify_radicals("⻘⼭县⼈⺠政府") == "青山县人民政府"
    pairs = "⺠民⻘青⻓长⻢马⻔门⻛风⻜飞⻋车⻅见⻆角⻝食⻚页⻰龙⻬齐⻩黄⾦金⾼高⼤大⼯工⻄西"
    for radical, ideograph in zip(pairs[::2], pairs[1::2], strict=True):
        assert unify_radicals(radical) == ideograph, radical
    assert unify_radicals("（一）县财政局：" + "“”") == "（一）县财政局：“”"  # not NFKC


def test_radical_mapping_leaves_the_seed_texts_unchanged():
    for source in sorted(SOURCES.glob("*.txt")):
        text = source.read_text(encoding="utf-8")
        assert unify_radicals(text) == text, source.name
        assert read_document(source.read_bytes(), source_name=source.name) == text


def test_cell_lines_wrapped_run_on_and_lines_of_their_own_are_listed():
    assert join_cell_lines(["县财政局", "县农业农村局"]) == "县财政局、县农业农村局"
    assert (
        join_cell_lines(["健全防止返贫动", "态监测机制"], wrapped=[True, False])
        == "健全防止返贫动态监测机制"
    )
    assert join_cell_lines(["加强监测。", "及时帮扶。"]) == "加强监测。及时帮扶。"


# -- .txt ---------------------------------------------------------------------------------------

TEXT = f"{TITLE}\n隆政办发〔2023〕8号\n一、重点任务\n（一）稳定就业。开发公益性岗位。（责任单位：县人社局）\n"


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        b"\xff\xfe" + TEXT.encode("utf-16-le"),
        b"\xfe\xff" + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),  # Notepad without a BOM
        TEXT.encode("gb18030"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "gb18030"],
)
def test_txt_in_every_encoding_reads_the_same(encoded):
    assert read_document(encoded, source_name="a.txt") == TEXT
    assert parse_document(encoded, source_name="a.txt").measures[0].lead_units == ["县人社局"]


def test_txt_radicals_are_mapped_too():
    assert read_document(TEXT.replace("人", "⼈").encode(), source_name="a.txt") == TEXT


# -- refusals -----------------------------------------------------------------------------------


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
ENCRYPTED_DOCX = OLE2 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
REFUSED = [
    ("empty.docx", b"", "文件为空"),
    ("blank.txt", b" \n\n ", "文件为空"),
    ("old.doc", OLE2, "另存为 .docx"),
    ("old.wps", OLE2, "请在 Word/WPS 中另存为 .docx 后再上传"),
    ("locked.docx", ENCRYPTED_DOCX, "设有打开密码"),
    (
        "doc.ofd",
        zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}),
        "暂不支持 OFD，请导出为 .docx 或文字版 PDF",
    ),
    ("photos.docx", zip_bytes({"a.jpg": b"\xff\xd8\xff"}), "是一个压缩包，不是 Word 文档"),
    (
        "list.docx",
        zip_bytes({"[Content_Types].xml": b"", "xl/workbook.xml": b""}),
        "这是 Excel 表格",
    ),
    (
        "renamed.docx",
        b"\x89PNG\r\n\x1a\n" + b"\x00\x01" * 300,
        "扩展名是 .docx，但内容不是这种格式",
    ),
    ("renamed.pdf", b"GIF89a" + b"\x00\x01" * 300, "扩展名是 .pdf，但内容不是这种格式"),
    ("broken.docx", zip_bytes({"word/document.xml": b"<not xml"}), "Word 文件已损坏"),
    ("cut.docx", b"PK\x03\x04" + b"\x00" * 100, "文件已损坏"),
    ("cut.pdf", b"%PDF-1.7\n1 0 obj\n<<", "PDF 文件已损坏"),
    (
        "scan.pdf",
        (FIXTURES / "scanned.pdf").read_bytes(),
        "这是扫描件，没有文字层；请上传文字版 PDF 或 .docx",
    ),
    ("secret.pdf", (FIXTURES / "encrypted.pdf").read_bytes(), "PDF 已加密"),
    ("empty-table.docx", docx_bytes(docx.Document()), "几乎没有中文文字"),
]


@pytest.mark.parametrize("name, data, message", REFUSED, ids=[r[0] for r in REFUSED])
def test_unreadable_files_are_refused_with_what_to_do(name, data, message):
    with pytest.raises(DocumentError, match=message) as refused:
        read_document(data, source_name=name)
    assert str(refused.value).startswith(f"{name}：")  # the message names the file


def test_file_over_the_size_limit_is_refused():
    with pytest.raises(DocumentError, match="超过上限 1 MB"):
        read_document(b"x" * (1024 * 1024 + 1), source_name="big.txt", max_bytes=1024 * 1024)


# -- import_document -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["scanned.pdf", "encrypted.pdf", "old.doc", "big.docx"])
def test_import_document_refuses_bad_files_and_writes_nothing(db, tmp_path, settings, name):
    settings.DOCUMENT_MAX_BYTES = 100_000
    path = tmp_path / name
    if name == "old.doc":
        path.write_bytes(OLE2)
    elif name == "big.docx":
        path.write_bytes(table_docx() + b"\x00" * 100_000)
    else:
        path.write_bytes((FIXTURES / name).read_bytes())
    before = PolicyDocument.objects.count()
    with pytest.raises(CommandError, match=name):
        call_command("import_document", str(path))
    assert PolicyDocument.objects.count() == before


@pytest.mark.parametrize("build", [numbered_docx, table_docx], ids=["numbered", "table"])
def test_import_document_imports_a_docx(db, tmp_path, capsys, build):
    Region.objects.create(code="640423", name="隆德县", level="county")
    path = tmp_path / "方案.docx"
    path.write_bytes(build())
    call_command("import_document", str(path))
    document = PolicyDocument.objects.get()
    assert document.obligations.filter(kind="measure").count() >= 2
    assert "已导入" in capsys.readouterr().out
