"""Scoped reads of monitoring's tables (summaries, assessment), for pages and the API.

Scope comes from obligations.selectors.scope (the one scope layer); the rule "non-administrators
see published assessment years only" lives here, once.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from monitoring.models import AssessmentResult, AssessmentYear, ProgressSummary
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
    """Results of the visible years, of the regions and units in the user's scope."""
    queryset = AssessmentResult.objects.filter(year__in=assessment_years_visible_to(user))
    if not scope.is_admin(user):
        queryset = queryset.filter(Q(region__in=scope.regions_visible_to(user))
                                   | Q(unit__in=scope.units_visible_to(user)))
    return queryset


def summaries_visible_to(user) -> QuerySet[ProgressSummary]:
    """Summary rows of the regions, units, documents and obligations the user may see."""
    visible = (Q(scope="region", scope_id__in=scope.regions_visible_to(user).values("pk"))
               | Q(scope="unit", scope_id__in=scope.units_visible_to(user).values("pk"))
               | Q(scope="document",
                   scope_id__in=scope.documents_visible_to(user).values("pk"))
               | Q(scope="obligation",
                   scope_id__in=scope.obligations_visible_to(user).values("pk")))
    return ProgressSummary.objects.filter(visible)
