"""API clients: other government systems, each with a revocable token and a scope."""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .register import Region, Unit


def default_expiry() -> datetime.date:
    """A new token is valid for API_TOKEN_DAYS (default a year) unless given a date."""
    return timezone.localdate() + datetime.timedelta(days=getattr(settings, "API_TOKEN_DAYS", 365))


class ApiClient(models.Model):
    """A token's owner. The token itself is shown once, at creation; only its hash is kept.

    Each client acts through its own service user, whose read-only membership covers the
    client's region subtree, so the API goes through the same scope functions as the pages.
    """

    name = models.CharField(_("客户端名称"), max_length=100, unique=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="api_client", editable=False)
    region = models.ForeignKey(Region, verbose_name=_("数据范围（区划及下级）"),
                               on_delete=models.PROTECT)
    can_write = models.BooleanField(_("可提交进展报告"), default=False)
    units = models.ManyToManyField(
        Unit, verbose_name=_("可填报的单位"), blank=True, related_name="+",
        help_text=_("可提交报告的令牌只能为这里列出的单位填报（须在数据范围内）"))
    expires_on = models.DateField(_("有效期至"), default=default_expiry,
                                  help_text=_("过了这一天令牌即失效"))
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True, editable=False)
    key_prefix = models.CharField(_("令牌前缀"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("接口客户端")
        verbose_name_plural = _("接口客户端")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
