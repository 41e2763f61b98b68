"""What accounts keep beside Django's user: the hashes of earlier passwords (for "not one of
the last 5") and when each was set (for expiry). Devices are django-otp's own tables
(otp_totp, otp_static)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordHistory(models.Model):
    """One row each time a user's password is set (also by an administrator, create_user or
    load_seed): Django's hash, never the password. The newest row's time is the password's
    age; only the newest PASSWORD_HISTORY_COUNT rows are kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"),
                             on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码摘要"), max_length=128)
    changed_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["user", "-changed_at", "-id"]
        indexes = [models.Index(fields=["user", "-changed_at"], name="password_history_latest")]

    def __str__(self):
        return f"{self.user} {self.changed_at:%Y-%m-%d %H:%M}"
