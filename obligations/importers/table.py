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
from .responsibility import EXPLICIT_LEAD_LABELS, GENERIC_LABELS, read_clause, states_convention
from .text import clean_line, squeeze
from .units import split_names, split_people

COLUMNS = {
    "number": ("序号", "编号"),
    "matter": ("主要事项", "重点任务", "事项", "任务类别", "重点工作", "类别", "项目", "考核项目",
               "工作类别", "领域"),
    "content": ("具体内容", "工作内容", "任务名称", "内容", "主要内容", "工作任务", "任务",
                "具体任务", "重点事项", "考核内容", "工作事项", "目标任务", "预期目标", "主要目标",
                "发展目标", "年度目标", "目标内容"),
    "measures": ("主要措施", "具体措施", "工作措施", "措施", "工作举措", "具体举措", "工作要求",
                 "任务要求及举措", "任务要求", "举措", "推进措施", "工作目标及措施"),
    "leaders": ("责任领导", "分管领导", "牵头领导", "分管县领导", "分管市领导", "包抓领导"),
    "lead": ("责任单位", "牵头单位", "主责单位", "牵头部门", "责任部门", "主办单位", "承办单位"),
    "persons": ("责任人", "具体责任人", "联系人"),
    "support": ("配合单位", "协办单位", "参与单位", "配合部门", "协同单位", "参与部门"),
    # The towns or streets that carry a task out (闵行: 责任街镇): supporting units.
    "places": ("责任街镇", "责任镇街", "责任乡镇", "责任街道", "实施乡镇", "涉及乡镇", "责任镇（街道）"),
    "deadline": ("完成时限", "完成时间", "时限要求", "时限", "时间节点", "进度安排", "完成期限"),
    "note": ("备注",),
}
# Cells of a text table: tabs (003), "|" (Markdown, exports) or two or more spaces.
_PIPE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{2,}")


@dataclass
class TableRow:
    number: int | None
    line_no: int
    cells: dict[str, str]
    first_leads: bool = False  # the header says "列第一位的为牵头单位"


def header_map(cells: list[str]) -> dict[int, str] | None:
    """Column index → field, when the cells look like a 责任清单 header."""
    mapping = _partial_header(cells)
    if "lead" in mapping.values() and (
        "content" in mapping.values() or "measures" in mapping.values() or "matter" in mapping.values()
    ):
        return mapping
    return None


def _partial_header(cells: list[str]) -> dict[int, str]:
    """Exact header names first; then a cell that contains one ("完成时间节点", "具体责任人"),
    its note in brackets set aside ("责任部门(加*号为牵头部门,其余为参与部门)")."""
    mapping: dict[int, str] = {}
    names = [_header_name(cell)[0] for cell in cells]
    # Beside a 牵头单位 column, a 责任单位 column names the units that share the work (the rule
    # the grammar applies to labels, responsibility.EXPLICIT_LEAD_LABELS).
    named_lead = any(name in EXPLICIT_LEAD_LABELS and name in COLUMNS["lead"] for name in names)
    for index, name in enumerate(names):
        if named_lead and name in GENERIC_LABELS:
            shared = "support" if "support" not in mapping.values() else "places"
            if shared not in mapping.values():
                mapping[index] = shared
            continue
        for field, known in COLUMNS.items():
            if field not in mapping.values() and name in known:
                mapping[index] = field
                break
    for index, name in enumerate(names):
        if index in mapping or not name or len(name) > 12:
            continue
        candidates = [
            (len(n), field)
            for field, known in COLUMNS.items()
            if field not in mapping.values()
            for n in known
            if len(n) >= 2 and n in name
        ]
        if candidates:
            mapping[index] = max(candidates)[1]
    return mapping


def _header_name(cell: str) -> tuple[str, str]:
    """(name, note): "责任部门(加*号为牵头部门)" → ("责任部门", "加*号为牵头部门")."""
    text = re.sub(r"\s", "", clean_line(cell))
    notes = re.findall(r"[（(]([^（）()]*)[）)]", text)
    name = re.sub(r"[（(][^（）()]*[）)]", "", text)
    # "2022年预期目标", "2023年度重点任务": the year says when, the rest names the column.
    name = re.sub(r"^(?:\d{4}|[〇○一二三四五六七八九零]{4})\s*年度?", "", name) or name
    return name, "；".join(notes)


