"""/api/v1/funds/summary/: the funds dashboard's figures (funds/dashboards.py) for a region
of the user's dashboard subtree (by default their first dashboard region)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from funds import dashboards
from funds.api.rules import int_param, region_param
from obligations.api.views import ReadScope
from obligations.selectors import scope


class FundsSummarySerializer(serializers.Serializer):
    region = serializers.DictField(help_text=_("区划（代码、名称、层级）"))
    year = serializers.IntegerField(allow_null=True, help_text=_("年度；空为全部年度"))
    allocation_by_source = serializers.ListField(child=serializers.DictField(),
                                                 help_text=_("县级接收的资金，按年度和来源"))
    allocation_by_county_type = serializers.ListField(
        child=serializers.DictField(), help_text=_("县级接收的资金，按年度和县域类别"))
    industry_share = serializers.ListField(child=serializers.DictField(),
                                           help_text=_("各年度用于产业发展的比例"))
    pipeline = serializers.ListField(child=serializers.DictField(),
                                     help_text=_("项目数和安排资金，按状态"))
    spending = serializers.DictField(help_text=_("安排、支出和支出进度，总计和按下级地区"))
    idle = serializers.DictField(help_text=_("沉淀资金：安排后超过 FUNDS_IDLE_MONTHS 个月未支出"))
    assets = serializers.ListField(child=serializers.DictField(),
                                   help_text=_("资产数量和价值，按类别和所有权人"))
    flag_total = serializers.IntegerField(help_text=_("规则提示总数"))
    flag_counts = serializers.ListField(child=serializers.DictField(),
                                        help_text=_("各规则的提示数（含依据文件和条款）"))
    flags = serializers.ListField(child=serializers.DictField(),
                                  help_text=_("前 50 条规则提示；全部见 /api/v1/funds/flags/"))
    children = serializers.ListField(child=serializers.DictField(), help_text=_("下级地区"))


class OneObject(AutoSchema):
    """The router's `list` route answers one summary object, not an array."""

    def _is_list_view(self, serializer=None):
        return False


class SummaryViewSet(viewsets.ViewSet):
    """资金看板数据：分配、产业比例、项目进展、支出进度、沉淀资金、资产和规则提示。
    只对领导、审核人和管理员开放，范围为其看板地区。"""

    permission_classes = [ReadScope]
    schema = OneObject()

    @extend_schema(responses=FundsSummarySerializer, parameters=[
        OpenApiParameter("region", OpenApiTypes.STR, description="区划代码；默认为本人看板的第一个地区"),
        OpenApiParameter("year", OpenApiTypes.INT, description="年度；不填为全部年度")])
    def list(self, request):
        if not scope.can_see_dashboards(request.user):
            raise exceptions.PermissionDenied(_("资金看板数据只对领导、审核人和管理员开放。"))
        year = int_param(request, "year", low=2000, high=2100)
        place = region_param(request) or scope.dashboard_roots(request.user).first()
        if place is None:
            raise Http404
        return Response(FundsSummarySerializer(dashboards.summary(place, year=year)).data)


def register(router) -> None:
    router.register("funds/summary", SummaryViewSet, basename="funds-summary")
