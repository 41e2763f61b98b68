"""Recording a screening round (a village's monthly 摸排, a township's quarterly 审核)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from households import selectors
from households.models import ScreeningDuty, ScreeningRound
from households.rounds import period_of
from obligations.services import audit


def record_round(*, duty: ScreeningDuty, place, actor, households_checked, clues,
                 note: str = "", day=None) -> ScreeningRound:
    day = day or timezone.localdate()
    if not selectors.can_record_round(actor, duty.kind, place):
        raise ValidationError(_("您无权填报该地的%(kind)s。") % {"kind": duty.get_kind_display()},
                              code="forbidden")
    if not place.path.startswith(duty.region.path):
        raise ValidationError(_("该地不在这项工作要求的县内。"))
    try:
        checked, found = int(households_checked), int(clues)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("排查户数和发现线索须为整数。")) from exc
    if checked < 0 or found < 0 or found > checked:
        raise ValidationError(_("排查户数和发现线索不能为负，线索数不能多于排查户数。"))
    period = period_of(duty.kind, day)
    try:
        with transaction.atomic():
            made = ScreeningRound.objects.create(duty=duty, region=place, period=period,
                                                 done_on=day, households_checked=checked,
                                                 clues=found, by=actor,
                                                 note=(note or "").strip()[:300])
            audit.record(actor=actor, action=audit.Action.HOUSEHOLD_CHANGE,
                         subject=audit.subject("round", made.pk),
                         summary=_("%(place)s：%(kind)s（%(y)s年%(m)s月）已完成") % {
                             "place": place.name, "kind": duty.get_kind_display(),
                             "y": period.year, "m": period.month})
    except IntegrityError as exc:
        raise ValidationError(_("本期已填报过，不能重复填报。")) from exc
    return made
