"""Re-encrypting personal data under the current key version (settings.HOUSEHOLD_KEY_VERSION):
after a new key `households_v<N+1>` is provisioned and the setting raised, every ciphertext of
an older version is decrypted and encrypted again, in batches, each batch one transaction.
The blind index does not change (its key is separate). One audit row for the run."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from households import crypto
from households.models import Member
from obligations.services import audit

FIELDS = ("id_number", "phone", "bank")


def rotate(*, actor=None, batch: int = 1000) -> int:
    """Members re-encrypted (those with any ciphertext of an older version)."""
    current = f"v{crypto.current_version()}:"
    stale = Q()
    for field in FIELDS:
        stale |= ~Q(**{f"{field}_cipher": ""}) & ~Q(**{f"{field}_cipher__startswith": current})
    done = 0
    while True:
        with transaction.atomic():
            rows = list(Member.objects.select_for_update().filter(stale).order_by("pk")[:batch])
            if not rows:
                break
            for member in rows:
                for field in FIELDS:
                    value = crypto.decrypt(getattr(member, f"{field}_cipher"), field)
                    setattr(member, f"{field}_cipher", crypto.encrypt(value, field))
            Member.objects.bulk_update(rows, [f"{f}_cipher" for f in FIELDS])
            done += len(rows)
    if done:
        audit.record(actor=actor, action=audit.Action.HOUSEHOLD_CHANGE, subject="households",
                     summary=f"个人信息换用第 {crypto.current_version()} 版密钥重新加密：{done} 人")
    return done
