"""Document intake over REST (administrators): upload → poll the parse → read the preview →
publish. The same services as the browser pages (obligations.services.intake)."""

from __future__ import annotations

from dataclasses import asdict

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from obligations import tasks
from obligations.api.serializers import DescribedSerializer
from obligations.api.views import Scoped
from obligations.models import DocumentUpload
from obligations.selectors import scope
from obligations.selectors.intake import preview_of
from obligations.services import intake, revision


class UploadCreateSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_(".docx、文字版 .pdf 或 .txt"))
    region = serializers.CharField(required=False, allow_blank=True, max_length=12,
                                   help_text=_("适用区划代码；不填则按文件内容识别"))


class PublishSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text=_(
        "修订版删除措施的原因（仅修订版）"))


class UploadSerializer(DescribedSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True,
                                          help_text=_("适用区划代码"))
    preview = serializers.SerializerMethodField(help_text=_("解析结果：文件信息和每项措施"))

    class Meta:
        model = DocumentUpload
        fields = ["id", "file_name", "size", "sha256", "region", "status", "progress", "error",
                  "document", "uploaded_at", "published_at", "preview"]

    def get_preview(self, obj) -> dict | None:
        if not self.context.get("with_preview"):
            return None
        found = preview_of(obj)
        if found is None:
            return None
        doc = found.document
        return {
            "title": doc.title, "doc_number": doc.doc_number, "issuer": doc.issuer,
            "issued_on": doc.issued_on, "level": doc.level,
            "region": found.region.code if found.region else None,
            "counts": found.counts, "flags": found.flags,
            "measures": [{**asdict(m), "units": [asdict(u) for u in m.units]}
                         for m in found.measures],
        }


class DocumentUploadViewSet(mixins.CreateModelMixin, Scoped):
    """政策文件上传（管理员）：POST 上传后后台解析，GET 查看进度和解析结果，POST …/publish/ 发布。"""

    serializer_class = UploadSerializer
    parser_classes = [MultiPartParser, FormParser]
    queryset = DocumentUpload.objects.none()

    def scoped_queryset(self):
        if not scope.can_upload_documents(self.request.user):
            raise exceptions.PermissionDenied(_("只有管理员可以导入政策文件。"))
        return (scope.document_uploads_visible_to(self.request.user)
                .select_related("region").defer("text").order_by("-id"))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_preview": self.action != "list"}

    @extend_schema(request={"multipart/form-data": UploadCreateSerializer},
                   responses={201: UploadSerializer,
                              400: OpenApiResponse(description="文件为空、过大或区划不存在"),
                              403: OpenApiResponse(description="只有管理员可以导入政策文件")})
    def create(self, request, *args, **kwargs):
        if not scope.can_upload_documents(request.user):
            raise exceptions.PermissionDenied(_("只有管理员可以导入政策文件。"))
        data = UploadCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        region = None
        if data.validated_data.get("region"):
            region = scope.regions_visible_to(request.user).filter(
                code=data.validated_data["region"]).first()
            if region is None:
                raise exceptions.ValidationError({"region": [_("区划代码不存在。")]})
        upload = intake.upload_document(upload_file=data.validated_data["file"], region=region,
                                        actor=request.user)
        transaction.on_commit(lambda: tasks.parse_upload.delay(upload.pk))
        return Response(UploadSerializer(upload, context={"with_preview": False}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=PublishSerializer, responses={
        200: UploadSerializer, 400: OpenApiResponse(description="尚未解析完成、已发布或内容重复"),
        403: OpenApiResponse(description="只有管理员可以导入政策文件")})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        upload = self.get_object()
        revision.publish(upload=upload, actor=request.user,
                         reason=str(request.data.get("reason", ""))[:200])
        upload.refresh_from_db()
        return Response(UploadSerializer(upload, context={"with_preview": False}).data)

