"""A grammar for who is responsible: role labels, unit lists, role words and the conventions
a document states once.

A responsibility clause is read in two steps. `tokens` cuts it at role labels (牵头单位：,
配合部门：, 责任领导：, 完成时限： …) into (label, value) pairs; each value, and a clause with no
label at all, is then read as sentences (。；;) of segments (，,), each segment being a unit list
with at most one role word: "由X牵头", "X牵头", "Y、Z配合", "X会同Y负责", "X、Y等负责",
"各乡镇人民政府具体落实". A unit list is split at 、，, outside brackets, with collective forms
kept whole ("各市（州）、县财政局", "各区、县级市").

The shapes and their readings (README, "the grammar's coverage"):

- labelled clauses in any order inside （）, () or on lines of their own — lead labels give
  lead units, support labels supporting units, 责任领导/分管领导/牵头领导 leaders, 责任人 persons,
  完成时限/完成时间/时间节点/进度安排 the deadline as written;
- "X（牵头）、Y、Z" inside a list: X leads, the rest of that list supports;
- role words at the end of a segment: 牵头 / 负责 / 落实 … lead, 配合 / 参与 / 协助 … support;
  "由X牵头" anywhere in a sentence; "X会同Y负责": X leads, Y supports;
- "按职责分工负责" with no unit before it: nothing is guessed, the measure is flagged;
- a convention stated once ("列第一位者为牵头单位，下同", "排在第一位的为牵头单位"): in every
  clause that follows, a list given only as 责任单位 or "X、Y等负责" has its first unit lead and
  the rest support, until the document says "排名不分先后";
- a bare list with no role word is a list of lead units (004 "（责任单位：…）", 000's
  "各市（州）、县财政局" tail).

In running text (a sentence outside brackets) a clause is accepted only when every segment of
the sentence is a unit list with a role word and every name passes the unit test: prose such as
"市卫生健康委负责防范因病返贫致贫风险" is not a clause (the unit is flagged for a reader).
Everything here is pure: no database, no Django models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .parsed import Flag, UnitRef
from .text import fullwidth_parens, squeeze

LEAD, SUPPORT, LEADERS, PERSONS, DEADLINE = "lead", "support", "leaders", "persons", "deadline"
# A role label is composed: a role word, an optional 责任, and what is named — "牵头单位",
# "牵头责任单位", "协同责任单位", "配合部门", "牵头负责领导". The role word says lead or support;
# a label naming 领导 gives leaders whatever its role word.
_LEAD_ROLES = ("牵头", "主责", "主办", "承办", "实施", "落实", "责任", "主要责任")
_SUPPORT_ROLES = ("配合", "参与", "协办", "协同", "协作", "支持", "协助")
_UNIT_NOUNS = ("单位", "部门")


def _composed(roles: tuple[str, ...], kind: str) -> dict[str, str]:
    labels = {}
    for role in roles:
        for noun in _UNIT_NOUNS:
            labels[f"{role}{noun}"] = kind
            if role != "责任" and not role.endswith("责任"):
                labels[f"{role}责任{noun}"] = kind
    return labels


LABELS = {
    **_composed(_LEAD_ROLES, LEAD),
    **_composed(_SUPPORT_ROLES, SUPPORT),
    **dict.fromkeys(("责任领导", "分管领导", "牵头领导", "分管县领导", "分管市领导", "分管区领导",
                     "包抓领导", "牵头负责领导", "负责领导", "牵头责任领导", "联系领导"),
                    LEADERS),
    **dict.fromkeys(("责任人", "具体责任人", "联系人"), PERSONS),
    **dict.fromkeys(("完成时限", "完成时间", "时间节点", "进度安排", "时限要求"), DEADLINE),
}
# Lists given under these labels are the ones a "列第一位者为牵头单位" convention splits;
# 牵头单位 itself says who leads.
GENERIC_LABELS = ("责任单位", "责任部门", "实施单位", "落实单位", "实施部门", "落实部门")
# Labels that name the lead outright. Beside one of them, a generic 责任单位 list names the
# units that share the work, not further leads: "牵头单位：区发改局；责任单位：各街道" — a reader
# takes 区发改局 as lead and 各街道 as supporting. Alone, 责任单位 leads.
EXPLICIT_LEAD_LABELS = tuple(
    label for label, kind in LABELS.items()
    if kind == LEAD and label not in GENERIC_LABELS and label.startswith(("牵头", "主责", "主办"))
)
_LABEL_ALT = "|".join(sorted(LABELS, key=len, reverse=True))
LABEL_RE = re.compile(f"(?P<label>{_LABEL_ALT})\\s*[:：]\\s*")
# "【牵头单位】县农业农村局【配合单位】县财政局": read as "牵头单位：…".
BOXED_LABEL_RE = re.compile(f"[【\\[［](?P<label>{_LABEL_ALT})[】\\]］]\\s*[:：]?\\s*")
# A label at the start of a line may be followed by spaces instead of a colon.
LINE_LABEL_RE = re.compile(
    f"^\\s*(?:[【\\[［](?P<boxed>{_LABEL_ALT})[】\\]］]|(?P<label>{_LABEL_ALT})\\s*(?:[:：]|\\s+(?=\\S)))\\s*"
)

# Role words ending a segment, longest first (共同牵头 before 牵头).
ROLE_WORDS = [
    ("按职责分工负责", LEAD), ("按职责分工落实", LEAD), ("按职能分工负责", LEAD),
    ("按职责负责", LEAD), ("分别牵头负责", LEAD), ("共同牵头负责", LEAD),
    ("共同牵头", LEAD), ("牵头负责", LEAD), ("牵头落实", LEAD), ("牵头实施", LEAD),
    ("分别负责", LEAD), ("分别牵头", LEAD), ("分别落实", LEAD), ("共同负责", LEAD),
    ("具体落实", LEAD), ("具体负责", LEAD), ("负责落实", LEAD), ("组织实施", LEAD),
    ("抓好落实", LEAD), ("配合落实", SUPPORT), ("协助落实", SUPPORT), ("参与落实", SUPPORT),
    ("牵头", LEAD), ("负责", LEAD), ("落实", LEAD), ("主责", LEAD),
    ("参与", SUPPORT), ("配合", SUPPORT), ("协助", SUPPORT), ("协同", SUPPORT), ("协办", SUPPORT),
]
_BY_LENGTH = sorted(ROLE_WORDS, key=lambda pair: -len(pair[0]))
# Words after which a segment's units are explicitly marked, so a convention does not apply.
EXPLICIT_LEAD = ("牵头", "共同牵头", "牵头负责", "牵头落实", "牵头实施", "分别负责", "分别牵头",
                 "分别落实", "分别牵头负责", "共同牵头负责", "共同负责")
UNIT_SUFFIX_RE = re.compile(
    r"(处|处室|局|厅|委|办|室|部|会|社|行|司|公司|单位|部门|中心|分局|支行|所|队|站|组|联|府|政府"
    r"|党委|委员会|县区|乡（镇）|乡镇|街道|社区|院|馆|团|署|机构|银行|协会|小组|学校|大学|集团"
    r"|县级市|指挥部|管委会|企业|人民政府|办公室|科协|工会|镇|乡|（牵头）)[*＊★☆]?$"
)
_COLLECTIVE_RE = re.compile(r"^(各|有关|相关|其他|全[市县区省])")
_NOT_UNIT_RE = re.compile(r"[要将把对在从按由是的了]|加强|推进|完善|建立|做好|开展|落实|实施|确保")
CONVENTION_RE = re.compile(
    r"(?:列|排|排在|排列|位列|位于|名列)?(?:第一位|首位|第一个|最前面?)(?:的|者)?(?:单位|部门)?"
    r"(?:为|是)(?:牵头|主责|责任)(?:单位|部门)"
)
CONVENTION_END_RE = re.compile(r"排名不分先后|排序不分先后|不分先后顺序")
# 004: "本项及以下各项措施，除特别注明外，均需要各县区落实，不再逐项列出"
RULE_RE = re.compile(r"本项及以下各项[^，；。]*?[，,]?.*?均需要?(?P<who>[^，；。]+?)落实")
_RULE_TAIL_RE = re.compile(r"^(除特别注明外|均需要?|不再逐项|下同|以下同)")
_DEADLINE_RE = re.compile(r"\d{4}\s*年|年底|年内|月底|长期|持续|常态|[前底]完成|每年|季度")
# Prose such as "市卫生健康委负责防范因病返贫致贫风险": a unit doing something, not a clause.
# A segment that is only a time limit: "2021年12月底前完成", "长期坚持", "每年12月上旬".
_DEADLINE_SEGMENT_RE = re.compile(
    r"^(?:(?:\d{4}|[〇○一二三四五六七八九零]{4})\s*年\s*(?:\d{1,2}\s*月)?\s*"
    r"(?:\d{1,2}\s*日|底|上旬|中旬|下旬|末)?|年底|年内|本年度)?\s*"
    r"(?:前|以前|之前)?\s*(?:完成|到位|实现|见效|启动)?(?:并长期坚持)?$"
    r"|^(?:长期坚持|持续推进|长期|持续开展|常态化推进)$|^每(?:年|季度|月|半年).{0,12}$"
)
_PROSE_DUTY_RE = re.compile(
    r"(?:^|[，。；、])(?P<unit>[^，。；、（）()]{2,20}?(?:局|委|办|部|厅|府|院|中心|公司))"
    r"(?:要|继续|牵头|负责)(?!落实[，。；]|$)"
)
_SEPARATORS = " ，,、;；。.\n\t"


@dataclass
class Reading:
    """What one responsibility clause says."""

    units: list[UnitRef] = field(default_factory=list)
    leaders: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    deadline_text: str = ""
    flags: list[Flag] = field(default_factory=list)
    rule: str | None = None  # a collective every following measure is also a duty of (004)
    convention: bool | None = None  # True: states "列第一位者为牵头单位"; False: ends it
    labelled: bool = False

    @property
    def empty(self) -> bool:
        return not (self.units or self.leaders or self.persons or self.deadline_text)


# ---------------------------------------------------------------- names


def normalize_unit_name(name: str) -> str:
    name = unit_brackets(squeeze(name)).strip(_SEPARATORS)
    name = re.sub(r"\s+", "", name)
    if _CITY_FINANCE_RE.fullmatch(name):
        return "各市（州）、县财政局"
    # Longde writes 各乡（镇）, 各乡(镇), 各乡镇, 各乡镇（镇）: one collective.
    if name in {"各乡镇（镇）", "各乡镇", "各乡(镇)"}:
        return "各乡（镇）"
    return name


# 000's OCR turns 各市（州） into 各市（少！J）, 各市（'fri ）, 各市（，・！1）…
_CITY_FINANCE_RE = re.compile(r"各市\s*[（(][^（）()]{0,8}[）)]\s*、?\s*县财政(局|部门)")
# "各区、县级市", "各市、县（区）人民政府": the second part is a level of the first collective.
_LEVEL_TAIL_RE = re.compile(
    r"^(县级市|县|区|市|旗|县区|县（市、区）|县（区）|区县|市（州）|乡镇|乡（镇）|街道|镇)"
    r"(人民政府|政府|党委|党委和政府|党委政府)?$"
)


# "省政府各部门、各直属机构": "各直属机构" names no one until the owner written before it in
# "省政府各部门" is read into it; the two stay one collective. "各街道", "各乡镇" stand alone.
_OWNED_COLLECTIVE_RE = re.compile(r"^[^各]+各\S+$")
_OWNERLESS_TAIL_RE = re.compile(
    r"^各(?:直属|所属|下属|派出)?(?:部门|单位|机构|事业单位|企业|部门单位)$|^各直属机构$"
)


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


def split_top(text: str, separators: str) -> list[str]:
    """Splits at the separators outside brackets （）()〔〕《》“”."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "（(《“〔【":
            depth += 1
        elif ch in "）)》”〕】":
            depth = max(depth - 1, 0)
        if ch in separators and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def spaces_between_units(value: str) -> str:
    """ "县发改局 县财政局": a space after a unit's last character separates two units."""
    return re.sub(r"(?<=[局委办部厅府处室队站所院社联])[ \t\u3000]+(?=[\u4e00-\u9fff])", "、", value)


def unit_brackets(text: str) -> str:
    """Brackets inside unit names written as （）: "各市、县〔区〕人民政府" is 各市、县（区）人民政府."""
    return fullwidth_parens(text).translate(_UNIT_BRACKETS)


_UNIT_BRACKETS = str.maketrans({"〔": "（", "〕": "）", "［": "（", "］": "）"})


def split_names(value: str, *, dedupe: bool = True) -> list[str]:
    """Splits "教体局、公安局，各乡（镇）" at 、，; outside brackets; keeps collectives whole."""
    value = unit_brackets(squeeze(spaces_between_units(value)))
    value, _ = fix_city_finance(value)
    protected = value.replace("各市（州）、县财政", "各市（州）\u0001县财政")
    result: list[str] = []
    for raw in split_top(protected, "、，,；;"):
        raw = raw.replace("\u0001", "、").strip()
        if not raw:
            continue
        for piece in _split_conjoined(raw):
            name = normalize_unit_name(piece)
            if not name:
                continue
            if result and result[-1].startswith("各") and _LEVEL_TAIL_RE.match(name):
                result[-1] = f"{result[-1]}、{name}"
                continue
            if result and _OWNED_COLLECTIVE_RE.match(result[-1]) and _OWNERLESS_TAIL_RE.match(name):
                result[-1] = f"{result[-1]}、{name}"  # "省政府各部门、各直属机构": one owner
                continue
            result.append(name)
    if not dedupe:
        return result
    seen: set[str] = set()
    return [n for n in result if not (n in seen or seen.add(n))]


_GENERIC_TAILS = {"部门", "单位", "部门单位", "有关部门", "相关部门", "有关单位", "相关单位"}


def _split_conjoined(raw: str) -> list[str]:
    """ "发展改革委等和各省级人民政府" → two names; "市财政局等原市…成员单位" → two (004);
    "县农业农村局等部门" → the unit alone; a trailing 等 is dropped."""
    parts = re.split(r"等(?:和|及|以及)|(?<=[局委办部厅府处])(?:和|及|以及)(?=各)", raw)
    names = []
    for part in parts:
        head, sep, tail = part.partition("等")
        tail = tail.strip()
        if sep and UNIT_SUFFIX_RE.search(head) and (not tail or tail in _GENERIC_TAILS):
            names.append(head)
        elif sep and UNIT_SUFFIX_RE.search(head) and UNIT_SUFFIX_RE.search(tail):
            names.extend([head, tail])
        else:
            names.append(part)
    return names


def split_people(value: str) -> list[str]:
    """ "马金平 谢国玉" → two leaders; "祁 忠" (a name padded to three characters) → one."""
    parts = [p for p in re.split(r"[\s、，,；;]+", value.strip()) if p]
    if parts and all(len(p) == 1 for p in parts):
        return ["".join(parts)]
    return parts


def is_unit_name(name: str) -> bool:
    """The unit test: a unit suffix (局, 委, 办, 政府, 单位 …) or a collective form (各…, 有关…)."""
    if not name or len(name) > 40:
        return False
    suffix = UNIT_SUFFIX_RE.search(name)
    if suffix:
        if suffix.start() == 0:  # "所、站": a suffix alone names nothing
            return False
        return not _NOT_UNIT_RE.search(re.sub(r"（[^）]*）", "", name)[:-2] or "x")
    return bool(_COLLECTIVE_RE.match(name)) and len(name) <= 12 and not _NOT_UNIT_RE.search(name)


# ---------------------------------------------------------------- tokens


def tokens(content: str) -> list[tuple[str, str]]:
    """(label, value) pairs; the text before the first label has label ""."""
    pairs: list[tuple[str, str]] = []
    position, label = 0, ""
    for match in LABEL_RE.finditer(content):
        if _inside_brackets(content, match.start()):
            continue
        pairs.append((label, content[position : match.start()]))
        label, position = match.group("label"), match.end()
    pairs.append((label, content[position:]))
    return [(lab, val) for lab, val in pairs if lab or val.strip(_SEPARATORS)]


def unbox_labels(text: str) -> str:
    return BOXED_LABEL_RE.sub(lambda m: f"{m.group('label')}：", text)


def _inside_brackets(text: str, index: int) -> bool:
    depth = 0
    for ch in text[:index]:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return depth > 0


def states_convention(text: str) -> bool | None:
    if CONVENTION_END_RE.search(text):
        return False
    return True if CONVENTION_RE.search(text) else None


def find_rule_collective(content: str) -> str | None:
    """004: "本项及以下各项措施，除特别注明外，均需要各县区落实" → "各县区"."""
    match = RULE_RE.search(squeeze(content))
    return normalize_unit_name(match.group("who")) if match else None


# ---------------------------------------------------------------- clauses


def read_clause(
    content: str, *, clause: int | None = None, first_leads: bool = False, strict: bool = True
) -> Reading | None:
    """One clause: a bracket's content, a label line, or a sentence of running text.

    None when it is not a responsibility clause at all ("（含技工院校）", prose). `strict`
    (unlabelled text) requires every name to pass the unit test and, outside a closing bracket,
    a role word; a labelled value keeps names such as "人保财险" that the label vouches for.
    """
    # Not squeezed as a whole: "马金平 谢国玉" are two leaders; unit lists are squeezed.
    content, ocr_flags = fix_city_finance(fullwidth_parens(unbox_labels(content)))
    reading = Reading(flags=ocr_flags)
    reading.convention = states_convention(content)
    reading.rule = find_rule_collective(content)
    if reading.convention is not None:
        first_leads = reading.convention
    pairs = tokens(content)
    reading.labelled = any(label for label, _ in pairs)
    names_lead = any(label in EXPLICIT_LEAD_LABELS for label, _ in pairs)
    shared: list[UnitRef] = []
    for label, value in pairs:
        kind = LABELS.get(label, LEAD)
        if names_lead and label in GENERIC_LABELS:
            kind = SUPPORT  # "牵头单位：X；责任单位：Y": Y shares the work under X
        if kind == LEADERS:
            reading.leaders.extend(split_people(_first_part(value)))
        elif kind == PERSONS:
            reading.persons.extend(split_people(_first_part(value)))
        elif kind == DEADLINE:
            reading.deadline_text = squeeze(_first_part(value, keep_commas=True))
        else:
            refs = _read_units(
                squeeze(spaces_between_units(value)),
                default_role=kind,
                clause=clause,
                labelled=bool(label),
                strict=strict and not label,
                reading=reading,
            )
            if refs is None:
                if not reading.labelled:
                    return None
                continue
            generic = not label or label in GENERIC_LABELS
            if first_leads and generic:
                refs = _first_leads(refs, written=value)
            if names_lead and label in GENERIC_LABELS:
                shared.extend(refs)
            reading.units.extend(refs)
    if shared:  # "责任单位：X、Y；牵头单位：X": the list repeats the lead, X is not also support
        leads = {r.name for r in reading.units if r.role == LEAD}
        repeated = {id(r) for r in shared if r.name in leads}
        reading.units = [r for r in reading.units if id(r) not in repeated]
    _explicit_lead_makes_others_support(reading.units)
    _check_roles(reading)
    if not reading.labelled and not (reading.units or reading.leaders or reading.persons):
        reading.deadline_text = ""  # "（2021年底前完成）" alone is no responsibility clause
    if reading.empty and not reading.flags and reading.convention is None and not reading.rule:
        return None
    return reading


def _first_part(value: str, *, keep_commas: bool = False) -> str:
    """A label's value up to the sentence end: "2021年底前；本项…" → "2021年底前"."""
    parts = split_top(value, "；;。" if keep_commas else "；;。，,")
    return parts[0].strip(_SEPARATORS) if parts else ""


def _read_units(
    value: str,
    *,
    default_role: str,
    clause: int | None,
    labelled: bool,
    strict: bool,
    reading: Reading,
) -> list[UnitRef] | None:
    """The units of one value: sentences of segments, each a unit list and a role word."""
    protected = value.replace("各市（州）、县财政", "各市（州）\u0001县财政")
    refs: list[UnitRef] = []
    for sentence in split_top(protected, "；;。"):
        sentence = sentence.strip(_SEPARATORS)
        if not sentence:
            continue
        if RULE_RE.search(sentence) or CONVENTION_RE.search(sentence) or CONVENTION_END_RE.search(sentence):
            continue
        for segment in split_top(sentence, "，,"):
            segment = segment.replace("\u0001", "、").strip(_SEPARATORS)
            if not segment or _RULE_TAIL_RE.match(segment) or CONVENTION_RE.search(segment):
                continue
            if _is_deadline(segment):
                # "（住房城乡建设部、财政部负责，2021年12月底前完成）": the time limit rides along.
                if not reading.deadline_text:
                    reading.deadline_text = segment
                continue
            parsed = _segment(segment, default_role)
            if parsed is None:
                if strict:
                    return None
                if labelled and _DEADLINE_RE.search(segment) and not reading.deadline_text:
                    reading.deadline_text = segment
                elif labelled:
                    reading.flags.append(
                        Flag("ambiguous_units", f"“{segment}”不像单位名称，未列为责任单位，请核对")
                    )
                continue
            items, role_word = parsed
            if role_word.startswith("按职") and not items:
                reading.flags.append(
                    Flag("ambiguous_units", f"“{role_word}”未写明具体单位，请指定责任单位")
                )
            for name, role, wording in items:
                if strict and not is_unit_name(name):
                    return None
                if not strict and not is_unit_name(name) and _NOT_UNIT_RE.search(name) and len(name) > 6:
                    reading.flags.append(
                        Flag("ambiguous_units", f"“{name}”不像单位名称，未列为责任单位，请核对")
                    )
                    continue
                refs.append(UnitRef(name=name, role=role, wording=wording, clause=clause))
    return refs


def _segment(segment: str, default_role: str) -> tuple[list[tuple[str, str, str]], str] | None:
    """ "由X牵头" / "X、Y配合" / "X会同Y负责" / "X（牵头）、Y" / a bare list → (name, role,
    wording) items and the role word; None when the segment is no unit list."""
    role_default = LEAD if default_role in (LEAD, "running") else default_role
    body, word, role = segment, "", role_default
    by = re.match(r"^(?:均|统一|分别)?由(?P<rest>.+)$", body)
    if by:  # "由县政府办牵头抓好落实": the first role word after the units
        body = by.group("rest")
        found = [(body.find(w), -len(w), w, r) for w, r in ROLE_WORDS if body.find(w) > 0]
        if not found:
            return None
        index, _, word, role = min(found)
        body = body[:index]
    else:
        for candidate, candidate_role in _BY_LENGTH:
            if body.endswith(candidate):
                body, word, role = body[: -len(candidate)], candidate, candidate_role
                break
    lead_head = re.match(r"^(?:会同|协同|联合|配合|协助)(?P<rest>.+)$", body)
    if lead_head and word:  # "会同县商务局组织实施": the units support
        body, role = lead_head.group("rest"), SUPPORT
    body = re.sub(r"(等|分别|共同|统一|具体|要|均)+$", "", body.strip(_SEPARATORS))
    if default_role == SUPPORT and role == LEAD and word in ("落实", "负责"):
        role = SUPPORT  # "配合单位：X负责" is still a supporting unit
    items: list[tuple[str, str, str]] = []
    together = re.split(r"会同|协同", body, maxsplit=1)
    if len(together) == 2 and word:  # "X会同Y负责": X leads, Y supports
        head, tail = together
        items += [(n, role, word) for n in split_names(head)]
        items += [(n, SUPPORT, "会同") for n in split_names(tail)]
        return items, word
    names = [_ROLE_NOTE_RE.sub("", n) or n for n in split_names(body)]
    if any(n.endswith("（配合）") for n in names) and not any(n.endswith("（牵头）") for n in names):
        return [
            (n.removesuffix("（配合）"), SUPPORT if n.endswith("（配合）") else role, word) for n in names
        ], word
    starred = [n for n in names if n.endswith(_STARS)]
    if starred:  # "区建管委*、区农业农村委" (加*号为牵头部门，其余为参与部门)
        return [
            (n.rstrip("".join(_STARS)), LEAD if n in starred else SUPPORT, word) for n in names
        ], word
    marked = [n for n in names if n.endswith("（牵头）")]
    if marked:  # "县发改局（牵头）、县财政局": the marked unit leads, the others support
        for n in names:
            items.append((n.removesuffix("（牵头）"), LEAD if n in marked else SUPPORT, "牵头" if n in marked else ""))
        return items, word or "牵头"
    if not names and not word.startswith("按职"):
        return None
    return [(n, role, word) for n in names], word


# "…等和各省级人民政府负责": governments of a level carry the duty in their own area; a
# first-listed convention never makes them support a ministry.
_REGIONAL_RE = re.compile(r"^各.*(人民政府|政府|党委和政府|党委政府|自治区、直辖市）)$|^各地$")


_STARS = ("*", "＊", "★", "☆")
# "县财政局（按职责分工负责）": a note on the unit's duty, not part of its name.
_ROLE_NOTE_RE = re.compile(r"（(按职责分工负责|按职责负责|负责|按职责分工落实)）$")


def _first_leads(refs: list[UnitRef], *, written: str = "") -> list[UnitRef]:
    """Under "列第一位者为牵头单位": the first unit of an unmarked lead list leads, the rest support.

    Governments of a level joined to the list by 和/及 ("农业农村部等和各省级人民政府负责") are a
    second subject: they carry the duty in their own area and lead beside the first-listed
    unit. Listed after a comma like any other unit ("农业农村部、商务部，各省级人民政府按职责
    分工负责") they are later-listed units and support.
    """
    text = unit_brackets(squeeze(written))
    conjoined = {
        r.name for r in refs
        if _REGIONAL_RE.match(r.name) and re.search(f"(?:和|及){re.escape(r.name)}", text)
    }
    leads = [r for r in refs if r.role == LEAD and r.name not in conjoined]
    if len(leads) < 2 or any(r.wording in EXPLICIT_LEAD for r in leads) or any(
        r.role == SUPPORT for r in refs
    ):
        return refs
    for ref in leads[1:]:
        ref.role = SUPPORT
    return refs


_GENERIC_DUTY = ("负责", "按职责分工负责", "按职责负责", "按职能分工负责", "按职责分工落实")


def _explicit_lead_makes_others_support(refs: list[UnitRef]) -> None:
    """ "国家发展改革委牵头，财政部、自然资源部等按职责分工负责": beside a unit that 牵头,
    the units that are only 负责 take part (support)."""
    if not any(r.wording in ("牵头", "牵头负责", "牵头落实", "牵头实施") for r in refs):
        return
    for ref in refs:
        if ref.role == LEAD and ref.wording in _GENERIC_DUTY:
            ref.role = SUPPORT


def _check_roles(reading: Reading) -> None:
    roles: dict[str, set[str]] = {}
    for ref in reading.units:
        roles.setdefault(ref.name, set()).add(ref.role)
    both = [name for name, r in roles.items() if len(r) > 1]
    if both:
        reading.flags.append(
            Flag("ambiguous_units", f"“{'、'.join(both)}”既列为牵头单位又列为配合单位，请核对")
        )


# ---------------------------------------------------------------- a measure's clauses


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


@dataclass
class Clause:
    text: str  # the words it covers
    reading: Reading
    start: int
    end: int


def measure_clauses(text: str, *, first_leads: bool = False) -> list[Clause]:
    """Every responsibility clause of a measure's text, in order, each with the words it covers.

    A bracket counts wherever it stands when it carries a label or a role word; a bare list of
    units only when it closes the text (000, 004). When no bracket names a unit, sentences of
    running text are read ("由县农业农村局牵头，县商务局配合。").
    """
    clauses: list[Clause] = []
    covered_from = 0
    text = square_clauses(text)
    spans = parentheticals(text)
    for index, (start, end, content) in enumerate(spans):
        at_end = index == len(spans) - 1 and not re.sub(r"[\s。.；;，,]", "", text[end:])
        labelled = bool(LABEL_RE.search(content))
        reading = read_clause(
            content, clause=len(clauses), first_leads=first_leads, strict=not labelled
        )
        if reading is None or reading.empty and not reading.flags:
            if reading is not None and reading.convention is not None:
                first_leads = bool(reading.convention)
            continue
        if not labelled and not at_end and not _has_role_word(content):
            continue
        if reading.convention is not None:
            first_leads = bool(reading.convention)
        clauses.append(Clause(text[covered_from:start].strip(" 。；\n"), reading, start, end))
        covered_from = end
    if clauses:
        return clauses
    return running_text_clauses(text, first_leads=first_leads)


# "[牵头单位:县发改局(粮食局);责任单位:各镇人民政府]": square brackets, used when the units
# themselves carry round ones, hold a clause when they open with a role label.
_SQUARE_CLAUSE_RE = re.compile(
    f"[\\[［【〖](?=\\s*(?:{_LABEL_ALT})\\s*[:：])([^\\[\\]［］【】〖〗]*)[\\]］】〗]"
)


def square_clauses(text: str) -> str:
    """A labelled clause in [ ], ［ ］, 【 】 or 〖 〗 rewritten as （ ）, same length (offsets hold)."""
    return _SQUARE_CLAUSE_RE.sub(lambda m: f"（{m.group(1)}）", text)


def _has_role_word(content: str) -> bool:
    return any(word in content for word, _ in ROLE_WORDS)


_SENTENCE_RE = re.compile(r"[^。；;\n]+[。；;\n]?")


def running_text_clauses(text: str, *, first_leads: bool = False) -> list[Clause]:
    """Sentences that are wholly a responsibility statement: "由X牵头，Y、Z配合。"."""
    clauses: list[Clause] = []
    covered_from = 0
    for match in _SENTENCE_RE.finditer(text):
        sentence = match.group(0).strip(" 。；;\n")
        if not sentence or not _has_role_word(sentence):
            continue
        label = LINE_LABEL_RE.match(sentence)
        reading = read_clause(
            sentence, clause=len(clauses), first_leads=first_leads, strict=not label
        )
        if reading is None or not reading.units:
            continue
        if not label and not _all_segments_have_roles(sentence):
            continue
        clauses.append(
            Clause(text[covered_from : match.start()].strip(" 。；\n"), reading, match.start(), match.end())
        )
        covered_from = match.end()
    return clauses


def _is_deadline(segment: str) -> bool:
    segment = segment.strip(_SEPARATORS)
    return bool(segment) and bool(_DEADLINE_SEGMENT_RE.match(segment)) and bool(
        _DEADLINE_RE.search(segment) or segment.startswith("每"))


def _all_segments_have_roles(sentence: str) -> bool:
    """In running text every segment carries a role word ("X牵头，Y配合"), or the sentence
    opens with 由 ("由X牵头，Y、Z配合"); a closing time limit may follow ("…，2022年10月底前完成")."""
    segments = [s for s in split_top(sentence, "，,")
                if s.strip(_SEPARATORS) and not _is_deadline(s)]
    if sentence.lstrip().startswith(("由", "均由", "分别由")):
        segments = segments[1:]
    parsed = [_segment(s.strip(_SEPARATORS), "running") for s in segments]
    return all(p is not None and p[1] for p in parsed)


# "会同配合单位于2012年10月底前牵头制定完成实施细则": a dated "before" in the text is a time
# limit the measure sets itself, even with no 完成时限 label.
_TEXT_DEADLINE_RE = re.compile(
    r"(?:\d{4}|[〇○一二三四五六七八九零]{4})\s*年\s*(?:\d{1,2}\s*月\s*)?"
    r"(?:\d{1,2}\s*日|底|末|上旬|中旬|下旬)?\s*(?:以前|之前|前)"
)


def text_deadlines(text: str) -> str:
    """The time limits written in a measure's text ("2012年10月底前"), in order, joined by "；";
    for a measure whose clauses, labels or table row give none."""
    found: list[str] = []
    for match in _TEXT_DEADLINE_RE.finditer(text):
        written = re.sub(r"\s", "", match.group(0))
        if written not in found:
            found.append(written)
    return "；".join(found)


def prose_duties(text: str) -> list[str]:
    """Units the prose gives duties to ("市卫生健康委负责防范…"): for a reader to check."""
    names = []
    for match in _PROSE_DUTY_RE.finditer(text):
        name = normalize_unit_name(match.group("unit"))
        if is_unit_name(name) and name not in names:
            names.append(name)
    return names
