"""Helpers for the audit tests: which AuditEntry rows a step wrote."""

from django.db.models import Max

from obligations.models import AuditEntry


def audit_mark() -> int:
    """The newest audit row's id now; rows written after it are the step's."""
    return AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0


def written_since(mark: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(pk__gt=mark).select_related("actor").order_by("pk"))


def the_one_entry(mark: int, *, action, actor, subject: str) -> AuditEntry:
    """Asserts the step wrote exactly one audit row, of this action, actor and subject."""
    rows = written_since(mark)
    assert [(r.action, r.actor, r.subject) for r in rows] == [(action, actor, subject)]
    assert rows[0].summary  # every row says what happened in words
    return rows[0]


def nothing_written(mark: int) -> bool:
    return not written_since(mark)
