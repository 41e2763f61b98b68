"""The 责任清单 (responsibility list) in Longde's columns, as rows, CSV and Excel.

One service serves the API, the browser's Excel button and the export command. Every CSV
and Excel file the system writes goes through `csv_cell` / `append_row` here (the assessment
workbook too), so text that starts like a formula is never a formula (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections import OrderedDict, defaultdict

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from obligations.models import ObligationPerson, ObligationUnit
from obligations.selectors.register import register_obligations

COLUMNS = ["序号", "主要事项", "具体内容", "主要措施", "责任领导", "责任单位", "责任人", "配合单位",
           "完成时限", "备注"]
KEYS = ["number", "matter", "content", "measures", "leaders", "lead_units", "persons",
        "supporting_units", "deadline", "note"]
# Column widths of the source table (003's appendix), in characters.
WIDTHS = [6, 18, 20, 60, 10, 14, 10, 30, 18, 16]


# A cell starting with one of these is a formula to Excel, WPS and LibreOffice (OWASP "CSV
# injection": =HYPERLINK(…), +cmd|…, -2+3, @SUM(…); tab and CR are skipped before them).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    """Text that a spreadsheet program would evaluate. Numbers are data, never this."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    """A CSV value shown as text: a formula-leading text gets a leading single quote."""
    return "'" + value if is_formula_like(value) else value


def append_row(sheet, values) -> None:
    """A row of an openpyxl sheet where text stays text: openpyxl writes a str starting
    with "=" as a formula, so such cells are made string cells (the value is kept as it is,
    for the list import's round trip) and marked quotePrefix, as Excel does for '=… typed in."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if is_formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


def responsibility_rows(obligations) -> list[dict]:
    """One row per measure, numbered per document; units and people as written."""
    # The register's measures and order, with units and people read as plain rows: a county's
    # list is hundreds of measures, and a prefetch builds a queryset per measure (issue 17:
    # two thirds of the API's time under load).
    measures = list(register_obligations().filter(pk__in=obligations.values("pk"))
                    .prefetch_related(None))
    ids = [m.pk for m in measures]
    unit_refs: dict[int, list] = defaultdict(list)
    for row in (ObligationUnit.objects.filter(obligation_id__in=ids).order_by("role", "position")
                .values_list("obligation_id", "role", "written_name", "from_rule", named=True)):
        unit_refs[row.obligation_id].append(row)
    person_refs: dict[int, list] = defaultdict(list)
    for row in (ObligationPerson.objects.filter(obligation_id__in=ids)
                .order_by("role", "position")
                .values_list("obligation_id", "role", "written_name", named=True)):
        person_refs[row.obligation_id].append(row)
    rows = []
    counters: dict[int, int] = {}
    for obligation in measures:
        counters[obligation.document_id] = counters.get(obligation.document_id, 0) + 1
        refs = unit_refs[obligation.pk]
        people = person_refs[obligation.pk]
        document = obligation.document
        rows.append({
            "number": counters[obligation.document_id],
            "code": obligation.code,
            "document": document.doc_number or document.title,
            "document_id": obligation.document_id,
            "matter": obligation.parent.title if obligation.parent_id else "",
            "content": obligation.title,
            "measures": obligation.text,
            "leaders": "、".join(p.written_name for p in people if p.role == "leader"),
            "lead_units": "、".join(r.written_name for r in refs if r.role == "lead"
                                    and not r.from_rule) or "未明确责任单位",
            "persons": "、".join(p.written_name for p in people if p.role == "person"),
            "supporting_units": "、".join(r.written_name for r in refs
                                          if r.role == "support" and not r.from_rule),
            "deadline": obligation.deadline_text or obligation.deadline.get("words", ""),
            "note": obligation.code,
        })
    return rows


def to_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["文件", *COLUMNS])
    for row in rows:
        writer.writerow([csv_cell(v) for v in (row["document"], *(row[k] for k in KEYS))])
    return buffer.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 CSV with the BOM


def to_xlsx(rows: list[dict]) -> bytes:
    """One sheet per document; header as in the source table, frozen; widths as there."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    by_document: OrderedDict[int, list[dict]] = OrderedDict()
    for row in rows:
        by_document.setdefault(row["document_id"], []).append(row)
    if not by_document:
        by_document[0] = []
    used = set()
    for rows_of_document in by_document.values():
        title = _sheet_title(rows_of_document[0]["document"] if rows_of_document else "责任清单", used)
        sheet = workbook.create_sheet(title)
        header_row(sheet, COLUMNS, WIDTHS)
        for row in rows_of_document:
            append_row(sheet, [row[k] for k in KEYS])
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def header_row(sheet, columns: list[str], widths: list[int]) -> None:
    """The first row of our workbooks: bold on light blue, centred; the columns' widths."""
    append_row(sheet, columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _sheet_title(name: str, used: set) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join("_" if c in '[]:*?/\\' else c for c in name)[:28] or "责任清单"
    title, n = clean, 2
    while title in used:
        title, n = f"{clean[:26]}({n})", n + 1
    used.add(title)
    return title
