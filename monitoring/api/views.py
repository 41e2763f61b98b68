"""Progress summaries and assessment results over REST; scope from monitoring.selectors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions

from monitoring import selectors
from monitoring.api import serializers
from monitoring.models import AssessmentResult, PeriodSummary, ProgressSummary
from obligations.api.views import Scoped
from obligations.models import Region

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


class PeriodSummaryViewSet(Scoped):
    """过渡期考核评估（已结束时期的五年汇总）：您看板范围内的区划和单位。"""

    serializer_class = serializers.PeriodSummarySerializer
    queryset = PeriodSummary.objects.none()

    @extend_schema(parameters=[
        OpenApiParameter("period", OpenApiTypes.INT, description="时期编号（见 /api/v1/periods/）"),
        OpenApiParameter("scope", OpenApiTypes.STR, enum=["region", "unit"], description="范围"),
        OpenApiParameter("region", OpenApiTypes.STR, description="区划代码（只返回该区划的一行）")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def scoped_queryset(self):
        queryset = (selectors.period_summaries_visible_to(self.request.user)
                    .order_by("period_id", "scope", "scope_id"))
        params = self.request.query_params
        for name in ("period",):
            if params.get(name):
                if not params[name].isdigit() or len(params[name]) > 9:
                    raise exceptions.ValidationError({name: [_("时期编号须为正整数。")]})
                queryset = queryset.filter(period_id=int(params[name]))
        if params.get("scope"):
            if params["scope"] not in ("region", "unit"):
                raise exceptions.ValidationError({"scope": [_("范围须为 region 或 unit。")]})
            queryset = queryset.filter(scope=params["scope"])
        if params.get("region"):
            queryset = queryset.filter(scope="region", scope_id__in=Region.objects.filter(
                code=params["region"][:20]).values("pk"))
        return queryset


def register(router) -> None:
    router.register("period-summaries", PeriodSummaryViewSet, basename="period-summary")
    router.register("progress", ProgressViewSet, basename="progress")
    router.register("assessment-results", AssessmentViewSet, basename="assessment")