def header_conventions(cells: list[str], mapping: dict[int, str]) -> bool:
    """Whether the lead column's note says the first-listed unit leads."""
    for index, field in mapping.items():
        if field == "lead" and index < len(cells) and states_convention(_header_name(cells[index])[1]):
            return True
    return False


def split_cells(line: str, *, spaced: bool = False) -> list[str] | None:
    """The cells of a table line, or None when the line is not one."""
    if line.count("\t") >= 3:
        return line.split("\t")
    stripped = line.strip()
    if stripped.count("|") >= 3:
        return [c.strip() for c in stripped.strip("|").split("|")]
    if spaced:
        cells = re.split(r"[ \u3000]{2,}|\t", stripped)
        return cells if len(cells) >= 3 else None
    return None


def read_table(lines: list[str]) -> tuple[list[TableRow], set[int]]:
    """The rows of every 责任清单 block (tab, "|" or space-aligned columns) and the lines used.

    A header may span two lines ("责任分工" over "牵头单位 配合单位"); a blank 主要事项 or
    牵头单位 cell under a merged cell repeats the one above; a row with no number, task or
    unit continues the row above (a page break inside a cell).
    """
    rows: list[TableRow] = []
    used: set[int] = set()
    mapping: dict[int, str] | None = None
    spaced_width = 0  # cells per row of a space-aligned table being read
    pending: tuple[int, list[str]] | None = None  # the first line of a two-line header
    carried: dict[str, str] = {}
    first_leads = False
    for line_no, line in enumerate(lines, start=1):
        if _PIPE_RULE_RE.match(line) and line.count("|") >= 2:
            used.add(line_no)  # "|---|---|"
            continue
        cells = split_cells(line)
        if cells is None:
            cells = split_cells(line, spaced=True)
            fits = cells is not None and (
                header_map(cells)
                or len(_partial_header(cells)) >= 2
                or (pending is not None and pending[1] is not None)
                or (spaced_width and len(cells) in (spaced_width, spaced_width - 1))
            )
            if not fits:
                if line.strip():
                    pending, spaced_width = None, 0
                continue
        header = header_map(cells)
        if header is None and pending:
            header = _two_line_header(pending[1], cells)
            if header:
                used.add(pending[0])
        if header:
            mapping, pending, carried = header, None, {}
            first_leads = header_conventions(cells, header) or (
                pending is not None and header_conventions(pending[1], header)
            )
            spaced_width = len(cells) if split_cells(line) is None else 0
            used.add(line_no)
            continue
        if len(_partial_header(cells)) >= 2:
            pending = (line_no, cells)
            continue
        pending = None
        if not mapping:
            continue
        used.add(line_no)
        values = {
            field: squeeze(clean_line(cells[i])) if i < len(cells) else ""
            for i, field in mapping.items()
        }
        if not any(values.values()):
            continue
        title_fields = [f for f in ("number", "content", "matter") if f in mapping.values()]
        if rows and not any(values.get(f) for f in title_fields) and not values.get("lead"):
            _continue_row(rows[-1], values)  # the row goes on after a page break
            continue
        # Merged cells: a blank 主要事项 repeats the one above; a blank 牵头单位 or 责任领导
        # repeats the one above while the 主要事项 stays the same.
        if values.get("matter"):
            carried.pop("lead", None)
            carried.pop("leaders", None)
        for field in ("matter", "lead", "leaders"):
            if values.get(field):
                carried[field] = values[field]
            elif field in carried and field in mapping.values():
                values[field] = carried[field]
        number = values.get("number", "")
        rows.append(
            TableRow(int(number) if number.isdigit() else None, line_no, values, first_leads)
        )
    return rows, used


def _two_line_header(upper: list[str], lower: list[str]) -> dict[int, str] | None:
    """ "序号 重点任务 责任分工 完成时限" over " _ _ 牵头单位 配合单位": one header."""
    width = max(len(upper), len(lower))
    merged = [
        (lower[i] if i < len(lower) and lower[i].strip() else (upper[i] if i < len(upper) else ""))
        for i in range(width)
    ]
    header = header_map(merged)
    if header:
        return header
    # The lower row's cells may sit under a spanning cell without blanks for the others.
    for offset in range(1, width):
        shifted = upper[:offset] + lower + upper[offset + len(lower) :]
        header = header_map(shifted)
        if header and any(f in _partial_header(lower).values() for f in ("lead", "support")):
            return header
    return None


def _continue_row(row: TableRow, values: dict[str, str]) -> None:
    for field, value in values.items():
        if value and field != "number":
            row.cells[field] = (row.cells.get(field, "") + value).strip()


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio()


