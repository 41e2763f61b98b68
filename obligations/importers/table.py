"""The 责任清单 table (Longde's appendix; also a county's own Excel list).

Columns are matched leniently (牵头单位 for 责任单位, 完成时间 for 完成时限).
Rows are merged into the measures of the text by title; every disagreement
between the table and the text, and every missing row, becomes a flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from .parsed import Flag, Node
from .text import clean_line, squeeze
from .units import split_names, split_people

COLUMNS = {
    "number": ("序号", "编号"),
    "matter": ("主要事项", "重点任务", "事项"),
    "content": ("具体内容", "工作内容", "任务名称", "内容"),
    "measures": ("主要措施", "具体措施", "工作措施", "措施"),
    "leaders": ("责任领导", "分管领导", "牵头领导"),
    "lead": ("责任单位", "牵头单位", "主责单位"),
    "persons": ("责任人", "具体责任人", "联系人"),
    "support": ("配合单位", "协办单位", "参与单位"),
    "deadline": ("完成时限", "完成时间", "时限要求", "时限"),
    "note": ("备注",),
}


@dataclass
class TableRow:
    number: int | None
    line_no: int
    cells: dict[str, str]


def header_map(cells: list[str]) -> dict[int, str] | None:
    """Column index → field, when the cells look like a 责任清单 header."""
    mapping = {}
    for index, cell in enumerate(cells):
        name = re.sub(r"\s", "", clean_line(cell))
        for field, names in COLUMNS.items():
            if field not in mapping.values() and any(name == n for n in names):
                mapping[index] = field
                break
    if "lead" in mapping.values() and (
        "content" in mapping.values() or "measures" in mapping.values()
    ):
        return mapping
    return None


def read_table(lines: list[str]) -> tuple[list[TableRow], set[int]]:
    """The rows of every tab-separated 责任清单 block, and the line numbers they used."""
    rows: list[TableRow] = []
    used: set[int] = set()
    mapping: dict[int, str] | None = None
    matter = ""
    for line_no, line in enumerate(lines, start=1):
        if line.count("\t") < 3:
            continue
        cells = line.split("\t")
        used.add(line_no)
        header = header_map(cells)
        if header:
            mapping = header
            continue
        if not mapping:
            continue
        values = {
            field: squeeze(clean_line(cells[i])) if i < len(cells) else ""
            for i, field in mapping.items()
        }
        # Merged cells: a blank 主要事项 repeats the one above.
        matter = values.get("matter") or matter
        values["matter"] = matter
        number = values.get("number", "")
        rows.append(TableRow(int(number) if number.isdigit() else None, line_no, values))
    return rows, used


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def merge_table(rows: list[TableRow], measures: list[Node], issued_on: str | None) -> list[Flag]:
    """Adds 责任人 and 完成时限 to the measures, and flags what disagrees or is missing."""
    flags: list[Flag] = []
    numbers = [r.number for r in rows if r.number is not None]
    if numbers:
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing:
            flags.append(Flag("table_missing", f"责任清单缺少第{_ranges(missing)}行（原文缺页）"))
    matched: set[int] = set()
    for row in rows:
        title = row.cells.get("content") or row.cells.get("matter", "")
        best, score = None, 0.0
        for index, measure in enumerate(measures):
            if index in matched:
                continue
            ratio = _similar(title, measure.title)
            if ratio > score:
                best, score = index, ratio
        label = f"责任清单第{row.number or row.line_no}行"
        if best is None or score < 0.5:
            flags.append(Flag("table_mismatch", f"{label}“{title}”在正文中找不到对应措施"))
            continue
        matched.add(best)
        _merge_row(row, measures[best], label, issued_on)
    for index, measure in enumerate(measures):
        if index not in matched and rows:
            measure.flags.append(Flag("table_missing", "责任清单中没有与本措施对应的行"))
    return flags


def _merge_row(row: TableRow, measure: Node, label: str, issued_on: str | None) -> None:
    cells = row.cells
    measure.persons = split_people(cells.get("persons", ""))
    measure.deadline_text = cells.get("deadline", "")
    measure.table_row = row.number
    checks = [
        ("责任领导", split_people(cells.get("leaders", "")), measure.leaders),
        ("责任单位", split_names(cells.get("lead", "")), measure.lead_units),
        ("配合单位", split_names(cells.get("support", ""), dedupe=False), measure.supporting_units),
    ]
    for column, in_table, in_text in checks:
        if not in_table or in_table == in_text or sorted(in_table) == sorted(in_text):
            continue
        if not in_text:  # the table is the only source: take it
            if column == "责任领导":
                measure.leaders = in_table
            continue
        extra = [n for n in in_table if n not in in_text]
        absent = [n for n in in_text if n not in in_table]
        duplicated = sorted({n for n in in_table if in_table.count(n) > 1})
        detail = []
        if extra:
            detail.append("表格多出“" + "、".join(extra) + "”")
        if absent:
            detail.append("表格缺少“" + "、".join(absent) + "”")
        if duplicated:
            detail.append("表格重复“" + "、".join(duplicated) + "”")
        if detail:
            measure.flags.append(
                Flag(
                    "table_mismatch",
                    f"{label}{column}与正文不一致："
                    + "；".join(detail)
                    + f"（正文：{'、'.join(in_text)}；表格：{'、'.join(in_table)}）",
                )
            )
    deadline = measure.deadline_text
    if issued_on and (date := _first_date(deadline)) and date < issued_on:
        measure.flags.append(
            Flag("deadline", f"{label}完成时限“{deadline}”早于文件印发日期{_cn_date(issued_on)}")
        )


def _first_date(text: str) -> str | None:
    match = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def _cn_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(year)}年{int(month)}月{int(day)}日"


def _ranges(numbers: list[int]) -> str:
    parts, start, prev = [], numbers[0], numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}–{prev}" if start != prev else str(start))
        if n is not None:
            start = prev = n
    return "、".join(parts)


def rows_to_measures(rows: list[TableRow]) -> list[Node]:
    """A document that is only a 责任清单: each row is a measure, grouped by 主要事项."""
    nodes: list[Node] = []
    groups: dict[str, Node] = {}
    for row in rows:
        cells = row.cells
        matter = cells.get("matter", "")
        parent = None
        if matter:
            if matter not in groups:
                groups[matter] = Node(
                    code=f"事项{len(groups) + 1}", number="", title=matter, kind="group"
                )
                nodes.append(groups[matter])
            parent = groups[matter].code
        code = str(row.number) if row.number is not None else f"行{row.line_no}"
        node = Node(
            code=code,
            number=code,
            title=cells.get("content") or matter,
            text=cells.get("measures", ""),
            parent_code=parent,
            deadline_text=cells.get("deadline", ""),
        )
        node.leaders = split_people(cells.get("leaders", ""))
        node.persons = split_people(cells.get("persons", ""))
        from .parsed import UnitRef

        node.units = [UnitRef(n, "lead") for n in split_names(cells.get("lead", ""))] + [
            UnitRef(n, "support") for n in split_names(cells.get("support", ""))
        ]
        nodes.append(node)
    return nodes
