"""Second factors (django-otp): a TOTP authenticator app, recovery codes, and an
administrator's reset. Every change writes its security event in the same transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import events

TOTP_NAME = "动态口令"
RECOVERY_NAME = "恢复码"


class DeviceError(ValueError):
    """Bad input: the code did not match. The message is for the user."""


def pending_totp(user) -> TOTPDevice:
    """The user's unconfirmed authenticator (made on first call): its secret is shown on the
    enrolment page until a code from the app confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def confirm_totp(user, *, device_id: int, token: str) -> TOTPDevice:
    """A code from the app confirms the pending device, which replaces any earlier one."""
    device = (TOTPDevice.objects.select_for_update()
              .filter(pk=device_id, user=user, confirmed=False).first())
    if device is None:
        raise DeviceError(_("绑定已失效，请刷新页面重新扫描二维码。"))
    if not device.verify_token((token or "").strip().replace(" ", "")):
        raise DeviceError(_("验证码不正确：请输入手机应用当前显示的 6 位数字。"))
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    events.mfa_enrolled(user, _("手机动态口令"))
    return device


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Ten new single-use codes (shown once); the earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    events.mfa_enrolled(user, _("恢复码 %(count)d 个") % {"count": len(codes)})
    return codes


@transaction.atomic
def reset(*, actor, user) -> int:
    """An administrator removes all of a user's second factors (a lost phone). The user's
    verified sessions stop being verified at their next request (OTPMiddleware finds no device)
    and must enrol again if their role requires it."""
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    events.mfa_reset(actor, user, removed)
    return removed
