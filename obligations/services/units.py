"""Renaming a unit (扶贫办 → 乡村振兴局): one service, with its audit row."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from obligations.models import (
    Unit,
    UnitAlias,
    UnitRename,
)
from obligations.services import audit


@transaction.atomic
def rename_unit(*, unit: Unit, new_name: str, renamed_on: datetime.date, note: str = "",
                actor) -> Unit:
    """扶贫办 → 乡村振兴局: the unit keeps its id, tasks and history; the old name stays an alias."""
    new_name = new_name.strip()
    if not new_name:
        raise ValidationError({"new_name": _("新名称不能为空。")})
    if new_name == unit.name:
        raise ValidationError({"new_name": _("新名称与现名称相同。")})
    if Unit.objects.filter(region=unit.region, name=new_name).exclude(pk=unit.pk).exists():
        raise ValidationError(
            {"new_name": _("本区划内已有名为“%(name)s”的单位。") % {"name": new_name}}
        )
    old_name = unit.name
    UnitRename.objects.create(
        unit=unit, old_name=old_name, new_name=new_name, renamed_on=renamed_on, note=note
    )
    UnitAlias.objects.get_or_create(
        unit=unit, name=old_name, defaults={"kind": UnitAlias.Kind.FORMER_NAME}
    )
    UnitAlias.objects.filter(unit=unit, name=new_name).delete()
    unit.name = new_name
    unit.save(update_fields=["name"])
    audit.record(
        actor=actor, action=audit.Action.UNIT_RENAME, subject=audit.subject("unit", unit.pk),
        summary=_("%(old)s 更名为 %(new)s") % {"old": old_name, "new": new_name},
        before={"name": old_name},
        after={"name": new_name, "renamed_on": renamed_on.isoformat(), "note": note})
    return unit

