"""Progress summaries per obligation, unit, region (with its subtree), document and year,
and milestones per unit and region by month (the dashboards' trend).

Built in SQL inside the job's transaction, over a fact table of task × year:

- obligation, unit and place (one region's own units) rows from the facts;
- document rows as the sums of their obligations' rows, region rows as the sums of the place
  rows of their subtree (every task has one obligation and one unit, every unit one region,
  so the sums equal counting the tasks, targets included: a target is counted once per
  region carrying it);
- months per unit from the milestones, per region as the sums of its subtree's units.

Whole (`regions=None`, the nightly job) or for some regions: after a change in a county only
that county's part is rebuilt (its units and places, its obligations and their documents,
the county's subtree and its ancestors) — under a second for a county of the synthetic
province, instead of the whole province's facts.

Lights as obligations.lights, on time as monitoring.ontime, attained as
obligations.attainment define them.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from monitoring.ontime import on_time_ctes
from obligations import periods
from obligations.attainment import ATTAINED_CTE, assessed_in_sql
from obligations.lights import (
    milestone_light_sql,
    soon_date,
    task_light_aggregates_sql,
    task_light_sql,
)
from obligations.sql import hash_joins

# The part to rebuild: temp tables of ids (all rows for a whole rebuild).
_SCOPE_TABLES = """
CREATE TEMP TABLE summary_places ON COMMIT DROP AS
    SELECT r.id FROM obligations_region r
    WHERE %(whole)s OR EXISTS (SELECT 1 FROM obligations_region g
                               WHERE g.code = ANY(%(codes)s) AND r.path LIKE g.path || '%%');
CREATE TEMP TABLE summary_units ON COMMIT DROP AS
    SELECT u.id FROM obligations_unit u JOIN summary_places p ON p.id = u.region_id;
CREATE TEMP TABLE summary_obligations ON COMMIT DROP AS
    SELECT DISTINCT t.obligation_id AS id FROM obligations_task t
    JOIN summary_units su ON su.id = t.unit_id;
CREATE TEMP TABLE summary_tasks ON COMMIT DROP AS
    SELECT t.id FROM obligations_task t JOIN summary_obligations so ON so.id = t.obligation_id;
CREATE TEMP TABLE summary_documents ON COMMIT DROP AS
    SELECT DISTINCT o.document_id AS id FROM obligations_obligation o
    JOIN summary_obligations so ON so.id = o.id;
-- The places' subtrees and every region above them.
CREATE TEMP TABLE summary_regions ON COMMIT DROP AS
    SELECT DISTINCT anc.id FROM summary_places p
    JOIN obligations_region r ON r.id = p.id
    CROSS JOIN LATERAL unnest(string_to_array(rtrim(r.path, '/'), '/')) AS ancestor(code)
    JOIN obligations_region anc ON anc.code = ancestor.code;
"""
_TEMP_TABLES = ("summary_facts", "summary_places", "summary_units", "summary_obligations",
                "summary_tasks", "summary_documents", "summary_regions")

# Per task and year: milestones due so far and those reported on time (monitoring.ontime);
# per task over all its milestones (the grouping set without year, year 0): what the light
# reads (obligations.lights), so the figures light tasks exactly as the task list does.
_LIGHT = task_light_aggregates_sql("m")
_FACTS = f"""
CREATE TEMP TABLE summary_facts ON COMMIT DROP AS
WITH {on_time_ctes(tasks='summary_tasks')}, per_year AS (
    SELECT m.task_id, COALESCE(extract(year FROM m.due_on)::int, 0) AS year,
           count(*) FILTER (WHERE m.due_on <= %(until)s) AS due,
           count(ot.id) AS on_time,
           {_LIGHT["next_due"]} AS next_due, {_LIGHT["milestones"]} AS milestones,
           {_LIGHT["unclosed"]} AS unclosed
    FROM obligations_milestone m
    JOIN summary_tasks st ON st.id = m.task_id
    LEFT JOIN on_time ot ON ot.id = m.id
    GROUP BY GROUPING SETS ((m.task_id, extract(year FROM m.due_on)::int), (m.task_id))
), waiting AS (
    SELECT DISTINCT r.task_id FROM obligations_progressreport r
    JOIN summary_tasks st ON st.id = r.task_id
    WHERE r.review = 'submitted'
)
SELECT t.id AS task_id, t.obligation_id, o.document_id, t.unit_id, u.region_id,
       {task_light_sql(live="t.live", status="t.status", next_due="whole.next_due",
                       milestones="COALESCE(whole.milestones, 0)",
                       unclosed="COALESCE(whole.unclosed, 0)")} AS light,
       t.status, y.year,
       COALESCE(p.due, 0) AS due, COALESCE(p.on_time, 0) AS on_time,
       w.task_id IS NOT NULL AS waiting
