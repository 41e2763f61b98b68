"""Deadline words → a structure → milestone dates (DESIGN.md §3.2).

Pure functions: no database. The transition period is passed in (it is data,
`TransitionPeriod`), so is the document's issue date and check-in frequency.

A spec is a dict, stored as `Obligation.deadline`:
    kind       one_off | date_then_ongoing | ongoing | recurring | default | unparsed
    date       ISO date of the completion milestone (one_off, date_then_ongoing)
    frequency  monthly | quarterly | semiannual | annual (check-ins or recurrence)
    month, day the recurring day (每年12月上旬 → month 12, day 10)
    until      ISO date after which nothing is due (过渡期前3年, 延续至2025年)
    bound      "transition" for 过渡期内: up to the transition's end, read when dates are made
    minimum_until  ISO date before which the obligation may not lapse (至少要维持3年)
    words      the words the spec was read from
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

DEKAD_DAY = {"上旬": 10, "中旬": 20}  # 下旬 is the month's last day
FREQUENCY_WORDS = [("每半年", "semiannual"), ("每季度", "quarterly"), ("每季", "quarterly"),
                   ("每月", "monthly"), ("每年", "annual")]
CN_MONTH = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
            "十": 10, "十一": 11, "十二": 12}

_DATE = r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?:(?P<d>\d{1,2})\s*日|(?P<end>底|末))"
_ONE_OFF_RE = re.compile(_DATE + r"\s*(前|之前)?\s*(完成|办结|到位|建成)?(?P<ongoing>并?长期坚持)?")
_YEAR_END_RE = re.compile(r"(?P<y>\d{4})\s*年\s*(底|末|年底)\s*(前)?\s*(完成)?(?P<ongoing>并?长期坚持)?")
_RECURRING_RE = re.compile(
    r"每年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(?:(?P<dekad>上旬|中旬|下旬)|(?P<d>\d{1,2})\s*日|(?P<end>底|末))?"
)
_FIRST_YEARS_RE = re.compile(r"过渡期前\s*(?P<n>\d|[一二三四五])\s*年")
_MINIMUM_RE = re.compile(r"至少(要)?(维持|保持|延续)\s*(?P<n>\d|[一二三四五])\s*年")
_UNTIL_RE = re.compile(r"(延续|持续|保持|执行)(到|至)\s*(?P<y>20\d{2})\s*年(底|末)?")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


def last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def dekad_day(year: int, month: int, dekad: str) -> datetime.date:
    """上旬 → the 10th, 中旬 → the 20th, 下旬 → the month's last day (28, 29, 30 or 31)."""
    if dekad == "下旬":
        return last_day(year, month)
    return datetime.date(year, month, DEKAD_DAY[dekad])


def _number(text: str) -> int:
    return int(text) if text.isdigit() else CN_MONTH[text]


def add_years(start: datetime.date, years: int) -> datetime.date:
    """The day before the same date `years` later: 2021-01-01 + 3 years → 2023-12-31."""
    try:
        return start.replace(year=start.year + years) - datetime.timedelta(days=1)
    except ValueError:  # 29 February → 1 March of a common year, minus one day
        return datetime.date(start.year + years, 3, 1) - datetime.timedelta(days=1)


def _bounds(text: str, period: Period) -> dict:
    bounds = {}
    if match := _FIRST_YEARS_RE.search(text):
        bounds["until"] = add_years(period.start, _number(match.group("n"))).isoformat()
    elif match := _UNTIL_RE.search(text):
        bounds["until"] = datetime.date(int(match.group("y")), 12, 31).isoformat()
    elif "过渡期内" in text:
        bounds["bound"] = "transition"  # the period's end, whatever it is when dates are made
    if match := _MINIMUM_RE.search(text):
        bounds["minimum_until"] = add_years(period.start, _number(match.group("n"))).isoformat()
    return bounds


def parse_deadline(words: str, *, period: Period, from_text: bool = False) -> dict:
    """Reads the 完成时限 column (or, with from_text, a measure's own words).

    Column words the parser does not know give kind "unparsed" (flagged by the
    caller, words kept); a measure's text without deadline words gives "default".
    """
    words = (words or "").strip()
    spec: dict = {"words": words}
    if not words:
        return {**spec, "kind": "default"}
    if match := _ONE_OFF_RE.search(words):
        year, month = int(match.group("y")), int(match.group("m"))
        try:
            date = last_day(year, month) if match.group("end") else datetime.date(
                year, month, int(match.group("d")))
        except ValueError:
            return {**spec, "kind": "unparsed", "error": "invalid_date"}
        ongoing = bool(match.group("ongoing"))
        spec.update(kind="date_then_ongoing" if ongoing else "one_off", date=date.isoformat())
    elif match := _YEAR_END_RE.search(words):
        spec.update(kind="date_then_ongoing" if match.group("ongoing") else "one_off",
                     date=datetime.date(int(match.group("y")), 12, 31).isoformat())
    elif match := _RECURRING_RE.search(words):
        month = _number(match.group("m"))
        if not 1 <= month <= 12:
            return {**spec, "kind": "unparsed", "error": "invalid_month"}
        spec.update(kind="recurring", frequency="annual", month=month)
        if match.group("dekad"):
            spec["dekad"] = match.group("dekad")
        elif match.group("d"):
            spec["day"] = int(match.group("d"))
    elif "长期坚持" in words or "常态化" in words:
        spec.update(kind="ongoing")
    elif frequency := next((f for w, f in FREQUENCY_WORDS if w in words), None):
        spec.update(kind="recurring", frequency=frequency)
    elif _bounds(words, period):
        spec.update(kind="ongoing")
    else:
        spec.update(kind="default" if from_text else "unparsed")
    spec.update(_bounds(words, period))
    return spec


