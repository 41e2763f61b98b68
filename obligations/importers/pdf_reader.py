"""Text-layer .pdf → text (formats.read_document), page by page in reading order.

What a reader skips is skipped: running headers and footers (a line at the same place on
most pages) and page numbers ("- 3 -", "第3页", "3/12", a lone number at the top or bottom).
What the layout broke is joined: lines wrapped inside a paragraph, a paragraph that runs on
over a page break, and a table that goes on over the next page (same columns; a header the
table repeats on every page is dropped; a row split by the break is put back together).
Tables come from `page.find_tables()` (ruled tables); text outside them is read from the
page filtered to what lies outside every table's box.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .errors import DocumentError
from .formats import (
    MAX_PDF_PAGES,
    join_cell_lines,
    starts_numbered_item,
    table_lines,
    unify_radicals,
)
from .text import CJK

# pdfminer logs a warning per glyph for fonts without a FontBBox (Chromium's, Word's subsets).
logging.getLogger("pdfminer").setLevel(logging.ERROR)

BAND = 0.12  # the top and bottom 12 % of a page hold its running header and footer
_SENTENCE_END = "。；;：:！!？?"
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–―_\s]*\d{1,4}[-—–―_\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"
    r"|[Pp]age\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
_CJK_GAP_RE = re.compile(
    f"(?<=[{CJK}，。、；：！？（）《》“”])\\s+(?=[{CJK}，。、；：！？（）《》“”])"
)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int


@dataclass
class Grid:
    rows: list[list[str]]
    top: float
    page: int
    columns: int = field(init=False)
    start: int = 0  # where its lines begin in the output, to rewrite them when it continues

    def __post_init__(self) -> None:
        self.columns = max((len(r) for r in self.rows), default=0)


def read_pdf(data: bytes, *, source_name: str) -> str:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as exc:  # pdfminer wraps its errors; a password is the usual one
        if _is_password_error(exc):
            raise DocumentError(
                _(
                    "%(source)s：PDF 已加密（设有打开密码）；请取消密码或导出未加密的文字版 PDF 后再上传。"
                )
                % {"source": source_name}
            ) from exc
        raise DocumentError(
            _("%(source)s：PDF 文件已损坏，无法打开；请重新导出文字版 PDF 后再上传。")
            % {"source": source_name}
        ) from exc
    with pdf:
        if len(pages) > MAX_PDF_PAGES:
            raise DocumentError(
                _("%(source)s：PDF 共 %(n)s 页，超过 %(max)s 页的上限；请只上传文件正文部分。")
                % {"source": source_name, "n": len(pages), "max": MAX_PDF_PAGES}
            )
        try:
            blocks = [_page_blocks(page, number) for number, page in enumerate(pages, start=1)]
            scanned = [n for n, page in enumerate(pages, start=1) if _is_image_only(page)]
        except Exception as exc:
            if _is_password_error(exc):
                raise DocumentError(
                    _("%(source)s：PDF 已加密；请取消密码或导出未加密的文字版 PDF 后再上传。")
                    % {"source": source_name}
                ) from exc
            raise DocumentError(
                _("%(source)s：PDF 文件内容无法读取（%(error)s）；请重新导出文字版 PDF 后再上传。")
                % {"source": source_name, "error": type(exc).__name__}
            ) from exc
        text_pages = sum(1 for page_blocks in blocks if page_blocks)
        if not text_pages or len(scanned) * 2 > len(pages):
            raise DocumentError(
                _(
                    "%(source)s：这是扫描件，没有文字层；请上传文字版 PDF 或 .docx"
                    "（扫描页：第 %(pages)s 页）。"
                )
                % {"source": source_name, "pages": "、".join(map(str, scanned[:10])) or "全部"}
            )
        _drop_running_lines(blocks, [(p.height, p.width) for p in pages])
    return "\n".join(_render(blocks)) + "\n"


def _squeeze(text: str) -> str:
    """Radicals mapped first (Chromium and Word write 青, 大, 工 as radicals), then the gaps
    that justified type leaves between Chinese characters removed."""
    return _CJK_GAP_RE.sub("", unify_radicals(text)).strip()


def _is_password_error(exc: BaseException) -> bool:
    seen = 0
    while exc is not None and seen < 5:
        if "Password" in type(exc).__name__ or "password" in str(exc).lower():
            return True
        if "Encrypt" in type(exc).__name__:
            return True
        exc = (
            exc.__cause__
            or exc.__context__
            or (exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None)
        )
        seen += 1
    return False


def _is_image_only(page) -> bool:
    return not page.chars and bool(page.images)


def _page_blocks(page, number: int) -> list[Line | Grid]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    blocks: list[Line | Grid] = []
    for raw in text_page.extract_text_lines(strip=True, return_chars=False):
        text = _squeeze(raw["text"])
        if text:
            blocks.append(Line(text, raw["x0"], raw["x1"], raw["top"], raw["bottom"], number))
    for table in tables:
        rows = _table_rows(page, table)
        if rows:
            blocks.append(Grid(rows, table.bbox[1], number))
    blocks.sort(key=lambda b: b.top)
    return blocks


def _table_rows(page, table) -> list[list[str]]:
    """The table's rows with merged cells resolved: pdfplumber leaves None where a merged
    cell covers a position; covered from the left it is written once, covered from above
    it repeats the text of the cell above."""
    texts = table.extract()
    geometry = [row.cells for row in table.rows]
    width = max((len(r) for r in geometry), default=0)
    spans = _column_spans(geometry, width)
    table_x0, _top, table_x1, _bottom = table.bbox
    resolved: list[list[str]] = []
    rows: list[list[str]] = []
    for cells, boxes in zip(texts, geometry, strict=False):
        row: list[str] = []
        for c in range(width):
            box = boxes[c] if c < len(boxes) else None
            if box is not None:
                row.append(_cell_text(page, box, cells[c] if c < len(cells) else None))
            elif _covered_from_left(boxes, c, spans) or not resolved:
                row.append("")
            else:
                row.append(resolved[-1][c])
        resolved.append(row)
        real = [b for b in boxes if b is not None]
        if (
            len(real) == 1
            and real[0][0] <= table_x0 + 1
            and real[0][2] >= table_x1 - 1
            and width > 1
        ):
            rows.append([row[0]])
        else:
            rows.append(_written_once(row, boxes, spans))
    return rows


def _written_once(row: list[str], boxes, spans) -> list[str]:
    return [
        ""
        if (c < len(boxes) and boxes[c] is None and _covered_from_left(boxes, c, spans))
        else text
        for c, text in enumerate(row)
    ]


def _column_spans(geometry, width: int) -> list[tuple[float, float] | None]:
    spans: list[tuple[float, float] | None] = []
    for c in range(width):
        found = None
        for boxes in geometry:
            if c < len(boxes) and boxes[c] is not None:
                x0, _t, x1, _b = boxes[c]
                if found is None or x1 - x0 < found[1] - found[0]:
                    found = (x0, x1)  # the narrowest box is the column itself, not a span
        spans.append(found)
    return spans


def _covered_from_left(boxes, c: int, spans) -> bool:
    middle = spans[c] and (spans[c][0] + spans[c][1]) / 2
    for left in range(c - 1, -1, -1):
        if left < len(boxes) and boxes[left] is not None:
            return middle is None or boxes[left][2] > middle
    return False


def _cell_text(page, box, text: str | None) -> str:
    if not text:
        return ""
    if "\n" not in text:
        return _squeeze(text)
    lines = page.crop(box).extract_text_lines(strip=True, return_chars=True)
    if not lines:
        return join_cell_lines([_squeeze(t) for t in text.split("\n")])
    right = box[2]
    wrapped = []
    for line in lines:
        sizes = [ch["x1"] - ch["x0"] for ch in line["chars"]] or [10.0]
        wrapped.append(line["x1"] >= right - 2.5 * max(sizes))
    return join_cell_lines([_squeeze(line["text"]) for line in lines], wrapped=wrapped)


# -- Running headers, footers, page numbers ----------------------------------------------------


def _band_lines(page_blocks, height: float) -> list[tuple[Line, str]]:
    lines = [b for b in page_blocks if isinstance(b, Line)]
    out = []
    for line in lines[:2]:
        if line.bottom <= height * BAND:
            out.append((line, "top"))
    for line in lines[-2:]:
        if line.top >= height * (1 - BAND) and all(line is not o for o, _ in out):
            out.append((line, "bottom"))
    return out


def _drop_running_lines(blocks: list[list[Line | Grid]], sizes: list[tuple[float, float]]) -> None:
    def key(line: Line, where: str, height: float) -> tuple:
        position = line.top if where == "top" else height - line.bottom
        return (where, re.sub(r"\d+", "#", re.sub(r"\s", "", line.text)), round(position / 6))

    counts: Counter = Counter()
    for page_blocks, (height, _w) in zip(blocks, sizes, strict=True):
        counts.update(
            {key(line, where, height) for line, where in _band_lines(page_blocks, height)}
        )
    enough = max(2, math.ceil(len(blocks) / 2))
    for page_blocks, (height, _w) in zip(blocks, sizes, strict=True):
        for line, where in _band_lines(page_blocks, height):
            if _PAGE_NUMBER_RE.match(line.text.strip()) or (
                len(blocks) > 1 and counts[key(line, where, height)] >= enough
            ):
                page_blocks.remove(line)


# -- Putting the pages together ------------------------------------------------------------------


def _render(blocks: list[list[Line | Grid]]) -> list[str]:
    lines = [b for page in blocks for b in page if isinstance(b, Line)]
    if lines:
        rights = sorted(line.x1 for line in lines)
        lefts = sorted(line.x0 for line in lines)
        right = rights[int(len(rights) * 0.9)]
        left = lefts[int(len(lefts) * 0.1)]
        char = _median_char_width(lines)
    else:
        right = left = char = 0.0
    out: list[str] = []
    previous: Line | Grid | None = None
    for block in (b for page in blocks for b in page):
        if isinstance(block, Grid):
            if isinstance(previous, Grid) and _continues(previous, block):
                _append_continuation(previous, block)
                out[previous.start :] = table_lines(previous.rows)
                continue
            block.start = len(out)
            out.extend(table_lines(block.rows))
        elif isinstance(previous, Line) and out and _runs_on(previous, block, left, right, char):
            joint = (
                ""
                if re.match(f"[{CJK}（“《]", block.text) or re.search(f"[{CJK}，、]$", out[-1])
                else " "
            )
            out[-1] += joint + block.text
        else:
            out.append(block.text)
        previous = block
    return out


def _median_char_width(lines: list[Line]) -> float:
    widths = sorted(
        (line.x1 - line.x0) / max(len(line.text), 1) for line in lines if len(line.text) > 5
    )
    return widths[len(widths) // 2] if widths else 10.0


def _runs_on(previous: Line, line: Line, left: float, right: float, char: float) -> bool:
    if starts_numbered_item(line.text):
        return False
    reaches_right = previous.x1 >= right - 1.5 * char
    indented = line.x0 >= left + 1.5 * char
    if line.page != previous.page:
        return previous.text[-1] not in _SENTENCE_END and (reaches_right or not indented)
    return reaches_right and not indented


def _continues(previous: Grid, grid: Grid) -> bool:
    return grid.page == previous.page + 1 and grid.columns == previous.columns


def _append_continuation(previous: Grid, grid: Grid) -> None:
    rows = list(grid.rows)
    if rows and previous.rows and rows[0] == previous.rows[0]:
        rows = rows[1:]  # the header, repeated on the new page
    if rows and previous.rows:
        first, last = rows[0], previous.rows[-1]
        if len(first) == len(last) > 1 and not first[0] and last[0] and any(first[1:]):
            # A row split by the page break: its first cell (the number) stays on the page before.
            previous.rows[-1] = [
                join_cell_lines([a, b], wrapped=[True, False]) if a and b else a or b
                for a, b in zip(last, first, strict=True)
            ]
            rows = rows[1:]
    previous.rows.extend(rows)
