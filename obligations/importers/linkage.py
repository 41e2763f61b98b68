"""A 衔接清单 (the list a county issues when a period ends: each old measure → 延续 / 优化 /
调整 / 退出 / 已完成 → the new measure) read from a document's text, where tables come as
tab-separated lines (obligations.importers.formats). Pure: no database.

The table is found by its header: a line with an "原措施"-like column and a "处置方式"-like
column. Column names are matched loosely (the longest known name first, so 原措施编号 is the
code and 原措施 the title); empty cells written "—", "-", "/" or "无" are empty.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from .errors import DocumentError
from .sheets import norm_header

COLUMNS = {
    "number": ["序号"],
    "old_document": ["原文件文号", "原文件", "原文号", "所属文件", "文件文号"],
    "old_code": ["原措施编号", "原编号", "原序号", "原条款", "措施编号"],
    "old_title": ["原政策措施", "过渡期政策措施", "过渡期措施", "原措施", "原任务", "原政策"],
    "kind": ["处置方式", "处置意见", "处置类别", "衔接方式", "处理方式", "衔接类型"],
    "new_code": ["新措施编号", "对应新措施编号", "新编号", "新条款"],
    "new_title": ["调整后措施", "优化后措施", "对应新措施", "新政策措施", "新措施", "常态化帮扶措施"],
    "lead": ["牵头单位", "牵头部门", "责任单位"],
    "deadline": ["完成时限", "时间节点", "时限"],
    "note": ["说明", "备注", "退出理由", "处置理由", "理由"],
}
# The words of a disposition as lists write them, longest first.
KINDS = [
    ("继续执行", "continued"), ("保持不变", "continued"), ("延续", "continued"), ("保留", "continued"),
    ("优化完善", "optimised"), ("优化", "optimised"),
    ("调整完善", "adjusted"), ("调整", "adjusted"),
    ("到期退出", "ended"), ("退出", "ended"), ("取消", "ended"), ("废止", "ended"),
    ("已完成", "done"), ("完成", "done"),
]
EMPTY = {"", "—", "－", "-", "/", "无", "——", "/ "}


@dataclass
class LinkageRow:
    line: int
    number: str = ""
    old_document: str = ""
    old_code: str = ""
    old_title: str = ""
    kind_words: str = ""
    kind: str | None = None
    new_code: str = ""
    new_title: str = ""
    lead: str = ""
    deadline: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _column(header: str) -> str | None:
    name = norm_header(header)
    best = None
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if (name == alias or name.startswith(alias)) and (best is None or len(alias) > best[1]):
                best = (key, len(alias))
    return best[0] if best else None


def kind_of(words: str) -> str | None:
    words = re.sub(r"\s", "", words or "")
    return next((kind for word, kind in KINDS if word in words), None)


def _cell(text: str) -> str:
    text = (text or "").strip()
    return "" if text in EMPTY else text


def read_linkage_list(text: str, *, source_name: str = "") -> list[LinkageRow]:
    """The rows of the first 衔接清单 table in the text. DocumentError when there is none."""
    lines = text.splitlines()
    header_at, columns = None, []
    for index, line in enumerate(lines):
        cells = line.split("\t")
        if len(cells) < 3:
            continue
        found = [_column(c) for c in cells]
        if "kind" in found and ("old_title" in found or "old_code" in found):
            header_at, columns = index, found
            break
    if header_at is None:
        raise DocumentError(_("%(source)s：没有找到衔接清单表格：需要一行表头，含“原措施”（或“原措施编号”）"
                              "和“处置方式”两列，各列以表格或制表符分隔。") % {"source": source_name or _("文件")})
    rows = []
    for offset, line in enumerate(lines[header_at + 1:], start=header_at + 2):
        cells = line.split("\t")
        if len(cells) < 3:
            if rows and line.strip() == "":
                continue
            if rows:
                break
            continue
        row = LinkageRow(line=offset)
        for key, cell in zip(columns, cells, strict=False):
            if key == "kind":
                row.kind_words = _cell(cell)
                row.kind = kind_of(cell)
            elif key is not None and not getattr(row, key):
                setattr(row, key, _cell(cell))
        if row.old_title or row.old_code or row.kind_words:
            rows.append(row)
    return rows
