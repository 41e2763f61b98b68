"""一户一策: adding a measure to a monitored household's case and marking it carried out."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from households import selectors
from households.models import Case, Household, Measure
from obligations.services import audit

PLANNABLE = {Case.Status.TOWNSHIP_REVIEWED, Case.Status.MONITORING,
             Case.Status.PROPOSED_ELIMINATION}


def add_measure(*, case: Case, actor, kind: str, description: str, starts_on, unit=None,
                ends_on=None, subsidy: str = "") -> Measure:
    if not selectors.can_plan_measures(actor, case):
        raise ValidationError(_("您无权为该户制定帮扶措施。"), code="forbidden")
    if case.status not in PLANNABLE:
        raise ValidationError(_("认定为“%(now)s”，纳入监测后才能制定帮扶措施。")
                              % {"now": case.get_status_display()})
    if case.household.base_status == Household.BaseStatus.EXIT_NO_POLICY:
        raise ValidationError(_("脱贫不享受政策户不安排帮扶措施。"))
    if kind not in Measure.Kind.values:
        raise ValidationError(_("请选择帮扶类型。"))
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("请填写帮扶内容。"))
    if not isinstance(starts_on, datetime.date):
        raise ValidationError(_("请按“2021-06-30”的格式填写开始日期。"))
    if ends_on and ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"))
    if subsidy not in Measure.Subsidy.values or (subsidy and kind != Measure.Kind.MEDICAL):
        raise ValidationError(_("参保资助只用于医疗保障措施（全额或定额）。"))
    with transaction.atomic():
        measure = Measure.objects.create(case=case, kind=kind, description=description[:300],
                                         starts_on=starts_on, ends_on=ends_on, unit=unit,
                                         subsidy=subsidy)
        audit.record(actor=actor, action=audit.Action.HOUSEHOLD_CHANGE,
                     subject=audit.subject("case", case.pk),
                     summary=_("农户 %(code)s：制定帮扶措施（%(kind)s）") % {
                         "code": case.household.code, "kind": measure.get_kind_display()})
    return measure


def set_status(*, measure: Measure, actor, status: str) -> Measure:
    if not selectors.can_plan_measures(actor, measure.case):
        raise ValidationError(_("您无权修改该户的帮扶措施。"), code="forbidden")
    if status not in Measure.Status.values:
        raise ValidationError(_("未知的措施状态。"))
    with transaction.atomic():
        before = measure.status
        measure.status = status
        measure.save(update_fields=["status"])
        audit.record(actor=actor, action=audit.Action.HOUSEHOLD_CHANGE,
                     subject=audit.subject("case", measure.case_id),
                     summary=_("帮扶措施（%(kind)s）：%(before)s → %(after)s") % {
                         "kind": measure.get_kind_display(),
                         "before": Measure.Status(before).label,
                         "after": measure.get_status_display()})
    return measure
