"""The traffic light (红黄绿灯), "next due" and "overdue by N days": the one definition.

Every reader calls this module: the nightly sweep that stores lights and sends reminders
(obligations.services.sweep), the task list and its filter, the task page, the API and its
`?light=` filter, the progress summaries behind the dashboards (monitoring.aggregation)
and the dashboards' longest-overdue list. The rule is written once, as SQL templates;
`milestone_light()` / `task_lights()` make ORM expressions of them, `milestone_light_sql()`
/ `task_light_sql()` raw SQL for the jobs, so querysets and jobs stay set-based and agree.

A milestone or task of a period that has ended (obligations.periods: not live) is "ended"
(期满): it is history, waiting for its close-out disposition, never red or yellow today.
Otherwise a milestone is
- done (已完成) when closed by an approved report;
- green when reported and waiting for review — decided so because the unit has done what
  it owes and the supervisor's queue is not the unit's delay: chasing the unit would be
  wrong, and a returned report reopens the milestone, which then lights by its date again.
  Whether it was reported late is a separate fact ("reported on time", monitoring.ontime),
  which the assessment scores;
- red (逾期) when open and its due date is before today (Beijing time): overdue from the
  day after the due date, so a report at 23:59 on the due date is in time;
- yellow (将到期) when open and due within `DUE_SOON_DAYS` days (today included);
- green otherwise.

A task is done when its status is 已完成 or all of its milestones are closed; otherwise it
takes the light of its next due milestone: the earliest milestone still open (reported
ones wait for the supervisor, not the unit). That is the worst of its milestones' lights.

Overdue by N days: today − the next due date, for a red task (or an open milestone past
its date); escalation to the supervisors after more than `ESCALATE_AFTER_DAYS` of it.
"""

from __future__ import annotations

import datetime
import string

from django.conf import settings
from django.db.models import CharField, Count, Expression, F, Min, Q, Value

RED, YELLOW, GREEN, DONE, ENDED = "red", "yellow", "green", "done", "ended"

# {live} of the milestone's task, {status} {due_on} of the milestone; {today} {soon} the dates.
MILESTONE_LIGHT = (
    "(CASE WHEN NOT {live} THEN 'ended' WHEN {status} = 'closed' THEN 'done' WHEN {status} = 'reported' THEN 'green' "
    "WHEN {due_on} < {today} THEN 'red' WHEN {due_on} <= {soon} THEN 'yellow' "
    "ELSE 'green' END)"
)

# {live} {status} of the task; over its milestones: {next_due} the earliest open one's date,
# {milestones} their number, {unclosed} those not closed.
TASK_LIGHT = (
    "(CASE WHEN NOT {live} THEN 'ended' WHEN {status} = 'done' THEN 'done' "
    "WHEN {next_due} < {today} THEN 'red' "
    "WHEN {next_due} <= {soon} THEN 'yellow' "
    "WHEN {milestones} > 0 AND {unclosed} = 0 THEN 'done' ELSE 'green' END)"
)


def soon_date(today: datetime.date, soon_days: int | None = None) -> datetime.date:
    days = settings.DUE_SOON_DAYS if soon_days is None else soon_days
    return today + datetime.timedelta(days=days)


def overdue_days(next_due: datetime.date | None, today: datetime.date) -> int:
    """Days past the due date (0 when not overdue): due yesterday is 1 day overdue."""
    if next_due is None or next_due >= today:
        return 0
    return (today - next_due).days


def escalate_before(today: datetime.date, escalate_after_days: int) -> datetime.date:
    """An open milestone due before this date is overdue by more than the days allowed."""
    return today - datetime.timedelta(days=escalate_after_days)


# Raw SQL for the jobs --------------------------------------------------------------------


def milestone_light_sql(alias: str = "m", *, live: str, today: str = "%(today)s",
                        soon: str = "%(soon)s") -> str:
    """`live`: the SQL of the milestone's task's `live` (e.g. "t.live")."""
    return MILESTONE_LIGHT.format(live=live, status=f"{alias}.status", due_on=f"{alias}.due_on",
                                  today=today, soon=soon)


