"""Reading an Excel sheet whose header row names its columns, the way counties keep lists
(the funds' project library and asset ledger, the villages' household rosters): the first
sheet with a matching header within its first rows, each row as {field: cell}, each problem
named by row and column as Excel shows them (第5行 H列“资金规模（万元）”).

The workbook is checked before openpyxl opens it (zipcheck: size, ratio, declared dimensions,
shared strings) and read with capped rows and columns. Pure: no models.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from obligations.importers.errors import DocumentError
from obligations.importers.excel import cell_text
from obligations.importers.zipcheck import Limits, check_archive

HEADER_SEARCH_ROWS = 10


def norm_header(text: str) -> str:
    """A header as compared: without spaces, brackets, colons and commas."""
    return re.sub(r"[\s（）()：:、，,]", "", text or "")


@dataclass
class Problem:
    row: int | None
    column: str  # "H列“资金规模（万元）”" or ""
    message: str

    @property
    def where(self) -> str:
        parts = []
        if self.row:
            parts.append(_("第%(n)s行") % {"n": self.row})
        if self.column:
            parts.append(self.column)
        return " ".join(parts) or _("整个工作表")


@dataclass
class Sheet:
    columns: dict[str, str]  # field → "H列“资金规模（万元）”"
    headers: dict[str, str]  # field → the header as written
    rows: list[tuple[int, dict]]


def read_sheet(data: bytes, *, file_name: str, headers: dict[str, list[str]],
               required: tuple[str, ...], max_rows: int = 5000
               ) -> tuple[Sheet | None, list[Problem]]:
    """The first sheet with a matching header row (within its first 10 rows); at most
    `max_rows` data rows (the archive's own limit is raised to match when larger)."""
    source = file_name or _("上传的文件")
    limits = Limits.from_settings()
    if max_rows + HEADER_SEARCH_ROWS > limits.max_rows:
        # a longer list (a village roster) gets room in proportion: unpacked size, parse time
        factor = (max_rows + HEADER_SEARCH_ROWS) / limits.max_rows
        limits = replace(limits, max_rows=max_rows + HEADER_SEARCH_ROWS,
                         max_unpacked_bytes=int(limits.max_unpacked_bytes * factor),
                         parse_seconds=limits.parse_seconds * factor)
    if not data.startswith(b"PK\x03\x04"):
        raise _unreadable(source)
    check_archive(data, source_name=source, limits=limits)
    deadline = limits.deadline()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for ws in book.worksheets:
                deadline.check(source)
                found = _read(ws.iter_rows(values_only=True, max_row=limits.max_rows + 1,
                                           max_col=min(ws.max_column or limits.max_columns,
                                                       limits.max_columns)),
                              headers, required, deadline, source, max_rows)
                if found is not None:
                    return found, []
        finally:
            book.close()
    except DocumentError:
        raise
    except Exception as error:  # noqa: BLE001 — any failure inside openpyxl is the same answer
        raise _unreadable(source) from error
    names = "、".join(f"“{headers[f][0]}”" for f in required)
    return None, [Problem(None, "", _("前%(n)s行中找不到表头：须有 %(names)s 等列（可先导出一份作为模板）")
                          % {"n": HEADER_SEARCH_ROWS, "names": names})]


def _unreadable(source: str) -> DocumentError:
    return DocumentError(
        _("%(source)s 不是可读取的 Excel 工作簿（.xlsx）；请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。")
        % {"source": source})


def _read(rows, headers, required, deadline, source, max_rows):
    lookup = {alias: name for name, aliases in headers.items() for alias in aliases}
    mapping = None
    sheet = None
    for row_no, values in enumerate(rows, start=1):
        if row_no % 200 == 0:
            deadline.check(source)
        if mapping is None:
            if row_no > HEADER_SEARCH_ROWS:
                return None
            cells = [cell_text(v) for v in values]
            candidate = {}
            for index, cell in enumerate(cells):
                name = lookup.get(norm_header(cell))
                if name and name not in candidate.values():
                    candidate[index] = name
            if all(f in candidate.values() for f in required):
                mapping = candidate
                sheet = Sheet(
                    columns={f: _("%(letter)s列“%(name)s”") % {
                        "letter": get_column_letter(i + 1), "name": cells[i]}
                        for i, f in mapping.items()},
                    headers={f: cells[i] for i, f in mapping.items()}, rows=[])
            continue
        if len(sheet.rows) >= max_rows:
            raise DocumentError(_("%(source)s：超过 %(max)s 行，请分成几个文件导入")
                                % {"source": source, "max": max_rows})
        by_field = {}
        for index, name in mapping.items():
            value = values[index] if index < len(values) else None
            by_field[name] = value
        if not any(cell_text(v) for v in by_field.values()):
            continue
        sheet.rows.append((row_no, by_field))
    return sheet
