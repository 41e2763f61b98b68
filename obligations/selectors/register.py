"""Reads of the register, shaped for the page, API or export that uses them."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from obligations.models import (
    DataFlag,
    IndicatorTarget,
    Obligation,
    ObligationPerson,
    ObligationUnit,
)


def register_obligations(*, documents=None) -> QuerySet[Obligation]:
    """Measures with everything the register export shows, in a fixed number of queries."""
    queryset = Obligation.objects.filter(kind=Obligation.Kind.MEASURE)
    if documents is not None:
        queryset = queryset.filter(document__in=documents)
    return (
        queryset.select_related("document__period", "parent")
        .prefetch_related(
            Prefetch("unit_refs", queryset=ObligationUnit.objects.order_by("role", "position")),
            Prefetch("person_refs", queryset=ObligationPerson.objects.order_by("role", "position")),
            Prefetch("flags", queryset=DataFlag.objects.order_by("id")),
            Prefetch("targets", queryset=IndicatorTarget.objects.order_by("id")),
        )
        .order_by("document__issued_year", "document__issued_on", "document_id", "position")
    )


def obligation_record(obligation: Obligation) -> dict:
    """One obligation as DESIGN.md §5 specifies; units exactly as the document writes them."""
    document = obligation.document
    refs = list(obligation.unit_refs.all())
    people = list(obligation.person_refs.all())
    return {
        "document": {
            "doc_number": document.doc_number,
            "title": document.title,
            "issuer": document.issuer,
            "issued_on": document.issued_on.isoformat() if document.issued_on else None,
            "period": {"id": document.period_id, "name": document.period.short_name,
                       "kind": document.period.kind, "start": document.period.start.isoformat(),
                       "end": document.period.end.isoformat() if document.period.end else None},
        },
        "code": obligation.code,
        "parent_code": obligation.parent.code if obligation.parent_id else None,
        "parent_title": obligation.parent.title if obligation.parent_id else None,
        "title": obligation.title,
        "text": obligation.text,
        "lead_units": [r.written_name for r in refs if r.role == "lead" and not r.from_rule],
        "supporting_units": [
            r.written_name for r in refs if r.role == "support" and not r.from_rule
        ],
        # 004: "本项及以下各项措施…均需要各县区落实" adds a duty the clause itself does not name.
        "also_implemented_by": [r.written_name for r in refs if r.from_rule],
        "clauses": obligation.clauses,
        "responsible_leaders": [p.written_name for p in people if p.role == "leader"],
        "responsible_persons": [p.written_name for p in people if p.role == "person"],
        "deadline_text": obligation.deadline_text,
        "deadline": obligation.deadline or None,
        "targets": [
            {
                "name": t.name,
                "comparator": t.comparator,
                "value": float(t.value),
                "unit": t.unit,
                "by": t.due_year,
                "per_year": t.per_year,
                "region_scope": t.region_scope,
            }
            for t in obligation.targets.all()
        ],
        "flags": [f.message for f in obligation.flags.all()],
    }


def document_flags(*, documents=None) -> QuerySet[DataFlag]:
    queryset = DataFlag.objects.filter(obligation__isnull=True).select_related("document")
    if documents is not None:
        queryset = queryset.filter(document__in=documents)
    return queryset.order_by("document_id", "id")


def export_register(*, documents=None) -> list[dict]:
    """Every measure; each document's own flags (a missing table row…) ride on its header."""
    by_document: dict[int, list[str]] = {}
    for flag in document_flags(documents=documents):
        by_document.setdefault(flag.document_id, []).append(flag.message)
    records = []
    for obligation in register_obligations(documents=documents):
        record = obligation_record(obligation)
        record["document"]["flags"] = by_document.get(obligation.document_id, [])
        records.append(record)
    return records


def task_list(*, user, today, soon_days: int | None = None):
    """The tasks the user sees, with their traffic light and next milestone, for the list page.

    One annotated query (plus the paginator's count): `current_light` and `next_due` as
    obligations.lights defines them, from the milestones' dates, so a task is red the
    morning it becomes overdue, before the nightly sweep stores the light.
    """
    from django.db.models import Exists, OuterRef

    from obligations.lights import with_task_lights
    from obligations.models import ProgressReport
    from obligations.selectors.scope import tasks_visible_to

    return (
        with_task_lights(tasks_visible_to(user), today=today, soon_days=soon_days)
        .annotate(
            waiting=Exists(ProgressReport.objects.filter(task=OuterRef("pk"), review="submitted")),
        )
        .select_related("obligation__document", "unit")
    )

