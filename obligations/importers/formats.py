"""A document's bytes, in whatever format it arrived, as the text the parser reads.

The format is told by the content (magic bytes), not the extension: OA systems and
people rename files. Tables come out as tab-separated lines, one per table row
(the form `table.read_table` reads), between the paragraphs around them, in
reading order. Every refusal is a `DocumentError` whose message says what to do;
nothing here touches the database or the settings (callers pass `max_bytes`), except
that a .docx is checked as a zip (zipcheck, with the `UPLOAD_*` limits: unpacked size,
compression ratio, members, no DTD) before python-docx opens it.

OFD (GB/T 33190) is refused: of the packages that read it, easyofd pulls in
PyMuPDF (AGPL, a large binary) and reportlab to render pages, and ofdkit /
ofdreader are new single-author releases (0.2.0, 0.1.0) — none is a maintained,
light reader we can pin. A zip with OFD.xml gets the message to export instead.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from django.utils.translation import gettext as _

from .errors import DocumentError
from .text import CJK, decode

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 300
MIN_CJK_CHARS = 20

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
BINARY_EXTENSIONS = (".docx", ".pdf", ".doc", ".wps", ".ofd", ".xlsx", ".xls", ".docm", ".dotx")


def read_document(data: bytes, *, source_name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The document's text: paragraphs in reading order, tables as tab-separated lines."""
    if not data.strip():
        raise DocumentError(_("%(source)s：文件为空。") % {"source": source_name})
    if len(data) > max_bytes:
        raise DocumentError(
            _("%(source)s：文件 %(size).1f MB，超过上限 %(limit)s MB；请删去图片等附件后再上传。")
            % {
                "source": source_name,
                "size": len(data) / 1024 / 1024,
                "limit": round(max_bytes / 1024 / 1024),
            }
        )
    kind = sniff(data, source_name=source_name)
    if kind == "docx":
        from .docx_reader import read_docx
        from .zipcheck import check_archive

        check_archive(data, source_name=source_name)  # a zip bomb is refused before python-docx

        text = read_docx(data, source_name=source_name)
    elif kind == "pdf":
        from .pdf_reader import read_pdf

        text = read_pdf(data, source_name=source_name)
    else:
        text = decode(data, source=source_name)
    text = unify_radicals(text)
    if kind != "text" and len(re.findall(f"[{CJK}]", text)) < MIN_CJK_CHARS:
        raise DocumentError(
            _("%(source)s：文件中几乎没有中文文字，不像是一份政策文件。") % {"source": source_name}
        )
    return text


def sniff(data: bytes, *, source_name: str) -> str:
    """The format ("docx", "pdf" or "text"); refuses the formats that are not read, saying what to do."""
    name = source_name.lower()
    ext = name[name.rfind(".") :] if "." in name else ""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE2_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            # Word keeps a password-protected .docx in an OLE2 container.
            raise DocumentError(
                _("%(source)s：文件设有打开密码；请在 Word/WPS 中取消密码、另存为 .docx 后再上传。")
                % {"source": source_name}
            )
        raise DocumentError(
            _(
                "%(source)s：这是旧版 Word/WPS 文件（.doc/.wps），无法直接读取；"
                "请在 Word/WPS 中另存为 .docx 后再上传。"
            )
            % {"source": source_name}
        )
    if data.startswith(ZIP_MAGIC):
        return _sniff_zip(data, source_name=source_name)
    if data.lstrip().startswith(b"{\\rtf"):
        raise DocumentError(
            _("%(source)s：这是 RTF 文件；请在 Word/WPS 中另存为 .docx 后再上传。")
            % {"source": source_name}
        )
    if ext in BINARY_EXTENSIONS:
        raise DocumentError(
            _(
                "%(source)s：文件扩展名是 %(ext)s，但内容不是这种格式（可能已损坏，或改过扩展名）；"
                "请用 Word/WPS 打开后另存为 .docx，或导出为文字版 PDF。"
            )
            % {"source": source_name, "ext": ext}
        )
    return "text"


