"""REST API /api/v1/. Every queryset starts from obligations.selectors.scope; views stay thin."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from obligations import models
from obligations.api import serializers
from obligations.api.filters import ObligationFilter, TaskFilter
from obligations.api.pagination import Pages
from obligations.lights import with_milestone_lights, with_task_lights
from obligations.models import ApiClient, IndicatorValue
from obligations.selectors import exports, scope
from obligations.selectors.register import obligation_record, register_obligations
from obligations.services import audit, reporting
from obligations.services import periods as period_services


class ReadScope(drf_permissions.BasePermission):
    """Anyone authenticated may read what their scope shows; writing needs a writing scope."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)


class Scoped(viewsets.ReadOnlyModelViewSet):
    """Subclasses define `scoped_queryset()`; the schema generator gets an empty one."""

    permission_classes = [ReadScope]
    pagination_class = Pages
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return self.scoped_queryset()


class RegionViewSet(Scoped):
    """行政区划（本人范围内的区划及其上级）。"""

    serializer_class = serializers.RegionSerializer

    queryset = models.Region.objects.none()

    def scoped_queryset(self):
        return scope.regions_visible_to(self.request.user).select_related("parent").order_by("path")


class UnitViewSet(Scoped):
    """单位（含简称、曾用名与更名记录）。"""

    serializer_class = serializers.UnitSerializer

    queryset = models.Unit.objects.none()

    def scoped_queryset(self):
        return (scope.units_visible_to(self.request.user).select_related("region")
                .prefetch_related("aliases", "renames").order_by("region__path", "name", "id"))


class DocumentViewSet(Scoped):
    """适用于本人范围的政策文件。"""

    serializer_class = serializers.DocumentSerializer

    queryset = models.PolicyDocument.objects.none()

    def scoped_queryset(self):
        return (scope.documents_visible_to(self.request.user).select_related("region", "period")
                .prefetch_related("implements").order_by("issued_year", "id"))


class ObligationViewSet(Scoped):
    """责任事项（措施），单位按原文写法。"""

    serializer_class = serializers.ObligationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ObligationFilter

    queryset = models.Obligation.objects.none()

    def scoped_queryset(self):
        return scope.obligations_visible_to(self.request.user).filter(
            kind="measure").order_by("document_id", "position")

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset.values_list("pk", flat=True))
        by_id = {o.pk: o for o in register_obligations().filter(pk__in=list(page))}
        links = _period_links(request.user, list(by_id))
        return self.get_paginated_response([_record(by_id[pk], links) for pk in page if pk in by_id])

    def retrieve(self, request, *args, **kwargs):
        obligation = self.get_object()
        return Response(_record(register_obligations().get(pk=obligation.pk),
                                _period_links(request.user, [obligation.pk])))


def _period_links(user, ids) -> dict:
    """Dispositions of the obligations' tasks and the measures they carry on, within the user's
    scope only (a city measure's tasks in a sibling county stay unseen): two queries."""
    visible = scope.tasks_visible_to(user)
    links = {"dispositions": {}, "predecessors": {}}
    for row in (models.Disposition.objects.filter(task__obligation_id__in=ids, task__in=visible)
                .order_by("task__unit__name")
                .values("task__obligation_id", "task__unit__name", "kind", "reason", "successor_id",
                        "successor__code", "successor__document__doc_number")):
        links["dispositions"].setdefault(row["task__obligation_id"], []).append({
            "unit": row["task__unit__name"], "kind": row["kind"], "reason": row["reason"],
            "successor": row["successor_id"], "successor_code": row["successor__code"],
            "successor_document": row["successor__document__doc_number"]})
    for row in (models.Disposition.objects.filter(successor_id__in=ids, task__in=visible)
                .order_by("task__obligation__document_id", "task__obligation__position")
                .values("successor_id", "task__obligation_id", "task__obligation__code",
                        "task__obligation__title", "task__obligation__document__doc_number",
                        "task__unit__name", "kind")):
        links["predecessors"].setdefault(row["successor_id"], []).append({
            "obligation": row["task__obligation_id"], "code": row["task__obligation__code"],
            "title": row["task__obligation__title"],
            "document": row["task__obligation__document__doc_number"],
            "unit": row["task__unit__name"], "kind": row["kind"]})
    return links


