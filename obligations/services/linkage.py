"""Importing a 衔接清单: each row's old measure and its successor found in the register, shown
as a preview (what is found, what is not, what would be disposed), corrected by choosing the
measure where the list's words did not find it, and applied in one transaction through
`dispose_tasks` (one audit row per task). Nothing is written while any row is unresolved."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from obligations.importers.linkage import LinkageRow
from obligations.models import Disposition, Obligation, Task
from obligations.selectors import scope
from obligations.services.periods import dispose_tasks


@dataclass
class PlannedRow:
    row: LinkageRow
    old: Obligation | None = None
    successor: Obligation | None = None
    tasks: list[int] = field(default_factory=list)
    already: int = 0
    problems: list[str] = field(default_factory=list)


def ended_measures(user):
    """Measures of documents whose period has ended, that the user may see."""
    today = timezone.localdate()
    return (scope.obligations_visible_to(user).filter(kind=Obligation.Kind.MEASURE)
            .filter(document__period__end__lt=today).select_related("document"))


def current_measures(user):
    today = timezone.localdate()
    return (scope.obligations_visible_to(user).filter(kind=Obligation.Kind.MEASURE)
            .filter(Q(document__period__end__isnull=True) | Q(document__period__end__gte=today))
            .select_related("document__period", "document__region"))


def _find(measures, *, document: str, code: str, title: str) -> tuple[Obligation | None, str]:
    """The one measure the row names (by 文号 and 编号, else by the start of its title), or
    None and why."""
    if document:
        measures = measures.filter(Q(document__doc_number=document) | Q(document__title=document))
    found = list(measures.filter(code=code)[:2]) if code else []
    if not found and title:
        head = title[:12]
        found = list(measures.filter(title__startswith=head)[:2]) or list(
            measures.filter(title__contains=title[:6])[:2])
    if len(found) == 1:
        return found[0], ""
    if not found:
        return None, _("找不到")
    return None, _("对应多项，无法确定")


def plan_rows(rows: list[LinkageRow], *, user, corrections: dict | None = None) -> list[PlannedRow]:
    """Each row resolved against the register (`corrections`: {row line: {"old": id,
    "successor": id}} chosen in the preview). Writes nothing."""
    corrections = corrections or {}
    old_measures, new_measures = ended_measures(user), current_measures(user)
    disposable = scope.tasks_disposable_by(user)
    planned = []
    for row in rows:
        item = PlannedRow(row=row)
        chosen = corrections.get(str(row.line), {})
        if chosen.get("old"):
            item.old = old_measures.filter(pk=chosen["old"]).first()
        else:
            item.old, why = _find(old_measures, document=row.old_document, code=row.old_code,
                                  title=row.old_title)
            if item.old is None:
                item.problems.append(_("原措施“%(m)s”%(why)s，请选择") % {
                    "m": f"{row.old_code} {row.old_title}".strip(), "why": why})
        if row.kind is None:
            item.problems.append(_("处置方式“%(w)s”无法识别（应为延续、优化、调整、退出或已完成）")
                                 % {"w": row.kind_words})
        elif row.kind == Disposition.Kind.ENDED and not row.note:
            item.problems.append(_("退出须在“说明”中写明理由"))
        goes_on = row.kind in Disposition.GOES_ON
        if chosen.get("successor"):
            item.successor = new_measures.filter(pk=chosen["successor"]).first()
        elif goes_on and (row.new_code or row.new_title):
            item.successor, why = _find(new_measures, document="", code=row.new_code,
                                        title=row.new_title)
            if item.successor is None:
                item.problems.append(_("新措施“%(m)s”%(why)s，请选择") % {
                    "m": f"{row.new_code} {row.new_title}".strip(), "why": why})
        if item.old is not None:
            tasks = disposable.filter(obligation=item.old)
            item.already = tasks.filter(disposition__isnull=False).count()
            item.tasks = list(tasks.filter(disposition__isnull=True)
                              .exclude(status=Task.Status.DONE).values_list("pk", flat=True))
        planned.append(item)
    return planned


@transaction.atomic
def apply_rows(planned: list[PlannedRow], *, user) -> int:
    """Disposes every row's tasks; refuses (writing nothing) while any row has a problem."""
    problems = [f"{_('第%(n)s行') % {'n': p.row.line}}：{m}" for p in planned for m in p.problems]
    if problems:
        raise ValidationError(problems)
    count = 0
    for item in planned:
        if not item.tasks:
            continue
        count += dispose_tasks(actor=user, tasks=Task.objects.filter(pk__in=item.tasks),
                               kind=item.row.kind, reason=item.row.note,
                               successor=item.successor if item.row.kind in Disposition.GOES_ON
                               else None)
    return count
