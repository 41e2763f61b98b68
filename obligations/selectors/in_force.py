"""What a region owes on a date (reads; DESIGN.md §3.3): each measure within its document's
period (obligations.periods)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from obligations.models import (
    Obligation,
    PolicyDocument,
    Region,
    RegionCategory,
    TransitionRule,
)
from obligations.rules import phase_applies


def document_order(document: PolicyDocument) -> tuple:
    """Later documents win: by issue date, else by the year of their 文号."""
    if document.issued_on:
        return (document.issued_on, document.id)
    year = document.issued_year or 1900
    return (datetime.date(year, 1, 1), document.id)


def regions_overlap(a: Region | None, b: Region | None) -> bool:
    return bool(a and b) and (a.path.startswith(b.path) or b.path.startswith(a.path))


def rule_place(rule: TransitionRule) -> str:
    document = rule.obligation.document
    number = f"（{document.doc_number}）" if document.doc_number else ""
    return f"《{document.title}》{number}{rule.obligation.code}"


def region_categories(region: Region, year: int) -> set[str]:
    """The categories of the region's county (itself, or the county above a township)."""
    codes = [c for c in region.path.split("/") if c]
    return set(RegionCategory.objects.filter(
        region__code__in=codes, region__level=Region.Level.COUNTY, year=year,
    ).values_list("category", flat=True))


@dataclass
class InForce:
    obligation: Obligation
    notes: list[str] = field(default_factory=list)


def obligations_in_force(*, region: Region, on: datetime.date) -> list[InForce]:
    """What region R owes on date D: the measures of every document covering R (its own,
    its city's, its province's) that have been issued, whose deadline has not lapsed (a
    measure without its own end runs to its document's period's end), that no close-out
    ended, and whose transition rules include R's county categories that year. Where two
    documents rule differently on one policy, the later one decides."""
    ancestors = [c for c in region.path.split("/") if c]
    day = on.isoformat()
    not_lapsed = Q(deadline__until__gte=day) | (  # 延续至… may run past its period
        Q(deadline__until__isnull=True) & Q(document__period__start__lte=on)
        & (Q(document__period__end__isnull=True) | Q(document__period__end__gte=on)))
    queryset = (
        Obligation.objects.filter(kind=Obligation.Kind.MEASURE, document__region__code__in=ancestors)
        .filter(Q(document__issued_on__isnull=True) | Q(document__issued_on__lte=on))
        # A measure a revised document dropped stops on the day the revision was published.
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        .filter(not_lapsed)
        .select_related("document")
        .prefetch_related("rules")
        .order_by("document__issued_year", "document_id", "position")
    )
    categories = region_categories(region, on.year)
    effective: dict[str, TransitionRule] = {}
    for rule in TransitionRule.objects.filter(
        kind=TransitionRule.Kind.WINDOW, obligation__document__region__code__in=ancestors
    ).select_related("obligation__document"):
        current = effective.get(rule.policy)
        if current is None or document_order(rule.obligation.document) > document_order(
            current.obligation.document
        ):
            effective[rule.policy] = rule
    result = []
    for obligation in queryset:
        notes, applies = [], True
        for rule in obligation.rules.all():
            governing = effective.get(rule.policy, rule)
            if rule.kind == TransitionRule.Kind.MINIMUM:
                notes.append(_("%(policy)s至少维持至%(until)s")
                             % {"policy": rule.policy, "until": rule.phases[-1]["until"]})
                continue
            ok = phase_applies(governing.phases, on=on, categories=categories)
            source = "" if governing.pk == rule.pk else _("（按%(where)s）") % {"where": rule_place(governing)}
            if rule.scope == TransitionRule.Scope.OBLIGATION:
                applies = applies and ok
            notes.append(_("%(policy)s：%(state)s%(source)s") % {
                "policy": rule.policy, "state": _("适用") if ok else _("不适用"), "source": source})
        if applies:
            result.append(InForce(obligation, notes))
    return result

