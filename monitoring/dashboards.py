"""What the leadership dashboards show (issue 8): selectors, one per page section.

Figures come from the progress summaries (monitoring.aggregation), looked up by scope id,
so a page costs the same number of queries for a county of 500 tasks as for a province of
70,000. The few reads of raw rows are single bounded queries: the ten longest-overdue tasks
(ORDER BY … LIMIT 10), the monthly trend (GROUP BY month) and the per-document counts
(GROUP BY document). Callers pass regions, units and querysets already scoped by
obligations.selectors.scope; nothing here decides who may see what.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.db import connections, router
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _lazy

from monitoring.assessment import FUNDS_PART, PARTS, ROUNDS_PART, year_weights
from monitoring.models import (
    AssessmentResult,
    AssessmentWeight,
    AssessmentYear,
    MonthlySummary,
    ProgressSummary,
)
from obligations import lights, periods
from obligations.models import (
    DataFlag,
    IndicatorValue,
    Milestone,
    Region,
    Task,
    Unit,
)


@dataclass
class Figures:
    """The counts of one scope (a region with its subtree, a unit) in one year (0: all)."""

    tasks: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0
    done: int = 0
    milestones_due: int = 0
    milestones_on_time: int = 0
    waiting_review: int = 0
    targets: int = 0
    targets_attained: int = 0
    # When these figures were computed (the summary row's time); not a count, not summed.
    computed_at: datetime.datetime | None = field(default=None, compare=False)

    @property
    def late_milestones(self) -> int:
        """Milestones due (up to the aggregation day) that were not reported on time."""
        return self.milestones_due - self.milestones_on_time

    @property
    def completion_rate(self) -> float | None:
        return _percent(self.done, self.tasks)

    @property
    def on_time_rate(self) -> float | None:
        return _percent(self.milestones_on_time, self.milestones_due)

    def __add__(self, other: Figures) -> Figures:
        total = Figures(**{name: getattr(self, name) + getattr(other, name)
                           for name in FIGURE_FIELDS})
        times = [t for t in (self.computed_at, other.computed_at) if t]
        total.computed_at = max(times) if times else None
        return total


FIGURE_FIELDS = [f.name for f in fields(Figures) if f.name != "computed_at"]


def _percent(part, whole) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def years(*, today: datetime.date) -> tuple[list[int], int]:
    """The years a page can show (0 = all years) and the default: this year, within the period."""
    span = periods.years(today)
    return [0, *span], min(max(today.year, span[0]), span[-1])


def figures_for(*, scope: str, ids: list[int], year: int) -> dict[int, Figures]:
    """Figures of each id (zeros when the aggregation has no row for it): one query."""
    rows = ProgressSummary.objects.filter(scope=scope, scope_id__in=ids, year=year).values(
        "scope_id", *FIGURE_FIELDS, "computed_at")
    found = {row.pop("scope_id"): Figures(**row) for row in rows}
    return {pk: found.get(pk, Figures()) for pk in ids}


def breadcrumbs(*, region: Region, roots: list[Region]) -> list[Region]:
    """The region's ancestors from the user's top region down to the region itself."""
    codes = [code for code in region.path.split("/") if code]
    chain = list(Region.objects.filter(code__in=codes).order_by("path"))
    top = next((i for i, r in enumerate(chain) if any(r.pk == root.pk for root in roots)), 0)
    return chain[top:]


@dataclass
class Level:
    """One dashboard level: a region (or the user's top regions) and the same figures for its
    children and for the units at this level."""

    region: Region | None
    totals: Figures
    children: list[tuple[Region, Figures]]
    units: list[tuple[Unit, Figures]]


def region_level(*, region: Region, year: int) -> Level:
    children = list(Region.objects.filter(parent=region).order_by("code"))
    figures = figures_for(scope="region", ids=[region.pk, *(c.pk for c in children)], year=year)
    units = list(Unit.objects.filter(region=region).order_by("name", "id"))
    unit_figures = figures_for(scope="unit", ids=[u.pk for u in units], year=year)
    return Level(region=region, totals=figures[region.pk],
                 children=[(c, figures[c.pk]) for c in children],
                 units=[(u, unit_figures[u.pk]) for u in units if unit_figures[u.pk].tasks])


def roots_level(*, roots: list[Region], year: int) -> Level:
    """Several top regions (an administrator's provinces): they are the children."""
    figures = figures_for(scope="region", ids=[r.pk for r in roots], year=year)
    totals = sum(figures.values(), Figures())
    return Level(region=None, totals=totals, children=[(r, figures[r.pk]) for r in roots],
                 units=[])


def tasks_under(tasks: QuerySet[Task], region: Region) -> QuerySet[Task]:
    return tasks.filter(unit__region__path__startswith=region.path)


def longest_overdue(*, tasks: QuerySet[Task], today: datetime.date, limit: int = 10) -> list[Task]:
    """The tasks whose oldest unreported milestone is the most overdue.

    Overdue as obligations.lights defines it: a red milestone (open, past its date) on a
    task not done; days overdue from its date. Walking the red milestones oldest first (the
    due-date index; open and `due_on < today` only bound the walk, red implies them),
    a task's first appearance is its oldest overdue milestone, so the first `limit` distinct
    tasks are the answer: a batch of rows or two, never a GROUP BY over every overdue
    milestone of a province. `overdue_since` is that milestone's date.
    """
    overdue = (Milestone.objects.filter(lights.red_milestones(today),
                                        task__in=tasks.exclude(status=Task.Status.DONE))
               .order_by("due_on", "id").values_list("task_id", "due_on"))
    since: dict[int, datetime.date] = {}
    batch, offset = 50 * limit, 0
    while len(since) < limit:
        rows = list(overdue[offset:offset + batch])
        for task_id, due_on in rows:
            if len(since) < limit:
                since.setdefault(task_id, due_on)
        if len(rows) < batch:
            break
        offset += batch
    found = {task.pk: task for task in Task.objects.filter(pk__in=list(since)).select_related(
        "unit__region", "obligation__document")}
    result = []
    for task_id, due_on in since.items():
        task = found[task_id]
        task.overdue_since, task.days_overdue = due_on, lights.overdue_days(due_on, today)
        result.append(task)
    return result


@dataclass
class Month:
    month: datetime.date
    due: int
    reported: int
    overdue: int

    @property
    def reported_rate(self) -> float | None:
        return _percent(self.reported, self.due)


def monthly_trend(*, scope: str, ids: list[int], year: int) -> list[Month]:
    """Per month: milestones due, those reported (报送或办结), those still open past their date,
    for units or regions (with their subtrees), summed; from the monthly summaries.

    Over the chosen year (every month, also those with nothing due), or over the whole
    transition period for year 0. One query.
    """
    span = periods.years()
    start, end = ((datetime.date(year, 1, 1), datetime.date(year, 12, 31)) if year
                  else (datetime.date(span[0], 1, 1), datetime.date(span[-1], 12, 31)))
    rows = (MonthlySummary.objects.filter(scope=scope, scope_id__in=ids,
                                          month__range=(start, end))
            .values("month").annotate(due=Sum("due"), reported=Sum("reported"),
                                      overdue=Sum("overdue")).order_by("month"))
    found = {row["month"]: row for row in rows}
    months, month = [], start.replace(day=1)
    while month <= end:
        row = found.get(month, {})
        months.append(Month(month=month, due=row.get("due", 0), reported=row.get("reported", 0),
                            overdue=row.get("overdue", 0)))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


# By document ----------------------------------------------------------------------------


@dataclass
class DocumentRow:
    document: object
    measures: int
    no_lead_unit: int
    with_tasks: int
    with_reports: int
    complete: int
    flags: dict

    @property
    def flag_total(self) -> int:
        return sum(self.flags.values())


# One pass over the tasks in scope (grouped per measure), joined to the measures with the
# sets of measures that have a lead unit or an open no-lead flag: hash joins, no subplan per
# row (the correlated EXISTS form took 0.4 s on the synthetic province).
_BY_DOCUMENT = """
WITH scoped (id, obligation_id, status) AS ({tasks}),
reported AS (SELECT DISTINCT task_id FROM obligations_progressreport),
per_measure AS (
    SELECT s.obligation_id, count(*) AS tasks,
           count(*) FILTER (WHERE s.status <> 'done') AS open,
           count(r.task_id) AS reported
    FROM scoped s LEFT JOIN reported r ON r.task_id = s.id
    GROUP BY s.obligation_id
),
measures AS (
    SELECT id, document_id FROM obligations_obligation
    WHERE kind = 'measure' AND document_id = ANY(%s)
),
with_lead AS (
    SELECT DISTINCT ou.obligation_id FROM obligations_obligationunit ou
    JOIN measures m ON m.id = ou.obligation_id WHERE ou.role = 'lead'
),
flagged AS (
    SELECT DISTINCT f.obligation_id FROM obligations_dataflag f
    JOIN measures m ON m.id = f.obligation_id
    WHERE f.kind = 'no_lead_unit' AND NOT f.resolved
)
SELECT m.document_id AS document, count(*) AS measures,
       count(*) FILTER (WHERE fl.obligation_id IS NOT NULL OR wl.obligation_id IS NULL)
           AS flagged_no_lead,
       count(*) FILTER (WHERE p.tasks > 0) AS with_tasks,
       count(*) FILTER (WHERE p.reported > 0) AS with_reports,
       count(*) FILTER (WHERE p.tasks > 0 AND p.open = 0) AS complete
FROM measures m
LEFT JOIN per_measure p ON p.obligation_id = m.id
LEFT JOIN with_lead wl ON wl.obligation_id = m.id
LEFT JOIN flagged fl ON fl.obligation_id = m.id
GROUP BY m.document_id
"""


def by_document(*, documents, tasks: QuerySet[Task]) -> list[DocumentRow]:
    """Per document: measures without a lead unit (未明确责任单位), with tasks in the user's
    scope, with reports on those tasks, complete (every such task done); and the open data
    flags by kind. Two queries.

    No lead unit: neither a lead unit reference nor a task led by a unit, or an open
    no_lead_unit flag (002 and 001 name no units: an administrator must assign them).
    """
    task_sql, task_params = (tasks.order_by().values_list("id", "obligation_id", "status")
                             .query.sql_with_params())
    document_ids = [d.pk for d in documents]
    # The database the ORM reads tasks from: the replica on a dashboard (config/replica.py).
    with connections[router.db_for_read(Task)].cursor() as cursor:
        cursor.execute(_BY_DOCUMENT.format(tasks=task_sql), [*task_params, document_ids])
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    per_document = {row["document"]: row for row in rows}
    flags: dict[int, dict] = {}
    for row in (DataFlag.objects.filter(document__in=documents, resolved=False)
                .values("document", "kind").annotate(n=Count("id")).order_by()):
        flags.setdefault(row["document"], {})[row["kind"]] = row["n"]
    result = []
    for document in documents:
        row = per_document.get(document.pk, {})
        result.append(DocumentRow(
            document=document, measures=row.get("measures", 0),
            no_lead_unit=row.get("flagged_no_lead", 0), with_tasks=row.get("with_tasks", 0),
            with_reports=row.get("with_reports", 0), complete=row.get("complete", 0),
            flags=flags.get(document.pk, {})))
    return result


# Assessment ------------------------------------------------------------------------------

# How each part is computed (monitoring/assessment.py): the inputs it divides.
FORMULAS = {
    "责任落实": ("reported", "in_force"),
    "行业责任": ("reported", "in_force"),
    "政策落实": ("on_time", "due"),
    "政策措施": ("on_time", "due"),
    "工作落实": ("closed", "due"),
    "工作成效": ("closed", "due"),
    "巩固成效": ("attained", "targets"),
}
INPUT_LABELS = {
    "in_force": _lazy("年内有节点到期的任务"),
    "reported": _lazy("年内有填报的任务"),
    "due": _lazy("年内到期的节点"),
    "on_time": _lazy("按时填报的节点"),
    "closed": _lazy("审核通过办结的节点"),
    "targets": _lazy("年内考核的指标目标"),
    "attained": _lazy("已达标的指标目标"),
    "funds_arranged": _lazy("当年项目安排的衔接资金（元）"),
    "funds_spent": _lazy("年底前已支出（元）"),
    "rounds_due": _lazy("年内应完成的摸排和审核"),
    "rounds_done": _lazy("已完成的摸排和审核"),
}
# part → (component, numerator input, denominator input), when the year weighed it in
_COMPONENTS = {"政策落实": (FUNDS_PART, "funds_spent", "funds_arranged"),
               "巩固成效": (ROUNDS_PART, "rounds_done", "rounds_due")}
SUBJECT_ORDER = ["city", "county", "unit"]


@dataclass
class Part:
    name: str
    score: float | None
    weight: Decimal
    numerator: tuple[str, int]
    denominator: tuple[str, int]
    # a component weighed into the part (政策落实: the funds; 巩固成效: the screening rounds)
    component: Part | None = None


@dataclass
class ScoreRow:
    result: AssessmentResult
    name: str
    region: Region | None
    parts: list[Part]
    previous: AssessmentResult | None

    @property
    def change(self) -> Decimal | None:
        return self.result.total - self.previous.total if self.previous else None

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost against last year's province ranking."""
        if not self.previous or not self.previous.rank_in_province:
            return None
        return self.previous.rank_in_province - (self.result.rank_in_province or 0)

    @property
    def rank_moved(self) -> int:
        return abs(self.rank_change or 0)


@dataclass
class Section:
    subject: str
    label: str
    part_names: list[str]
    rows: list[ScoreRow]
    chart: dict | None = None

    @property
    def chart_name(self) -> str:
        return f"assessment_{self.subject}"


def assessment_sections(*, record: AssessmentYear, previous: AssessmentYear | None,
                        regions: QuerySet[Region], units: QuerySet[Unit]) -> list[Section]:
    """The year's results in the user's scope, by subject, ranked, each with its parts'
    formula inputs and last year's result when that year is visible. Three queries."""
    in_scope = Q(region__in=regions) | Q(unit__in=units)
    results = list(AssessmentResult.objects.filter(in_scope, year=record)
                   .select_related("region", "unit__region")
                   .order_by("subject", "rank_in_province", "region__code", "unit__name"))
    before = {}
    if previous is not None:
        before = {(r.subject, r.region_id, r.unit_id): r
                  for r in AssessmentResult.objects.filter(in_scope, year=previous)}
    weights = year_weights(record)  # those the year was computed with, not today's
    sections = []
    for subject in SUBJECT_ORDER:
        names = PARTS[subject]
        rows = []
        for result in (r for r in results if r.subject == subject):
            parts = []
            for name in names:
                top, bottom = FORMULAS[name]
                parts.append(Part(name=name, score=result.parts.get(name),
                                  weight=weights[subject][name],
                                  numerator=(INPUT_LABELS[top], result.inputs.get(top, 0)),
                                  denominator=(INPUT_LABELS[bottom], result.inputs.get(bottom, 0))))
                component = _COMPONENTS.get(name)
                if component and component[1] in result.inputs:
                    part, top_key, bottom_key = component
                    parts[-1].component = Part(
                        name=part, score=None, weight=weights[subject][part],
                        numerator=(INPUT_LABELS[top_key], result.inputs[top_key]),
                        denominator=(INPUT_LABELS[bottom_key], result.inputs[bottom_key]))
            subject_name = result.region.name if result.region_id else (
                f"{result.unit.region.name}{result.unit.name}")
            rows.append(ScoreRow(result=result, name=subject_name, region=result.region,
                                 parts=parts,
                                 previous=before.get((subject, result.region_id, result.unit_id))))
        if rows:
            sections.append(Section(subject=subject,
                                    label=AssessmentWeight.Subject(subject).label,
                                    part_names=names, rows=rows))
    return sections


def indicator_values(*, regions: QuerySet[Region], year: int) -> list[IndicatorValue]:
    """Values reported for the year in the user's regions, each against its target (one query)."""
    values = list(IndicatorValue.objects.filter(region__in=regions, year=year)
                  .select_related("target__obligation__document", "region")
                  .order_by("region__path", "target__name", "id"))
    return values
