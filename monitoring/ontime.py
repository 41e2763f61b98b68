"""The one definition of "reported on time", shared by the progress summaries and the
assessment as SQL common table expressions.

A milestone is reported on time when a report (not returned) names it and was submitted
on or before its due date; or, for a report that names no milestone, when the report's day
(Beijing time) falls in the milestone's window: after the task's previous milestone, on or
before this one. Set-based: two hash joins, never an EXISTS per milestone.

`ON_TIME_CTES` defines `on_time (id)`: the ids of the milestones due on or before
%(until)s reported on time. Parameters: %(tz)s, %(until)s. Begin a WITH with it.
`on_time_ctes(tasks=…)` does the same for the tasks of one table of ids only (a county's
rebuild of the summaries), the same rule.
"""


def on_time_ctes(*, tasks: str | None = None) -> str:
    only = f"AND r.task_id IN (SELECT id FROM {tasks})" if tasks else ""
    return _ON_TIME_CTES.replace("{only}", only)


_ON_TIME_CTES = """
on_time_reports AS MATERIALIZED (
    SELECT r.task_id, r.milestone_id, (r.submitted_at AT TIME ZONE %(tz)s)::date AS day
    FROM obligations_progressreport r
    WHERE r.review <> 'returned' {only}
), on_time_windows AS (
    -- Windows (previous due date, due date], only for tasks with reports that name no milestone.
    SELECT m.id, m.task_id, m.due_on,
           LAG(m.due_on) OVER (PARTITION BY m.task_id ORDER BY m.due_on) AS previous_due
    FROM obligations_milestone m
    WHERE m.due_on <= %(until)s
      AND m.task_id IN (SELECT task_id FROM on_time_reports WHERE milestone_id IS NULL)
), on_time AS (
    SELECT m.id FROM obligations_milestone m JOIN on_time_reports r ON r.milestone_id = m.id
    WHERE r.day <= m.due_on AND m.due_on <= %(until)s
    UNION
    SELECT w.id FROM on_time_windows w
    JOIN on_time_reports r ON r.task_id = w.task_id AND r.milestone_id IS NULL
    WHERE r.day <= w.due_on AND r.day > COALESCE(w.previous_due, DATE '1900-01-01')
)
"""

ON_TIME_CTES = on_time_ctes()
