"""The funds dashboard's figures for one region's subtree (issue 15 item 8), for the pages
(funds/web/dashboards.py) and the API (funds/api/dashboards.py). The caller decides scope: the
region comes from scope.get_dashboard_region_for(user, code), so everything under its path is
the user's to see. A fixed number of grouped queries, whatever the number of projects.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import connections, router
from django.db.models import Count, Sum
from django.utils import timezone

from funds import rules
from funds.models import Allocation, Asset, FundSource, Project, ProjectFunding, Spending
from obligations.models import Region, RegionCategory
from obligations.rules import CATEGORY_LABELS

ZERO = Decimal(0)
# A county holding several categories is shown under the first one here.
COUNTY_TYPES = ["national_key", "provincial_key", "poverty_exit"]
OTHER_COUNTY = "other"
COUNTY_TYPE_LABELS = {**CATEGORY_LABELS, OTHER_COUNTY: "其他县"}
# The dashboard lists the first flags; the flags page (funds/web/rules.py) pages through all.
FLAGS_SHOWN = 50


def months_before(day: datetime.date, months: int) -> datetime.date:
    month = day.year * 12 + day.month - 1 - months
    year, month = divmod(month, 12)
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][month]
    return datetime.date(year, month + 1, min(day.day, last))


def _ratio(part, whole):
    return (part / whole) if whole else None


def _flag_counts(flags) -> list[dict]:
    """How many flags each rule raised, in the rules' order, with the document and clause."""
    counts = defaultdict(int)
    for flag in flags:
        counts[flag.rule] += 1
    return [{"rule": code, "title": rule.title, "document": rules.DOCUMENTS[rule.document],
             "clause": rule.clause, "count": counts[code]}
            for code, rule in rules.RULES.items() if counts[code]]


def _child_of(path: str, children: dict[str, Region]) -> Region | None:
    for child_path, child in children.items():
        if path.startswith(child_path):
            return child
    return None


IDLE_SHOWN = 50


def _idle(under: str, year: int | None, cutoff: datetime.date) -> tuple[list[dict], Decimal]:
    """Money arranged for a project from a source on or before the cut-off and not all spent
    since: the largest IDLE_SHOWN rows and the total. One statement — the spending is summed
    per project and source once (a hash aggregate), not once per funding row."""
    sql = f"""
        SELECT f.project_id, p.code, p.name, r.name, f.source, f.amount, f.allocated_on,
               COALESCE(s.total, 0) AS spent, f.amount - COALESCE(s.total, 0) AS idle,
               SUM(f.amount - COALESCE(s.total, 0)) OVER () AS idle_total
          FROM {ProjectFunding._meta.db_table} f
          JOIN {Project._meta.db_table} p ON p.id = f.project_id
          JOIN {Region._meta.db_table} r ON r.id = p.region_id
          LEFT JOIN (SELECT project_id, source, SUM(amount) AS total
                       FROM {Spending._meta.db_table} GROUP BY project_id, source) s
                 ON s.project_id = f.project_id AND s.source = f.source
         WHERE r.path LIKE %s AND f.allocated_on <= %s AND (%s::int IS NULL OR p.year = %s)
           AND f.amount > COALESCE(s.total, 0)
         ORDER BY idle DESC, p.code, f.source
         LIMIT %s"""
    like = under.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # Where the ORM reads projects from: the replica on a dashboard (config/replica.py).
    with connections[router.db_for_read(Project)].cursor() as cursor:
        cursor.execute(sql, [like, cutoff, year, year, IDLE_SHOWN])
        rows = cursor.fetchall()
    keys = ["project_id", "code", "name", "place", "source", "arranged", "allocated_on",
            "spent", "idle"]
    return [dict(zip(keys, row[:-1], strict=True)) for row in rows], (rows[0][-1] if rows else ZERO)