def _record(obligation, links) -> dict:
    return {"id": obligation.pk, **obligation_record(obligation),
            "dispositions": links["dispositions"].get(obligation.pk, []),
            "predecessors": links["predecessors"].get(obligation.pk, [])}


class PeriodViewSet(Scoped):
    """政策时期：过渡期（2021—2025）、常态化帮扶（2026—）及各省另定的起止日期。"""

    serializer_class = serializers.PeriodSerializer
    queryset = models.Period.objects.none()

    def scoped_queryset(self):
        return models.Period.objects.order_by("start", "id")


class DispositionViewSet(mixins.CreateModelMixin, Scoped):
    """过渡期收尾处置：您范围内任务的处置；POST 处置一批任务（与页面相同的校验和权限）。"""

    serializer_class = serializers.DispositionSerializer
    queryset = models.Disposition.objects.none()

    def scoped_queryset(self):
        return (models.Disposition.objects.filter(task__in=scope.tasks_visible_to(self.request.user))
                .select_related("task__unit").order_by("id"))

    @extend_schema(
        request=serializers.DispositionCreateSerializer,
        responses={201: OpenApiResponse(description="已处置的任务数 {\"disposed\": n}"),
                   400: OpenApiResponse(description="输入有误，按字段列出错误"),
                   403: OpenApiResponse(description="无权处置所选任务（不在您审核的地区，或不是审核人）")})
    def create(self, request, *args, **kwargs):
        data = serializers.DispositionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        successor = None
        if values.get("successor"):
            successor = (scope.obligations_visible_to(request.user)
                         .select_related("document__period", "document__region")
                         .filter(pk=values["successor"]).first())
            if successor is None:
                raise exceptions.ValidationError({"successor": [_("新时期措施不存在或不在您的范围内。")]})
        try:
            count = period_services.dispose_tasks(
                actor=request.user, tasks=models.Task.objects.filter(pk__in=values["tasks"]),
                kind=values["kind"], reason=values.get("reason", ""), successor=successor,
                correction=values.get("correction", ""))
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        return Response({"disposed": count}, status=status.HTTP_201_CREATED)


class TaskViewSet(Scoped):
    """任务：某单位在某事项上的职责与状态。"""

    serializer_class = serializers.TaskSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TaskFilter

    queryset = models.Task.objects.none()

    def scoped_queryset(self):
        # The light and next due date as the task list shows them (obligations.lights).
        return (with_task_lights(scope.tasks_visible_to(self.request.user),
                                 today=timezone.localdate())
                .select_related("unit", "obligation__document__period", "disposition")
                .order_by("id"))


class MilestoneViewSet(Scoped):
    """节点。"""

    serializer_class = serializers.MilestoneSerializer

    queryset = models.Milestone.objects.none()

    def scoped_queryset(self):
        return with_milestone_lights(models.Milestone.objects.filter(
            task__in=scope.tasks_visible_to(self.request.user)),
            today=timezone.localdate()).order_by("task_id", "due_on", "id")


