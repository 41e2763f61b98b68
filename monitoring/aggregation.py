"""Progress summaries per obligation, unit, region (with its subtree), document and year,
and milestones per unit and region by month (the dashboards' trend).

Rebuilt whole, in SQL, inside the job's transaction: delete, then one INSERT … SELECT
per scope over a fact table of task × year. Dashboards and the API read the result.

A milestone due in a year counts as reported on time when a report (not returned)
was submitted for it, or for its task between the previous milestone and its due
date, on or before that date.
"""

from __future__ import annotations

import datetime

from django.db import connection
from django.utils import timezone

from obligations.attainment import ATTAINED_CTE, assessed_in_sql
from obligations.lights import (
    milestone_light_sql,
    soon_date,
    task_light_aggregates_sql,
    task_light_sql,
)
from obligations.schedule import current_period
from obligations.sql import hash_joins

from .ontime import ON_TIME_CTES

# Per task and year: milestones due so far and those reported on time (monitoring.ontime);
# per task over all its milestones (the grouping set without year, year 0): what the light
# reads (obligations.lights), so the figures light tasks exactly as the task list does.
_LIGHT = task_light_aggregates_sql("m")
_FACTS = f"""
CREATE TEMP TABLE summary_facts ON COMMIT DROP AS
WITH {ON_TIME_CTES}, per_year AS (
    SELECT m.task_id, COALESCE(extract(year FROM m.due_on)::int, 0) AS year,
           count(*) FILTER (WHERE m.due_on <= %(until)s) AS due,
           count(ot.id) AS on_time,
           {_LIGHT["next_due"]} AS next_due, {_LIGHT["milestones"]} AS milestones,
           {_LIGHT["unclosed"]} AS unclosed
    FROM obligations_milestone m LEFT JOIN on_time ot ON ot.id = m.id
    GROUP BY GROUPING SETS ((m.task_id, extract(year FROM m.due_on)::int), (m.task_id))
), waiting AS (
    SELECT DISTINCT task_id FROM obligations_progressreport WHERE review = 'submitted'
)
SELECT t.id AS task_id, t.obligation_id, o.document_id, t.unit_id, u.region_id,
       r.path AS region_path,
       {task_light_sql(status="t.status", next_due="whole.next_due",
                       milestones="COALESCE(whole.milestones, 0)",
                       unclosed="COALESCE(whole.unclosed, 0)")} AS light,
       t.status, y.year,
       COALESCE(p.due, 0) AS due, COALESCE(p.on_time, 0) AS on_time,
       w.task_id IS NOT NULL AS waiting
FROM obligations_task t
JOIN obligations_obligation o ON o.id = t.obligation_id
JOIN obligations_unit u ON u.id = t.unit_id
JOIN obligations_region r ON r.id = u.region_id
LEFT JOIN waiting w ON w.task_id = t.id
LEFT JOIN per_year whole ON whole.task_id = t.id AND whole.year = 0
CROSS JOIN unnest(%(years)s::int[]) AS y(year)
LEFT JOIN per_year p ON p.task_id = t.id AND p.year = y.year
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

_SCOPES = {
    "obligation": ("f.obligation_id", "summary_facts f"),
    "unit": ("f.unit_id", "summary_facts f"),
    "document": ("f.document_id", "summary_facts f"),
}

# The codes in a region path are its ancestors: joined by code, a hash join, not a LIKE per
# region and row.
_ANCESTORS = """
JOIN obligations_unit u ON u.id = {unit}
JOIN obligations_region ur ON ur.id = u.region_id
CROSS JOIN LATERAL unnest(string_to_array(rtrim(ur.path, '/'), '/')) AS ancestor(code)
JOIN obligations_region anc ON anc.code = ancestor.code
"""

# Each region counts the tasks of its whole subtree: the sum of its units' rows (every task
# has one unit), a few thousand rows instead of the task facts.
_REGIONS = f"""
INSERT INTO monitoring_progresssummary ({{columns}})
SELECT 'region', anc.id, s.year, sum(s.tasks), sum(s.red), sum(s.yellow), sum(s.green),
       sum(s.done),
       jsonb_build_object(
           'not_started', sum((s.status_counts->>'not_started')::int),
           'in_progress', sum((s.status_counts->>'in_progress')::int),
           'done', sum((s.status_counts->>'done')::int),
           'ongoing', sum((s.status_counts->>'ongoing')::int),
           'lagging', sum((s.status_counts->>'lagging')::int)),
       sum(s.milestones_due), sum(s.milestones_on_time), sum(s.waiting_review), 0, 0, %(now)s
