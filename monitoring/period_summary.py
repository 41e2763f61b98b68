"""The five-year summary of a closed period (过渡期考核评估, issue 23 item 3; DESIGN.md §3.5, §3.8).

For every province, city and county, and every unit that carried a task of the period, one row
of plain JSON (monitoring.models.PeriodSummary) with, over the period's years Y (2021–2025):

- 年度考核: each year's assessment result (total, rank in the province and the city, of how
  many, 约谈) side by side, and the change on the year before (monitoring.assessment's stored
  results; whether the year was published is kept beside each).
- 节点完成率 and 按时报送率 by year and over the period: milestones due in Y closed ÷ milestones
  due in Y (as the assessment's 工作落实); milestones reported on time ÷ due, read from the
  progress summaries (monitoring.aggregation, monitoring.ontime: the one "on time"). The
  summaries' own `done` column is not used: once the period has ended every one of its tasks
  lights "ended" (obligations.lights), so it counts none.
- 任务处置: the period's tasks by what became of them. Done on time: status 已完成 or every
  milestone closed, and no disposition; done late: disposition 已完成; continued: 延续 / 优化 /
  调整; ended: 退出; otherwise 待处置. A disposition decides over the task's own status.
- 指标目标 (regions): each indicator target of the period's measures, for the region of each
  unit carrying it (obligations.attainment), with the last value reported by the period's last
  year and whether it was attained by then: in its target year; a yearly target in the last
  year; one with neither in any year.
- 衔接资金 (regions, where funds hold data): allocated to the counties of the subtree by year
  (as funds/dashboards.py), arranged and spent on each year's projects (funds/indicators.py,
  as the assessment reads it), and the arranged money by use (project category) over the period.
- 防返贫监测 (regions, where households hold data): households newly monitored, monitored at
  some time, and with the risk eliminated, by year. Counts only, never a person.

Set-based: a fixed number of grouped statements for the whole country whatever the number of
tasks (one per source, five for the funds' years), then the rows are added up to their regions
in Python and written with one bulk_create. Frozen: a period's summary, once computed, is
recomputed only with `recompute=True` and a reason (the nightly job never does); each
computation is sealed (monitoring/seal.py) and leaves one audit row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from funds.indicators import spending_by_place
from funds.models import Allocation, Project, ProjectFunding
from monitoring import seal
from monitoring.models import AssessmentResult, AssessmentWeight, PeriodSummary, ProgressSummary
from obligations.attainment import ATTAINED_CTE
from obligations.models import Disposition, Period, Region, Unit
from obligations.services import audit

LEVELS = (Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY)
OUTCOMES = ("done_on_time", "done_late", "continued", "ended", "undisposed")
_LOCK = 7_314_023  # pg_advisory_xact_lock(key, period id): one computation of a period at a time

# The period's tasks, by unit and outcome (module docstring, 任务处置).
_OUTCOMES_SQL = """
WITH period_tasks AS MATERIALIZED (
    SELECT t.id, t.unit_id, t.status
    FROM obligations_task t
    JOIN obligations_obligation o ON o.id = t.obligation_id
    JOIN obligations_policydocument d ON d.id = o.document_id
    WHERE d.period_id = %(period)s
), closing AS (
    SELECT m.task_id, count(*) AS milestones,
           count(*) FILTER (WHERE m.status <> 'closed') AS unclosed
    FROM obligations_milestone m JOIN period_tasks pt ON pt.id = m.task_id
    GROUP BY m.task_id
)
SELECT pt.unit_id,
       CASE WHEN dp.kind = 'done' THEN 'done_late'
            WHEN dp.kind IN ('continued', 'optimised', 'adjusted') THEN 'continued'
            WHEN dp.kind = 'ended' THEN 'ended'
            WHEN pt.status = 'done' OR (c.milestones > 0 AND c.unclosed = 0) THEN 'done_on_time'
            ELSE 'undisposed' END AS outcome,
       COALESCE(dp.kind, '') AS kind, count(*)
