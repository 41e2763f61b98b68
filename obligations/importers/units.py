"""Unit names and a measure's unit clauses, as the rest of the importer (and the Excel list
import) reads them. The grammar itself lives in `responsibility`; this module keeps the names
other modules import and the clause format of ParsedDocument (`Node.clauses`)."""

from __future__ import annotations

import re

from .parsed import Flag, Node, ParsedDocument, UnitRef
from .responsibility import (
    ROLE_WORDS,
    UNIT_SUFFIX_RE,
    Clause,
    find_rule_collective,
    fix_city_finance,
    is_unit_name,
    measure_clauses,
    normalize_unit_name,
    parentheticals,
    prose_duties,
    read_clause,
    split_names,
    split_people,
    square_clauses,
    states_convention,
    text_deadlines,
)
from .text import CJK

__all__ = [
    "ROLE_WORDS",
    "UNIT_SUFFIX_RE",
    "clause_dicts",
    "find_rule_collective",
    "fix_city_finance",
    "has_cjk_name",
    "is_unit_name",
    "measure_clauses",
    "normalize_unit_name",
    "parentheticals",
    "read_units",
    "split_names",
    "split_people",
]


def clause_dicts(clauses: list[Clause]) -> list[dict]:
    """`Node.clauses`: the words each clause covers and its lead and supporting units."""
    return [
        {
            "text": c.text,
            "lead_units": [u.name for u in c.reading.units if u.role == "lead"],
            "supporting_units": [u.name for u in c.reading.units if u.role == "support"],
        }
        for c in clauses
    ]


def units_of(clauses: list[Clause]) -> list[UnitRef]:
    return [unit for clause in clauses for unit in clause.reading.units]


def has_cjk_name(name: str) -> bool:
    return bool(re.search(f"[{CJK}]", name))


# ---------------------------------------------------------------- the document's measures

_TITLE_CLAUSE_RE = re.compile(r"[（(](?P<content>[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)]\s*$")


def read_units(document: ParsedDocument, preamble: list[str]) -> None:
    """Who is responsible for each measure, in document order.

    Conventions carry forward: a "列第一位者为牵头单位" once stated (in the preamble or a
    measure) governs every later clause; 004's "本项及以下各项措施…均需要各县区落实" adds 各县区
    to every measure of its part. Units at the end of a heading go to its measures that name
    none of their own.
    """
    first_leads = bool(states_convention("\n".join(preamble)))
    rule: tuple[str, str] | None = None
    heading_units: dict[str, tuple[str, list[UnitRef]]] = {}
    parents = {n.code: n.parent_code for n in document.nodes}
    for node in document.nodes:
        convention = states_convention(f"{node.title}{node.text}{''.join(getattr(node, '_labels', []))}")
        if convention is not None:
            first_leads = convention
        reading_rule = _read_node(node, first_leads=first_leads)
        if node.kind == "measure" and not node.deadline_text:
            node.deadline_text = text_deadlines(f"{node.title}。{node.text}")
        if reading_rule:
            rule = (reading_rule, node.code.split(".")[0])
            document.flags.append(
                Flag(
                    "metadata",
                    f"{node.code}规定：本项及以下各项措施除特别注明外均需要{reading_rule}落实",
                )
            )
        if node.kind == "group" and node.units:
            heading_units[node.code] = (node.title, node.units)
            node.units = []
        elif node.kind == "measure" and not node.units:
            inherited = _nearest(heading_units, node, parents)
            if inherited:
                _title, units = inherited
                node.units = [UnitRef(u.name, u.role, u.wording) for u in units]
        if rule and node.kind == "measure" and node.code.split(".")[0] == rule[1]:
            if rule[0] not in [u.name for u in node.units]:
                node.units.append(UnitRef(rule[0], "lead", wording="落实", from_rule=True))


def _read_node(node: Node, *, first_leads: bool) -> str | None:
    """Reads one node's units, leaders, persons and deadline; returns a rule collective."""
    labels = getattr(node, "_labels", [])
    if labels:  # 003: 责任领导 / 责任单位 / 配合单位 lines under the measure
        reading = read_clause("；".join(labels), first_leads=first_leads, strict=False)
        if reading:
            _apply(node, reading)
            return reading.rule
        return None
    clauses: list[Clause] = []
    title = square_clauses(node.title)
    title_clause = _TITLE_CLAUSE_RE.search(title)
    if title_clause:  # "3.做好宣传工作（牵头单位：县委宣传部）" with no full stop
        found = measure_clauses(title, first_leads=first_leads)
        if found and found[-1].end >= len(title.rstrip()):
            clauses.append(found[-1])
            node.title = title[: found[-1].start].rstrip(" ，,。")
    clauses.extend(measure_clauses(node.text, first_leads=first_leads))
    rule = None
    for clause in clauses:
        _apply(node, clause.reading)
        rule = rule or clause.reading.rule
    if len(clauses) > 1:
        node.clauses = clause_dicts(clauses)
    if node.kind == "measure" and not node.units:
        duties = prose_duties(f"{node.title}。{node.text}")
        if duties:
            node.flags.append(
                Flag(
                    "ambiguous_units",
                    f"正文提到“{'、'.join(duties)}”等单位的职责，但未列明责任单位，请核对",
                )
            )
    return rule


def _apply(node: Node, reading) -> None:
    node.units.extend(reading.units)
    node.leaders.extend(n for n in reading.leaders if n not in node.leaders)
    node.persons.extend(n for n in reading.persons if n not in node.persons)
    node.deadline_text = node.deadline_text or reading.deadline_text
    node.flags.extend(reading.flags)


def _nearest(headings: dict, node: Node, parents: dict[str, str | None]):
    parent = node.parent_code
    while parent:
        if parent in headings:
            return headings[parent]
        parent = parents.get(parent)
    return None