class ReportViewSet(mixins.CreateModelMixin, Scoped):
    """进展报告；POST 提交一份（与浏览器填报相同的校验和权限）。"""

    serializer_class = serializers.ReportSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    queryset = models.ProgressReport.objects.none()

    def scoped_queryset(self):
        return (scope.reports_visible_to(self.request.user)
                .select_related("submitted_by").prefetch_related("evidence").order_by("-id"))

    @extend_schema(
        request={"multipart/form-data": serializers.ReportCreateSerializer,
                 "application/json": serializers.ReportCreateSerializer},
        responses={201: serializers.ReportSerializer,
                   400: OpenApiResponse(description="输入有误，按字段列出错误"),
                   403: OpenApiResponse(description="令牌或账号无权填报该任务"),
                   404: OpenApiResponse(description="任务不存在或不在范围内"),
                   409: OpenApiResponse(description="任务已被他人更新，请按最新版本重新提交")})
    def create(self, request, *args, **kwargs):
        data = serializers.ReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        task = scope.tasks_visible_to(request.user).filter(pk=values["task"]).select_related(
            "unit", "obligation").first()
        if task is None:
            raise exceptions.NotFound(_("任务不存在或不在您的范围内。"))
        client = request.auth if isinstance(request.auth, ApiClient) else None
        if not scope.can_report_on(request.user, task, client=client):
            raise exceptions.PermissionDenied(_("无权填报该任务。"))
        milestone = None
        if values.get("milestone"):
            milestone = task.milestones.filter(pk=values["milestone"]).first()
            if milestone is None:
                raise exceptions.ValidationError({"milestone": [_("所选节点不属于本任务。")]})
        try:
            report = reporting.report_progress(
                task=task, by=request.user, expected_version=values["expected_version"],
                status=values["status"], percent=values["percent"],
                narrative=values.get("narrative", ""), uploads=values.get("uploads", []),
                reuse_evidence=values.get("reuse_evidence", []), milestone=milestone,
                indicator_values=values.get("indicator_values", {}),
                indicator_year=values.get("indicator_year"))
        except reporting.Conflict as conflict:
            latest = conflict.latest
            return Response({"detail": _("任务已被他人更新，未保存。"),
                             "current_version": conflict.task.version,
                             "latest_report": serializers.ReportSerializer(latest).data if latest else None},
                            status=status.HTTP_409_CONFLICT)
        return Response(serializers.ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class TargetViewSet(Scoped):
    """指标目标及范围内的报送值。"""

    serializer_class = serializers.TargetSerializer

    queryset = models.IndicatorTarget.objects.none()

    def scoped_queryset(self):
        regions = scope.regions_visible_to(self.request.user)
        return (models.IndicatorTarget.objects.filter(
            obligation__in=scope.obligations_visible_to(self.request.user))
            .prefetch_related(Prefetch("values", to_attr="visible_values",
                                       queryset=IndicatorValue.objects.filter(region__in=regions)
                                       .select_related("region").order_by("year", "id")))
            .order_by("id"))


class ResponsibilityListView(APIView):
    """责任清单（隆德县责任清单的列）：JSON、CSV 或 Excel（format=json|csv|xlsx）。"""

    permission_classes = [ReadScope]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ObligationFilter
    queryset = models.Obligation.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv", "xlsx"],
                                     description="输出格式，默认 json")],
        responses={
            (200, "application/json"): serializers.ResponsibilityRowSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
                OpenApiTypes.BINARY,
            400: OpenApiResponse(description="筛选条件或格式有误，按字段列出错误"),
        })
    def get(self, request):
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "csv", "xlsx"):
            raise exceptions.ValidationError({"format": [_("格式须为 json、csv 或 xlsx。")]})
        queryset = scope.obligations_visible_to(request.user).filter(kind="measure")
        filterset = ObligationFilter(request.query_params, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        rows = exports.responsibility_rows(filterset.qs)
        if fmt != "json":
            audit.record(actor=request.user, action=audit.Action.EXPORT,
                         subject=audit.subject("responsibility_list", fmt),
                         summary=f"导出责任清单（{fmt}，{len(rows)} 行）",
                         after={"query": request.query_params.dict(), "rows": len(rows)})
        if fmt == "csv":
            return _download(exports.to_csv(rows), "text/csv; charset=utf-8", "责任清单.csv")
        if fmt == "xlsx":
            return _download(exports.to_xlsx(rows),
                             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             "责任清单.xlsx")
        return Response(serializers.ResponsibilityRowSerializer(
            [{k: v for k, v in row.items() if k != "document_id"} for row in rows], many=True).data)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