def match_rows(rows: list[TableRow], measures: list[Node]) -> list[tuple[TableRow, int | None]]:
    """Each row with the index of the measure it stands for (by title), or None."""
    matched: set[int] = set()
    pairs: list[tuple[TableRow, int | None]] = []
    for row in rows:
        title = _row_title(row)
        best, score = None, 0.0
        for index, measure in enumerate(measures):
            if index in matched:
                continue
            ratio = _similar(title, measure.title)
            if ratio > score:
                best, score = index, ratio
        if best is None or score < 0.5:
            pairs.append((row, None))
            continue
        matched.add(best)
        pairs.append((row, best))
    return pairs


def _row_title(row: TableRow) -> str:
    return (
        row.cells.get("content")
        or _first_sentence(row.cells.get("measures", ""))
        or row.cells.get("matter", "")
    )


def is_separate_task_table(rows: list[TableRow], measures: list[Node]) -> bool:
    """A 分工表 appended to a document whose rows are mostly not its numbered measures (a list
    of further tasks, not a restatement of the text as in Longde's 责任清单)."""
    matched = sum(1 for _row, index in match_rows(rows, measures) if index is not None)
    return bool(rows) and matched * 2 < len(rows)


def merge_table(rows: list[TableRow], measures: list[Node], issued_on: str | None) -> list[Flag]:
    """Adds 责任人 and 完成时限 to the measures, and flags what disagrees or is missing."""
    flags: list[Flag] = []
    numbers = [r.number for r in rows if r.number is not None]
    if numbers:
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        if missing:
            flags.append(Flag("table_missing", f"责任清单缺少第{_ranges(missing)}行（原文缺页）"))
    matched: set[int] = set()
    for row, best in match_rows(rows, measures):
        label = f"责任清单第{row.number or row.line_no}行"
        if best is None:
            flags.append(Flag("table_mismatch", f"{label}“{_row_title(row)}”在正文中找不到对应措施"))
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
    if not measure.lead_units and not measure.supporting_units:
        # The 分工表 is the only place that names the units: take them from it.
        measure.units.extend(row_units(cells, measure.flags, first_leads=row.first_leads))
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
    """A document that is only a 责任清单 or 任务分工表: each row is a measure.

    Rows are grouped by 主要事项/重点任务 when the table also has a task or measures column;
    a table whose only text column is 重点任务 makes each row one measure titled by it.
    """
    nodes: list[Node] = []
    groups: dict[str, Node] = {}
    has_content = any(r.cells.get("content") for r in rows)
    has_measures = any(r.cells.get("measures") for r in rows)
    for row in rows:
        cells = row.cells
        matter = cells.get("matter", "")
        parent = None
        if matter and (has_content or has_measures):
            if matter not in groups:
                groups[matter] = Node(
                    code=f"事项{len(groups) + 1}", number="", title=matter, kind="group"
                )
                nodes.append(groups[matter])
            parent = groups[matter].code
        code = str(row.number) if row.number is not None else f"行{row.line_no}"
        measures_text = cells.get("measures", "")
        title = cells.get("content") or (_first_sentence(measures_text) if has_measures else "") or matter
        node = Node(
            code=code,
            number=code,
            title=title,
            text=measures_text,
            parent_code=parent,
            deadline_text=cells.get("deadline", ""),
        )
        node.leaders = split_people(cells.get("leaders", ""))
        node.persons = split_people(cells.get("persons", ""))
        node.units = row_units(cells, node.flags, first_leads=row.first_leads)
        nodes.append(node)
    return nodes


def row_units(cells: dict[str, str], flags: list[Flag], *, first_leads: bool = False) -> list:
    """A row's 牵头单位, 配合单位 and 责任街镇 cells read by the grammar ("县发改局（牵头）、
    县财政局", "区建管委*、区农业农村委")."""
    clause = "；".join(
        f"{label}：{cells[field]}"
        for field, label in (("lead", "责任单位"), ("support", "配合单位"), ("places", "配合单位"))
        if cells.get(field)
    )
    reading = read_clause(clause, strict=False, first_leads=first_leads) if clause else None
    if reading is None:
        return []
    flags.extend(reading.flags)
    return reading.units


def _first_sentence(text: str) -> str:
    head = re.split(r"[。；;]", text, maxsplit=1)[0].strip()
    return head if len(head) <= 40 else head[:40] + "…"
