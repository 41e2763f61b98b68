"""Transition-period rules: where and until when a policy applies (DESIGN.md §3.3).

Read from the words of the documents:
    过渡期前3年，脱贫县继续实施…试点政策，此后调整至国家和省级乡村振兴重点帮扶县实施
    …的财政保障政策，至少要维持3年
    …的财政投入保障政策保持不变，延续至2025年
and answered for a region and a date: "what does 新宾县 owe in 2024?".
"""

from __future__ import annotations

import datetime
import re

from obligations.deadlines import Period, add_years

CATEGORY_WORDS = [  # longest first
    ("国家和省级乡村振兴重点帮扶县", ["national_key", "provincial_key"]),
    ("国家乡村振兴重点帮扶县", ["national_key"]),
    ("省级乡村振兴重点帮扶县", ["provincial_key"]),
    ("乡村振兴重点帮扶县", ["national_key", "provincial_key"]),
    ("重点帮扶县", ["national_key", "provincial_key"]),
    ("脱贫县", ["poverty_exit"]),
]
CATEGORY_LABELS = {
    "poverty_exit": "脱贫县",
    "national_key": "国家乡村振兴重点帮扶县",
    "provincial_key": "省级乡村振兴重点帮扶县",
}
_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_FIRST_YEARS_RE = re.compile(r"过渡期前\s*(?P<n>\d|[一二三四五])\s*年")
_MINIMUM_RE = re.compile(r"至少(?:要)?(?:维持|保持|延续)\s*(?P<n>\d|[一二三四五])\s*年")
_UNTIL_RE = re.compile(r"(?:延续|持续|执行)(?:到|至)\s*(?P<y>20\d{2})\s*年")
_PILOT_RE = re.compile(r"(?:实施|实行|执行)(?P<name>[\u4e00-\u9fff]{2,20}?)(?P<pilot>试点)?政策")
_THEN_RE = re.compile(r"此后(?:调整)?(?:至|为|到)(?P<who>[^，。；]+?)实施")
_SENTENCE_RE = re.compile(r"[^。；]+[。；]?")


def _n(text: str) -> int:
    return int(text) if text.isdigit() else _NUM[text]


def categories_in(text: str) -> list[str]:
    for words, categories in CATEGORY_WORDS:
        if words in text:
            return categories
    return []


def _policy_before(sentence: str, end: int) -> str:
    """"…资金的财政投入保障政策保持不变" → "财政投入保障政策"."""
    head = sentence[:end]
    stop = head.rfind("政策")
    if stop == -1:
        return ""
    start = max(head.rfind(c, 0, stop) for c in "的，,、。；") + 1
    return re.sub(r"^(继续|保持|原)", "", head[start:stop]) + "政策"


def policy_key(name: str) -> str:
    """财政涉农资金统筹整合试点 and 涉农资金统筹整合试点 are one policy."""
    return re.sub(r"^(财政|省级|市级|县级)", "", re.sub(r"\s", "", name))


def read_rules(text: str, *, title: str, period: Period) -> list[dict]:
    """The rules a measure's text states, each with the sentence it came from."""
    rules = []
    for sentence in _SENTENCE_RE.findall(text or ""):
        compact = re.sub(r"\s", "", sentence)
        if match := _FIRST_YEARS_RE.search(compact):
            pilot = _PILOT_RE.search(compact, match.end())
            if not pilot:
                continue
            name = policy_key(pilot.group("name") + (pilot.group("pilot") or ""))
            until = add_years(period.start, _n(match.group("n")))
            first = {"from": period.start.isoformat(), "until": until.isoformat(),
                     "categories": categories_in(compact[: pilot.start()])}
            phases = [first]
            if then := _THEN_RE.search(compact, pilot.end()):
                phases.append({"from": (until + datetime.timedelta(days=1)).isoformat(),
                               "until": period.end.isoformat(),
                               "categories": categories_in(then.group("who"))})
            rules.append(_rule(name, "window", phases, compact, title))
        elif match := _MINIMUM_RE.search(compact):
            name = _policy_before(compact, match.start())
            until = add_years(period.start, _n(match.group("n")))
            rules.append(_rule(name, "minimum", [{"from": period.start.isoformat(),
                                                  "until": until.isoformat(), "categories": []}],
                               compact, title))
        elif match := _UNTIL_RE.search(compact):
            name = _policy_before(compact, match.start())
            until = datetime.date(int(match.group("y")), 12, 31)
            rules.append(_rule(name, "window", [{"from": period.start.isoformat(),
                                                 "until": until.isoformat(), "categories": []}],
                               compact, title))
    return [r for r in rules if r["policy"] and r["policy"] != "政策"]


def _rule(policy, kind, phases, sentence, title):
    core = re.sub(r"(试点|政策)$", "", policy)
    return {
        "policy": policy, "kind": kind, "phases": phases, "clause_text": sentence,
        # The rule governs the whole measure only when the measure is about that policy.
        "scope": "obligation" if core and core[:6] in title else "clause",
    }


def describe_phases(phases: list[dict]) -> str:
    parts = []
    for phase in phases:
        start = datetime.date.fromisoformat(phase["from"])
        until = datetime.date.fromisoformat(phase["until"])
        who = "、".join(CATEGORY_LABELS[c] for c in phase["categories"]) or "文件覆盖的所有地区"
        parts.append(f"{start.year}—{until.year}年适用于{who}")
        if start.month != 1 or start.day != 1 or until.month != 12 or until.day != 31:
            parts[-1] = f"{start:%Y-%m-%d}至{until:%Y-%m-%d}适用于{who}"
    return "；".join(parts)


def phase_applies(phases: list[dict], *, on: datetime.date, categories: set[str]) -> bool:
    for phase in phases:
        if phase["from"] <= on.isoformat() <= phase["until"]:
            if not phase["categories"] or categories & set(phase["categories"]):
                return True
    return False
