"""What the session remembers about the sign-in, and the limits read from it (no query per
request): when the user signed in (the 12-hour absolute limit), when their password was set
(expiry), and whether they have a second factor to use."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from accounts import selectors

LOGIN_AT = "accounts_login_at"
PASSWORD_AT = "accounts_password_at"
HAS_DEVICE = "accounts_has_device"


def start(request, user) -> None:
    request.session[LOGIN_AT] = timezone.now().timestamp()
    request.session[PASSWORD_AT] = selectors.password_changed_at(user).timestamp()
    request.session[HAS_DEVICE] = selectors.has_device(user)


def password_set(request) -> None:
    """After the user changed their password on the password page."""
    request.session[PASSWORD_AT] = timezone.now().timestamp()


def device_added(request) -> None:
    request.session[HAS_DEVICE] = True


def too_old(request) -> bool:
    """Signed in longer ago than SESSION_ABSOLUTE_SECONDS (or before this rule existed)."""
    started = request.session.get(LOGIN_AT)
    return started is None or timezone.now().timestamp() - started > settings.SESSION_ABSOLUTE_SECONDS


def password_expired(request, user) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or selectors.is_demo_exempt(user):
        return False
    set_at = request.session.get(PASSWORD_AT)
    return set_at is None or timezone.now().timestamp() - set_at > days * 24 * 60 * 60


def needs_second_factor(request, user) -> bool:
    """Not yet verified, and either the role requires it or the user enrolled a device."""
    if user.is_verified():
        return False
    return bool(request.session.get(HAS_DEVICE)) or selectors.mfa_required(user)