# Words a measure uses about time, looked for when there is no 完成时限 column. "过渡期前3年"
# and "至少要维持3年" in a measure's prose govern one policy of it: they become transition
# rules (obligations.rules), not the deadline of the whole measure.
_TEXT_PHRASES = re.compile(
    r"每年\s*\d{1,2}\s*月\s*(上旬|中旬|下旬|\d{1,2}\s*日|底)?|每(半年|季度|月)|过渡期内"
)


def deadline_words_in_text(text: str) -> str:
    """The deadline phrases of a measure's text, joined: "每年12月上旬；过渡期内"."""
    seen = []
    for match in _TEXT_PHRASES.finditer(text or ""):
        phrase = re.sub(r"\s", "", match.group(0))
        if phrase not in seen:
            seen.append(phrase)
    return "；".join(seen)


def _period_ends(start: datetime.date, until: datetime.date, frequency: str):
    """Month, quarter, half-year or year ends in (start, until]."""
    step = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}[frequency]
    year, month = start.year, ((start.month - 1) // step + 1) * step
    while True:
        if month > 12:
            year, month = year + 1, month - 12
        day = last_day(year, month)
        if day > until:
            return
        if day >= start:
            yield day
        month += step


def milestone_dates(
    spec: dict, *, period: Period, issued_on: datetime.date | None, checkin: str = "quarterly"
) -> list[tuple[datetime.date, str]]:
    """(due date, kind) of every checkpoint a spec implies, never past its end.

    The end is the spec's `until` or the transition's end; check-ins start at
    the document's issue date (or the transition's start).
    """
    # Never past the transition's end unless the words say so (延续至2026年).
    until = datetime.date.fromisoformat(spec["until"]) if spec.get("until") else period.end
    start = max(issued_on or period.start, period.start)
    kind = spec.get("kind")
    dates: list[tuple[datetime.date, str]] = []
    if kind in ("one_off", "date_then_ongoing"):
        completion = datetime.date.fromisoformat(spec["date"])
        dates.append((completion, "completion"))
        if kind == "date_then_ongoing":
            after = completion + datetime.timedelta(days=1)
            dates += [(d, "checkin") for d in _period_ends(after, until, checkin)]
    elif kind == "recurring" and spec.get("month"):
        for year in range(start.year, until.year + 1):
            month = spec["month"]
            if spec.get("dekad"):
                day = dekad_day(year, month, spec["dekad"])
            elif spec.get("day"):
                day = datetime.date(year, month, min(spec["day"], last_day(year, month).day))
            else:
                day = last_day(year, month)
            if start <= day <= until:
                dates.append((day, "recurring"))
    elif kind == "recurring":
        dates += [(d, "recurring") for d in _period_ends(start, until, spec["frequency"])]
    elif kind in ("ongoing", "default"):
        dates += [(d, "checkin") for d in _period_ends(start, until, checkin)]
    return dates


_FREQUENCY_CN = {"monthly": "每月", "quarterly": "每季度", "semiannual": "每半年", "annual": "每年"}


def describe_deadline(spec: dict) -> str:
    """How the system reads a spec, in the words of the register (shown in previews)."""

    def cn(iso: str) -> str:
        day = datetime.date.fromisoformat(iso)
        return f"{day.year}年{day.month}月{day.day}日"

    kind = spec.get("kind")
    if kind == "one_off":
        text = f"{cn(spec['date'])}前完成"
    elif kind == "date_then_ongoing":
        text = f"{cn(spec['date'])}前完成，此后长期坚持"
    elif kind == "recurring" and spec.get("month"):
        when = {"上旬": "上旬", "中旬": "中旬", "下旬": "下旬"}.get(spec.get("dekad", ""), "")
        if not when:
            when = f"{spec['day']}日" if spec.get("day") else "底"
        text = f"每年{spec['month']}月{when}"
    elif kind == "recurring":
        text = _FREQUENCY_CN.get(spec.get("frequency", ""), "定期")
    elif kind == "ongoing":
        text = "长期坚持（按期调度）"
    elif kind == "default":
        text = "未写完成时限（按期调度）"
    else:
        return "无法识别"
    if spec.get("until"):
        text += f"，至{cn(spec['until'])}"
    elif spec.get("bound") == "transition":
        text += "，至过渡期结束"
    return text
