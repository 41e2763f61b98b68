"""The nightly sweep's writes: stored traffic lights, reminders and escalations, in set-based
SQL. The light itself is defined in obligations.lights; this stores it for the reminders.

Everything is computed from dates, never from "since the last run": a sweep that
did not run for three days (broker down) catches up by itself, and running it
twice gives the same result as once (reminders are unique per milestone and kind).

"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from obligations.lights import (
    escalate_before,
    milestone_light_sql,
    soon_date,
    task_light_aggregates_sql,
    task_light_sql,
)
from obligations.services.periods import refresh_live
from obligations.sql import hash_joins


@dataclass
class SweepCounts:
    milestones_changed: int = 0
    tasks_changed: int = 0
    tasks_ended: int = 0
    reminders: int = 0
    escalations: int = 0
    notifications: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


# One pass over the table: the light is computed from the row itself, and only the rows
# whose stored light (or red date) differ are written, so a night where few lights change
# writes few rows.
_LIGHT = milestone_light_sql("m", live="t.live")
_MILESTONE_LIGHTS = f"""
UPDATE obligations_milestone m
SET light = {_LIGHT},
    red_since = CASE WHEN {_LIGHT} = 'red' THEN m.due_on + 1 END
FROM obligations_task t
WHERE t.id = m.task_id
  AND (m.light IS DISTINCT FROM {_LIGHT}
       OR m.red_since IS DISTINCT FROM CASE WHEN {_LIGHT} = 'red' THEN m.due_on + 1 END)
"""

_TASK_LIGHTS = f"""
WITH worst AS (
    SELECT t.id, {task_light_sql(live="t.live", status="t.status",
                                 **task_light_aggregates_sql("m"))} AS light
    FROM obligations_task t
    LEFT JOIN obligations_milestone m ON m.task_id = t.id
    GROUP BY t.id, t.live, t.status
)
UPDATE obligations_task t SET light = worst.light
FROM worst WHERE t.id = worst.id AND t.light IS DISTINCT FROM worst.light
"""

# New reminders (each milestone and kind once, ever), and one inbox entry per official of
# the task's unit, in one statement. Those already sent are left out by an anti-join before
# the insert (ON CONFLICT stays for a concurrent writer): on a normal night nearly every
# yellow or red milestone has had its reminder, and one hash join over them is cheaper than
# an index probe for each.
_REMINDERS = """
WITH fresh AS (
    INSERT INTO obligations_reminder (task_id, milestone_id, kind, created_at)
    SELECT m.task_id, m.id, m.light, %(now)s
    FROM obligations_milestone m
    WHERE m.light IN ('yellow', 'red')
      AND NOT EXISTS (SELECT 1 FROM obligations_reminder r
                      WHERE r.milestone_id = m.id AND r.kind = m.light)
    ON CONFLICT (milestone_id, kind) DO NOTHING
    RETURNING task_id, milestone_id, kind
), sent AS (
    INSERT INTO obligations_notification (user_id, kind, title, body, link, created_at)
    SELECT ms.user_id, 'reminder',
           CASE f.kind WHEN 'red' THEN %(red_title)s ELSE %(yellow_title)s END
               || left(o.title, 150),
           %(due_label)s || to_char(m.due_on, 'YYYY"年"FMMM"月"FMDD"日"'),
           '/tasks/' || f.task_id || '/', %(now)s
    FROM fresh f
    JOIN obligations_milestone m ON m.id = f.milestone_id
    JOIN obligations_task t ON t.id = f.task_id
    JOIN obligations_obligation o ON o.id = t.obligation_id
    JOIN obligations_membership ms ON ms.unit_id = t.unit_id AND ms.role = 'official'
    RETURNING 1
)
SELECT (SELECT count(*) FROM fresh), (SELECT count(*) FROM sent)
"""

# Overdue by more than N days (obligations.lights): the supervisors of every region above the unit are told, once.
_ESCALATIONS = """
WITH fresh AS (
    INSERT INTO obligations_reminder (task_id, milestone_id, kind, created_at)
    SELECT m.task_id, m.id, 'escalation', %(now)s
    FROM obligations_milestone m
    WHERE m.light = 'red' AND m.due_on < %(escalate_before)s
    ON CONFLICT (milestone_id, kind) DO NOTHING
    RETURNING task_id, milestone_id
), sent AS (
    INSERT INTO obligations_notification (user_id, kind, title, body, link, created_at)
    SELECT DISTINCT ON (ms.user_id, f.milestone_id) ms.user_id, 'escalation',
           %(escalation_title)s || u.name || '：' || left(o.title, 120),
           %(due_label)s || to_char(m.due_on, 'YYYY"年"FMMM"月"FMDD"日"'),
           '/tasks/' || f.task_id || '/', %(now)s
    FROM fresh f
    JOIN obligations_milestone m ON m.id = f.milestone_id
    JOIN obligations_task t ON t.id = f.task_id
    JOIN obligations_obligation o ON o.id = t.obligation_id
    JOIN obligations_unit u ON u.id = t.unit_id
    JOIN obligations_region ur ON ur.id = u.region_id
    JOIN obligations_membership ms ON ms.role = 'supervisor'
    JOIN obligations_region sr ON sr.id = ms.region_id AND ur.path LIKE sr.path || '%%'
    RETURNING 1
)
SELECT (SELECT count(*) FROM fresh), (SELECT count(*) FROM sent)
"""


def refresh_lights(*, today: datetime.date, soon_days: int, escalate_after_days: int,
                   now: datetime.datetime) -> SweepCounts:
    """Runs inside the caller's transaction (the job holds its lock for it)."""
    counts = SweepCounts()
    params = {
        "today": today,
        "soon": soon_date(today, soon_days),
        "now": now,
        "escalate_before": escalate_before(today, escalate_after_days),
        "red_title": _("任务已逾期："),
        "yellow_title": _("任务即将到期："),
        "escalation_title": _("逾期督办："),
        "due_label": _("节点截止日期："),
    }
    with connection.cursor() as cursor:
        with hash_joins(cursor):
            counts.tasks_ended = refresh_live(today=today)
            cursor.execute(_MILESTONE_LIGHTS, params)
            counts.milestones_changed = cursor.rowcount
            cursor.execute(_TASK_LIGHTS, params)
            counts.tasks_changed = cursor.rowcount
            cursor.execute(_REMINDERS, params)
            counts.reminders, sent = cursor.fetchone()
        cursor.execute(_ESCALATIONS, params)  # a LIKE join on region paths: nested loops it is
        counts.escalations, escalated = cursor.fetchone()
    counts.notifications = sent + escalated
    return counts
