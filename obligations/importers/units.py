"""Reading the units a measure names: "（责任单位：…）" clauses, 000-style role clauses
("农业农村处、预算处共同牵头，…参与，各市（州）、县财政局"), and 责任单位/配合单位 lines."""

from __future__ import annotations

import re

from .parsed import Flag, UnitRef
from .text import CJK, fullwidth_parens, squeeze

# Wording → role. Longest first, so 共同牵头 wins over 牵头.
ROLE_WORDS = [
    ("共同牵头", "lead"),
    ("分别负责", "lead"),
    ("分别落实", "lead"),
    ("牵头", "lead"),
    ("负责", "lead"),
    ("落实", "lead"),
    ("参与", "support"),
    ("配合", "support"),
]
UNIT_SUFFIX_RE = re.compile(
    r"(处|处室|局|厅|委|办|室|部|会|社|行|司|公司|单位|中心|分局|支行|所|队|站|组|联|府|委员会"
    r"|县区|乡（镇）|乡镇|院|馆|团|署|机构|银行|协会|小组)$"
)
# 000's OCR turns 各市（州） into 各市（少！J）, 各市（'fri ）, 各市（，・！1）…
_CITY_FINANCE_RE = re.compile(r"各市\s*[（(][^（）()]{0,8}[）)]\s*、?\s*县财政(局|部门)")
_RULE_RE = re.compile(r"本项及以下各项[^，；。]*?[，,]?.*?均需要?(?P<who>[^，；。]+?)落实")
_CLAUSE_LABEL_RE = re.compile(r"^(责任单位|牵头单位|承办单位)[:：]\s*")


def normalize_unit_name(name: str) -> str:
    name = fullwidth_parens(squeeze(name)).strip(" ，,、;；。")
    name = re.sub(r"\s+", "", name)
    if _CITY_FINANCE_RE.fullmatch(name):
        return "各市（州）、县财政局"
    # Longde writes 各乡（镇）, 各乡(镇), 各乡镇, 各乡镇（镇）: one collective.
    if name in {"各乡镇（镇）", "各乡镇", "各乡(镇)"}:
        return "各乡（镇）"
    return name


def fix_city_finance(text: str) -> tuple[str, list[Flag]]:
    """Repairs the OCR'd "各市（州）、县财政局" wherever it occurs; records each repair."""
    flags = []

    def repair(match):
        written = match.group(0)
        right = "各市（州）、县财政" + match.group(1)
        if re.sub(r"\s", "", written) not in {right, "各市(州)、县财政" + match.group(1)}:
            flags.append(Flag("ocr", f"OCR识别错误已校正：“{written.strip()}”→“{right}”"))
        return right

    return _CITY_FINANCE_RE.sub(repair, text), flags


def split_names(value: str, *, dedupe: bool = True) -> list[str]:
    """Splits "教体局、公安局，各乡（镇）" at 、，, outside parentheses; keeps 各市（州）、县财政局 whole."""
    value = fullwidth_parens(squeeze(value))
    value, _ = fix_city_finance(value)
    protected = value.replace("各市（州）、县财政", "各市（州）\u0001县财政")
    names, depth, current = [], 0, ""
    for ch in protected:
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth = max(depth - 1, 0)
        if ch in "、，,；;" and depth == 0:
            names.append(current)
            current = ""
        else:
            current += ch
    names.append(current)
    result = []
    for raw in names:
        raw = raw.replace("\u0001", "、").strip()
        if not raw:
            continue
        # 004: "市财政局等原市脱贫攻坚领导小组成员单位" names a unit and a group.
        head, sep, tail = raw.partition("等")
        if sep and tail.endswith("单位") and UNIT_SUFFIX_RE.search(head):
            result.extend([normalize_unit_name(head), normalize_unit_name(tail)])
        else:
            result.append(normalize_unit_name(raw))
    if not dedupe:
        return [name for name in result if name]
    seen, unique = set(), []
    for name in result:
        if name and name not in seen:
            seen.add(name)
            unique.append(name)
    return unique


def split_people(value: str) -> list[str]:
    """ "马金平 谢国玉" → two leaders; "祁 忠" (a name padded to three characters) → one."""
    parts = [p for p in re.split(r"[\s、，,；;]+", value.strip()) if p]
    if parts and all(len(p) == 1 for p in parts):
        return ["".join(parts)]
    return parts


def _split_role(segment: str) -> tuple[str, str, str]:
    """ "农业农村处、预算处共同牵头" → ("农业农村处、预算处", "lead", "共同牵头")."""
    segment = segment.strip()
    for word, role in ROLE_WORDS:
        if segment.endswith(word) and len(segment) > len(word):
            return segment[: -len(word)], role, word
    return segment, "lead", ""


def parse_role_clause(content: str, *, clause: int | None = None) -> list[UnitRef] | None:
    """Units of a parenthetical such as 000's; None when it is not a unit clause at all."""
    content, _ = fix_city_finance(squeeze(fullwidth_parens(content)))
    labelled = bool(_CLAUSE_LABEL_RE.match(content))
    content = _CLAUSE_LABEL_RE.sub("", content)
    protected = content.replace("各市（州）、县财政", "各市（州）\u0001县财政")
    parts = [p for p in re.split(r"[；;]", protected) if not _RULE_RE.search(p)]
    segments = [s for s in re.split(r"[，,]", "；".join(parts)) if s.strip()]
    refs: list[UnitRef] = []
    for segment in segments:
        segment = segment.replace("\u0001", "、")
        if _RULE_RE.search(segment) or segment.startswith(("除特别注明外", "均需要", "不再逐项")):
            continue
        names_part, role, wording = _split_role(segment)
        names = split_names(names_part)
        if not labelled and not all(UNIT_SUFFIX_RE.search(n) for n in names):
            return None
        refs.extend(UnitRef(name=n, role=role, wording=wording, clause=clause) for n in names)
    return refs or None


def find_rule_collective(content: str) -> str | None:
    """004: "本项及以下各项措施，除特别注明外，均需要各县区落实" → "各县区"."""
    match = _RULE_RE.search(squeeze(content))
    return normalize_unit_name(match.group("who")) if match else None


_OPEN, _CLOSE = "（(", "）)"


def parentheticals(text: str) -> list[tuple[int, int, str]]:
    """Top-level (start, end, content) parentheticals, allowing mixed （) pairs."""
    found, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                found.append((start, i + 1, text[start + 1 : i]))
    return found


_EXPLICIT_RE = re.compile(r"^\s*(责任单位|牵头单位)\s*[:：]")


def extract_unit_clauses(text: str) -> tuple[list[dict], str | None]:
    """All unit clauses of a measure's text, in order, each with the words it covers.

    Explicit "（责任单位：…）" clauses count wherever they stand (004 二.(三).5 has
    five); an unlabelled clause (000) counts only when it closes the measure.
    Returns ([{"text", "units"}], rule collective or None).
    """
    clauses, rule, covered_from = [], None, 0
    spans = parentheticals(text)
    for index, (start, end, content) in enumerate(spans):
        explicit = bool(_EXPLICIT_RE.match(content))
        at_end = index == len(spans) - 1 and not re.sub("[\\s。.；;]", "", text[end:])
        if not explicit and not at_end:
            continue
        refs = parse_role_clause(content, clause=len(clauses))
        if refs is None:
            continue
        rule = rule or find_rule_collective(content)
        covered = text[covered_from:start].strip(" 。；\n")
        clauses.append({"text": covered, "units": refs})
        covered_from = end
    return clauses, rule


def has_cjk_name(name: str) -> bool:
    return bool(re.search(f"[{CJK}]", name))
