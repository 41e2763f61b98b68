"""Closing a period (过渡期收尾): storing which tasks are live, and recording what became of
each task still open when its period ended. Each change is one function here, writing its
rows and its audit entry in one transaction (STYLE.md)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from obligations.models import Disposition, Obligation, Task
from obligations.periods import LIVE_SQL
from obligations.selectors import scope
from obligations.services import audit
from obligations.services.changes import regions_of_tasks, register_changed_on_commit

Kind = Disposition.Kind

_LIVE = f"""
UPDATE obligations_task t SET live = {LIVE_SQL.format(task="t", today="%(today)s")}
WHERE t.live IS DISTINCT FROM {LIVE_SQL.format(task="t", today="%(today)s")}
  AND (%(all)s OR t.obligation_id = ANY(%(obligations)s))
"""


def refresh_live(*, today: datetime.date, obligation_ids=None) -> int:
    """Stores `Task.live` (obligations.periods) for every task, or for the tasks of
    `obligation_ids`: the nightly sweep for all, milestone generation for a document's."""
    with connection.cursor() as cursor:
        cursor.execute(_LIVE, {"today": today, "all": obligation_ids is None,
                               "obligations": list(obligation_ids or [])})
        return cursor.rowcount


def _snapshot(disposition: Disposition | None) -> dict:
    if disposition is None:
        return {}
    return {"kind": disposition.kind, "reason": disposition.reason,
            "successor": disposition.successor_id}


def _check(*, task: Task, kind: str, reason: str, successor: Obligation | None,
           correction: str, errors: dict) -> None:
    if task.live:
        errors.setdefault("task", []).append(
            _("“%(title)s”所属时期尚未结束，不需要收尾处置。") % {"title": task.obligation.title[:40]})
    if kind == Kind.ENDED and not reason:
        errors.setdefault("reason", []).append(_("退出须写明理由。"))
    if successor is not None:
        if kind not in Disposition.GOES_ON:
            errors.setdefault("successor", []).append(
                _("只有延续、优化、调整的措施才能关联新时期措施。"))
        elif successor.kind != Obligation.Kind.MEASURE:
            errors.setdefault("successor", []).append(_("请选择一项具体措施，而不是章节标题。"))
        elif successor.document.period.ended(timezone.localdate()):
            errors.setdefault("successor", []).append(
                _("新措施须属于当前时期的文件，所选文件的时期已经结束。"))
        elif successor.document.region is None or not task.unit.region.path.startswith(
                successor.document.region.path):
            errors.setdefault("successor", []).append(
                _("新措施所在文件不适用于%(unit)s所在地区。") % {"unit": task.unit.name})
    if hasattr(task, "disposition_row") and task.disposition_row and not correction:
        errors.setdefault("correction", []).append(
            _("该任务已处置为“%(kind)s”；如需更改，请填写更正原因。")
            % {"kind": task.disposition_row.get_kind_display()})


def _validated_kind(kind: str) -> str:
    if kind not in Kind.values:
        raise ValidationError({"kind": [_("请选择处置方式：延续、优化、调整、退出或已完成。")]})
    return kind


@transaction.atomic
def dispose_tasks(*, actor, tasks, kind: str, reason: str = "", successor: Obligation | None = None,
                  correction: str = "") -> int:
    """Records one disposition for each task (one by one or in bulk: a document, a part, a
    unit), with one audit row per task. All or nothing: any task out of the user's scope is
    PermissionDenied, any refused one a ValidationError naming it; nothing is written then.
    Re-disposing a task is a correction and needs `correction` (the reason)."""
    kind = _validated_kind(kind)
    reason, correction = (reason or "").strip(), (correction or "").strip()
    ids = [t.pk for t in tasks]
    if not ids:
        raise ValidationError({"tasks": [_("没有选中要处置的任务。")]})
    rows = list(scope.tasks_supervised_by(actor).filter(pk__in=ids)
                .select_for_update(of=("self",))
                .select_related("obligation__document__period", "unit__region"))
    if len(rows) != len(set(ids)):
        raise PermissionDenied(_("无权处置所选任务。"))
    existing = {d.task_id: d for d in Disposition.objects.filter(task_id__in=ids)}
    errors: dict = {}
    for task in rows:
        task.disposition_row = existing.get(task.pk)
        _check(task=task, kind=kind, reason=reason, successor=successor, correction=correction,
               errors=errors)
    if errors:
        raise ValidationError({k: sorted(set(v)) for k, v in errors.items()})
    now = timezone.now()
    for task in rows:
        before = existing.get(task.pk)
        old = _snapshot(before)
        row = before or Disposition(task=task)
        row.kind, row.reason, row.successor = kind, reason, successor
        row.decided_by, row.decided_at = actor, now
        if before is not None:
            row.corrections += 1
        row.save()
        summary = _("%(unit)s“%(title)s”：%(kind)s") % {
            "unit": task.unit.name, "title": task.obligation.title[:60], "kind": row.get_kind_display()}
        if before is not None:
            summary = _("更正处置（%(why)s）：") % {"why": correction[:60]} + summary
        audit.record(actor=actor, action=audit.Action.DISPOSITION,
                     subject=audit.subject("task", task.pk), summary=summary, task=task,
                     before=old, after={**_snapshot(row), "correction": correction})
    register_changed_on_commit(regions=regions_of_tasks(Task.objects.filter(pk__in=ids)))
    return len(rows)