def task_light_sql(*, live: str, status: str, next_due: str, milestones: str, unclosed: str,
                   today: str = "%(today)s", soon: str = "%(soon)s") -> str:
    return TASK_LIGHT.format(live=live, status=status, next_due=next_due, milestones=milestones,
                             unclosed=unclosed, today=today, soon=soon)


def task_light_aggregates_sql(alias: str = "m") -> dict[str, str]:
    """The aggregates TASK_LIGHT reads, over a task's milestones joined as `alias`."""
    return {
        "next_due": f"min({alias}.due_on) FILTER (WHERE {alias}.status = 'open')",
        "milestones": f"count({alias}.id)",
        "unclosed": f"count({alias}.id) FILTER (WHERE {alias}.status <> 'closed')",
    }


# ORM expressions -------------------------------------------------------------------------


class SqlTemplate(Expression):
    """A SQL template whose {names} are filled with compiled ORM expressions, in order."""

    def __init__(self, template: str, output_field=None, **expressions):
        super().__init__(output_field=output_field or CharField())
        self.template = template
        self.names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
        self.unique = list(dict.fromkeys(self.names))
        self.expressions = {name: expressions[name] for name in self.unique}

    def get_source_expressions(self):
        return [self.expressions[name] for name in self.unique]

    def set_source_expressions(self, exprs):
        self.expressions = dict(zip(self.unique, exprs, strict=True))

    def as_sql(self, compiler, connection):
        compiled = {name: compiler.compile(expr) for name, expr in self.expressions.items()}
        params = []
        for name in self.names:  # params in the order the placeholders appear
            params.extend(compiled[name][1])
        sql = self.template.format(**{name: sql for name, (sql, _) in compiled.items()})
        return sql, params


def milestone_light(*, today: datetime.date, soon_days: int | None = None,
                    prefix: str = "") -> SqlTemplate:
    """The light of a milestone (or of `prefix`'s milestone, e.g. "milestones__")."""
    return SqlTemplate(MILESTONE_LIGHT, live=F(f"{prefix}task__live"), status=F(f"{prefix}status"),
                       due_on=F(f"{prefix}due_on"), today=Value(today),
                       soon=Value(soon_date(today, soon_days)))


def red_milestones(today: datetime.date, prefix: str = "") -> Q:
    """The milestones red on `today` as a plain condition: MILESTONE_LIGHT's red branch (open,
    due before today; closed and reported ones are never red). Written as columns, not as the
    CASE, for the planner: it can estimate it and walk the (due_on, status) index, where a
    filter on the CASE is a blind guess (a province's dashboard took 0.5 s on a misplan).
    tests/obligations/test_lights.py holds the two to the same rows."""
    return Q(**{f"{prefix}status": "open", f"{prefix}due_on__lt": today,
                f"{prefix}task__live": True})


def next_due() -> Min:
    """The date of a task's next milestone still to report (its earliest open one)."""
    return Min("milestones__due_on", filter=Q(milestones__status="open"))


def task_lights(*, today: datetime.date, soon_days: int | None = None) -> dict:
    """Annotations for a Task queryset: `next_due` and `current_light` (one GROUP BY)."""
    return {
        "next_due": next_due(),
        "current_light": SqlTemplate(
            TASK_LIGHT, live=F("live"), status=F("status"), next_due=next_due(),
            milestones=Count("milestones"),
            unclosed=Count("milestones", filter=~Q(milestones__status="closed")),
            today=Value(today), soon=Value(soon_date(today, soon_days))),
    }


def with_task_lights(tasks, *, today: datetime.date, soon_days: int | None = None):
    return tasks.annotate(**task_lights(today=today, soon_days=soon_days))


def with_milestone_lights(milestones, *, today: datetime.date, soon_days: int | None = None):
    return milestones.annotate(current_light=milestone_light(today=today, soon_days=soon_days))


def task_light_now(task, *, today: datetime.date, soon_days: int | None = None) -> dict:
    """One task's `current_light`, `next_due` and `overdue_days` (one query)."""
    from obligations.models import Task

    row = (with_task_lights(Task.objects.filter(pk=task.pk), today=today, soon_days=soon_days)
           .values("current_light", "next_due").get())
    row["overdue_days"] = overdue_days(row["next_due"], today) if row["current_light"] == RED else 0
    return row
