"""The document importer: bytes in, a ParsedDocument out; the database is not touched here.

Three shapes are read (DESIGN.md §3.1): numbered measures with "（责任单位：…）"
or role clauses (000, 004); measures followed by 责任领导/责任单位/配合单位 lines
(003); a 责任清单 table, merged into the measures when there are any (003's
appendix) or read on its own. Headings of planning documents (第X章第X节, 001)
and plain numbered opinions (002) are the same outline with no units.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import DocumentError
from .formats import DEFAULT_MAX_BYTES, read_document
from .metadata import read_metadata
from .outline import flatten, read_toc, split_outline
from .parsed import Flag, Node, ParsedDocument
from .table import is_separate_task_table, merge_table, read_table, rows_to_measures
from .text import GARBLE_RE
from .units import read_units

__all__ = ["DocumentError", "ParsedDocument", "parse_document", "parse_text"]


def parse_document(
    data: bytes, *, source_name: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedDocument:
    """A .txt, .docx or text-layer .pdf (told by its content; formats.read_document)."""
    return parse_text(
        read_document(data, source_name=source_name, max_bytes=max_bytes), source_name=source_name
    )


def parse_text(text: str, *, source_name: str) -> ParsedDocument:
    lines = text.splitlines()
    rows, table_lines = read_table(lines)
    body_lines = [line for n, line in enumerate(lines, start=1) if n not in table_lines]
    preamble, roots, flags = split_outline(body_lines)
    document = read_metadata(preamble, text, source_name=source_name)
    document.flags.extend(flags)
    if roots:
        document.nodes = flatten(roots, read_toc(body_lines))
        read_units(document, preamble)
        for node in document.nodes:
            _flag_garbles(node)
        if rows and is_separate_task_table(rows, document.measures):
            document.nodes.extend(_appended_tasks(rows))
        elif rows:
            document.flags.extend(merge_table(rows, document.measures, document.issued_on))
    elif rows:
        document.nodes = rows_to_measures(rows)
    if not document.measures:
        raise DocumentError(
            _("%(source)s：没有找到带序号的措施（如“一、”“（一）”“1.”“第一节”）或责任清单表格。")
            % {"source": source_name}
        )
    for node in document.measures:
        if not node.lead_units:
            node.flags.append(Flag("no_lead_unit", "未明确责任单位"))
    return document


def _appended_tasks(rows) -> list[Node]:
    """The rows of an appended 任务分工表 that lists tasks of its own: measures under 附件."""
    group = Node(code="附件", number="附件", title="附件任务分工表", kind="group")
    nodes = [group]
    for node in rows_to_measures(rows):
        node.code = f"附件.{node.code}"
        node.parent_code = f"附件.{node.parent_code}" if node.parent_code else "附件"
        nodes.append(node)
    return nodes


def _flag_garbles(node: Node) -> None:
    for field in ("title", "text"):
        for match in GARBLE_RE.finditer(getattr(node, field)):
            node.flags.append(
                Flag("ocr", f"{'标题' if field == 'title' else '正文'}含OCR乱码“{match.group(0)}”")
            )


def summary(document: ParsedDocument) -> str:
    """A few lines for `import_document --dry-run`."""
    measures = document.measures
    lines = [
        f"{document.doc_number or '（无文号）'} {document.title}",
        _("措施 %(n)s 项，其中未明确责任单位 %(m)s 项；数据问题 %(f)s 条")
        % {
            "n": len(measures),
            "m": sum(1 for m in measures if not m.lead_units),
            "f": len(document.flags) + sum(len(n.flags) for n in document.nodes),
        },
    ]
    for m in measures:
        units = "、".join(m.lead_units) or "—"
        lines.append(f"  {m.code:<14} {m.title[:24]:<24} 牵头：{units}")
    return "\n".join(lines)
