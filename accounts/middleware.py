"""One gate for every page, the API's session authentication and the Django admin (after
django-otp's OTPMiddleware, which tells whether this session passed a second factor):

1. signed in longer than SESSION_ABSOLUTE_SECONDS (12 h): signed out;
2. a second factor is required (role, or the user enrolled one) and not given: only the
   verification / enrolment pages and sign-out answer;
3. the password is older than PASSWORD_MAX_AGE_DAYS: only the password page and sign-out.

API requests get a 403 with the Chinese reason instead of a redirect. Token-authenticated API
calls carry no session and are not affected (their limits are the token's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts import session

ALWAYS_OPEN = ("/static/", "/favicon.ico", "/logout/", "/login/")


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(ALWAYS_OPEN):
            return self.get_response(request)
        if session.too_old(request):
            logout(request)
            messages.info(request, _("登录已超过 12 小时，请重新登录。"))
            return self._refuse(request, _("登录已超过 12 小时，请重新登录。"), reverse("login"),
                                status=401)
        if session.needs_second_factor(request, user):
            open_paths = (reverse("accounts:mfa_verify"), reverse("accounts:mfa_setup"))
            if request.path in open_paths:
                return self.get_response(request)
            return self._refuse(request, _("请先完成二次验证（手机动态口令或恢复码）。"),
                                reverse("accounts:mfa_verify"))
        if session.password_expired(request, user):
            if request.path == reverse("accounts:password_change"):
                return self.get_response(request)
            return self._refuse(request, _("密码已超过有效期，请先修改密码。"),
                                reverse("accounts:password_change"))
        return self.get_response(request)

    @staticmethod
    def _refuse(request, message, where, status=403):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=status,
                                json_dumps_params={"ensure_ascii": False})
        if request.method == "GET" and where != reverse("login"):
            return redirect(f"{where}?{urlencode({'next': request.get_full_path()})}")
        return redirect(where)
