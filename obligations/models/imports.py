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
