"""Quantitative targets in an obligation's words (DESIGN.md §3.4).

    到2025年全县卫生厕所普及率达到85%以上        → 卫生厕所普及率 ≥ 85 %, 2025, 全县
    …综合利用率、…配套率分别达到 75%和 95%       → two targets
    每年落实不少于1200万元对口帮扶资金            → 对口帮扶资金 ≥ 1200 万元 each year
    市县两级单列安排不少于5%的新增建设用地计划指标  → ≥ 5 % each year (an annual plan quota)
    继续安排每个脱贫县计划指标600亩               → 600 亩 per 脱贫县 each year
    拟新建或改造50个区域性农畜产品冷链加工配送中心  → 50 个 by the plan's end
"""

from __future__ import annotations

import re
from decimal import Decimal

_SENTENCE_RE = re.compile(r"[^。；;\n]+")
_YEAR_RE = re.compile(r"(?:到|至)?\s*(20\d{2})\s*年")
_NAME = r"[\u4e00-\u9fff“”]{2,24}?(?:率|覆盖面|比例|比重)"
_PERCENT = r"(\d+(?:\.\d+)?)\s*[%％]"
_ONE_RE = re.compile(
    f"(?P<name>{_NAME})\\s*(?:要|应)?(?:达到|提高到|提升到|保持在|稳定在|不低于)\\s*"
    r"(?P<v>\d+(?:\.\d+)?)\s*[%％](?P<more>以上)?"
)
_MANY_RE = re.compile(
    f"(?P<names>{_NAME}(?:、{_NAME})+)\\s*分别(?:达到|提高到|提升到)\\s*"
    f"(?P<values>{_PERCENT}(?:\\s*[和、及]\\s*{_PERCENT})+)"
)
_PER_YEAR_AMOUNT_RE = re.compile(
    r"每年[^。；，]*?(?:不少于|不低于|至少)\s*(?P<v>\d+(?:\.\d+)?)\s*(?P<u>万元|亿元|亩|名|人|个)的?"
    r"(?P<name>[\u4e00-\u9fff]{2,16})"
)
_AT_LEAST_SHARE_RE = re.compile(
    r"(?:不少于|不低于)\s*(?P<v>\d+(?:\.\d+)?)\s*(?P<u>[%％])的"
    r"(?P<name>[\u4e00-\u9fff]{2,14}(?:指标|资金|用地|面积|经费))"
)
_PER_YEAR_COUNT_RE = re.compile(
    r"每年(?:选认|培育|选派|安排|新增|培训)?(?P<name>[\u4e00-\u9fff、]{2,20}?)(?P<v>\d+(?:\.\d+)?)\s*(?P<u>名|人|个|家)"
)
_PER_UNIT_RE = re.compile(
    r"每个(?P<scope>脱贫县|重点帮扶县|县|乡镇|行政村|村)(?P<name>[\u4e00-\u9fff]{2,12}?)"
    r"(?P<v>\d+(?:\.\d+)?)\s*(?P<u>亩|万元|名|个)"
)
_BUILD_RE = re.compile(
    r"(?:新建|改造|建设|建成)(?:或(?:新建|改造))?(?P<v>\d+)\s*(?P<u>个|家|座|所)"
    r"(?P<name>[\u4e00-\u9fff]{2,20})"
)
_SCOPE_RE = re.compile(r"^(全县|全市|全省|全区|全州)")


def _target(name, value, unit, *, year=None, per_year=False, scope="", comparator=">=", source=""):
    name = name.strip("“”").removeprefix("年")
    if match := _SCOPE_RE.match(name):
        scope, name = scope or match.group(1), name[match.end():]
    return {
        "name": name, "comparator": comparator, "value": str(Decimal(value)),
        "unit": "%" if unit in "%％" else unit, "by": year, "per_year": per_year,
        "region_scope": scope, "source": source.strip(),
    }


def parse_targets(text: str, *, plan_end_year: int | None = None) -> list[dict]:
    """Every target found, in order; a sentence yields each of its targets once."""
    targets: list[dict] = []
    for sentence in _SENTENCE_RE.findall(text or ""):
        sentence = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff\d])|(?<=\d)\s+(?=[年%％])", "",
                          sentence)
        year_match = _YEAR_RE.search(sentence)
        year = int(year_match.group(1)) if year_match else None
        annual = bool(re.search(r"每年|年度|计划指标", sentence))
        found: list[dict] = []
        taken: list[tuple[int, int]] = []

        def keep(match, items, found=found, taken=taken):
            """Adds a match's targets unless an earlier pattern already read those words."""
            if any(s <= match.start() < e for s, e in taken):
                return
            taken.append(match.span())
            found.extend(items)

        for match in _MANY_RE.finditer(sentence):
            names = re.split(r"、", match.group("names"))
            values = re.findall(r"\d+(?:\.\d+)?", match.group("values"))
            if len(names) == len(values) and year:
                keep(match, [_target(n, v, "%", year=year, source=sentence)
                             for n, v in zip(names, values, strict=True)])
        if year:
            for match in _ONE_RE.finditer(sentence):
                keep(match, [_target(match.group("name"), match.group("v"), "%", year=year,
                                     source=sentence)])
        for pattern in (_PER_YEAR_AMOUNT_RE, _PER_UNIT_RE, _PER_YEAR_COUNT_RE):
            for match in pattern.finditer(sentence):
                scope = f"每个{match.group('scope')}" if "scope" in match.groupdict() else ""
                keep(match, [_target(match.group("name"), match.group("v"), match.group("u"),
                                     per_year=True, scope=scope, source=sentence)])
        for match in _AT_LEAST_SHARE_RE.finditer(sentence):
            keep(match, [_target(match.group("name"), match.group("v"), "%", per_year=annual,
                                 year=None if annual else year, source=sentence)])
        for match in _BUILD_RE.finditer(sentence):
            keep(match, [_target(match.group("name"), match.group("v"), match.group("u"),
                                 year=year or plan_end_year, source=sentence)])
        targets.extend(found)
    return targets
