"""Turning a document's lines into its numbered outline.

Numbering ranks, from the top: 第X章 > 第X节 > 第X条 > 一、 > （一） > 1. > （1） / 1） > ① / ⑴.
Arabic numbers may run on across headings (（一）1. 2. （二）3. 4.): codes keep the number as
written. The body starts
at the first marker of the highest rank the document uses and ends at its
appendices. Where the document is organised in sections (第X节, 001), the
sections are its measures and any numbering inside them is part of their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .parsed import Flag, Node
from .responsibility import LABEL_RE, LINE_LABEL_RE
from .text import CJK, CN_NUMERAL, clean_line, cn_to_int, ends_sentence, int_to_cn, squeeze

CHAPTER, SECTION, ARTICLE, L1, L2, L3, L4, L5 = range(8)
_N = f"[{CN_NUMERAL}]+"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_DIGITS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
# Full stops other than "." and "．" that typesetting puts after an item number: "1﹒" (U+FE52
# small full stop), "1｡" (halfwidth ideographic full stop).
_STOPS = "﹒｡"
MARKERS = [
    (CHAPTER, re.compile(f"^第\\s*({_N})\\s*章\\s*(.*)$")),
    (SECTION, re.compile(f"^第\\s*({_N})\\s*节\\s*(.*)$")),
    (ARTICLE, re.compile(f"^第\\s*({_N})\\s*条\\s*(.*)$")),
    (L1, re.compile(f"^({_N})\\s*[、，．{_STOPS}]\\s*(.*)$")),
    (L2, re.compile(f"^[（(]\\s*({_N})\\s*[）)]\\s*(.*)$")),
    (L3, re.compile(f"^(\\d{{1,2}})\\s*[、.．{_STOPS}](?!\\s*\\d)\\s*(.*)$")),
    (L4, re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*(.*)$")),
    # "1）" / "1)": the half-bracketed form of （1）, the same rank.
    (L4, re.compile(r"^(\d{1,2})\s*[）)](?!\s*\d)\s*(.*)$")),
    (L5, re.compile(f"^([{_CIRCLED}{_PAREN_DIGITS}])\\s*(.*)$")),
]
# "11.121人才梯队项目": an item number whose text starts with digits. Read so only when the
# number continues the running sequence (10 → 11) at the start of a paragraph; otherwise
# "2.5万亩" is a decimal.
_RUNNING_L3_RE = re.compile(f"^(\\d{{1,2}})\\s*[.．{_STOPS}]\\s*(\\d+(?![\\d.．%‰])\\D.*)$")
# 000: OCR lost the numeral of several "（一）": "（深刻领会推进有效衔接的重要意义。…"
_LOST_L2_RE = re.compile(f"^[（(](?=[{CJK}])([^）)。]{{2,60}})。")
_TOC_RE = re.compile(r"[…\.·]{4,}\s*[（(]?\d+[）)]?")
_TOC_ENTRY_RE = re.compile(f"(第{_N}[章节])\\s*([^…\\.·]+?)\\s*[…\\.·]{{3,}}")
_END_RE = re.compile(
    r"^(附件\s*[:：\d１-９]|附件$|附\s*件\s*\d|附表\s*[:：]?$|附图\s*[:：]?$|抄送|---+$|——+$"
    r"|.{0,10}日报\s*\d{4}[-年])"
)
_CLOSING_RE = re.compile(r"^(我们要|让我们)")
SKIP_TITLE_RE = re.compile(r"^(.*总体要求|规划背景|指导思想|基本原则|主要目标|目标任务)$")
# Page numbers and OCR crumbs: "工1", ",", "12".
NOISE_RE = re.compile(r"^[,，.·\s]{1,3}$|^[\u4e00-\u9fff]?\d{1,3}$")


@dataclass
class RawNode:
    rank: int
    number: int
    marker: str
    first_line: str
    lines: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # 责任单位：… lines after the measure
    flags: list[Flag] = field(default_factory=list)
    children: list[RawNode] = field(default_factory=list)
    parent: RawNode | None = None


def match_marker(line: str, *, allow_lost: bool) -> tuple[int, int, str, str] | None:
    """(rank, number, marker as written, rest of line) when the line opens a numbered item."""
    for rank, pattern in MARKERS:
        match = pattern.match(line)
        if match:
            number = match.group(1)
            marker = line[: match.start(2)].strip() if match.group(2) else line.strip()
            return rank, _number(number), marker, match.group(2)
    if allow_lost and _LOST_L2_RE.match(line):
        return L2, 0, "（", line[1:]
    return None


def _number(written: str) -> int:
    for block in (_CIRCLED, _PAREN_DIGITS):
        if written in block:
            return block.index(written) + 1
    return cn_to_int(written)


def read_toc(lines: list[str]) -> dict[str, str]:
    """ "第五节培育壮大村级集体经济……(43)" → {"第五节": …} per chapter, in order."""
    titles: dict[str, str] = {}
    chapter = ""
    for line in lines:
        if not _TOC_RE.search(line):
            continue
        for code, title in _TOC_ENTRY_RE.findall(line):
            code = re.sub(r"\s", "", code)
            if code.endswith("章"):
                chapter = code
                titles[code] = title.strip()
            else:
                titles[chapter + code] = title.strip()
    return titles


def split_outline(lines: list[str]) -> tuple[list[str], list[RawNode], list[Flag]]:
    """Preamble lines and the tree of numbered items of the body."""
    cleaned = [clean_line(line) for line in lines]
    cleaned = [line for line in cleaned if line and not _TOC_RE.search(line)]
    ranks = [m[0] for line in cleaned if (m := match_marker(line, allow_lost=False))]
    if not ranks:
        return cleaned, [], []
    top = min(ranks)
    uses_lost = L2 in ranks
    preamble: list[str] = []
    roots: list[RawNode] = []
    stack: list[RawNode] = []
    flags: list[Flag] = []
    started = False
    previous = ""
    last_arabic = 0
    for line in cleaned:
        marker = match_marker(line, allow_lost=uses_lost and started and _after_item(previous))
        if marker is None and started and _after_item(previous):
            marker = _running_item(line, last_arabic + 1)
        if marker and marker[0] == L3:
            last_arabic = marker[1]
        if not started:
            if marker and marker[0] == top:
                started = True
            else:
                preamble.append(line)
                continue
        if _END_RE.match(line) or (_CLOSING_RE.match(line) and stack):
            break
        if NOISE_RE.match(line):
            continue
        in_section = any(n.rank == SECTION for n in stack)
        if marker and not (in_section and marker[0] > SECTION):
            rank, number, written, rest = marker
            while stack and stack[-1].rank >= rank:
                stack.pop()
            node = RawNode(rank, number, written, rest, parent=stack[-1] if stack else None)
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
        elif stack and (label := LINE_LABEL_RE.match(line)):
            name = label.group("label") or label.group("boxed")
            stack[-1].labels.append(f"{name}：{line[label.end():]}")
            stack[-1].lines.append("\u0000")  # the measure's text stops here
        elif stack:
            last = stack[-1]
            if last.lines and last.lines[-1] == "\u0000" and last.labels[-1].endswith(("、", "，", ",")):
                last.labels[-1] += line  # a unit list wrapped onto the next line
                continue
            last.lines.append(line)
        previous = line
    _number_lost_markers(roots, flags)
    return preamble, roots, flags


def _running_item(line: str, expected: int) -> tuple[int, int, str, str] | None:
    """ "11.121人才梯队项目" after item 10: item 11, whose text is "121人才梯队项目"."""
    match = _RUNNING_L3_RE.match(line)
    if match and int(match.group(1)) == expected and expected > 1:
        return L3, expected, line[: match.start(2)].strip(), match.group(2)
    return None


def _after_item(previous: str) -> bool:
    """A lost "（" opens an item only after a closed clause, a sentence or a heading."""
    return not previous or ends_sentence(previous) or bool(match_marker(previous, allow_lost=False))


def _number_lost_markers(nodes: list[RawNode], flags: list[Flag]) -> None:
    expected = 1
    for node in nodes:
        if node.rank == L2 and node.number == 0:
            node.number = expected
            node.marker = f"（{int_to_cn(expected)}）"
            node.flags.append(Flag("numbering", f"原文序号缺失（OCR），按顺序推定为{node.marker}"))
        expected = node.number + 1
        _number_lost_markers(node.children, flags)


def reflow(lines: list[str]) -> str:
    """Joins wrapped lines: no break inside a sentence, a newline between paragraphs."""
    text = ""
    for line in lines:
        if line == "\u0000":
            continue
        if text and not ends_sentence(text.rstrip()):
            text = text.rstrip() + line
        else:
            text = (text + "\n" + line) if text else line
    return squeeze(text)


def code_part(node: RawNode) -> str:
    if node.rank == CHAPTER:
        return f"第{int_to_cn(node.number)}章"
    if node.rank == SECTION:
        return f"第{int_to_cn(node.number)}节"
    if node.rank == L1:
        return int_to_cn(node.number)
    if node.rank == ARTICLE:
        return f"第{int_to_cn(node.number)}条"
    if node.rank == L2:
        return f"({int_to_cn(node.number)})"
    if node.rank == L4:
        return f"({node.number})"
    if node.rank == L5:
        return _CIRCLED[node.number - 1]
    return str(node.number)


def node_code(node: RawNode) -> str:
    parts = []
    while node is not None:
        parts.append(code_part(node))
        node = node.parent
    parts.reverse()
    code = ""
    for part in parts:
        joiner = "" if part.startswith("第") and code.endswith(("章", "节")) else "."
        code = f"{code}{joiner}{part}" if code else part
    return code


def title_and_text(node: RawNode, toc: dict[str, str]) -> tuple[str, str, list[Flag]]:
    """A heading's title and the text under it; splits a title that ran into its text."""
    first = squeeze(node.first_line)
    flags: list[Flag] = []
    body = reflow(node.lines)
    if node.rank in (CHAPTER, SECTION):
        known = toc.get(node_code(node).replace(".", ""))
        if known and first.startswith(known) and len(first) > len(known):
            rest = first[len(known) :]
            flags.append(Flag("heading", f"标题与正文连在一起，已按目录拆分为“{known}”"))
            return known, reflow([rest, *node.lines]), flags
        if len(first) > 30 and not known:
            flags.append(Flag("heading", "标题可能与正文连在一起，请核对"))
        return first, body, flags
    joined = reflow([node.first_line, *node.lines])
    stop = joined.find("。")
    if stop == -1 or (stop > 60 and "。" not in first):
        if "\n" in joined:
            title, _, rest = joined.partition("\n")
            return title.strip("。 "), rest.strip(), flags
        return joined.strip("。 "), "", flags
    return joined[:stop].strip(), joined[stop + 1 :].strip(), flags