def _sniff_zip(data: bytes, *, source_name: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentError(
            _("%(source)s：文件已损坏（压缩包无法打开）；请重新导出 .docx 后再上传。")
            % {"source": source_name}
        ) from exc
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names or any(n.lower().endswith("ofd.xml") for n in names):
        raise DocumentError(
            _("%(source)s：暂不支持 OFD，请导出为 .docx 或文字版 PDF 后再上传。")
            % {"source": source_name}
        )
    if "xl/workbook.xml" in names:
        raise DocumentError(
            _("%(source)s：这是 Excel 表格；责任清单表格请用“导入责任清单”（import_list）导入。")
            % {"source": source_name}
        )
    if "content.xml" in names and "mimetype" in names:
        raise DocumentError(
            _("%(source)s：这是 OpenDocument 文件（.odt）；请另存为 .docx 后再上传。")
            % {"source": source_name}
        )
    raise DocumentError(
        _("%(source)s：这是一个压缩包，不是 Word 文档（.docx）；请解压后上传其中的文件。")
        % {"source": source_name}
    )


# -- Radicals -------------------------------------------------------------------------------
# PDF text layers often carry a radical's code point for the ideograph it looks like
# ("⻘⼭县⼈⺠政府"). NFKC maps the Kangxi Radicals (U+2F00–U+2FD5), not the CJK Radicals
# Supplement (U+2E80–U+2EF3); the pairs below are Unicode's EquivalentUnifiedIdeograph.txt
# for that block (Unicode 15). Only these blocks (and the compatibility ideographs, which
# NFC maps) are touched: full NFKC would also turn "（" into "(" and change the seeds.
_SUPPLEMENT_PAIRS = (  # one string: radical, ideograph, radical, ideograph …
    "⺁厂⺂乛⺃乚⺄乙⺅亻⺆冂⺇𠘨⺈刀⺉刂⺊卜⺋㔾⺌小"
    "⺍小⺎兀⺏尣⺐尢⺑𡯂⺒巳⺓幺⺔彑⺕𫜹⺖忄⺗心⺘扌"
    "⺙攵⺛旡⺜日⺝月⺞歺⺟母⺠民⺡氵⺢氺⺣灬⺤爫⺥爫"
    "⺦丬⺧牛⺨犭⺩王⺪𤴔⺫目⺬示⺭礻⺮𥫗⺯糹⺰纟⺱罓"
    "⺲罒⺳㓁⺴冗⺵𦉫⺶羊⺷𦍌⺸𦍋⺹耂⺺肀⺻聿⺼肉⺽𦥑"
    "⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻇𧢲⻈讠⻉贝"
    "⻊𧾷⻋车⻌辶⻍辶⻎辶⻏邑⻐钅⻑長⻒镸⻓长⻔门⻕𨸏"
    "⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食⻞𩙿⻟飠⻠饣⻡𩠐"
    "⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯"
    "⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)


def _radical_table() -> dict[int, str]:
    pairs = _SUPPLEMENT_PAIRS
    table = {ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs), 2)}
    for code in range(0x2F00, 0x2FD6):  # Kangxi Radicals
        table[code] = unicodedata.normalize("NFKC", chr(code))
    for code in range(0xF900, 0xFB00):  # CJK Compatibility Ideographs
        mapped = unicodedata.normalize("NFC", chr(code))
        if mapped != chr(code):
            table[code] = mapped
    return table


RADICALS = _radical_table()
_RADICAL_RE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")


def unify_radicals(text: str) -> str:
    """Radicals to ideographs, "⻘⼭县⼈⺠政府" → "青山县人民政府"; other text is unchanged."""
    if not _RADICAL_RE.search(text):
        return text
    return text.translate(RADICALS)


# -- Table cells ----------------------------------------------------------------------------
_CLOSING = "。；;，,、：:！？!?）)】”"
_NUMBERED_START_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[、.．]|[①-⑳⑴-⒇]|第[一二三四五六七八九十百\d]+[章节条])"
)


def starts_numbered_item(text: str) -> bool:
    return bool(_NUMBERED_START_RE.match(text))


def join_cell_lines(lines: list[str], *, wrapped: list[bool] | None = None) -> str:
    """A table cell's lines as one, for a tab-separated line.

    A line that fills the cell's width was wrapped by the layout and runs on; a line
    that ended early ended on purpose (a Word paragraph, a unit on a line of its own:
    "县财政局⏎县农业农村局"), so it is joined with "、" unless punctuation already
    separates the two.
    """
    lines = [re.sub(r"\s+", " ", line).strip() for line in lines]
    wrapped = wrapped or [False] * len(lines)
    out = ""
    for index, line in enumerate(lines):
        if not line:
            continue
        if out:
            previous_wrapped = wrapped[index - 1] if index else False
            if previous_wrapped or out[-1] in _CLOSING or starts_numbered_item(line):
                out += "" if re.match(f"[{CJK}（(“]", line) or out[-1] in _CLOSING else " "
            elif re.match(f"[{CJK}]", out[-1]) and re.match(f"[{CJK}]", line):
                out += "、"
            else:
                out += " "
        out += line
    return out.replace("\t", " ")


def table_lines(rows: list[list[str]]) -> list[str]:
    """Rows of resolved cell texts → tab-separated lines. A row given as one cell (a cell
    merged across the whole table: a section title, the table's caption) is a plain line."""
    lines = []
    for cells in rows:
        if not any(cells):
            continue
        lines.append(
            cells[0] if len(cells) == 1 else "\t".join(c.replace("\t", " ") for c in cells)
        )
    return lines
