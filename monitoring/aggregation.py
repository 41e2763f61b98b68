"""Progress summaries per obligation, unit, region (with its subtree), document and year.

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

from obligations.schedule import current_period
from obligations.sql import hash_joins

_FACTS = """
CREATE TEMP TABLE summary_facts ON COMMIT DROP AS
WITH ms AS (
    SELECT m.id, m.task_id, m.due_on,
           LAG(m.due_on) OVER (PARTITION BY m.task_id ORDER BY m.due_on) AS previous_due
    FROM obligations_milestone m
    WHERE m.due_on <= %(today)s
), judged AS (
    SELECT ms.task_id, extract(year FROM ms.due_on)::int AS year,
           EXISTS (SELECT 1 FROM obligations_progressreport r
                   WHERE r.task_id = ms.task_id AND r.review <> 'returned'
                     AND (r.submitted_at AT TIME ZONE %(tz)s)::date <= ms.due_on
                     AND (r.milestone_id = ms.id
                          OR (r.milestone_id IS NULL
                              AND (r.submitted_at AT TIME ZONE %(tz)s)::date
                                  > COALESCE(ms.previous_due, DATE '1900-01-01')))) AS on_time
    FROM ms
), per_year AS (
    SELECT task_id, year, count(*) AS due, count(*) FILTER (WHERE on_time) AS on_time
    FROM judged GROUP BY task_id, year
    UNION ALL
    SELECT task_id, 0, count(*), count(*) FILTER (WHERE on_time) FROM judged GROUP BY task_id
)
SELECT t.id AS task_id, t.obligation_id, o.document_id, t.unit_id, r.path AS region_path,
       t.light, t.status, y.year,
       COALESCE(p.due, 0) AS due, COALESCE(p.on_time, 0) AS on_time,
       EXISTS (SELECT 1 FROM obligations_progressreport w
               WHERE w.task_id = t.id AND w.review = 'submitted') AS waiting
FROM obligations_task t
JOIN obligations_obligation o ON o.id = t.obligation_id
JOIN obligations_unit u ON u.id = t.unit_id
JOIN obligations_region r ON r.id = u.region_id
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
    # Each region counts the tasks of its whole subtree: the codes in a task's region path are
    # its ancestors, joined by code (a hash join, not a LIKE per region and row).
    "region": ("anc.id", "summary_facts f CROSS JOIN LATERAL "
                         "unnest(string_to_array(rtrim(f.region_path, '/'), '/')) AS ancestor(code) "
                         "JOIN obligations_region anc ON anc.code = ancestor.code"),
}

# Targets of the obligations in scope, and those attained by a value reported in the
# scope's regions (in the year, or in any year for year 0).
_TARGETS = """
WITH scope_targets AS (
    SELECT s.id AS summary_id, count(DISTINCT tg.id) AS targets,
           count(DISTINCT tg.id) FILTER (WHERE iv.id IS NOT NULL) AS attained
    FROM monitoring_progresssummary s
    JOIN summary_facts f ON f.year = s.year AND {match}
    JOIN obligations_indicatortarget tg ON tg.obligation_id = f.obligation_id
    LEFT JOIN obligations_indicatorvalue iv ON iv.target_id = tg.id
        AND (s.year = 0 OR iv.year = s.year)
        AND CASE tg.comparator WHEN '<=' THEN iv.value <= tg.value ELSE iv.value >= tg.value END
        AND iv.region_id IN (SELECT id FROM obligations_region WHERE path LIKE f.region_path || '%%'
                             OR f.region_path LIKE path || '%%')
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
    params = {"today": today, "years": years, "now": timezone.now(), "tz": "Asia/Shanghai"}
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
            cursor.execute(_TARGETS.format(match=_TARGET_MATCH[scope]), {"scope": scope})
        cursor.execute("DROP TABLE summary_facts")
    return counts
