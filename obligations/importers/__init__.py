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
from .metadata import read_metadata
from .outline import flatten, read_toc, split_outline
from .parsed import Flag, Node, ParsedDocument, UnitRef
from .table import merge_table, read_table, rows_to_measures
from .text import GARBLE_RE, decode
from .units import extract_unit_clauses, split_names, split_people

__all__ = ["DocumentError", "ParsedDocument", "parse_document", "parse_text"]


def parse_document(data: bytes, *, source_name: str) -> ParsedDocument:
    return parse_text(decode(data, source=source_name), source_name=source_name)


def parse_text(text: str, *, source_name: str) -> ParsedDocument:
    lines = text.splitlines()
    rows, table_lines = read_table(lines)
    body_lines = [line for n, line in enumerate(lines, start=1) if n not in table_lines]
    preamble, roots, flags = split_outline(body_lines)
    document = read_metadata(preamble, text, source_name=source_name)
    document.flags.extend(flags)
    if roots:
        document.nodes = flatten(roots, read_toc(body_lines))
        for node in document.nodes:
            _read_units(node, document)
            _flag_garbles(node)
        if rows:
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


def _read_units(node: Node, document: ParsedDocument) -> None:
    labels = getattr(node, "_labels", {})
    if labels:  # 003: 责任领导 / 责任单位 / 配合单位 lines
        node.leaders = split_people(labels.get("责任领导", ""))
        node.persons = split_people(labels.get("责任人", ""))
        lead = labels.get("责任单位") or labels.get("牵头单位", "")
        support = labels.get("配合单位") or labels.get("参与单位") or labels.get("协办单位", "")
        node.units = [UnitRef(n, "lead") for n in split_names(lead)] + [
            UnitRef(n, "support") for n in split_names(support)
        ]
        node.deadline_text = labels.get("完成时限") or labels.get("完成时间", "")
    elif node.kind == "measure":
        clauses, rule = extract_unit_clauses(node.text)
        for clause in clauses:
            node.units.extend(clause["units"])
        if len(clauses) > 1:
            node.clauses = [
                {
                    "text": c["text"],
                    "lead_units": [u.name for u in c["units"] if u.role == "lead"],
                    "supporting_units": [u.name for u in c["units"] if u.role == "support"],
                }
                for c in clauses
            ]
        if rule:
            document.rule_collective = rule
            document.rule_scope = node.code.split(".")[0]
            document.flags.append(
                Flag("metadata", f"{node.code}规定：本项及以下各项措施除特别注明外均需要{rule}落实")
            )
    rule = getattr(document, "rule_collective", None)
    if rule and node.kind == "measure" and node.code.split(".")[0] == document.rule_scope:
        if rule not in [u.name for u in node.units]:
            node.units.append(UnitRef(rule, "lead", wording="落实", from_rule=True))


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
