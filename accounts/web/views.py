"""Account pages: the second-factor step after the password, enrolling an authenticator
(QR code drawn here, no internet), recovery codes shown once, and changing the password."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import selectors, session
from accounts.services import devices, events, passwords
from accounts.web.forms import ChinesePasswordChangeForm, TokenForm


def _with_next(urlname: str, target: str) -> str:
    return f"{reverse(urlname)}?{urlencode({'next': target})}"


def _next(request, default="obligations:home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(default)


@login_required
def security(request):
    user = request.user
    return render(request, "accounts/security.html", {
        "required": selectors.mfa_required(user),
        "has_device": selectors.has_device(user),
        "recovery_left": sum(d.token_set.count()
                             for d in StaticDevice.objects.filter(user=user)),
    })


@login_required
def verify(request):
    """The second step: a code from the authenticator app or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not selectors.has_device(user):
        if selectors.mfa_required(user):
            return redirect(_with_next("accounts:mfa_setup", _next(request)))
        request.session[session.HAS_DEVICE] = False  # reset by an administrator
        return redirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "")
        device = match_token(user, token)
        if device is not None:
            otp_login(request, device)
            events.login(user, second_factor=device.name)
            return redirect(_next(request))
        events.mfa_failed(user)
        form.add_error("token", _(
            "验证码不正确或已用过（连续输错后需稍等几秒再试），请输入手机应用当前显示的 6 位数字或一个恢复码。"))
    return render(request, "accounts/verify.html", {"form": form, "next": _next(request)})


def _qr_svg(url: str) -> str:
    """The otpauth:// address as an inline SVG (segno; nothing leaves the server)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=5, dark="#000", light="#fff"))


@login_required
def setup(request):
    """Enrolling an authenticator app. A user who already has a second factor and has not
    used it in this session cannot enrol a new one (that would bypass the factor)."""
    user = request.user
    if selectors.has_device(user) and not user.is_verified():
        return redirect(_with_next("accounts:mfa_verify", _next(request)))
    device = devices.pending_totp(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = devices.confirm_totp(user, device_id=device.pk,
                                          token=form.cleaned_data["token"])
        except devices.DeviceError as error:
            form.add_error("token", str(error))
        else:
            otp_login(request, device)
            session.device_added(request)
            codes = devices.new_recovery_codes(user)
            messages.success(request, _("手机动态口令已绑定。"))
            return render(request, "accounts/recovery_codes.html",
                          {"codes": codes, "next": _next(request)})
    secret = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/setup.html", {
        "form": form, "qr": _qr_svg(device.config_url), "next": _next(request),
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
    })


@login_required
@require_POST
def recovery_codes(request):
    """Ten new recovery codes, shown once (the earlier ones stop working)."""
    if not request.user.is_verified():
        return redirect(_with_next("accounts:mfa_verify", reverse("accounts:security")))
    codes = devices.new_recovery_codes(request.user)
    session.device_added(request)
    return render(request, "accounts/recovery_codes.html",
                  {"codes": codes, "next": reverse("accounts:security")})


class PasswordChange(auth_views.PasswordChangeView):
    """Django's view (it keeps this session and ends every other one: the session hash
    changes with the password), with the Chinese form, the event row and the new age."""

    template_name = "accounts/password_change.html"
    form_class = ChinesePasswordChangeForm
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        response = super().form_valid(form)
        passwords.changed_by_user(self.request.user)
        session.password_set(self.request)
        messages.success(self.request, _("密码已修改。其他地方登录的会话已全部退出。"))
        return response