def summary(region: Region, *, year: int | None = None, today: datetime.date | None = None):
    """Every figure of the page, as plain data (the API returns it as is)."""
    today = today or timezone.localdate()
    under = region.path
    children = {c.path: c for c in Region.objects.filter(parent=region).order_by("path")}
    source_labels = dict(FundSource.choices)

    # Allocations received by the counties of the subtree, by source and by county type.
    allocations = Allocation.objects.filter(to_region__path__startswith=under,
                                            to_region__level=Region.Level.COUNTY)
    if year:
        allocations = allocations.filter(year=year)
    rows = list(allocations.values("to_region", "year", "source").annotate(total=Sum("amount")))
    held = defaultdict(set)
    for region_id, y, category in RegionCategory.objects.filter(
            region_id__in={r["to_region"] for r in rows}).values_list("region_id", "year",
                                                                         "category"):
        held[region_id, y].add(category)
    by_source, by_type = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for row in rows:
        by_source[row["year"], row["source"]] += row["total"]
        categories = held.get((row["to_region"], row["year"]), set())
        kind = next((c for c in COUNTY_TYPES if c in categories), OTHER_COUNTY)
        by_type[row["year"], kind] += row["total"]

    projects = Project.objects.filter(region__path__startswith=under)
    if year:
        projects = projects.filter(year=year)
    fundings = ProjectFunding.objects.filter(project__in=projects)

    # Industry share by year (衔接资金 proper, as the rule reads it).
    industry = defaultdict(lambda: [ZERO, ZERO])
    for row in (fundings.filter(source__in=rules.LINKAGE_SOURCES)
                .values("project__year", "project__counts_as_industry")
                .annotate(total=Sum("amount"))):
        cell = industry[row["project__year"]]
        cell[1] += row["total"]
        if row["project__counts_as_industry"]:
            cell[0] += row["total"]

    status_labels = dict(Project.Status.choices)
    counts = dict(projects.values("status").annotate(n=Count("id")).values_list("status", "n"))
    money = dict(fundings.values("project__status").annotate(total=Sum("amount"))
                 .values_list("project__status", "total"))

    # Spending progress per child region (and in total): spent / arranged.
    arranged = defaultdict(lambda: ZERO)
    for path, total in (fundings.values("project__region__path").annotate(total=Sum("amount"))
                        .values_list("project__region__path", "total")):
        arranged[path] += total
    spent = defaultdict(lambda: ZERO)
    for path, total in (Spending.objects.filter(project__in=projects)
                        .values("project__region__path").annotate(total=Sum("amount"))
                        .values_list("project__region__path", "total")):
        spent[path] += total
    progress = defaultdict(lambda: [ZERO, ZERO])
    for paths, index in ((arranged, 0), (spent, 1)):
        for path, total in paths.items():
            child = _child_of(path, children)
            progress[child.pk if child else region.pk][index] += total
    names = {region.pk: region, **{c.pk: c for c in children.values()}}

    # Idle money: arranged before the cut-off and not all spent since (per project and source).
    months = settings.FUNDS_IDLE_MONTHS
    cutoff = months_before(today, months)
    idle, idle_total = _idle(under, year, cutoff)

    assets = (Asset.objects.filter(region__path__startswith=under)
              .values("kind", "owner").annotate(n=Count("id"), value=Sum("value"))
              .order_by("kind", "owner"))
    kind_labels = dict(Asset.Kind.choices)

    flags = rules.check_all(years=[year] if year else None,
                            regions=Region.objects.filter(path__startswith=under))
    total_arranged = sum(arranged.values(), ZERO)
    total_spent = sum(spent.values(), ZERO)
    return {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "year": year,
        "allocation_by_source": [
            {"year": y, "source": s, "label": source_labels[s], "amount": a}
            for (y, s), a in sorted(by_source.items())],
        "allocation_by_county_type": [
            {"year": y, "county_type": k, "label": COUNTY_TYPE_LABELS[k], "amount": a}
            for (y, k), a in sorted(by_type.items())],
        "industry_share": [
            {"year": y, "industry": i, "total": t, "share": _ratio(i, t)}
            for y, (i, t) in sorted(industry.items())],
        "pipeline": [
            {"status": s, "label": status_labels[s], "projects": counts.get(s, 0),
             "amount": money.get(s, ZERO)}
            for s in Project.Status.values if counts.get(s)],
        "spending": {
            "arranged": total_arranged, "spent": total_spent,
            "progress": _ratio(total_spent, total_arranged),
            "by_region": [
                {"code": names[pk].code, "name": names[pk].name, "arranged": a, "spent": s,
                 "progress": _ratio(s, a), "drill": pk != region.pk}
                for pk, (a, s) in sorted(progress.items(), key=lambda i: names[i[0]].path)],
        },
        "idle": {
            "months": months, "cutoff": cutoff, "amount": idle_total,
            "projects": [dict(r, label=source_labels[r["source"]]) for r in idle],
        },
        "assets": [
            {"kind": a["kind"], "label": kind_labels[a["kind"]], "owner": a["owner"],
             "count": a["n"], "value": a["value"]} for a in assets],
        "flag_total": len(flags),
        "flag_counts": _flag_counts(flags),
        "flags": [f.as_dict() for f in flags[:FLAGS_SHOWN]],
        "children": [{"code": c.code, "name": c.name} for c in children.values()],
    }