FROM obligations_task t
JOIN summary_tasks st ON st.id = t.id
JOIN obligations_obligation o ON o.id = t.obligation_id
JOIN obligations_policydocument d ON d.id = o.document_id
JOIN obligations_period pd ON pd.id = d.period_id
JOIN obligations_unit u ON u.id = t.unit_id
LEFT JOIN waiting w ON w.task_id = t.id
LEFT JOIN per_year whole ON whole.task_id = t.id AND whole.year = 0
CROSS JOIN unnest(%(years)s::int[]) AS y(year)
LEFT JOIN per_year p ON p.task_id = t.id AND p.year = y.year
-- A year's rows hold the tasks of the periods that year falls in (year 0: every task).
WHERE y.year = 0 OR (y.year >= extract(year FROM pd.start)
                     AND (pd."end" IS NULL OR y.year <= extract(year FROM pd."end")))
"""

_DELETE = """
DELETE FROM monitoring_progresssummary s
WHERE (s.scope = 'obligation' AND s.scope_id IN (SELECT id FROM summary_obligations))
   OR (s.scope = 'unit' AND s.scope_id IN (SELECT id FROM summary_units))
   OR (s.scope = 'place' AND s.scope_id IN (SELECT id FROM summary_places))
   OR (s.scope = 'document' AND s.scope_id IN (SELECT id FROM summary_documents))
   OR (s.scope = 'region' AND s.scope_id IN (SELECT id FROM summary_regions))
"""

_COUNTS = """
count(*), count(*) FILTER (WHERE f.light = 'red'), count(*) FILTER (WHERE f.light = 'yellow'),
count(*) FILTER (WHERE f.light = 'green'), count(*) FILTER (WHERE f.light = 'done'),
jsonb_build_object(
    'not_started', count(*) FILTER (WHERE f.status = 'not_started'),
    'in_progress', count(*) FILTER (WHERE f.status = 'in_progress'),
    'done', count(*) FILTER (WHERE f.status = 'done'),
    'ongoing', count(*) FILTER (WHERE f.status = 'ongoing'),
    'lagging', count(*) FILTER (WHERE f.status = 'lagging')),
sum(f.due), sum(f.on_time), count(*) FILTER (WHERE f.waiting), 0, 0, %(now)s
"""

_COLUMNS = ("scope, scope_id, year, tasks, red, yellow, green, done, status_counts, "
            "milestones_due, milestones_on_time, waiting_review, targets, targets_attained, "
            "computed_at")

# Rows counted from the facts: (key, the ids of the part being rebuilt).
_FROM_FACTS = {
    "obligation": ("f.obligation_id", "summary_obligations"),
    "unit": ("f.unit_id", "summary_units"),
    "place": ("f.region_id", "summary_places"),
}

# Targets of the obligations in scope (those assessed in the year; year 0: all), counted per
# region of the units carrying them, and those attained there (obligations.attainment).
_TARGETS = f"""
WITH {ATTAINED_CTE}, scope_targets AS (
    SELECT s.id AS summary_id, count(DISTINCT (tg.id, f.region_id)) AS targets,
           count(DISTINCT (tg.id, f.region_id)) FILTER (WHERE a.target_id IS NOT NULL)
               AS attained
    FROM monitoring_progresssummary s
    JOIN summary_facts f ON f.year = s.year AND {{key}} = s.scope_id
    JOIN obligations_indicatortarget tg ON tg.obligation_id = f.obligation_id
        AND (s.year = 0 OR {assessed_in_sql("tg", year="s.year")})
    LEFT JOIN attained a ON a.target_id = tg.id AND a.region_id = f.region_id
        AND (s.year = 0 OR a.year = s.year)
    WHERE s.scope = %(scope)s AND s.computed_at = %(now)s
    GROUP BY s.id
)
UPDATE monitoring_progresssummary s SET targets = st.targets, targets_attained = st.attained
FROM scope_targets st WHERE s.id = st.summary_id
"""

_SUMS = """
sum(s.tasks), sum(s.red), sum(s.yellow), sum(s.green), sum(s.done),
jsonb_build_object(
    'not_started', sum((s.status_counts->>'not_started')::int),
    'in_progress', sum((s.status_counts->>'in_progress')::int),
    'done', sum((s.status_counts->>'done')::int),
    'ongoing', sum((s.status_counts->>'ongoing')::int),
    'lagging', sum((s.status_counts->>'lagging')::int)),
