"""Scoped reads of monitoring's tables (summaries, assessment), for pages and the API.

Scope comes from obligations.selectors.scope (the one scope layer); the rule "non-administrators
see published assessment years only" lives here, once.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from monitoring.models import AssessmentResult, AssessmentYear, ProgressSummary
from obligations.models import Obligation
from obligations.selectors import scope


def assessment_years_visible_to(user) -> QuerySet[AssessmentYear]:
    """All years for an administrator, else only published ones: published results feed
    promotion decisions; a draft is still being computed and checked."""
    if not user.is_authenticated:
        return AssessmentYear.objects.none()
    if scope.is_admin(user):
        return AssessmentYear.objects.all()
    return AssessmentYear.objects.filter(status=AssessmentYear.Status.PUBLISHED)


def assessment_results_visible_to(user) -> QuerySet[AssessmentResult]:
    """Results of the visible years, of the regions and units of the user's dashboard
    subtree (as the assessment page shows them: never a parent's or a sibling's figures)."""
    queryset = AssessmentResult.objects.filter(year__in=assessment_years_visible_to(user))
    if not scope.is_admin(user):
        queryset = queryset.filter(Q(region__in=scope.dashboard_regions_visible_to(user))
                                   | Q(unit__in=scope.dashboard_units_visible_to(user)))
    return queryset


def summaries_visible_to(user) -> QuerySet[ProgressSummary]:
    """Summary rows the user's dashboards may show: regions and units of their dashboard
    subtree, and documents (and their obligations) issued within it. A document or obligation
    row counts every unit the document obliges, so one issued above the user's region would
    carry sibling regions' figures; officials, who get no dashboards, get no rows."""
    documents = scope.dashboard_documents_visible_to(user).values("pk")
    visible = (Q(scope="region",
                 scope_id__in=scope.dashboard_regions_visible_to(user).values("pk"))
               | Q(scope="unit", scope_id__in=scope.dashboard_units_visible_to(user).values("pk"))
               | Q(scope="document", scope_id__in=documents)
               | Q(scope="obligation", scope_id__in=Obligation.objects.filter(
                   document__in=documents).values("pk")))
    return ProgressSummary.objects.filter(visible)


def period_summaries_visible_to(user):
    """Five-year summary rows (monitoring.period_summary) the user's dashboards may show: the
    regions and units of their dashboard subtree, as the dashboards."""
    from monitoring.models import PeriodSummary

    return PeriodSummary.objects.filter(
        Q(scope="region", scope_id__in=scope.dashboard_regions_visible_to(user).values("pk"))
        | Q(scope="unit", scope_id__in=scope.dashboard_units_visible_to(user).values("pk")))
