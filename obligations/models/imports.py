"""An uploaded 责任清单 workbook, kept between its preview and its confirmation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ListImport(models.Model):
    """The file itself is kept (not a parsed copy): confirming re-reads it against the
    register as it is then, and refuses when that differs from what was previewed."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    data = models.BinaryField(_("文件内容"))
    document = models.ForeignKey(
        "obligations.PolicyDocument", verbose_name=_("目标文件"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="list_imports",
    )
    new_title = models.CharField(_("新文件标题"), max_length=300, blank=True)
    new_doc_number = models.CharField(_("新文件文号"), max_length=60, blank=True)
    new_region = models.ForeignKey(
        "obligations.Region", verbose_name=_("新文件区划"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    plan_digest = models.CharField(_("预览摘要"), max_length=64, blank=True)
    summary = models.JSONField(_("预览结果"), default=dict, blank=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    result = models.JSONField(_("导入结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("责任清单导入")
        verbose_name_plural = _("责任清单导入")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.file_name


class DocumentUpload(models.Model):
    """A policy document uploaded in the browser or over the API (.txt, .docx, text .pdf):
    parsed by a Celery task, previewed, then published into the register. Nothing reaches
    the register before publishing. The original file is kept through Django's storage."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        PARSING = "parsing", _("正在解析")
        PARSED = "parsed", _("待发布")
        FAILED = "failed", _("无法解析")
        PUBLISHED = "published", _("已发布")

    file = models.FileField(_("原文件"), upload_to="documents/%Y/%m/")
    file_name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    region = models.ForeignKey(
        "obligations.Region", verbose_name=_("适用区划"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("不填则按文件内容识别"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    error = models.TextField(_("错误"), blank=True)
    text = models.TextField(_("读出的文字"), blank=True)
    parsed = models.JSONField(_("解析结果"), default=dict, blank=True)
    document = models.ForeignKey(
        "obligations.PolicyDocument", verbose_name=_("发布后的文件"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="uploads",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("文件上传")
        verbose_name_plural = _("文件上传")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="upload_progress_max_100"),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(document__isnull=False),
                name="published_upload_has_document"),
        ]

    def __str__(self):
        return self.file_name
