""".docx → text: the body's paragraphs and tables in document order (formats.read_document).

Page headers and footers are parts of their own and are not read. Tables are read from the
XML grid, so merged cells come out the way a reader sees them: a vertically merged cell
(w:vMerge) gives its text to every row it spans, a horizontally merged one (w:gridSpan) is
written once, in its first column, and a cell merged across the whole table is a plain line.
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext as _

from .errors import DocumentError
from .formats import join_cell_lines, starts_numbered_item, table_lines
from .text import int_to_cn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def read_docx(data: bytes, *, source_name: str) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml and zip errors
        raise DocumentError(
            _("%(source)s：Word 文件已损坏，无法打开；请在 Word/WPS 中重新另存为 .docx 后再上传。")
            % {"source": source_name}
        ) from exc
    numbering = Numbering(document)
    lines: list[str] = []
    _read_block(document.element.body, lines, numbering)
    return "\n".join(lines) + "\n"


def _read_block(container, lines: list[str], numbering: Numbering) -> None:
    for child in container.iterchildren():
        if child.tag == f"{W}p":
            lines.extend(_paragraph_lines(child, numbering))
        elif child.tag == f"{W}tbl":
            lines.extend(table_lines(_table_rows(child, numbering)))
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
            _read_block(
                child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child, lines, numbering
            )


def _paragraph_lines(p, numbering: Numbering) -> list[str]:
    """A paragraph's text (soft line breaks start new lines), its list number in front;
    text boxes anchored in it come first, as lines of their own."""
    boxes: list[str] = []
    parts: list[str] = []
    for el in _walk(p, boxes, numbering):
        tag = el.tag
        if tag == f"{W}t":
            parts.append(el.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr") and el.get(f"{W}type") != "page":
            parts.append("\n")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
    text = "".join(parts)
    prefix = numbering.prefix(p)
    if prefix and not starts_numbered_item(text):
        text = prefix + text
    return boxes + [line.rstrip() for line in text.split("\n")]


def _walk(el, boxes: list[str], numbering: Numbering):
    for child in el.iterchildren():
        if child.tag in (f"{W}del", f"{W}pPr", f"{W}rPr", MC_FALLBACK):
            continue  # deleted text, properties, the fallback copy of a text box
        if child.tag == f"{W}txbxContent":
            _read_block(child, boxes, numbering)
            continue
        yield child
        yield from _walk(child, boxes, numbering)


def _table_rows(tbl, numbering: Numbering) -> list[list[str]]:
    width = len(tbl.findall(f"{W}tblGrid/{W}gridCol")) or None
    grid: list[list[str]] = []  # resolved text per grid column
    rows: list[list[str]] = []
    for tr in tbl.findall(f"{W}tr"):
        texts: list[str] = []
        written: list[str] = []
        before = _int_attr(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        texts += [""] * before
        written += [""] * before
        cells = tr.findall(f"{W}tc")
        for tc in cells:
            span = _int_attr(tc.find(f"{W}tcPr/{W}gridSpan"), 1)
            v_merge = tc.find(f"{W}tcPr/{W}vMerge")
            column = len(texts)
            if v_merge is not None and v_merge.get(f"{W}val", "continue") == "continue" and grid:
                above = grid[-1]
                text = above[column] if column < len(above) else ""
            else:
                text = _cell_text(tc, numbering)
            texts += [text] * span
            written += [text] + [""] * (span - 1)
        grid.append(texts)
        total = width or len(texts)
        if len(cells) == 1 and _int_attr(cells[0].find(f"{W}tcPr/{W}gridSpan"), 1) >= total > 1:
            rows.append([written[before]])
        else:
            rows.append(written + [""] * max(0, total - len(written)))
    return rows


def _cell_text(tc, numbering: Numbering) -> str:
    lines: list[str] = []
    _read_block(tc, lines, numbering)
    return join_cell_lines(lines)


def _int_attr(el, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(f"{W}val"))
    except (TypeError, ValueError):
        return default


# -- List numbering ---------------------------------------------------------------------------
# Word keeps automatic numbers ("一、", "（一）", "1.") out of the text, in numbering.xml. The
# counting formats of Chinese documents are reproduced below; any other format (letters,
# roman numerals, bullets, legal numbering) is left out and the paragraph keeps its words
# only, so such a list reads as unnumbered text.
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PARENTHESIZED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _format_number(n: int, fmt: str) -> str | None:
    if fmt == "decimal":
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting") and n < 100:
        return int_to_cn(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 0 < n <= 20:
        return _PARENTHESIZED[n - 1]
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return _STEMS[n - 1]
    return None


class Numbering:
    """Counts a document's automatic list numbers in reading order."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_based_on: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            root = None
        if root is not None:
            self._read_numbering(root)
        try:
            styles = document.part.styles.element
        except (NotImplementedError, KeyError, AttributeError):
            styles = None
        if styles is not None:
            for style in styles.findall(f"{W}style"):
                style_id = style.get(f"{W}styleId")
                based = style.find(f"{W}basedOn")
                if based is not None:
                    self.style_based_on[style_id] = based.get(f"{W}val")
                num_pr = style.find(f"{W}pPr/{W}numPr")
                if num_pr is not None:
                    self.style_num[style_id] = _num_pr(num_pr)

    def _read_numbering(self, root) -> None:
        for abstract in root.findall(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.findall(f"{W}lvl"):
                fmt = lvl.find(f"{W}numFmt")
                text = lvl.find(f"{W}lvlText")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (
                    fmt.get(f"{W}val") if fmt is not None else "decimal",
                    text.get(f"{W}val", "") if text is not None else "",
                    _int_attr(lvl.find(f"{W}start"), 1),
                )
            self.levels[abstract.get(f"{W}abstractNumId")] = levels
        for num in root.findall(f"{W}num"):
            abstract_id = num.find(f"{W}abstractNumId")
            overrides = {
                int(o.get(f"{W}ilvl", "0")): _int_attr(o.find(f"{W}startOverride"), 1)
                for o in num.findall(f"{W}lvlOverride")
                if o.find(f"{W}startOverride") is not None
            }
            if abstract_id is not None:
                self.nums[num.get(f"{W}numId")] = (abstract_id.get(f"{W}val"), overrides)

    def _num_of(self, p) -> tuple[str | None, int]:
        num_id, level = None, None
        num_pr = p.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            num_id, level = _num_pr(num_pr)
        style = p.find(f"{W}pPr/{W}pStyle")
        style_id = style.get(f"{W}val") if style is not None else None
        seen = set()
        while style_id and style_id not in seen and (num_id is None or level is None):
            seen.add(style_id)
            style_num, style_level = self.style_num.get(style_id, (None, None))
            num_id = num_id or style_num
            level = level if level is not None else style_level
            style_id = self.style_based_on.get(style_id)
        return num_id, level or 0

    def prefix(self, p) -> str:
        num_id, level = self._num_of(p)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if level not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = overrides.get(level, levels[level][2])
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        fmt, text, _start = levels[level]
        if fmt in ("bullet", "none") or not text:
            return ""

        def number(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            k_fmt, _text, k_start = levels.get(k, ("decimal", "", 1))
            value = _format_number(counters.get(k, overrides.get(k, k_start)), k_fmt)
            if value is None:
                raise LookupError
            return value

        try:
            return re.sub(r"%([1-9])", number, text)
        except LookupError:
            return ""


def _num_pr(num_pr) -> tuple[str | None, int | None]:
    num_id = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    return (
        num_id.get(f"{W}val") if num_id is not None else None,
        _int_attr(ilvl, 0) if ilvl is not None else None,
    )