def flatten(roots: list[RawNode], toc: dict[str, str]) -> list[Node]:
    """Pre-order list of nodes, minus preliminary chapters (总体要求, 规划背景…)."""
    result: list[Node] = []

    def visit(raw: RawNode):
        title, text, flags = title_and_text(raw, toc)
        node = Node(
            code=node_code(raw),
            number=raw.marker,
            title=title,
            text=text,
            kind="group" if raw.children else "measure",
            parent_code=node_code(raw.parent) if raw.parent else None,
            flags=[*raw.flags, *flags],
        )
        node._labels = raw.labels  # read by the document parser
        result.append(node)
        for child in raw.children:
            visit(child)

    for root in roots:
        title, _, _ = title_and_text(root, toc)
        if SKIP_TITLE_RE.match(title) and not _has_units(root):
            continue
        visit(root)
    return result


def _has_units(node: RawNode) -> bool:
    text = reflow([node.first_line, *node.lines])
    # Any role label (牵头单位：, 责任部门： …), not only 责任单位: a 主要目标 part whose targets
    # name who leads them is part of the work, not a preliminary.
    if node.labels or LABEL_RE.search(text) or re.search(r"(牵头|负责|参与|落实)[）)]", text):
        return True
    return any(_has_units(child) for child in node.children)
