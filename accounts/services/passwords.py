"""Keeping the password history (the hashes Django already stored, never the password)."""

from __future__ import annotations

from django.db import transaction

from accounts.models import PasswordHistory
from obligations.services import audit


@transaction.atomic
def remember(user, *, keep: int) -> PasswordHistory:
    """Called by PasswordHistoryValidator.password_changed after the user was saved with a new
    password: one row with the new hash and time; rows beyond the newest `keep` are dropped."""
    row = PasswordHistory.objects.create(user=user, password=user.password)
    stale = (PasswordHistory.objects.filter(user=user).order_by("-changed_at", "-id")
             .values_list("pk", flat=True)[keep:])
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    return row


def changed_by_user(user) -> None:
    """The security event of a user changing their own password on the password page."""
    audit.record(actor=user, action=audit.Action.PASSWORD_CHANGE,
                 subject=audit.subject("user", user.pk),
                 summary=f"{user.get_username()} 修改了自己的密码")