FROM period_tasks pt
LEFT JOIN closing c ON c.task_id = pt.id
LEFT JOIN obligations_disposition dp ON dp.task_id = pt.id
GROUP BY 1, 2, 3
"""

# Milestones of the period's tasks due in each of its years, and those closed.
_MILESTONES_SQL = """
SELECT t.unit_id, extract(year FROM m.due_on)::int AS year, count(*) AS due,
       count(*) FILTER (WHERE m.status = 'closed') AS closed
FROM obligations_milestone m
JOIN obligations_task t ON t.id = m.task_id
JOIN obligations_obligation o ON o.id = t.obligation_id
JOIN obligations_policydocument d ON d.id = o.document_id
WHERE d.period_id = %(period)s AND m.due_on BETWEEN %(start)s AND %(end)s
GROUP BY 1, 2
"""

# Each target of the period's measures for the region of each unit carrying it: the last value
# by the period's last year, and the years in which it was attained (obligations.attainment).
_TARGETS_SQL = f"""
WITH {ATTAINED_CTE}, pairs AS (
    SELECT DISTINCT tg.id AS target_id, u.region_id
    FROM obligations_indicatortarget tg
    JOIN obligations_obligation o ON o.id = tg.obligation_id
    JOIN obligations_policydocument d ON d.id = o.document_id
    JOIN obligations_task t ON t.obligation_id = tg.obligation_id
    JOIN obligations_unit u ON u.id = t.unit_id
    WHERE d.period_id = %(period)s
), reached AS (
    SELECT a.target_id, a.region_id, array_agg(DISTINCT a.year ORDER BY a.year) AS years
    FROM attained a JOIN pairs p ON p.target_id = a.target_id AND p.region_id = a.region_id
    WHERE a.year <= %(last_year)s
    GROUP BY 1, 2
), last_value AS (
    SELECT DISTINCT ON (iv.target_id, iv.region_id) iv.target_id, iv.region_id, iv.year, iv.value
    FROM obligations_indicatorvalue iv
    JOIN pairs p ON p.target_id = iv.target_id AND p.region_id = iv.region_id
    WHERE iv.year <= %(last_year)s
    ORDER BY iv.target_id, iv.region_id, iv.year DESC
)
SELECT tg.id, r.path, r.name, tg.name, tg.comparator, tg.value, tg.unit, tg.due_year,
       tg.per_year, COALESCE(d.doc_number, ''), d.title, lv.year, lv.value,
       COALESCE(re.years, ARRAY[]::int[])
FROM pairs p
JOIN obligations_indicatortarget tg ON tg.id = p.target_id
JOIN obligations_obligation o ON o.id = tg.obligation_id
JOIN obligations_policydocument d ON d.id = o.document_id
JOIN obligations_region r ON r.id = p.region_id
LEFT JOIN last_value lv ON lv.target_id = p.target_id AND lv.region_id = p.region_id
LEFT JOIN reached re ON re.target_id = p.target_id AND re.region_id = p.region_id
ORDER BY r.path, tg.name, tg.id
"""

# Households by village and year: newly monitored (纳入监测), monitored at some time in the
# year, risk eliminated. Counts of households, never a person. Read from the households tables
# by name: the import-linter contract keeps monitoring out of households' models, and
# households.selectors has only per-user querysets (no user computes this summary).
_HOUSEHOLDS_SQL = """
SELECT r.path, y.year,
       count(DISTINCT c.household_id) FILTER (WHERE extract(year FROM c.confirmed_on) = y.year),
       count(DISTINCT c.household_id) FILTER (
           WHERE c.confirmed_on <= make_date(y.year, 12, 31)
             AND (c.eliminated_on IS NULL OR c.eliminated_on >= make_date(y.year, 1, 1))),
       count(DISTINCT c.household_id) FILTER (WHERE extract(year FROM c.eliminated_on) = y.year)
