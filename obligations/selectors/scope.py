"""Who may see and do what: the one place scope is decided (STYLE.md "Scope").

A user holds memberships (unit + role). An official (填报人) works on the tasks of
their units; a supervisor (审核人) reviews, and a leader (领导) reads, everything in
the region subtree of their membership; an administrator (管理员, or a superuser)
sees all. Every page, action, export and API starts from these functions; a task
that exists but is out of scope is answered exactly like one that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from obligations.models import Membership, ProgressReport, Task

OFFICIAL, SUPERVISOR, LEADER, ADMIN = (
    Membership.Role.OFFICIAL,
    Membership.Role.SUPERVISOR,
    Membership.Role.LEADER,
    Membership.Role.ADMIN,
)


def roles(user) -> set[str]:
    """The user's roles, read once per request (cached on the user object)."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_obligation_roles"):
        user._obligation_roles = set(user.memberships.values_list("role", flat=True))
        if user.is_superuser:
            user._obligation_roles.add(ADMIN)
    return user._obligation_roles


def is_admin(user) -> bool:
    return ADMIN in roles(user)


def _paths(user, role_set=None) -> list[str]:
    """Region paths the user's memberships cover (their region, else their unit's region)."""
    if not hasattr(user, "_obligation_paths"):
        user._obligation_paths = [
            (role, region_path or unit_path)
            for role, region_path, unit_path in user.memberships.values_list(
                "role", "region__path", "unit__region__path")
            if region_path or unit_path
        ]
    return [path for role, path in user._obligation_paths if role_set is None or role in role_set]


def paths_of(user, role_set=None) -> list[str]:
    """The region paths the user's memberships (of these roles) cover; [] when signed out."""
    return _paths(user, role_set) if user.is_authenticated else []


def covers(user, region, role_set) -> bool:
    """Whether one of the user's memberships of these roles covers the region (is it or above
    it): the role check of the modules' steps (funds, households)."""
    return any(region.path.startswith(path) for path in paths_of(user, role_set))


def township_path(region) -> str | None:
    """The path of the township the region lies in (or is), None above township level."""
    from obligations.models import Region

    if not hasattr(region, "_township_path") and region.level == Region.Level.TOWNSHIP:
        region._township_path = region.path
    parent = region.parent if Region.parent.is_cached(region) else None
    if not hasattr(region, "_township_path") and parent is not None:
        # a village with its parent loaded (select_related): no query
        if parent.level == Region.Level.TOWNSHIP:
            region._township_path = parent.path
        elif region.level == Region.Level.VILLAGE:
            region._township_path = None
    if not hasattr(region, "_township_path"):
        prefixes = ["/".join(region.path.split("/")[:i]) + "/"
                    for i in range(1, region.path.count("/") + 1)]
        region._township_path = (Region.objects.filter(path__in=prefixes,
                                                       level=Region.Level.TOWNSHIP)
                                 .values_list("path", flat=True).first())
    return region._township_path


def _under(field: str, paths: list[str]) -> Q:
    """Rows whose region path lies under one of the paths: a prefix match on the region tree."""
    condition = Q(pk__in=[])
    for path in set(paths):
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def _above_or_under(field: str, paths: list[str]) -> Q:
    ancestors = {"/".join(p.split("/")[:i]) + "/" for p in paths for i in range(1, p.count("/"))}
    return _under(field, paths) | Q(**{f"{field}__in": sorted(ancestors)})


def tasks_visible_to(user) -> QuerySet[Task]:
    if not user.is_authenticated:
        return Task.objects.none()
    if is_admin(user):
        return Task.objects.all()
    own_units = Membership.objects.filter(user=user, unit__isnull=False).values("unit")
    return Task.objects.filter(
        Q(unit__in=own_units) | _under("unit__region__path", _paths(user, [SUPERVISOR, LEADER])))


