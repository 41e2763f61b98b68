"""Periods (过渡期 2021–2025, 常态化帮扶 from 2026): which one a document and a day belong to,
how far an open-ended one's milestones reach, and which tasks are live. The one definition:
the task list, the lights, the sweep, the dashboards, the review queue and the close-out
page all read "live" from here (stored as `Task.live` by the sweep, `LIVE_SQL`).

A task is **live** while its document's period has not ended: the period's end is not set
or is today or later. When the period ends, its tasks leave today's lists, lights and queue
(their light is "ended", never red) and wait for a disposition (obligations.services.periods);
their history stays readable in the archive of their period.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from obligations import deadlines
from obligations.models import Period

# An open-ended period's milestones are generated up to the end of next year; the beat
# extends them each January (obligations.tasks.extend_milestones).
HORIZON_YEARS = 1

# {today}: a parameter. Over obligations_task t (the document's period joined by id).
LIVE_SQL = """(NOT EXISTS (
    SELECT 1 FROM obligations_obligation lo
    JOIN obligations_policydocument ld ON ld.id = lo.document_id
    JOIN obligations_period lp ON lp.id = ld.period_id
    WHERE lo.id = {task}.obligation_id AND lp."end" IS NOT NULL AND lp."end" < {today}))"""


def horizon(end: datetime.date | None, today: datetime.date) -> datetime.date:
    """The last day milestones are generated to: the period's end, or for an open-ended period
    the end of next year."""
    return end or datetime.date(today.year + HORIZON_YEARS, 12, 31)


def schedule_period(period: Period, today: datetime.date | None = None) -> deadlines.Period:
    """The span a document's deadlines run in (obligations.deadlines)."""
    today = today or timezone.localdate()
    return deadlines.Period(period.start, horizon(period.end, today))


def current(today: datetime.date | None = None, region=None) -> Period:
    """The period in force on `today` (for `region`: a province's own dates win)."""
    return Period.for_date(today or timezone.localdate(), region)


def current_span(today: datetime.date | None = None) -> deadlines.Period:
    return schedule_period(current(today), today)


def years(today: datetime.date | None = None) -> list[int]:
    """Every year from the first period's start to the end of the period in force today (to
    this year when that period is open-ended): the pages' and the summaries' years."""
    today = today or timezone.localdate()
    first = (Period.objects.order_by("start").values_list("start", flat=True).first()
             or Period.ensure_national()[0].start)
    now = current(today)
    last = now.end.year if now.end and now.start <= today else today.year
    return list(range(first.year, max(last, today.year, first.year) + 1))


def ended_periods(today: datetime.date | None = None) -> list[Period]:
    today = today or timezone.localdate()
    return [p for p in Period.objects.select_related("region") if p.ended(today)]


def transition() -> Period:
    """The 2021–2025 过渡期 (the national row)."""
    found = (Period.objects.filter(kind=Period.Kind.TRANSITION, region__isnull=True)
             .order_by("start").first())
    return found or next(p for p in Period.ensure_national() if p.kind == Period.Kind.TRANSITION)
