"""/api/v1/funds/flags/: the funds rules' flags (funds/rules.py) over the user's dashboard
subtree; people without dashboards (officials, tokens) get an empty list, as with progress."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets

from funds import rules
from funds.models import Project
from obligations.api.pagination import Pages
from obligations.api.views import ReadScope
from obligations.selectors import scope


class FundsFlagSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text=_("规则代码"))
    title = serializers.CharField(help_text=_("规则"))
    document = serializers.CharField(help_text=_("依据文件"))
    clause = serializers.CharField(help_text=_("条款"))
    region_code = serializers.CharField(help_text=_("区划代码"))
    region_name = serializers.CharField(help_text=_("区划名称"))
    year = serializers.IntegerField(allow_null=True, help_text=_("年度"))
    message = serializers.CharField(help_text=_("情况（含数字）"))
    project_id = serializers.IntegerField(allow_null=True, help_text=_("项目"))
    asset_id = serializers.IntegerField(allow_null=True, help_text=_("资产"))
    basis = serializers.CharField(allow_blank=True, help_text=_("适用的定义或门槛及其设置人"))


def int_param(request, name, *, low, high):
    raw = request.query_params.get(name, "")
    if raw == "":
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise exceptions.ValidationError({name: [_("须为 %(low)s—%(high)s 之间的整数。")
                                                 % {"low": low, "high": high}]})
    return int(raw)


def region_param(request):
    """The `region` code inside the user's dashboard subtree (404 otherwise), or None."""
    code = request.query_params.get("region", "")
    return scope.get_dashboard_region_for(request.user, code[:20]) if code else None


class FlagViewSet(viewsets.GenericViewSet):
    """资金规则提示：每条规则、依据文件和条款、地区、年度、项目或资产、含数字的说明。"""

    permission_classes = [ReadScope]
    pagination_class = Pages
    serializer_class = FundsFlagSerializer
    # Flags are computed, not stored; the schema generator still asks for a model.
    queryset = Project.objects.none()

    @extend_schema(parameters=[
        OpenApiParameter("region", OpenApiTypes.STR, description="区划代码（含下级）"),
        OpenApiParameter("year", OpenApiTypes.INT, description="年度"),
        OpenApiParameter("rule", OpenApiTypes.STR, enum=list(rules.RULES),
                         description="规则代码")])
    def list(self, request):
        regions = scope.dashboard_regions_visible_to(request.user)
        place = region_param(request)
        if place is not None:
            regions = regions.filter(path__startswith=place.path)
        year = int_param(request, "year", low=2000, high=2100)
        rule = request.query_params.get("rule", "")
        if rule and rule not in rules.RULES:
            raise exceptions.ValidationError({"rule": [_("规则代码不存在。")]})
        found = []
        if scope.can_see_dashboards(request.user):
            found = [f.as_dict() for f in rules.check_all(
                years=[year] if year else None, regions=regions) if not rule or f.rule == rule]
        page = self.paginate_queryset(found)
        return self.get_paginated_response(FundsFlagSerializer(page, many=True).data)


def register(router) -> None:
    router.register("funds/flags", FlagViewSet, basename="funds-flag")
