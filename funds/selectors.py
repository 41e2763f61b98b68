"""Scoped reads of the funds tables, for pages, the API and exports. Scope comes from
obligations.selectors.scope (the one scope layer): a project, an asset, a spending row or an
allocation is seen by the people of its region and of the regions above it that they work in
(a county's officials and supervisors see the county's projects; a township's its own; the
city its counties'; never a sibling county's)."""

from __future__ import annotations

from django.db.models import QuerySet

from funds.models import Allocation, Asset, Project, Spending
from obligations.selectors import scope


def _regions(user):
    return scope.work_regions_of(user).values("pk")


def projects_visible_to(user) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(region__in=_regions(user))


def assets_visible_to(user) -> QuerySet[Asset]:
    if not user.is_authenticated:
        return Asset.objects.none()
    return Asset.objects.filter(region__in=_regions(user))


def spendings_visible_to(user) -> QuerySet[Spending]:
    return Spending.objects.filter(project__in=projects_visible_to(user))


def allocations_visible_to(user) -> QuerySet[Allocation]:
    """Money that reached the user's regions (what a county received, what the city gave)."""
    if not user.is_authenticated:
        return Allocation.objects.none()
    return Allocation.objects.filter(to_region__in=_regions(user))
