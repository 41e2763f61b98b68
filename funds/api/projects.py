"""/api/v1/funds/projects/, /allocations/ and /assets/: the project library, the allocations
and the asset ledger, read-only, each starting from funds.selectors (the people of a place and
of the regions above it; a token reads as the leader of its region). Filters are the pages'
(funds.selectors.filter_projects / filter_assets); a bad value answers 400 with field errors.

A list page runs a fixed number of queries: the rows with their sums, then one query each for
the targets, the fundings and the linked obligations of the page's projects."""

from __future__ import annotations

import django_filters
from django.db.models import DecimalField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers

from funds import selectors
from funds.models import (
    Allocation,
    Asset,
    AssetIncome,
    FundSource,
    PerformanceTarget,
    Project,
    ProjectFunding,
    Spending,
)
from obligations.api.filters import StableOrderingFilter
from obligations.api.views import Scoped


class FundsPlaceSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("区划代码"))
    name = serializers.CharField(help_text=_("名称"))


class PerformanceTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = PerformanceTarget
        fields = ["kind", "indicator", "target_value", "achieved_value"]


class ProjectFundingSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=FundSource.choices, help_text=_("资金来源"))
    source_name = serializers.CharField(source="get_source_display", help_text=_("资金来源名称"))
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, help_text=_("安排金额（元）"))
    allocated_on = serializers.DateField(help_text=_("安排日期"))


class ProjectSerializer(serializers.ModelSerializer):
    region = FundsPlaceSerializer(help_text=_("实施地点"))
    category_name = serializers.CharField(source="get_category_display", help_text=_("类别名称"))
    status_name = serializers.CharField(source="get_status_display", help_text=_("状态名称"))
    implementing_unit = serializers.CharField(source="implementing_unit.name", default="",
                                              help_text=_("实施单位"))
    funded = serializers.DecimalField(max_digits=18, decimal_places=2,
                                      help_text=_("安排资金合计（元）"))
    spent = serializers.DecimalField(max_digits=18, decimal_places=2,
                                     help_text=_("支出合计（元）"))
    evaluation_grade = serializers.CharField(help_text=_("绩效评价等级（优、良、中、差）；未评价为空"))
    targets = PerformanceTargetSerializer(many=True, help_text=_("绩效目标"))
    fundings = ProjectFundingSerializer(many=True, help_text=_("按来源的资金安排"))
    obligations = serializers.PrimaryKeyRelatedField(many=True, read_only=True,
                                                     help_text=_("落实的责任事项（编号）"))
    rolled_over_from = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True,
                                                          help_text=_("上年结转自（项目编号）"))

    class Meta:
        model = Project
        fields = ["id", "code", "name", "year", "region", "category", "category_name",
                  "counts_as_industry", "content", "implementing_unit", "responsible_person",
                  "supervision_phone", "households", "households_poverty_exit",
                  "households_monitored", "status", "status_name", "funded", "spent",
                  "labour_wages_due", "labour_wages_paid", "evaluation_score",
                  "evaluation_grade", "evaluation_note", "targets", "fundings",
                  "obligations", "rolled_over_from"]


class AllocationSerializer(serializers.ModelSerializer):
    from_region = FundsPlaceSerializer(allow_null=True, help_text=_("下达单位所在区划"))
    to_region = FundsPlaceSerializer(help_text=_("接收区划"))
    source_name = serializers.CharField(source="get_source_display", help_text=_("资金来源名称"))
    method_name = serializers.CharField(source="get_method_display", help_text=_("分配方法名称"))

    class Meta:
        model = Allocation
        fields = ["id", "year", "source", "source_name", "from_region", "to_region", "amount",
                  "method", "method_name", "factors", "doc_number", "allocated_on", "note"]


class AssetSerializer(serializers.ModelSerializer):
    region = FundsPlaceSerializer(help_text=_("所在地"))
    kind_name = serializers.CharField(source="get_kind_display", help_text=_("类别名称"))
    status_name = serializers.CharField(source="get_status_display", help_text=_("状态名称"))
    project = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text=_("来源项目"))
    income = serializers.DecimalField(max_digits=18, decimal_places=2,
                                      help_text=_("历年收益合计（元）"))

    class Meta:
        model = Asset
        fields = ["id", "code", "name", "kind", "kind_name", "region", "value", "owner",
                  "operator", "caretaker", "caretaker_person", "caretaking_mode",
                  "performance_target", "exit_terms", "status", "status_name", "disposed_on",
                  "disposal_approval", "project", "income"]


