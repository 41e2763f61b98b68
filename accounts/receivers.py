"""Signal receivers: the moment of sign-in (what the session remembers) and the security
events of logins, failures and lockouts. They only call accounts.services."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts import session
from accounts.services import events


@receiver(user_logged_in, dispatch_uid="accounts_logged_in")
def logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session.start(request, user)
    events.login(user)


def _known(username):
    return get_user_model().objects.filter(username=username).first() if username else None


@receiver(user_login_failed, dispatch_uid="accounts_login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username") or "")
    events.login_failed(username, _known(username))


@receiver(user_locked_out, dispatch_uid="accounts_locked_out")
def locked_out(sender, request=None, username=None, **kwargs):
    events.locked_out(str(username or ""), _known(username))


