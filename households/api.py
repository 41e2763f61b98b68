"""/api/v1/households/ and /api/v1/household-cases/: households and their cases, read-only,
with the pages' scope (households.selectors) and masked personal data only — the API never
returns a full 身份证号, phone or bank account (查看完整 is a person's act on the page, with a
reason). Open to officials, supervisors and administrators; tokens (other systems) and
leaders are refused. Every list or record of personal data answered is one access row."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, serializers

from households import selectors
from households.models import Case, Household, Member
from households.services.members import log_view
from obligations.api.views import Scoped


class MemberSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", help_text=_("身份证号（脱敏）"))
    phone = serializers.CharField(source="phone_masked", help_text=_("电话（脱敏）"))
    bank_account = serializers.CharField(source="bank_masked", help_text=_("银行账号（脱敏）"))

    class Meta:
        model = Member
        fields = ["id", "name", "relation", "sex", "birth_year", "id_number", "phone",
                  "bank_account", "health", "disability_level", "work_capacity", "schooling",
                  "employed", "medical_insured", "in_dibao", "in_tekun"]


class HouseholdSerializer(serializers.ModelSerializer):
    village = serializers.CharField(source="region.name", help_text=_("所在村"))
    village_code = serializers.CharField(source="region.code", help_text=_("所在村区划代码"))
    members = MemberSerializer(many=True, help_text=_("家庭成员（个人信息已脱敏）"))

    class Meta:
        model = Household
        fields = ["id", "code", "village", "village_code", "head_name", "base_status",
                  "relocated", "members"]


class CaseSerializer(serializers.ModelSerializer):
    household_code = serializers.CharField(source="household.code", help_text=_("户编号"))
    status_name = serializers.CharField(source="get_status_display", help_text=_("状态名称"))

    class Meta:
        model = Case
        fields = ["id", "household", "household_code", "status", "status_name", "channel",
                  "category", "risk", "opened_on", "notice_from", "notice_days",
                  "confirmed_on", "eliminated_on"]


class HouseholdFilter(django_filters.FilterSet):
    village = django_filters.CharFilter(field_name="region__code", max_length=20,
                                        label=_("所在村区划代码"))
    base_status = django_filters.ChoiceFilter(choices=Household.BaseStatus.choices,
                                              label=_("户类型"))

    class Meta:
        model = Household
        fields = []


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Case.Status.choices, label=_("状态"))

    class Meta:
        model = Case
        fields = []


class _PersonalData(Scoped):
    what = ""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        from obligations.models import ApiClient

        # a token (request.auth is its ApiClient) is another system: no personal data
        if isinstance(request.auth, ApiClient) or not selectors.can_work_with_households(
                request.user):
            raise exceptions.PermissionDenied(_("农户数据只对村、乡镇、县的填报人和审核人开放。"))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and not getattr(self, "swagger_fake_view", False):
            data = response.data if isinstance(response.data, dict) else {}
            count = len(data.get("results", [])) if "results" in data else 1
            log_view(actor=request.user, what=str(self.what), count=count,
                     subject="api:" + request.path[:56])
        return response


class HouseholdViewSet(_PersonalData):
    """农户及家庭成员（个人信息脱敏；完整信息只能在页面上凭事由查看）。"""

    serializer_class = HouseholdSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = HouseholdFilter
    queryset = Household.objects.none()
    what = _("农户（接口）")

    def scoped_queryset(self):
        return (selectors.households_visible_to(self.request.user).select_related("region")
                .prefetch_related(Prefetch("members", queryset=Member.objects.order_by("id")))
                .order_by("region__path", "code", "pk"))


class CaseViewSet(_PersonalData):
    """监测对象认定：状态、线索来源、类别、风险、各环节日期。"""

    serializer_class = CaseSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter
    queryset = Case.objects.none()
    what = _("监测对象认定（接口）")

    def scoped_queryset(self):
        return (selectors.cases_visible_to(self.request.user).select_related("household")
                .order_by("-opened_on", "-pk"))


def register(router) -> None:
    router.register("households", HouseholdViewSet, basename="household")
    router.register("household-cases", CaseViewSet, basename="household-case")
