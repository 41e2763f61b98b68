"""Who may see and do what: the one place scope is decided (STYLE.md "Scope").

A user holds memberships (unit + role). An official (填报人) works on the tasks of
their units; a supervisor (审核人) reviews, and a leader (领导) reads, everything in
the region subtree of their membership; an administrator (管理员, or a superuser)
sees all. Every page, action, export and API starts from these functions; a task
that exists but is out of scope is answered exactly like one that does not exist.
"""

from __future__ import annotations

from django.db.models import CharField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.http import Http404

from .models import Membership, ProgressReport, Task

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


def _region_scope(user, role_set, unit_path: str):
    """Exists(a membership of the user, with one of the roles, whose region contains the unit)."""
    return Exists(
        Membership.objects.filter(user=user, role__in=role_set, region__isnull=False)
        .annotate(unit_path=ExpressionWrapper(OuterRef(unit_path), output_field=CharField()))
        .filter(unit_path__startswith=F("region__path"))
    )


def _own_unit(user, role_set, unit_field: str):
    return Exists(
        Membership.objects.filter(user=user, role__in=role_set, unit=OuterRef(unit_field))
    )


def tasks_visible_to(user) -> QuerySet[Task]:
    if not user.is_authenticated:
        return Task.objects.none()
    if is_admin(user):
        return Task.objects.all()
    return Task.objects.filter(
        _own_unit(user, [OFFICIAL, SUPERVISOR, LEADER], "unit")
        | _region_scope(user, [SUPERVISOR, LEADER], "unit__region__path")
    )


def get_task_for(user, task_id) -> Task:
    """The task, or 404 whether it does not exist or is not the user's to see."""
    try:
        return tasks_visible_to(user).select_related(
            "unit__region", "obligation__document", "obligation__parent"
        ).get(pk=task_id)
    except (Task.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def can_report_on(user, task: Task) -> bool:
    """Only the task's own unit reports on it (an official of that unit)."""
    return user.is_authenticated and user.memberships.filter(unit_id=task.unit_id,
                                                             role=OFFICIAL).exists()


def reports_reviewable_by(user) -> QuerySet[ProgressReport]:
    """Reports in the supervisor's region subtree, never the supervisor's own."""
    if not user.is_authenticated:
        return ProgressReport.objects.none()
    reports = ProgressReport.objects.exclude(submitted_by=user)
    if is_admin(user):
        return reports
    return reports.filter(_region_scope(user, [SUPERVISOR], "task__unit__region__path"))


def reports_visible_to(user) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(task__in=tasks_visible_to(user))


def can_review(user) -> bool:
    return bool(roles(user) & {SUPERVISOR, ADMIN})


def task_filter_for_units(user) -> Q:
    """Tasks of the user's own units (for "我的任务" of an official)."""
    return Q(unit__memberships__user=user)
