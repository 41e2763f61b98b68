"""Who sees which household, who takes which step, who may see personal data in full.

Scope comes from obligations.selectors.scope (the one scope layer): a household is seen by
the people of its village and of the regions above it they work in (the village's official,
the township, the county's supervisor, the city's leader), never by a sibling's. Personal data
is masked for everyone; the full value is shown only to a supervisor of the household's county
(or above) and an administrator, with a reason, each time written to the audit log
(households/services/members.py).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from households.models import Case, Household
from households.procedure import template_for
from obligations.selectors import scope

Status = Case.Status
VILLAGE_STEPS = {Status.VERIFIED, Status.PUBLICIZED, Status.PROPOSED_ELIMINATION}
COUNTY_STEPS = {Status.COMPARED, Status.MONITORING, Status.ELIMINATED}


def households_visible_to(user) -> QuerySet[Household]:
    if not user.is_authenticated:
        return Household.objects.none()
    return Household.objects.filter(region__in=scope.work_regions_of(user).values("pk"))


def cases_visible_to(user) -> QuerySet[Case]:
    return Case.objects.filter(household__in=households_visible_to(user))


def can_work_with_households(user) -> bool:
    """The households pages: officials and supervisors (who keep and review the records) and
    administrators. Leaders read the dashboards' counts, not the households."""
    return user.is_authenticated and (scope.is_admin(user) or bool(
        scope.paths_of(user, {scope.OFFICIAL, scope.SUPERVISOR})))


def registrable_villages(user):
    """The villages the user may register households in."""
    from obligations.models import Region

    villages = Region.objects.filter(level=Region.Level.VILLAGE)
    if scope.is_admin(user):
        return villages
    paths = scope.paths_of(user, {scope.OFFICIAL, scope.SUPERVISOR})
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path)
    return villages.filter(condition)


def can_register(user, region) -> bool:
    """Households and their members are registered by the village's (or township's) officials
    and the county's supervisor."""
    return user.is_authenticated and (scope.is_admin(user) or scope.covers(
        user, region, {scope.OFFICIAL, scope.SUPERVISOR}))


def can_unmask(user, household: Household) -> bool:
    """The full 身份证号, phone or bank account: a supervisor of the county or above (not of a
    township), or an administrator. Officials and leaders see masked values only."""
    if not user.is_authenticated:
        return False
    if scope.is_admin(user):
        return True
    township = scope.township_path(household.region)
    return any(household.region.path.startswith(path)
               and not (township and path.startswith(township))
               for path in scope.paths_of(user, {scope.SUPERVISOR}))


def _local_official(user, region) -> bool:
    """An official of the village or of its township (入户核实 and 公示 are theirs, not a
    county department's)."""
    floor = scope.township_path(region) or region.path
    return any(region.path.startswith(path) and path.startswith(floor)
               for path in scope.paths_of(user, {scope.OFFICIAL}))


def can_take(user, case: Case, step: str) -> bool:
    """入户核实, 民主评议和公示, 拟消除风险: the officials of the village or its township; 乡镇审核: the township's
    officials and supervisors; 部门信息比对, 县级审定 (→ 监测帮扶中), 已消除风险: a supervisor of
    the county or above; 退回 and 不予纳入: whoever reviews the current status; returned cases
    are verified again by the village. Administrators may take every step."""
    if not user.is_authenticated:
        return False
    if scope.is_admin(user):
        return True
    region = case.household.region
    if step in (Status.RETURNED, Status.REJECTED):
        review = template_for(region).review_of.get(case.status)
        return review is not None and can_take(user, case, review)
    if step in VILLAGE_STEPS:
        return _local_official(user, region)
    if step == Status.TOWNSHIP_REVIEWED:
        township = scope.township_path(region)
        return township is not None and any(
            path == township for path in scope.paths_of(user, {scope.OFFICIAL,
                                                                scope.SUPERVISOR}))
    if step in COUNTY_STEPS:
        return scope.covers(user, region, {scope.SUPERVISOR})
    return False


def can_open_case(user, household: Household) -> bool:
    return can_register(user, household.region)


def can_plan_measures(user, case: Case) -> bool:
    """一户一策 is drawn up by the village's officials and the county's supervisors."""
    return can_register(user, case.household.region)


def units_for_measures(user, case: Case):
    """The units a measure may name as responsible: those of the household's county."""
    from obligations.models import Region, Unit

    county = (Region.objects.filter(level=Region.Level.COUNTY,
                                    path__in=[case.household.region.path[:i + 1] for i, ch
                                              in enumerate(case.household.region.path)
                                              if ch == "/"]).first())
    if county is None:
        return Unit.objects.none()
    return Unit.objects.filter(region__path__startswith=county.path).order_by("region__path",
                                                                             "name")


def round_paths(user) -> list[str] | None:
    """The region paths whose screening rounds the user sees (None: all, for administrators)."""
    if scope.is_admin(user):
        return None
    return scope.paths_of(user, {scope.OFFICIAL, scope.SUPERVISOR})


def can_record_round(user, kind: str, place) -> bool:
    """村每月摸排: the village's (or township's) officials; 乡镇每季度审核: the township's officials
    and supervisors; the sector departments' rounds: a supervisor of the county."""
    if not user.is_authenticated:
        return False
    if scope.is_admin(user):
        return True
    if kind == "village_monthly":
        return _local_official(user, place)
    if kind == "township_quarterly":
        return any(path == place.path for path in scope.paths_of(
            user, {scope.OFFICIAL, scope.SUPERVISOR}))
    return scope.covers(user, place, {scope.SUPERVISOR})
