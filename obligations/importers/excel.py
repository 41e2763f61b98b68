"""A county's 责任清单 kept in Excel (.xlsx): sheets → rows in Longde's columns.

Pure reading, no database: each sheet's header row is found among its first rows and
matched leniently (`table.header_map`: 牵头单位 for 责任单位, 完成时间 for 完成时限);
merged 主要事项 cells repeat the value above. Every problem names its sheet, row and
column as Excel shows them (第5行 D列“主要措施”).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .errors import DocumentError
from .table import COLUMNS, TableRow, header_map
from .text import clean_line, squeeze
from .zipcheck import Deadline, Limits, check_archive

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 5000
NO_LEAD = "未明确责任单位"  # what the export writes in an empty 责任单位 cell
TITLE_MAX = 300
DEADLINE_MAX = 200


@dataclass
class Problem:
    sheet: str
    row: int | None  # Excel row number; None for the whole sheet
    column: str  # "D列“主要措施”" or ""
    message: str
    blocking: bool = True  # False: shown, but the import may go on

    @property
    def where(self) -> str:
        parts = [_("工作表“%(s)s”") % {"s": self.sheet}]
        if self.row:
            parts.append(_("第%(n)s行") % {"n": self.row})
        if self.column:
            parts.append(self.column)
        return " ".join(parts)


@dataclass
class Sheet:
    name: str
    rows: list[TableRow] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → "D列“主要措施”"
    problems: list[Problem] = field(default_factory=list)


def cell_text(value) -> str:
    """A cell as the words a reader sees: dates as 2021年6月30日, 3.0 as 3."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return squeeze(clean_line(str(value)))


def read_workbook(data: bytes, *, source_name: str = "", limits: Limits | None = None) -> list[Sheet]:
    """The workbook's sheets. The zip is checked first (zipcheck: unpacked size, compression
    ratio, declared dimensions, shared strings); openpyxl is then asked for at most
    `limits.max_rows` rows and `limits.max_columns` columns, under `limits.parse_seconds`."""
    source = source_name or _("上传的文件")
    limits = limits or Limits.from_settings()
    if not data.startswith(b"PK\x03\x04"):
        raise _unreadable(source)
    check_archive(data, source_name=source, limits=limits)
    deadline = limits.deadline()
    # An upload is untrusted: a broken or foreign file can fail anywhere inside openpyxl
    # (zip, XML, styles), while opening or while reading rows. Any such failure is the
    # same answer to the user; our own refusals (too big, too slow) keep their message.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = []
            for ws in workbook.worksheets:
                deadline.check(source)
                rows = ws.iter_rows(values_only=True, max_row=limits.max_rows + 1,
                                    max_col=min(ws.max_column or limits.max_columns,
                                                limits.max_columns))
                sheets.append(_read_sheet(ws.title, rows, deadline=deadline, source=source,
                                          max_rows=limits.max_rows))
            return sheets
        finally:
            workbook.close()
    except DocumentError:
        raise
    except Exception as error:  # noqa: BLE001
        raise _unreadable(source) from error


def _unreadable(source: str) -> DocumentError:
    return DocumentError(
        _("%(source)s 不是可读取的 Excel 工作簿（.xlsx）；请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。")
        % {"source": source})


def _column_label(index: int, field_name: str) -> str:
    return _("%(letter)s列“%(name)s”") % {
        "letter": get_column_letter(index + 1), "name": COLUMNS[field_name][0]}


def _read_sheet(name: str, rows, *, deadline: Deadline | None = None, source: str = "",
                max_rows: int | None = None) -> Sheet:
    sheet = Sheet(name)
    mapping = None
    matter = ""
    numbers: dict[int, int] = {}
    for row_no, values in enumerate(rows, start=1):
        if deadline is not None:
            deadline.check(source)
        cells = [cell_text(v) for v in values]
        if mapping is None:
            mapping = header_map(cells)
            if mapping is not None:
                sheet.columns = {f: _column_label(i, f) for i, f in mapping.items()}
            elif row_no >= HEADER_SEARCH_ROWS:
                break
            continue
        if not any(cells):
            continue
        if max_rows is not None and row_no > max_rows:
            sheet.problems.append(Problem(name, row_no, "", _(
                "工作表超过 %(max)s 行（上传文件的行数上限），请拆分后导入") % {"max": max_rows}))
            break
        if len(sheet.rows) >= MAX_ROWS:
            sheet.problems.append(Problem(name, row_no, "", _(
                "超过 %(max)s 行，请分成几个工作表或几个文件导入") % {"max": MAX_ROWS}))
            break
        values_by_field = {f: (cells[i] if i < len(cells) else "") for i, f in mapping.items()}
        if "matter" in values_by_field:  # merged cells: a blank 主要事项 repeats the one above
            matter = values_by_field["matter"] or matter
            values_by_field["matter"] = matter
        if values_by_field.get("lead") == NO_LEAD:
            values_by_field["lead"] = ""
        number = _check_row(sheet, row_no, values_by_field, numbers)
        sheet.rows.append(TableRow(number, row_no, values_by_field))
    if mapping is None:
        sheet.problems.append(Problem(name, None, "", _(
            "前%(n)s行中找不到表头：须有“责任单位”（或“牵头单位”）列，以及“具体内容”或“主要措施”列")
            % {"n": HEADER_SEARCH_ROWS}))
    return sheet


def _check_row(sheet: Sheet, row_no: int, cells: dict, numbers: dict[int, int]) -> int | None:
    def problem(field_name: str, message: str) -> None:
        sheet.problems.append(Problem(sheet.name, row_no, sheet.columns.get(field_name, ""), message))

    number = None
    raw_number = cells.get("number", "")
    if raw_number:
        if raw_number.isdigit():
            number = int(raw_number)
            if number in numbers:
                problem("number", _("序号 %(n)s 与第%(row)s行重复") % {"n": number, "row": numbers[number]})
            numbers.setdefault(number, row_no)
        else:
            problem("number", _("序号“%(v)s”不是整数") % {"v": raw_number})
    title = cells.get("content") or cells.get("matter", "")
    if not (cells.get("content") or cells.get("measures")):
        problem("content" if "content" in sheet.columns else "measures",
                _("“具体内容”和“主要措施”都为空，无法确定这一行是什么事项"))
    elif len(title) > TITLE_MAX:
        problem("content", _("具体内容超过 %(n)s 个字，请精简或移到“主要措施”列") % {"n": TITLE_MAX})
    if len(cells.get("deadline", "")) > DEADLINE_MAX:
        problem("deadline", _("完成时限超过 %(n)s 个字") % {"n": DEADLINE_MAX})
    return number
