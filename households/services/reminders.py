"""Missed screening rounds, and households under the line, into the reminders (issue 16): each morning, a round whose
period has just ended without a record is a 到期提醒 to the people who keep it (the village's
officials for 摸排, the township's people for 审核, the county's supervisors for the sector
rounds); a place that has missed two periods or more is also a 逾期督办 to the county's
supervisors. Once per place, duty and period: the notification's link carries the key, and
existing keys are read in one query. The morning email (monitoring's email_reminders) sends
them with the sweep's."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from households.lines import under_line
from households.models import Household
from households.rounds import rounds_for
from obligations.models import Membership, Notification, Region

OFFICIAL, SUPERVISOR = Membership.Role.OFFICIAL, Membership.Role.SUPERVISOR


def _keepers(places: dict[int, Region]) -> dict[int, set[int]]:
    """place id → the users who keep its rounds (memberships on the place itself)."""
    result: dict[int, set[int]] = {pk: set() for pk in places}
    rows = Membership.objects.filter(
        Q(region__in=list(places)) | Q(region__isnull=True, unit__region__in=list(places)),
        role__in=[OFFICIAL, SUPERVISOR]).values_list("user_id", "region_id", "unit__region_id")
    for user, region, unit_region in rows:
        result.setdefault(region or unit_region, set()).add(user)
    return result


def _county_supervisors(paths: list[str]) -> dict[str, set[int]]:
    result: dict[str, set[int]] = {}
    for user, path in Membership.objects.filter(role=SUPERVISOR, region__level="county").values_list(
            "user_id", "region__path"):
        if any(p.startswith(path) for p in paths):
            result.setdefault(path, set()).add(user)
    return result


def remind_missed_rounds(*, today: datetime.date) -> dict:
    found = [r for r in rounds_for(None, today) if r.missed]
    places = {p.pk: p for p in Region.objects.filter(pk__in={r.place_id for r in found})}
    keepers = _keepers(places)
    supervisors = _county_supervisors([p.path for p in places.values()])
    planned = []
    for r in found:
        latest = r.missed[0]
        place = places[r.place_id]
        link = f"/households/rounds/?red=1#r{r.duty_id}-{r.place_id}-{latest:%Y%m}"
        title = _("%(place)s %(y)s年%(m)s月起的%(kind)s未填报") % {
            "place": place.name, "y": latest.year, "m": latest.month, "kind": r.kind_label}
        for user in keepers.get(r.place_id, ()):
            planned.append(Notification(user_id=user, kind=Notification.Kind.REMINDER,
                                        title=title[:200], link=link))
        if len(r.missed) >= 2:
            county = next((path for path in supervisors if place.path.startswith(path)), None)
            body = _("已漏报 %(n)s 期") % {"n": len(r.missed)}
            for user in supervisors.get(county, ()):
                planned.append(Notification(user_id=user, kind=Notification.Kind.ESCALATION,
                                            title=title[:200], body=body, link=link))
    existing = set(Notification.objects.filter(link__in={n.link for n in planned})
                   .values_list("user_id", "kind", "link"))
    new = [n for n in planned if (n.user_id, n.kind, n.link) not in existing]
    Notification.objects.bulk_create(new)
    return {"places_missed": len(found), "notifications": len(new)}


def remind_under_line(*, today: datetime.date) -> dict:
    """Households under the line with no case open: once a month, a reminder to each village's
    keepers with how many (a proposal to verify; nothing is added automatically)."""
    per_village: dict[int, int] = {}
    for _household, village in under_line(Household.objects.all(), today.year):
        per_village[village] = per_village.get(village, 0) + 1
    places = {p.pk: p for p in Region.objects.filter(pk__in=list(per_village))}
    keepers = _keepers(places)
    planned = []
    for village, count in per_village.items():
        link = f"/households/?case_status=none#under-{village}-{today:%Y%m}"
        title = _("%(place)s有 %(n)s 户人均纯收入低于监测标准、尚未纳入监测，请入户核实") % {
            "place": places[village].name, "n": count}
        planned += [Notification(user_id=user, kind=Notification.Kind.REMINDER,
                                 title=title[:200], link=link)
                    for user in keepers.get(village, ())]
    existing = set(Notification.objects.filter(link__in={n.link for n in planned})
                   .values_list("user_id", "link"))
    new = [n for n in planned if (n.user_id, n.link) not in existing]
    Notification.objects.bulk_create(new)
    return {"villages": len(per_village), "notifications": len(new)}
