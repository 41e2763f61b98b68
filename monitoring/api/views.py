"""Progress summaries and assessment results over REST; scope from monitoring.selectors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions

from monitoring import selectors
from monitoring.api import serializers
from monitoring.models import AssessmentResult, ProgressSummary
from obligations.api.views import Scoped

PUBLIC_SCOPES = ["obligation", "unit", "region", "document"]  # `place` rows are internal


class ProgressViewSet(Scoped):
    """进度汇总（每日汇总任务的结果）：按事项、单位、区划（含下级）、文件和年度。"""

    serializer_class = serializers.SummarySerializer

    @extend_schema(parameters=[
        OpenApiParameter("scope", OpenApiTypes.STR, enum=["obligation", "unit", "region", "document"],
                         description="汇总范围"),
        OpenApiParameter("year", OpenApiTypes.INT, description="年度；0 表示全部年度")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    queryset = ProgressSummary.objects.none()

    def scoped_queryset(self):
        queryset = (selectors.summaries_visible_to(self.request.user)
                    .order_by("scope", "scope_id", "year"))
        scope = self.request.query_params.get("scope")
        if scope:
            if scope not in PUBLIC_SCOPES:
                raise exceptions.ValidationError(
                    {"scope": [_("范围须为 obligation、unit、region 或 document。")]})
            queryset = queryset.filter(scope=scope)
        year = self.request.query_params.get("year")
        if year:
            if not year.isdigit() or int(year) > 3000:
                raise exceptions.ValidationError(
                    {"year": [_("年度须为整数，如 2023；0 表示全部年度。")]})
            queryset = queryset.filter(year=int(year))
        return queryset


class AssessmentViewSet(Scoped):
    """年度考核结果（非管理员只能看到已发布年度）。"""

    serializer_class = serializers.AssessmentResultSerializer

    queryset = AssessmentResult.objects.none()

    def scoped_queryset(self):
        return (selectors.assessment_results_visible_to(self.request.user)
                .select_related("year", "region")
                .order_by("-year__year", "subject", "rank_in_province", "id"))


def register(router) -> None:
    router.register("progress", ProgressViewSet, basename="progress")
    router.register("assessment-results", AssessmentViewSet, basename="assessment")
