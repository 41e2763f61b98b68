"""Scoped reads of the funds tables, for pages, the API and exports. Scope comes from
obligations.selectors.scope (the one scope layer): a project, an asset, a spending row or an
allocation is seen by the people of its region and of the regions above it that they work in
(a county's officials and supervisors see the county's projects; a township's its own; the
city its counties'; never a sibling county's)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

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


def in_region(queryset, code: str, field: str = "region"):
    """Rows whose `field` region is the region with this code or lies under it."""
    return queryset.filter(Q(**{f"{field}__path__startswith": f"{code}/"})
                           | Q(**{f"{field}__path__contains": f"/{code}/"}))


def filter_projects(queryset, *, q="", year=None, status="", category="", region=""):
    """The project library's filters, for the page, the API and the export alike."""
    if q:
        queryset = queryset.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if year:
        queryset = queryset.filter(year=year)
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if region:
        queryset = in_region(queryset, region)
    return queryset


def filter_assets(queryset, *, q="", kind="", status="", region=""):
    """The asset ledger's filters, for the page and the API alike."""
    if q:
        queryset = queryset.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    if region:
        queryset = in_region(queryset, region)
    return queryset


def allocations_visible_to(user) -> QuerySet[Allocation]:
    """Money that reached the user's regions (what a county received, what the city gave)."""
    if not user.is_authenticated:
        return Allocation.objects.none()
    return Allocation.objects.filter(to_region__in=_regions(user))


# Who may take which step of a project's workflow (funds/services/projects.py holds the moves
# table; this is the role check). A step is named by the status it leads to; 退回 is taken by
# whoever reviews the project's current status. Leaders only read.
_REVIEWER_OF = {  # the status a project is in → the review step that follows it
    Project.Status.DECLARED: Project.Status.TOWNSHIP_REVIEWED,
    Project.Status.TOWNSHIP_REVIEWED: Project.Status.COUNTY_APPROVED,
    Project.Status.COUNTY_APPROVED: Project.Status.IN_LIBRARY,
}
_COUNTY_STEPS = {Project.Status.COUNTY_APPROVED, Project.Status.IN_LIBRARY,
                 Project.Status.PLANNED, Project.Status.ACCEPTED, Project.Status.HANDED_OVER,
                 Project.Status.EVALUATED}


def _role_paths(user) -> list[tuple[str, str]]:
    """(role, region path) of the user's memberships (obligations.selectors.scope)."""
    return [(role, path) for role in (scope.OFFICIAL, scope.SUPERVISOR, scope.LEADER)
            for path in scope.paths_of(user, {role})]


def _covers(user, region, role_set) -> bool:
    return scope.covers(user, region, role_set)


def can_take(user, project: Project, step: str) -> bool:
    """Whether the user may move the project to `step` (a Project.Status): 申报 by an official
    of the place (village, township or county); 乡镇审核 by the township's own people (the
    county's supervisor for a county-level project); 县级论证审定, 入库, 纳入年度计划, 验收,
    资产移交 and 绩效评价 by a supervisor of the county (or above) the project lies in; 实施 by
    the place's officials or that supervisor; 退回 by whoever reviews the current status.
    Never a sibling county's people; administrators may take every step."""
    if not user.is_authenticated:
        return False
    if scope.is_admin(user):
        return True
    Status = Project.Status
    if step == Status.RETURNED:
        review = _REVIEWER_OF.get(project.status)
        return review is not None and can_take(user, project, review)
    region = project.region
    if step == Status.DECLARED:
        return _covers(user, region, {scope.OFFICIAL})
    if step == Status.TOWNSHIP_REVIEWED:
        township = scope.township_path(region)
        if township is None:
            return _covers(user, region, {scope.SUPERVISOR})
        return any(role in {scope.OFFICIAL, scope.SUPERVISOR} and path == township
                   for role, path in _role_paths(user))
    if step == Status.IMPLEMENTING:
        return _covers(user, region, {scope.OFFICIAL, scope.SUPERVISOR})
    if step in _COUNTY_STEPS:
        return _covers(user, region, {scope.SUPERVISOR})
    return False


def can_fund(user, project: Project) -> bool:
    """资金安排 is the county's decision: its supervisors (and administrators)."""
    return user.is_authenticated and (scope.is_admin(user)
                                      or _covers(user, project.region, {scope.SUPERVISOR}))


def can_record_spending(user, project: Project) -> bool:
    """支出 is recorded by the place's officials (the implementing side) or the supervisor."""
    return user.is_authenticated and (scope.is_admin(user) or _covers(
        user, project.region, {scope.OFFICIAL, scope.SUPERVISOR}))


def can_manage_assets(user, region) -> bool:
    """Registering and disposing of assets: the county's supervisors and administrators."""
    return user.is_authenticated and (scope.is_admin(user)
                                      or _covers(user, region, {scope.SUPERVISOR}))


def can_record_income(user, region) -> bool:
    """Income of an asset: the place's officials (the collective's side) or the supervisor."""
    return user.is_authenticated and (scope.is_admin(user) or _covers(
        user, region, {scope.OFFICIAL, scope.SUPERVISOR}))


def can_declare(user) -> bool:
    """Whether the user may declare projects somewhere (an official, or an administrator)."""
    return user.is_authenticated and (scope.is_admin(user) or any(
        role == scope.OFFICIAL for role, _ in _role_paths(user)))


def declarable_regions(user):
    """Places the user may declare a project in: counties, townships and villages in reach."""
    from obligations.models import Region

    levels = [Region.Level.COUNTY, Region.Level.TOWNSHIP, Region.Level.VILLAGE]
    if scope.is_admin(user):
        return Region.objects.filter(level__in=levels)
    condition = Q(pk__in=[])
    for role, path in _role_paths(user):
        if role == scope.OFFICIAL:
            condition |= Q(path__startswith=path)
    return Region.objects.filter(condition, level__in=levels)


def supervised_regions(user):
    """The places the user supervises (a county's supervisor: the county and all in it); all
    regions for an administrator. The 结转 of unfunded projects is theirs."""
    from obligations.models import Region

    if not user.is_authenticated:
        return Region.objects.none()
    if scope.is_admin(user):
        return Region.objects.all()
    condition = Q(pk__in=[])
    for role, path in _role_paths(user):
        if role == scope.SUPERVISOR:
            condition |= Q(path__startswith=path)
    return Region.objects.filter(condition)


def can_roll_over(user) -> bool:
    return user.is_authenticated and (scope.is_admin(user) or any(
        role == scope.SUPERVISOR for role, _ in _role_paths(user)))
