"""The monitoring dashboard's figures for one region's subtree (issue 16 item 7): counts only,
never a person — leaders read it. A fixed number of grouped queries whatever the number of
households: cases pending at each step with their age, monitored households by category, risk
and child region, new and eliminated per month, places that missed a round, households under
the line and not monitored, and the checks' counts."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth

from households import checks, rounds
from households.lines import under_line
from households.models import Case, Household
from obligations.models import Region

MONITORED = [Case.Status.MONITORING, Case.Status.PROPOSED_ELIMINATION]
PENDING = [Case.Status.CLUE, Case.Status.VERIFIED, Case.Status.COMPARED,
           Case.Status.PUBLICIZED, Case.Status.TOWNSHIP_REVIEWED, Case.Status.RETURNED,
           Case.Status.PROPOSED_ELIMINATION]


def _child_of(path: str, children: list[Region]) -> Region | None:
    return next((c for c in children if path.startswith(c.path)), None)


def summary(region: Region, *, today: datetime.date) -> dict:
    households = Household.objects.filter(region__path__startswith=region.path)
    cases = Case.objects.filter(household__in=households.values("pk"))
    children = list(Region.objects.filter(parent=region).order_by("path"))
    labels = dict(Case.Status.choices)

    pending = []
    for row in (cases.filter(status__in=PENDING).values("status")
                .annotate(n=Count("pk"), oldest=Min("opened_on"))):
        pending.append({"status": row["status"], "label": labels[row["status"]],
                        "count": row["n"], "oldest_days": (today - row["oldest"]).days})
    pending.sort(key=lambda r: PENDING.index(r["status"]))

    monitored = cases.filter(status__in=MONITORED)
    by_category = [{"label": dict(Case.Category.choices)[r["category"]], "count": r["n"]}
                   for r in monitored.values("category").annotate(n=Count("pk"))
                   .order_by("-n", "category")]
    by_risk = [{"label": dict(Case.Risk.choices)[r["risk"]], "count": r["n"]}
               for r in monitored.values("risk").annotate(n=Count("pk")).order_by("-n", "risk")]
    per_place = defaultdict(lambda: {"monitored": 0, "eliminated": 0, "households": 0})
    for path, status, n in (cases.filter(status__in=[*MONITORED, Case.Status.ELIMINATED])
                            .values_list("household__region__path", "status")
                            .annotate(n=Count("pk"))):
        child = _child_of(path, children)
        key = child.pk if child else region.pk
        per_place[key]["eliminated" if status == Case.Status.ELIMINATED else "monitored"] += n
    for path, n in households.values_list("region__path").annotate(n=Count("pk")):
        child = _child_of(path, children)
        per_place[child.pk if child else region.pk]["households"] += n
    names = {region.pk: region, **{c.pk: c for c in children}}
    by_region = [{"code": names[k].code, "name": names[k].name, "drill": k != region.pk, **v}
                 for k, v in sorted(per_place.items(), key=lambda i: names[i[0]].path)]

    since = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    months = defaultdict(lambda: {"new": 0, "eliminated": 0})
    for field, key in (("confirmed_on", "new"), ("eliminated_on", "eliminated")):
        for month, n in (cases.filter(**{f"{field}__gte": since})
                         .annotate(m=TruncMonth(field)).values_list("m").annotate(n=Count("pk"))):
            months[month][key] += n
    per_month = [{"month": m, **v} for m, v in sorted(months.items())]

    under = len(under_line(households, today.year))  # proposals for a person to decide

    found_rounds = rounds.rounds_for([region.path], today)
    missed = [r for r in found_rounds if r.missed]
    flag_counts = defaultdict(int)
    for flag in checks.flags_for(households):
        flag_counts[flag.check] += 1
    totals = cases.aggregate(monitored=Count("pk", filter=Q(status__in=MONITORED)),
                             eliminated=Count("pk", filter=Q(status=Case.Status.ELIMINATED)))
    return {
        "region": region, "households": households.count(), "totals": totals,
        "pending": pending, "by_category": by_category, "by_risk": by_risk,
        "by_region": by_region, "per_month": per_month, "under_line_not_monitored": under,
        "missed_rounds": missed, "rounds_places": len(found_rounds),
        "flags": [{"code": code, "title": c.title, "clause": c.clause,
                   "count": flag_counts[code]} for code, c in checks.CHECKS.items()],
    }
