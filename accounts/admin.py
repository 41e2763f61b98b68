"""Accounts in the admin: an action that resets a user's second factors (a lost phone),
audited. django-otp's own device admins are removed: they show the TOTP secret (and its QR
code) to any administrator, who could then sign in as the user."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import devices

User = get_user_model()

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.action(description=gettext_lazy("重置所选用户的二次验证设备（手机丢失时）"),
              permissions=["change"])
def reset_second_factors(modeladmin, request, queryset):
    removed = [devices.reset(actor=request.user, user=user) for user in queryset]
    modeladmin.message_user(
        request, _("已重置 %(users)d 个用户的二次验证设备（共 %(devices)d 个）；他们下次登录时需重新绑定。")
        % {"users": len(removed), "devices": sum(removed)}, messages.SUCCESS)


base = admin.site._registry.get(User).__class__ if admin.site.is_registered(User) else UserAdmin
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class AccountUserAdmin(base):
    actions = [*(getattr(base, "actions", None) or []), reset_second_factors]
