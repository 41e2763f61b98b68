"""A history for the local demo (`make run`): progress reports on the seed's tasks, then the
jobs a production day runs (sweep, aggregation) and the assessment of each finished year,
so that the dashboards and the assessment show something to read. Never in production or
tests: called only by the `demo_history` command, which `make run` runs after `load_seed`.

Deterministic (a hash of the milestone id, not random()), so every fresh `make run` shows
the same figures: about 65 %% of the milestones due so far are reported, most on time; most
reports are approved (their milestone closed); the rest wait for review.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction

from monitoring.assessment import compute_assessment, publish_assessment
from monitoring.jobs import aggregate_progress, sweep_overdue
from obligations.models import ProgressReport
from obligations.selectors.in_force import current_period

_REPORTS = """
WITH chosen AS (
    SELECT m.id, m.task_id, m.due_on,
           abs(hashtext(m.id::text)) / 2147483647.0 AS r,
           (SELECT ms.user_id FROM obligations_membership ms
            WHERE ms.unit_id = t.unit_id AND ms.role = 'official' ORDER BY ms.id LIMIT 1) AS user_id
    FROM obligations_milestone m
    JOIN obligations_task t ON t.id = m.task_id
    WHERE m.due_on <= %(today)s
), inserted AS (
    INSERT INTO obligations_progressreport
        (task_id, milestone_id, status, percent, narrative, submitted_at, submitted_by_id, review,
         review_comment)
    SELECT c.task_id, c.id, 'in_progress', 30 + (c.r * 100)::int %% 60,
           '按计划推进，已完成阶段性工作（演示数据）。',
           (c.due_on - (c.r * 40)::int + CASE WHEN c.r > 0.55 THEN 30 ELSE 0 END)::timestamp
               + interval '10 hours',
           c.user_id,
           CASE WHEN c.r < 0.5 THEN 'approved' ELSE 'submitted' END, ''
    FROM chosen c
    WHERE c.r < 0.65
    RETURNING milestone_id, review
)
UPDATE obligations_milestone m SET status = CASE i.review WHEN 'approved' THEN 'closed'
                                                          ELSE 'reported' END
FROM inserted i WHERE m.id = i.milestone_id
"""


def build_demo_history(*, today: datetime.date) -> dict | None:
    """Does nothing (returns None) when any report exists: a demo someone has used stays theirs."""
    if ProgressReport.objects.exists():
        return None
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_REPORTS, {"today": today})
        reports = cursor.rowcount
        cursor.execute("ANALYZE obligations_progressreport, obligations_milestone")
    sweep_overdue(today=today)
    aggregate_progress(today=today)
    period = current_period()
    years = [y for y in range(period.start.year, period.end.year + 1) if y < today.year]
    for year in years:
        compute_assessment(year)
        publish_assessment(year, actor=None)
    return {"milestones_reported": reports, "assessments": years}