sum(s.milestones_due), sum(s.milestones_on_time), sum(s.waiting_review), sum(s.targets),
sum(s.targets_attained), %(now)s
"""

# A document: the sum of its obligations' rows (those rebuilt now and the others).
_DOCUMENTS = f"""
INSERT INTO monitoring_progresssummary ({_COLUMNS})
SELECT 'document', o.document_id, s.year, {_SUMS}
FROM monitoring_progresssummary s
JOIN obligations_obligation o ON o.id = s.scope_id
JOIN summary_documents sd ON sd.id = o.document_id
WHERE s.scope = 'obligation'
GROUP BY o.document_id, s.year
"""

# The codes in a region path are its ancestors: joined by code, a hash join, not a LIKE per
# region and row.
_ANCESTORS = """
CROSS JOIN LATERAL unnest(string_to_array(rtrim(pr.path, '/'), '/')) AS ancestor(code)
JOIN obligations_region anc ON anc.code = ancestor.code
JOIN summary_regions sr ON sr.id = anc.id
"""

# A region: the sum of the place rows of its subtree.
_REGIONS = f"""
INSERT INTO monitoring_progresssummary ({_COLUMNS})
SELECT 'region', anc.id, s.year, {_SUMS}
FROM monitoring_progresssummary s
JOIN obligations_region pr ON pr.id = s.scope_id
{_ANCESTORS}
WHERE s.scope = 'place'
GROUP BY anc.id, s.year
"""

# Milestones per unit and month of their due date; per region, the sum of its subtree's units.
_MONTHS = f"""
DELETE FROM monitoring_monthlysummary m
WHERE (m.scope = 'unit' AND m.scope_id IN (SELECT id FROM summary_units))
   OR (m.scope = 'region' AND m.scope_id IN (SELECT id FROM summary_regions));
INSERT INTO monitoring_monthlysummary (scope, scope_id, month, due, reported, overdue)
SELECT 'unit', t.unit_id, date_trunc('month', m.due_on)::date, count(*),
       count(*) FILTER (WHERE m.status <> 'open'),
       count(*) FILTER (WHERE {milestone_light_sql("m", live="t.live")} = 'red')
FROM obligations_milestone m
JOIN obligations_task t ON t.id = m.task_id
JOIN summary_units su ON su.id = t.unit_id
GROUP BY t.unit_id, date_trunc('month', m.due_on)::date;
INSERT INTO monitoring_monthlysummary (scope, scope_id, month, due, reported, overdue)
SELECT 'region', anc.id, s.month, sum(s.due), sum(s.reported), sum(s.overdue)
FROM monitoring_monthlysummary s
JOIN obligations_unit u ON u.id = s.scope_id
JOIN obligations_region pr ON pr.id = u.region_id
{_ANCESTORS}
WHERE s.scope = 'unit'
GROUP BY anc.id, s.month;
"""


def rebuild_summaries(*, today: datetime.date, regions: list[str] | None = None) -> dict:
    """Rebuilds the summaries, whole or (`regions`: region codes) for those regions' part."""
    years = [0, *periods.years(today)]
    params = {"today": today, "soon": soon_date(today), "until": today, "years": years,
              "now": timezone.now(), "tz": "Asia/Shanghai", "whole": regions is None,
              "codes": list(regions or [])}
    counts = {}
    with connection.cursor() as cursor, hash_joins(cursor):
        # ON COMMIT DROP does not fire when the job runs inside a larger transaction.
        cursor.execute("DROP TABLE IF EXISTS " + ", ".join(_TEMP_TABLES))
        cursor.execute(_SCOPE_TABLES, params)
        cursor.execute(_FACTS, params)
        cursor.execute("ANALYZE summary_facts")
        cursor.execute(_DELETE)
        for scope, (key, part) in _FROM_FACTS.items():
            cursor.execute(
                f"INSERT INTO monitoring_progresssummary ({_COLUMNS}) "
                f"SELECT %(scope)s, {key}, f.year, {_COUNTS} FROM summary_facts f "
                f"WHERE {key} IN (SELECT id FROM {part}) GROUP BY {key}, f.year",
                {**params, "scope": scope})
            counts[scope] = cursor.rowcount
            cursor.execute(_TARGETS.format(key=key), {**params, "scope": scope})
        cursor.execute(_DOCUMENTS, params)  # after their obligations' rows and targets
        counts["document"] = cursor.rowcount
        cursor.execute(_REGIONS, params)  # after the places' rows
        counts["region"] = cursor.rowcount
        cursor.execute(_MONTHS, params)
        counts["months"] = cursor.rowcount
        cursor.execute("DROP TABLE " + ", ".join(_TEMP_TABLES))
    return counts