def _sum(queryset, key):
    """The sum of a related table's amounts per row, 0 when it has none."""
    total = queryset.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(
        s=Sum("amount")).values("s")
    return Coalesce(Subquery(total), Value(0), output_field=DecimalField(max_digits=18,
                                                                          decimal_places=2))


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="noop", max_length=100, label=_("编号或名称"))
    year = django_filters.NumberFilter(method="noop", min_value=2000, max_value=2100,
                                       label=_("年度"))
    status = django_filters.ChoiceFilter(choices=Project.Status.choices, method="noop",
                                         label=_("状态"))
    category = django_filters.ChoiceFilter(choices=Project.Category.choices, method="noop",
                                           label=_("类别"))
    region = django_filters.CharFilter(method="noop", max_length=20,
                                       label=_("区划代码（含下级）"))
    ordering = StableOrderingFilter(fields=(("code", "code"), ("year", "year"),
                                            ("name", "name"), ("status", "status")),
                                    label=_("排序"))

    class Meta:
        model = Project
        fields = []

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        return selectors.filter_projects(
            queryset, q=data.get("q") or "", year=data.get("year"),
            status=data.get("status") or "", category=data.get("category") or "",
            region=data.get("region") or "")


class AssetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="noop", max_length=100, label=_("编号或名称"))
    kind = django_filters.ChoiceFilter(choices=Asset.Kind.choices, method="noop",
                                       label=_("类别"))
    status = django_filters.ChoiceFilter(choices=Asset.Status.choices, method="noop",
                                         label=_("状态"))
    region = django_filters.CharFilter(method="noop", max_length=20,
                                       label=_("区划代码（含下级）"))

    class Meta:
        model = Asset
        fields = []

    def noop(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        return selectors.filter_assets(queryset, q=data.get("q") or "",
                                       kind=data.get("kind") or "",
                                       status=data.get("status") or "",
                                       region=data.get("region") or "")


class AllocationFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="year", label=_("年度"),
                                       min_value=2000, max_value=2100)
    source = django_filters.ChoiceFilter(choices=FundSource.choices, label=_("资金来源"))
    region = django_filters.CharFilter(method="filter_region", max_length=20,
                                       label=_("接收区划代码（含下级）"))

    class Meta:
        model = Allocation
        fields = []

    def filter_region(self, queryset, name, value):
        return selectors.in_region(queryset, value, field="to_region")


class ProjectViewSet(Scoped):
    """项目库：编号、名称、地点、类别、状态、绩效目标、按来源的资金安排和支出合计、落实的责任事项。"""

    serializer_class = ProjectSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter
    queryset = Project.objects.none()

    def scoped_queryset(self):
        return (selectors.projects_visible_to(self.request.user)
                .select_related("region", "implementing_unit")
                .annotate(funded=_sum(ProjectFunding.objects, "project"),
                          spent=_sum(Spending.objects, "project"))
                .prefetch_related("targets", Prefetch(
                    "fundings", queryset=ProjectFunding.objects.order_by("source")),
                    "obligations")
                .order_by("-year", "region__path", "code", "pk"))


class AllocationViewSet(Scoped):
    """资金分配：年度、来源、下达和接收区划、金额、分配方法及因素、文号。"""

    serializer_class = AllocationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AllocationFilter
    queryset = Allocation.objects.none()

    def scoped_queryset(self):
        return (selectors.allocations_visible_to(self.request.user)
                .select_related("from_region", "to_region")
                .order_by("-year", "to_region__path", "source", "pk"))


class AssetViewSet(Scoped):
    """资产台账：类别、价值、所有权人、经营和管护主体、绩效目标、退出条款、处置和收益合计。"""

    serializer_class = AssetSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AssetFilter
    queryset = Asset.objects.none()

    def scoped_queryset(self):
        return (selectors.assets_visible_to(self.request.user)
                .select_related("region").annotate(income=_sum(AssetIncome.objects, "asset"))
                .order_by("region__path", "code", "pk"))


def register(router) -> None:
    router.register("funds/projects", ProjectViewSet, basename="funds-project")
    router.register("funds/allocations", AllocationViewSet, basename="funds-allocation")
    router.register("funds/assets", AssetViewSet, basename="funds-asset")
