"""The one way a service writes its audit row (STYLE.md: the audit entry is written by the
service, in its transaction, not in a signal). monitoring's services call it too; it imports
nothing from monitoring.

Rows are chained (等保 8.1.4.3): `mac` = HMAC-SM3 over the previous row's mac and this row's
content, under the "audit" key that lives outside the database (obligations.keys). Writers
take a transaction-scoped advisory lock so that two transactions never chain onto the same
row. `verify()` walks the chain and names the first row that does not match.
"""

from __future__ import annotations

import datetime
import json
from contextvars import ContextVar

import pgtrigger
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from obligations import keys
from obligations.models import AuditEntry

Action = AuditEntry.Action
Result = AuditEntry.Result
_CHAIN_LOCK = 7_314_001  # pg_advisory_xact_lock key of the audit chain
# The client address of the request being served (set by obligations.web.middleware).
client_ip: ContextVar[str | None] = ContextVar("audit_client_ip", default=None)


def subject(kind: str, key) -> str:
    """What `AuditEntry.subject` holds: subject("unit", 12) == "unit:12"."""
    return f"{kind}:{key}"


def _canonical(entry: AuditEntry) -> bytes:
    """What the mac covers: every field a reader relies on, in a fixed form."""
    fields = [entry.prev_mac, entry.at.astimezone(datetime.UTC).isoformat(), entry.actor_id,
              entry.action, entry.result, entry.ip, entry.subject, entry.summary,
              entry.task_id, entry.report_id, entry.before, entry.after]
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str,
                      separators=(",", ":")).encode()


def mac_of(entry: AuditEntry) -> str:
    return keys.hmac_sm3("audit", _canonical(entry))


def record(*, actor, action: Action, subject: str, summary: str = "", task=None, report=None,
           before: dict | None = None, after: dict | None = None,
           result: str = Result.SUCCESS, ip: str | None = None) -> AuditEntry:
    """Writes one audit row. Call it inside the service's `transaction.atomic`, after the
    change succeeded, so a refused or rolled-back change leaves no row. `actor` is the user,
    or None for a job or a management command; `ip` defaults to the current request's."""
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")  # a programming error, not input
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        previous = AuditEntry.objects.order_by("-id").values_list("mac", flat=True).first()
        entry = AuditEntry(
            actor=actor, action=action, result=result, ip=ip or client_ip.get(),
            subject=subject, summary=str(summary)[:300], task=task, report=report,
            before=before or {}, after=after or {}, at=timezone.now(), prev_mac=previous or "")
        # round-trip the JSON as the database will return it, so verify() sees the same bytes
        entry.before, entry.after = (json.loads(json.dumps(entry.before, default=str)),
                                     json.loads(json.dumps(entry.after, default=str)))
        entry.mac = mac_of(entry)
        entry.save(force_insert=True)
    return entry


def verify(using: str = "default") -> tuple[int, AuditEntry | None, str]:
    """(rows checked, the first row that does not match or None, why). A row matches when its
    mac is the HMAC of its content and its prev_mac is the mac of the row before it. `using`:
    the database alias (the restore drill checks its scratch copy)."""
    previous = None
    checked = 0
    rows = AuditEntry.objects.using(using)
    first = rows.order_by("id").first()
    if first is not None and first.prev_mac and not rows.filter(
            action=Action.AUDIT_PURGE, after__last_deleted_mac=first.prev_mac).exists():
        return 0, first, "最早的记录之前有记录被删除，且没有相应的清理记录"
    for entry in rows.order_by("id").iterator(chunk_size=2000):
        if previous is not None and entry.prev_mac != previous:
            return checked, entry, "上一条校验码不符（前面的记录被删除或改动）"
        if entry.mac != mac_of(entry):
            return checked, entry, "校验码不符（本条记录被改动）"
        previous = entry.mac
        checked += 1
    return checked, None, ""


class RetentionError(ValueError):
    pass


def purge(*, older_than: datetime.date, actor=None) -> int:
    """Deletes the rows from before `older_than`, oldest first, and records that it did.
    Refuses a date within the retention period (AUDIT_RETENTION_DAYS, at least 180 days)."""
    limit = timezone.localdate() - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    if older_than > limit:
        raise RetentionError(
            f"操作记录至少保留 {settings.AUDIT_RETENTION_DAYS} 天：只能清理 {limit:%Y年%-m月%-d日} "
            f"之前的记录。")
    start = timezone.make_aware(datetime.datetime.combine(older_than, datetime.time()))
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        doomed = AuditEntry.objects.filter(at__lt=start)
        first_kept = AuditEntry.objects.filter(at__gte=start).order_by("id").first()
        last_gone = doomed.order_by("-id").values_list("mac", flat=True).first()
        with pgtrigger.ignore("obligations.AuditEntry:audit_append_only"):
            count, _ = doomed.delete()
        record(actor=actor, action=Action.AUDIT_PURGE, subject=subject("audit", "purge"),
               summary=f"清理 {older_than:%Y-%m-%d} 之前的操作记录 {count} 条",
               after={"deleted": count, "before": older_than.isoformat(),
                      "last_deleted_mac": last_gone or "",
                      "first_kept_id": first_kept.pk if first_kept else None})
    return count
