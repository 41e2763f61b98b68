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

from accounts.services import devices, events

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

    # Who may do what (等保 8.1.4.3): every change of an account's standing or permissions in
    # the admin is one audit row with the values before and after.
    def save_model(self, request, obj, form, change):
        request._account_before = _standing(User.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        before, after = getattr(request, "_account_before", {}), _standing(user)
        if before != after:
            events.account_changed(actor=request.user, user=user, before=before,
                                          after=after, created=not change)

    def delete_model(self, request, obj):
        events.account_changed(actor=request.user, user=obj, before=_standing(obj),
                                      after={}, created=False)
        super().delete_model(request, obj)


def _standing(user) -> dict:
    """What an account may do: the fields and relations the audit row compares."""
    return {
        "username": user.username, "is_active": user.is_active, "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(f"{app}.{code}" for app, code in user.user_permissions.values_list(
            "content_type__app_label", "codename")),
    }