FROM households_case c
JOIN households_household h ON h.id = c.household_id
JOIN obligations_region r ON r.id = h.region_id
CROSS JOIN unnest(%(years)s::int[]) AS y(year)
WHERE c.confirmed_on IS NOT NULL AND c.confirmed_on <= %(end)s
GROUP BY 1, 2
"""


def rate(numerator, denominator) -> float | None:
    """Percent with two decimals, None when there is nothing to count."""
    if not denominator:
        return None
    return float((Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP))


def _codes(path: str) -> list[str]:
    return [c for c in path.split("/") if c]


def _money(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def check_closed(period: Period, today: datetime.date) -> None:
    """Only an ended period has a five-year summary."""
    if not period.ended(today):
        raise ValidationError(
            _("“%(name)s”尚未结束，不能计算考核评估：只有已结束的时期（如2021—2025年过渡期）才有"
              "全时期的考核评估。") % {"name": period.name})


# Computing -------------------------------------------------------------------------------


@dataclass
class _Places:
    """The regions summarised (province, city, county) and the units, by id and code."""

    regions: dict[str, Region]  # code → region, every level (for names and ancestors)
    units: dict[int, tuple[int, str, str]]  # unit id → (region id, region path, name)

    def summarised(self, path: str) -> list[str]:
        """The codes of the province, city and county a path lies in (itself included)."""
        return [c for c in _codes(path) if c in self.regions and self.regions[c].level in LEVELS]


def _outcomes(period: Period) -> dict[int, dict]:
    per_unit: dict[int, dict] = defaultdict(lambda: dict.fromkeys(OUTCOMES, 0) | {"kinds": {}})
    with connection.cursor() as cursor:
        cursor.execute(_OUTCOMES_SQL, {"period": period.pk})
        for unit_id, outcome, kind, count in cursor.fetchall():
            row = per_unit[unit_id]
            row[outcome] += count
            if kind:
                row["kinds"][kind] = row["kinds"].get(kind, 0) + count
    return per_unit


def _milestones(period: Period) -> dict[int, dict[int, list[int]]]:
    per_unit: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    with connection.cursor() as cursor:
        cursor.execute(_MILESTONES_SQL, {"period": period.pk, "start": period.start,
                                         "end": period.end})
        for unit_id, year, due, closed in cursor.fetchall():
            per_unit[unit_id][year][0] += due
            per_unit[unit_id][year][1] += closed
    return per_unit


def _on_time(years: list[int]) -> tuple[dict[tuple, dict[int, list[int]]], str | None]:
    """{(scope, id): {year: [due, on time]}} from the progress summaries, and when they were
    computed."""
    rows = ProgressSummary.objects.filter(scope__in=["region", "unit"], year__in=years)
    found: dict[tuple, dict[int, list[int]]] = defaultdict(dict)
    for scope, scope_id, year, due, on_time in rows.values_list(
            "scope", "scope_id", "year", "milestones_due", "milestones_on_time"):
        found[scope, scope_id][year] = [due, on_time]
    at = rows.aggregate(at=Max("computed_at"))["at"]
    return found, at.isoformat() if at else None


def _assessment(years: list[int]) -> dict[tuple, dict[int, dict]]:
    """{("region", code) | ("unit", id): {year: result}} with the size of each ranking."""
    results = list(AssessmentResult.objects.filter(year__year__in=years).values(
        "year__year", "year__status", "subject", "region__code", "region__path", "unit_id",
        "unit__region__path", "total", "rank_in_province", "rank_in_city", "interview"))
    sizes: dict[tuple, int] = defaultdict(int)
    for r in results:
        path = r["region__path"] or r["unit__region__path"] or ""
        sizes[r["year__year"], r["subject"], "province", _codes(path)[0]] += 1
        if r["subject"] == "county":
            sizes[r["year__year"], "county", "city", _codes(path)[-2]] += 1
    found: dict[tuple, dict[int, dict]] = defaultdict(dict)
    for r in results:
        path = r["region__path"] or r["unit__region__path"] or ""
        year = r["year__year"]
        key = ("region", r["region__code"]) if r["region__code"] else ("unit", r["unit_id"])
        found[key][year] = {
            "year": year, "subject": r["subject"],
            "published": r["year__status"] == "published",
            "total": float(r["total"]), "rank_in_province": r["rank_in_province"],
            "of_province": sizes[year, r["subject"], "province", _codes(path)[0]],
            "rank_in_city": r["rank_in_city"],
            "of_city": (sizes[year, "county", "city", _codes(path)[-2]]
                        if r["subject"] == "county" else None),
            "interview": r["interview"],
        }
    return found


def _assessment_rows(by_year: dict[int, dict] | None, years: list[int]) -> list[dict] | None:
    if not by_year:
        return None
    rows, previous = [], None
    for year in years:
        row = by_year.get(year)
        if row is None:
            rows.append({"year": year, "total": None})
            previous = None
            continue
        row = dict(row)
        row["change"] = (round(row["total"] - previous["total"], 2) if previous else None)
        row["rank_change"] = ((previous["rank_in_province"] - row["rank_in_province"])
                              if previous and previous["rank_in_province"]
                              and row["rank_in_province"] else None)
        rows.append(row)
        previous = row
    return rows


def _progress_rows(milestones: dict[int, list[int]], on_time: dict[int, list[int]],
                   years: list[int]) -> dict:
    rows = []
    sums = {"due": 0, "closed": 0, "reported_due": 0, "on_time": 0}
    for year in years:
        due, closed = milestones.get(year, [0, 0])
        reported_due, punctual = on_time.get(year, [0, 0])
        rows.append({"year": year, "due": due, "closed": closed,
                     "completion_rate": rate(closed, due), "reported_due": reported_due,
                     "on_time": punctual, "on_time_rate": rate(punctual, reported_due)})
        for key, value in (("due", due), ("closed", closed), ("reported_due", reported_due),
                           ("on_time", punctual)):
            sums[key] += value
    total = {**sums, "completion_rate": rate(sums["closed"], sums["due"]),
             "on_time_rate": rate(sums["on_time"], sums["reported_due"])}
    return {"years": rows, "total": total}


def _outcome_row(counts: dict | None) -> dict:
    counts = counts or dict.fromkeys(OUTCOMES, 0) | {"kinds": {}}
    tasks = sum(counts[k] for k in OUTCOMES)
    done = counts["done_on_time"] + counts["done_late"]
    return {"tasks": tasks, **{k: counts[k] for k in OUTCOMES}, "kinds": counts["kinds"],
            "done_rate": rate(done, tasks), "on_time_done_rate": rate(counts["done_on_time"], tasks)}


def _add_outcomes(into: dict, counts: dict) -> None:
    for key in OUTCOMES:
        into[key] += counts[key]
    for kind, n in counts["kinds"].items():
        into["kinds"][kind] = into["kinds"].get(kind, 0) + n


def _targets(period: Period, places: _Places) -> dict[str, list[dict]]:
    """{summarised region code: [target rows for regions in its subtree]}."""
    found: dict[str, list[dict]] = defaultdict(list)
    comparators = {">=": "≥", "<=": "≤", "=": ""}
    with connection.cursor() as cursor:
        cursor.execute(_TARGETS_SQL, {"period": period.pk, "last_year": period.end.year})
        for (target_id, path, region_name, name, comparator, value, unit, due_year, per_year,
             doc_number, title, value_year, last_value, attained_years) in cursor.fetchall():
            if due_year:
                attained = due_year in attained_years if due_year <= period.end.year else None
            elif per_year:
                attained = period.end.year in attained_years
            else:
                attained = bool(attained_years)
            row = {
                "target": target_id, "region": region_name, "name": name,
                "goal": f"{comparators.get(comparator, comparator)}"
                        f"{format(value.normalize(), 'f')}{unit}",
                "due_year": due_year, "per_year": per_year,
                "document": doc_number or title,
                "value": format(last_value.normalize(), "f") if last_value is not None else None,
                "value_year": value_year, "attained_years": list(attained_years),
                "attained": attained,
            }
            for code in places.summarised(path):
                found[code].append(row)
    return found


def _funds(years: list[int], places: _Places) -> dict[str, dict]:
    """{summarised region code: funds figures}; only regions where the funds hold data."""
    by_year: dict[str, dict[int, list[Decimal]]] = defaultdict(
        lambda: {y: [Decimal(0)] * 3 for y in years})
    for path, year, amount in (Allocation.objects.filter(
            year__in=years, to_region__level=Region.Level.COUNTY)
            .values_list("to_region__path", "year").annotate(total=Sum("amount"))):
        for code in places.summarised(path):
            by_year[code][year][0] += amount
    for year in years:
        for path, (arranged, spent) in spending_by_place(year).items():
            for code in places.summarised(path):
                by_year[code][year][1] += arranged or 0
                by_year[code][year][2] += spent or 0
    by_use: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for path, category, amount in (ProjectFunding.objects.filter(project__year__in=years)
                                   .values_list("project__region__path", "project__category")
                                   .annotate(total=Sum("amount"))):
        for code in places.summarised(path):
            by_use[code][category] += amount
    labels = dict(Project.Category.choices)
    found = {}
    for code in set(by_year) | set(by_use):
        rows = by_year[code]
        total = [sum((rows[y][i] for y in years), Decimal(0)) for i in range(3)]
        uses = by_use.get(code, {})
        used = sum(uses.values(), Decimal(0))
        found[code] = {
            "years": [{"year": y, "allocated": _money(rows[y][0]), "arranged": _money(rows[y][1]),
                       "spent": _money(rows[y][2]), "progress": rate(min(rows[y][2], rows[y][1]),
                                                                     rows[y][1])}
                      for y in years],
            "total": {"allocated": _money(total[0]), "arranged": _money(total[1]),
                      "spent": _money(total[2]), "progress": rate(min(total[2], total[1]),
                                                                  total[1])},
            "by_use": [{"category": c, "label": str(labels.get(c, c)), "amount": _money(a),
                        "share": rate(a, used)}
                       for c, a in sorted(uses.items(), key=lambda i: (-i[1], i[0]))],
        }
    return found


def _households(period: Period, years: list[int], places: _Places) -> dict[str, dict]:
    counts: dict[str, dict[int, list[int]]] = defaultdict(lambda: {y: [0, 0, 0] for y in years})
    with connection.cursor() as cursor:
        cursor.execute(_HOUSEHOLDS_SQL, {"years": years, "end": period.end})
        for path, year, new, monitored, eliminated in cursor.fetchall():
            for code in places.summarised(path):
                cell = counts[code][year]
                cell[0] += new
                cell[1] += monitored
                cell[2] += eliminated
    return {code: {"years": [{"year": y, "new": c[y][0], "monitored": c[y][1],
                              "eliminated": c[y][2]} for y in years],
                   "total": {"new": sum(c[y][0] for y in years),
                             "eliminated": sum(c[y][2] for y in years)}}
            for code, c in counts.items()}


def compute_rows(period: Period) -> list[dict]:
    """Every row of the period's summary as plain data (nothing written): for saving and for
    verifying. Rows: {"subject": "region"|"unit", "region": code|None, "unit": id|None,
    "data": {...}} — the shape monitoring/seal.py names rows by."""
    years = list(range(period.start.year, period.end.year + 1))
    regions = {r.code: r for r in Region.objects.filter(level__in=[
        *LEVELS, Region.Level.TOWNSHIP])}
    units = {pk: (region_id, path, name) for pk, region_id, path, name in
             Unit.objects.filter(tasks__obligation__document__period=period).distinct()
             .values_list("pk", "region_id", "region__path", "name")}
    places = _Places(regions=regions, units=units)
    outcomes, milestones = _outcomes(period), _milestones(period)
    on_time, figures_at = _on_time(years)
    assessed = _assessment(years)
    region_outcomes: dict[str, dict] = defaultdict(
        lambda: dict.fromkeys(OUTCOMES, 0) | {"kinds": {}})
    region_milestones: dict[str, dict[int, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0]))
    for unit_id, (_region, path, _name) in units.items():
        for code in places.summarised(path):
            if unit_id in outcomes:
                _add_outcomes(region_outcomes[code], outcomes[unit_id])
            for year, (due, closed) in milestones.get(unit_id, {}).items():
                region_milestones[code][year][0] += due
                region_milestones[code][year][1] += closed
    targets = _targets(period, places)
    funds = _funds(years, places)
    households = _households(period, years, places)
    labels = dict(AssessmentWeight.Subject.choices)
    levels = dict(Region.Level.choices)
    head = {"period": {"id": period.pk, "name": period.name, "short_name": period.short_name,
                       "start": period.start.isoformat(), "end": period.end.isoformat()},
            "years": years, "figures_at": figures_at}
    rows = []
    for code, region in sorted(regions.items(), key=lambda i: i[1].path):
        if region.level not in LEVELS:
            continue
        subject = {"county": "county", "city": "city"}.get(region.level)
        rows.append({"subject": "region", "region": code, "unit": None, "data": {
            **head, "name": region.name, "code": code, "level": region.level,
            "level_label": str(levels[region.level]), "path": region.path,
            "assessment_label": str(labels[subject]) if subject else None,
            "assessment": _assessment_rows(assessed.get(("region", code)), years),
            "progress": _progress_rows(region_milestones.get(code, {}),
                                       on_time.get(("region", region.pk), {}), years),
            "outcomes": _outcome_row(region_outcomes.get(code)),
            "indicators": targets.get(code, []),
            "funds": funds.get(code), "households": households.get(code),
        }})
    for unit_id, (region_id, path, name) in sorted(units.items()):
        rows.append({"subject": "unit", "region": None, "unit": unit_id, "data": {
            **head, "name": name, "region_id": region_id, "path": path,
            "assessment_label": str(labels["unit"]),
            "assessment": _assessment_rows(assessed.get(("unit", unit_id)), years),
            "progress": _progress_rows(milestones.get(unit_id, {}),
                                       on_time.get(("unit", unit_id), {}), years),
            "outcomes": _outcome_row(outcomes.get(unit_id)),
        }})
    return rows


def _seal_meta(period: Period, computed_at: datetime.datetime) -> dict:
    return {"period": period.pk, "name": period.name, "start": period.start.isoformat(),
            "end": period.end.isoformat(), "computed_at": computed_at.isoformat()}


@transaction.atomic
def compute_period_summary(*, period_id: int, actor=None, today: datetime.date | None = None,
                           recompute: bool = False, reason: str = "") -> tuple[int, bool]:
    """(rows, changed). Refuses a period that has not ended. A period already summarised is
    frozen: nothing is written unless `recompute` (with a reason, audited)."""
    today = today or timezone.localdate()
    try:
        period = Period.objects.get(pk=period_id)
    except (Period.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError(_("时期“%(id)s”不存在。") % {"id": period_id}) from exc
    check_closed(period, today)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK, period.pk])
    stored = PeriodSummary.objects.filter(period=period)
    previous = stored.values_list("computed_at", "digest").first()
    if previous and not recompute:
        return stored.count(), False
    if previous and not (reason or "").strip():
        raise ValidationError(_("重新计算已封存的考核评估须说明理由。"))
    rows = compute_rows(period)
    computed_at = timezone.now()
    digest, parts = seal.seal(period.end.year, _seal_meta(period, computed_at), rows)
    region_ids = dict(Region.objects.filter(level__in=LEVELS).values_list("code", "pk"))
    stored.delete()
    PeriodSummary.objects.bulk_create([
        PeriodSummary(period=period, scope=r["subject"],
                      scope_id=r["unit"] if r["unit"] else region_ids[r["region"]],
                      data=r["data"], computed_at=computed_at, digest=digest,
                      mac=parts["results"][seal.row_key(r)])
        for r in rows
    ], batch_size=500)
    outcomes = next((r["data"]["outcomes"] for r in rows if r["subject"] == "region"
                     and r["data"]["level"] == Region.Level.PROVINCE), None)
    audit.record(
        actor=actor, action=audit.Action.PERIOD_SUMMARY, subject=audit.subject("period", period.pk),
        summary=_("计算%(name)s考核评估：%(count)s 个地区和单位") % {"name": period.short_name,
                                                             "count": len(rows)},
        before={"computed_at": previous[0].isoformat(), "digest": previous[1]} if previous else {},
        after={"computed_at": computed_at.isoformat(), "rows": len(rows), "digest": digest,
               "reason": (reason or "").strip(),
               "outcomes": {k: v for k, v in (outcomes or {}).items() if k in OUTCOMES}})
    return len(rows), True


# Verifying -------------------------------------------------------------------------------


def _stored_rows(period: Period) -> tuple[list[dict], list[PeriodSummary]]:
    stored = list(PeriodSummary.objects.filter(period=period).order_by("scope", "scope_id"))
    codes = dict(Region.objects.filter(pk__in=[s.scope_id for s in stored if s.scope == "region"])
                 .values_list("pk", "code"))
    rows = [{"subject": s.scope, "region": codes.get(s.scope_id) if s.scope == "region" else None,
             "unit": s.scope_id if s.scope == "unit" else None, "data": s.data} for s in stored]
    return rows, stored


def verify_period_summary(period_id: int) -> list[str]:
    """What differs between the stored summary of a period and its seal; empty when it verifies.
    (The figures are not recomputed: dispositions recorded since may rightly change them.)"""
    period = Period.objects.filter(pk=period_id).first()
    if period is None:
        return [_("时期“%(id)s”不存在。") % {"id": period_id}]
    rows, stored = _stored_rows(period)
    if not stored:
        return [_("“%(name)s”的考核评估尚未计算。") % {"name": period.name}]
    problems = []
    if len({(s.digest, s.computed_at) for s in stored}) > 1:
        problems.append(_("各行的封印或计算时间不一致：部分行在封存后被替换过。"))
    checked = seal.check(period.end.year, _seal_meta(period, stored[0].computed_at), rows,
                         digest=stored[0].digest,
                         parts={"weights": seal.seal(period.end.year,
                                                     _seal_meta(period, stored[0].computed_at),
                                                     [])[1]["weights"],
                                "results": {seal.row_key(r): s.mac
                                            for r, s in zip(rows, stored, strict=True)}})
    names = {seal.row_key(r): r["data"].get("name", seal.row_key(r)) for r in rows}
    for key in checked.changed:
        problems.append(_("%(name)s：保存的考核评估与封印不符：封存后被改动过。")
                        % {"name": names.get(key, key)})
    if checked.seal_changed or checked.removed or checked.added:
        problems.append(_("封印与保存的考核评估不符：有行被删除、增加，或封印不是用本系统的密钥生成的。"))
    return problems


# Reading (the page and the exports) --------------------------------------------------------


def closed_periods(today: datetime.date) -> list[Period]:
    return [p for p in Period.objects.order_by("start", "id") if p.ended(today)]


def get_period(period_id) -> Period:
    """The period, or Period.DoesNotExist."""
    return Period.objects.get(pk=period_id)


@dataclass
class RegionSummary:
    region: Region
    row: PeriodSummary | None
    children: list[tuple[Region, PeriodSummary]]
    units: list[tuple[Unit, PeriodSummary]]

    @property
    def data(self) -> dict:
        return self.row.data if self.row else {}


def region_summary(*, period: Period, region: Region, units) -> RegionSummary:
    """The region's row, its child regions' rows and the rows of the units located in the
    region itself (a county's departments; `units`: those the user's dashboards may show).
    Three queries whatever the number of children and units."""
    row = PeriodSummary.objects.filter(period=period, scope="region", scope_id=region.pk).first()
    children = {r.pk: r for r in Region.objects.filter(parent=region, level__in=LEVELS)}
    child_rows = [(children[s.scope_id], s) for s in PeriodSummary.objects.filter(
        period=period, scope="region", scope_id__in=list(children))]
    child_rows.sort(key=lambda item: item[0].path)
    unit_rows = list(PeriodSummary.objects.filter(
        period=period, scope="unit",
        scope_id__in=units.filter(region=region).values("pk")).order_by("scope_id"))
    unit_names = [(_UnitName(s.scope_id, s.data.get("name", "")), s) for s in unit_rows]
    return RegionSummary(region=region, row=row, children=child_rows, units=unit_names)


@dataclass
class _UnitName:
    pk: int
    name: str


def disposition_labels() -> dict[str, str]:
    return {k: str(v) for k, v in Disposition.Kind.choices}


# Charts: one spec (monitoring/charts.py's shape) drawn by ECharts on the page and by Pillow in
# the Word report (monitoring/period_summary_export.py), so both show the same figures.


def outcome_labels() -> dict[str, str]:
    return {"done_on_time": _("按期完成"), "done_late": _("逾期完成"),
            "continued": _("延续（含优化、调整）"), "ended": _("退出"), "undisposed": _("待处置")}


def _spec(kind: str, title: str, categories: list, series: list[dict], **extra) -> dict:
    return {"type": kind, "title": title, "categories": categories, "series": series,
            "horizontal": False, "colours": [], "height": 320, **extra}


def chart_specs(data: dict) -> dict[str, dict]:
    """The page's and the report's charts for one row's data."""
    years = [_("%(y)s年") % {"y": y} for y in data.get("years", [])]
    specs = {}
    if data.get("assessment"):
        specs["scores"] = _spec("line", _("年度考核总分"), years, [
            {"name": _("总分"), "data": [r.get("total") for r in data["assessment"]]}])
    progress = data.get("progress") or {"years": []}
    specs["rates"] = _spec("line", _("节点完成率与按时报送率（%）"), years, [
        {"name": _("节点完成率"), "data": [r["completion_rate"] for r in progress["years"]]},
        {"name": _("按时报送率"), "data": [r["on_time_rate"] for r in progress["years"]]}])
    outcomes = data.get("outcomes") or {}
    labels = outcome_labels()
    specs["outcomes"] = _spec(
        "bar", _("过渡期任务处置情况"), list(labels.values()),
        [{"name": _("任务数"), "data": [outcomes.get(k, 0) for k in labels]}],
        colours=["#2e7d32", "#f9a825", "#1565c0", "#546e7a", "#c62828"])
    funds = data.get("funds")
    if funds:
        specs["funds"] = _spec("bar", _("衔接资金（万元）"), years, [
            {"name": name, "data": [round(float(r[key]) / 10000, 2) for r in funds["years"]]}
            for key, name in (("allocated", _("下达")), ("arranged", _("项目安排")),
                              ("spent", _("支出")))])
    households = data.get("households")
    if households:
        specs["households"] = _spec("bar", _("防返贫监测（户）"), years, [
            {"name": name, "data": [r[key] for r in households["years"]]}
            for key, name in (("new", _("新纳入监测")), ("monitored", _("年内监测")),
                              ("eliminated", _("消除风险")))])
    return specs


def row_data(row: PeriodSummary) -> dict:
    """A stored row's figures with when they were computed (for the page and the exports)."""
    return {**row.data, "computed_at": row.computed_at.isoformat()}