FROM monitoring_progresssummary s
{_ANCESTORS.format(unit="s.scope_id")}
WHERE s.scope = 'unit'
GROUP BY anc.id, s.year
"""

# Milestones per unit and month of their due date, then per region (its subtree).
_MONTHS = f"""
WITH per_unit AS (
    SELECT t.unit_id, date_trunc('month', m.due_on)::date AS month, count(*) AS due,
           count(*) FILTER (WHERE m.status <> 'open') AS reported,
           count(*) FILTER (WHERE {milestone_light_sql("m")} = 'red') AS overdue
    FROM obligations_milestone m JOIN obligations_task t ON t.id = m.task_id
    GROUP BY t.unit_id, date_trunc('month', m.due_on)::date
)
INSERT INTO monitoring_monthlysummary (scope, scope_id, month, due, reported, overdue)
SELECT 'unit', unit_id, month, due, reported, overdue FROM per_unit
UNION ALL
SELECT 'region', anc.id, p.month, sum(p.due), sum(p.reported), sum(p.overdue)
FROM per_unit p
{_ANCESTORS.format(unit="p.unit_id")}
GROUP BY anc.id, p.month
"""

# Targets of the obligations in scope (those assessed in the year; year 0: all), counted per
# region of the units carrying them, and those attained there (obligations.attainment).
_TARGETS = f"""
WITH {ATTAINED_CTE}, scope_targets AS (
    SELECT s.id AS summary_id, count(DISTINCT (tg.id, f.region_id)) AS targets,
           count(DISTINCT (tg.id, f.region_id)) FILTER (WHERE a.target_id IS NOT NULL)
               AS attained
    FROM monitoring_progresssummary s
    JOIN summary_facts f ON f.year = s.year AND {{match}}
    JOIN obligations_indicatortarget tg ON tg.obligation_id = f.obligation_id
        AND (s.year = 0 OR {assessed_in_sql("tg", year="s.year")})
    LEFT JOIN attained a ON a.target_id = tg.id AND a.region_id = f.region_id
        AND (s.year = 0 OR a.year = s.year)
    WHERE s.scope = %(scope)s
    GROUP BY s.id
)
UPDATE monitoring_progresssummary s SET targets = st.targets, targets_attained = st.attained
FROM scope_targets st WHERE s.id = st.summary_id
"""
_TARGET_MATCH = {
    "obligation": "f.obligation_id = s.scope_id",
    "unit": "f.unit_id = s.scope_id",
    "document": "f.document_id = s.scope_id",
    "region": "f.region_path LIKE (SELECT path FROM obligations_region WHERE id = s.scope_id) || '%%'",
}


def rebuild_summaries(*, today: datetime.date) -> dict:
    period = current_period()
    years = [0, *range(period.start.year, period.end.year + 1)]
    params = {"today": today, "soon": soon_date(today), "until": today, "years": years,
              "now": timezone.now(), "tz": "Asia/Shanghai"}
    counts = {}
    with connection.cursor() as cursor, hash_joins(cursor):
        # ON COMMIT DROP does not fire when the job runs inside a larger transaction.
        cursor.execute("DROP TABLE IF EXISTS summary_facts")
        cursor.execute(_FACTS, params)
        cursor.execute("ANALYZE summary_facts")
        cursor.execute("DELETE FROM monitoring_progresssummary")
        for scope, (key, source) in _SCOPES.items():
            cursor.execute(
                f"INSERT INTO monitoring_progresssummary ({_COLUMNS}) "
                f"SELECT %(scope)s, {key}, f.year, {_COUNTS} FROM {source} GROUP BY {key}, f.year",
                {**params, "scope": scope})
            counts[scope] = cursor.rowcount
        cursor.execute(_REGIONS.format(columns=_COLUMNS), params)  # after the units' rows
        counts["region"] = cursor.rowcount
        for scope in (*_SCOPES, "region"):
            cursor.execute(_TARGETS.format(match=_TARGET_MATCH[scope]), {"scope": scope})
        cursor.execute("DROP TABLE summary_facts")
        cursor.execute("DELETE FROM monitoring_monthlysummary")
        cursor.execute(_MONTHS, params)
        counts["months"] = cursor.rowcount
    return counts
