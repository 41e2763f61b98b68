"""The one way a service writes its audit row (STYLE.md: the audit entry is written by the
service, in its transaction, not in a signal). monitoring's services call it too; it imports
nothing from monitoring."""

from __future__ import annotations

from obligations.models import AuditEntry

Action = AuditEntry.Action


def subject(kind: str, key) -> str:
    """What `AuditEntry.subject` holds: subject("unit", 12) == "unit:12"."""
    return f"{kind}:{key}"


def record(*, actor, action: Action, subject: str, summary: str = "", task=None, report=None,
           before: dict | None = None, after: dict | None = None) -> AuditEntry:
    """Writes one audit row. Call it inside the service's `transaction.atomic`, after the
    change succeeded, so a refused or rolled-back change leaves no row. `actor` is the user,
    or None for a job or a management command."""
    if action not in Action.values:
        raise ValueError(f"unknown audit action {action!r}")  # a programming error, not input
    return AuditEntry.objects.create(
        actor=actor, action=action, subject=subject, summary=str(summary)[:300], task=task,
        report=report, before=before or {}, after=after or {})