def get_task_for(user, task_id) -> Task:
    """The task, or 404 whether it does not exist or is not the user's to see."""
    try:
        return tasks_visible_to(user).select_related(
            "unit__region", "obligation__document__period", "obligation__parent"
        ).get(pk=task_id)
    except (Task.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def peer_tasks_of(task: Task) -> QuerySet[Task]:
    """The other units' tasks on the same measure, shown beside the user's own (the lead
    coordinates its supporters): only those within the task's own county — or, for a task of
    a city or province unit, its own region — so a measure every county carries never shows
    one county another's units, statuses or reports. The task is one get_task_for gave."""
    from obligations.models import Region

    path = task.unit.region.path
    prefixes = ["/".join(path.split("/")[:i]) + "/" for i in range(1, path.count("/") + 1)]
    home = (Region.objects.filter(path__in=prefixes)
            .exclude(level__in=[Region.Level.TOWNSHIP, Region.Level.VILLAGE])
            .order_by("-path").values_list("path", flat=True).first()) or path
    return Task.objects.filter(obligation_id=task.obligation_id,
                               unit__region__path__startswith=home).exclude(pk=task.pk)


def can_report_on(user, task: Task, client=None) -> bool:
    """Only the task's own unit reports on it: an official of that unit, or a token (`client`,
    the request's ApiClient) that may write and was given that unit by name."""
    if client is not None:
        return client.can_write and client.units.filter(pk=task.unit_id).exists()
    return user.is_authenticated and user.memberships.filter(unit_id=task.unit_id,
                                                             role=OFFICIAL).exists()


def reports_reviewable_by(user) -> QuerySet[ProgressReport]:
    """Reports in the supervisor's region subtree, never the supervisor's own."""
    if not user.is_authenticated:
        return ProgressReport.objects.none()
    reports = ProgressReport.objects.exclude(submitted_by=user)
    if is_admin(user):
        return reports
    supervised = [p for role, p in _membership_regions(user) if role == SUPERVISOR]
    return reports.filter(_under("task__unit__region__path", supervised))


def reports_visible_to(user) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(task__in=tasks_visible_to(user))


def evidence_visible_to(user):
    """Files of the user's own units, and files backing reports the user may see."""
    from obligations.models import Evidence

    if not user.is_authenticated:
        return Evidence.objects.none()
    own_units = Membership.objects.filter(user=user, unit__isnull=False).values("unit")
    return Evidence.objects.filter(
        Q(unit__in=own_units) | Q(reports__in=reports_visible_to(user))).distinct()


def can_review(user) -> bool:
    return bool(roles(user) & {SUPERVISOR, ADMIN})


def _membership_regions(user) -> list[tuple[str, str]]:
    """(role, region path) of memberships that name a region (supervisors, leaders, clients)."""
    if not hasattr(user, "_obligation_regions"):
        user._obligation_regions = [
            (role, path) for role, path in user.memberships.filter(region__isnull=False)
            .values_list("role", "region__path")]
    return user._obligation_regions


def regions_visible_to(user):
    from obligations.models import Region

    if is_admin(user):
        return Region.objects.all()
    return Region.objects.filter(_above_or_under("path", _paths(user)))


def work_regions_of(user):
    """The regions a user works in, with everything below them: their memberships' regions
    (a supervisor's or leader's region, an official's unit's region). Modules whose records
    belong to a place and are kept by the people of that place (funds' project library and
    asset ledger) start from here; officials included, unlike the dashboards."""
    from obligations.models import Region

    if is_admin(user):
        return Region.objects.all()
    return Region.objects.filter(_under("path", _paths(user)))


def units_visible_to(user):
    from obligations.models import Unit

    if is_admin(user):
        return Unit.objects.all()
    return Unit.objects.filter(_under("region__path", _paths(user)))


def documents_visible_to(user):
    """Documents that apply to the user's regions: issued above them or within them."""
    from obligations.models import PolicyDocument

    if is_admin(user):
        return PolicyDocument.objects.all()
    return PolicyDocument.objects.filter(region__isnull=False).filter(
        _above_or_under("region__path", _paths(user)))


def obligations_visible_to(user):
    from obligations.models import Obligation

    return Obligation.objects.filter(document__in=documents_visible_to(user))


# Dashboards (issue 8): leaders, supervisors and administrators read them, each over their
# region subtree only (never the ancestors regions_visible_to adds for context). Officials
# work from their task list and do not get region-wide figures.
DASHBOARD_ROLES = {SUPERVISOR, LEADER, ADMIN}


def can_see_dashboards(user) -> bool:
    return bool(roles(user) & DASHBOARD_ROLES)


def _dashboard_paths(user) -> list[str]:
    """Region paths at the top of the user's dashboards, nested ones dropped."""
    paths = sorted(set(_paths(user, [SUPERVISOR, LEADER])))
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def dashboard_roots(user):
    """The regions a user's dashboards start from: each province for an administrator."""
    from obligations.models import Region

    if not can_see_dashboards(user):
        return Region.objects.none()
    if is_admin(user):
        return Region.objects.filter(parent__isnull=True).order_by("path")
    return Region.objects.filter(path__in=_dashboard_paths(user)).order_by("path")


def dashboard_regions_visible_to(user):
    """Regions a dashboard may show: the subtree of the user's dashboard roots."""
    from obligations.models import Region

    if not can_see_dashboards(user):
        return Region.objects.none()
    if is_admin(user):
        return Region.objects.all()
    return Region.objects.filter(_under("path", _dashboard_paths(user)))


def dashboard_scope_key(user) -> str:
    """What dashboard_regions_visible_to and dashboard_units_visible_to depend on, as a short
    string: two users with the same key see the same regions and units (a cache key part)."""
    import hashlib

    if not can_see_dashboards(user):
        return "none"
    if is_admin(user):
        return "all"
    return hashlib.sha256("|".join(_dashboard_paths(user)).encode()).hexdigest()[:32]


def dashboard_units_visible_to(user):
    from obligations.models import Unit

    if not can_see_dashboards(user):
        return Unit.objects.none()
    if is_admin(user):
        return Unit.objects.all()
    return Unit.objects.filter(_under("region__path", _dashboard_paths(user)))


def dashboard_tasks_visible_to(user) -> QuerySet[Task]:
    if not can_see_dashboards(user):
        return Task.objects.none()
    if is_admin(user):
        return Task.objects.all()
    return Task.objects.filter(_under("unit__region__path", _dashboard_paths(user)))


def dashboard_documents_visible_to(user):
    """Documents issued within the user's dashboard subtree (their figures are all theirs)."""
    from obligations.models import PolicyDocument

    if not can_see_dashboards(user):
        return PolicyDocument.objects.none()
    if is_admin(user):
        return PolicyDocument.objects.all()
    return PolicyDocument.objects.filter(_under("region__path", _dashboard_paths(user)))


def get_dashboard_region_for(user, code):
    """The region, or 404 whether it does not exist or lies outside the user's subtree."""
    from obligations.models import Region

    code = str(code)
    if "\x00" in code:  # PostgreSQL refuses NUL in a string: no such region
        raise Http404
    try:
        return dashboard_regions_visible_to(user).select_related("parent").get(code=code)
    except Region.DoesNotExist as exc:
        raise Http404 from exc


def get_dashboard_unit_for(user, unit_id):
    from obligations.models import Unit

    try:
        return dashboard_units_visible_to(user).select_related("region").get(pk=unit_id)
    except (Unit.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_import_lists(user) -> bool:
    """Importing a 责任清单 rewrites the register: administrators only."""
    return user.is_authenticated and is_admin(user)


def list_imports_visible_to(user):
    from obligations.models import ListImport

    if not can_import_lists(user):
        return ListImport.objects.none()
    return ListImport.objects.all()


def can_upload_documents(user) -> bool:
    """Publishing a document creates obligations and tasks for every unit it names, across
    a county or a province: administrators only. (A county's officials would only ever need
    their own county's documents, but one wrong upload creates work for units they don't
    manage; the county's 农办 sends its documents to the administrator instead.)"""
    return user.is_authenticated and is_admin(user)


def document_uploads_visible_to(user):
    from obligations.models import DocumentUpload

    if not can_upload_documents(user):
        return DocumentUpload.objects.none()
    return DocumentUpload.objects.all()


# Close-out (issue 23): a supervisor (the county's 农办/农业农村局) or an administrator records
# what became of the ended period's tasks of the units in their region.
def can_dispose(user) -> bool:
    return bool(roles(user) & {SUPERVISOR, ADMIN})


def tasks_supervised_by(user) -> QuerySet[Task]:
    """Tasks of units in the user's supervised regions (every task for an administrator)."""
    if not can_dispose(user):
        return Task.objects.none()
    if is_admin(user):
        return Task.objects.all()
    return Task.objects.filter(_under("unit__region__path", _paths(user, [SUPERVISOR])))


def tasks_disposable_by(user) -> QuerySet[Task]:
    """Tasks whose period has ended, of units in the user's supervised regions."""
    return tasks_supervised_by(user).filter(live=False)
