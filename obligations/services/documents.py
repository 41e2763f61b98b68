"""Writes of an imported document: its obligations, units, people and tasks."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from obligations.importers.parsed import ParsedDocument
from obligations.models import (
    CollectiveUnit,
    DataFlag,
    Obligation,
    ObligationPerson,
    ObligationUnit,
    Period,
    Person,
    PolicyDocument,
    Region,
    Task,
    Unit,
)
from obligations.services import audit
from obligations.services.changes import register_changed_on_commit
from obligations.services.resolution import UnitResolver, infer_region
from obligations.services.schedule import derive_schedule, generate_milestones

# Documents cited by number whose title every official knows; used for stubs.
KNOWN_DOCUMENTS = {
    "中发〔2020〕30号": (
        "中共中央 国务院关于实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接的意见",
        "中共中央、国务院",
        "central",
    ),
}


@transaction.atomic
def save_parsed_document(
    *, parsed: ParsedDocument, source_text: str = "", region: Region | None = None, actor=None,
    period: Period | None = None,
) -> PolicyDocument:
    """Writes a parsed document, its obligations, units, people and flags, then its tasks.

    `actor` is the person importing, or None for a command (import_document, load_seed).
    `period`: the one chosen in the preview; else read from the date and wording
    (`Period.for_document`)."""
    if parsed.doc_number and PolicyDocument.objects.filter(doc_number=parsed.doc_number).exists():
        raise ValidationError(
            _("文号为 %(no)s 的文件已经导入，未重复写入。") % {"no": parsed.doc_number}
        )
    region = region or _region_by_code(parsed.region_code) or infer_region(parsed)
    document = PolicyDocument.objects.create(
        doc_number=parsed.doc_number,
        title=parsed.title,
        issuer=parsed.issuer,
        level=_document_level(parsed.level, region),
        region=region,
        issued_on=datetime.date.fromisoformat(parsed.issued_on) if parsed.issued_on else None,
        issued_year=parsed.issued_year,
        source_name=parsed.source_name,
        source_text=source_text,
        attachments=list(getattr(parsed, "attachments", []) or []),
        period=period,
    )
    document.implements.set([_document_stub(number) for number in parsed.implements])
    flags = [DataFlag(document=document, kind=f.kind, message=f.message) for f in parsed.flags]
    if region is None:
        flags.append(
            DataFlag(
                document=document,
                kind=DataFlag.Kind.METADATA,
                message=_("未能确定文件适用的行政区划，单位未关联，请管理员指定"),
            )
        )
    obligations = _create_obligations(document, parsed, flags)
    resolver = UnitResolver(document=document)
    unit_refs, person_refs = [], []
    for node, obligation in obligations:
        for position, ref in enumerate(node.units):
            target = resolver.resolve(ref.name) if region else None
            unit_refs.append(
                ObligationUnit(
                    obligation=obligation,
                    role=ref.role,
                    written_name=ref.name,
                    wording=ref.wording,
                    position=position,
                    clause=ref.clause,
                    from_rule=ref.from_rule,
                    unit=target if isinstance(target, Unit) else None,
                    collective=target if isinstance(target, CollectiveUnit) else None,
                )
            )
        lead_unit = next(
            (
                r.unit
                for r in unit_refs[::-1]
                if r.obligation is obligation and r.role == "lead" and r.unit
            ),
            None,
        )
        for role, names in (("leader", node.leaders), ("person", node.persons)):
            for position, name in enumerate(names):
                person = _person(name, region, lead_unit if role == "person" else None)
                person_refs.append(
                    ObligationPerson(
                        obligation=obligation,
                        role=role,
                        written_name=name,
                        position=position,
                        person=person,
                    )
                )
    ObligationUnit.objects.bulk_create(unit_refs)
    ObligationPerson.objects.bulk_create(person_refs)
    flags.extend(
        DataFlag(document=document, obligation=o, kind=DataFlag.Kind.UNKNOWN_UNIT, message=m)
        for o, m in resolver.problems(obligations)
    )
    DataFlag.objects.bulk_create(flags)
    expand_tasks(document=document)
    derive_schedule(document=document)
    milestones = generate_milestones(obligations=document.obligations.values("pk"))
    audit.record(
        actor=actor, action=audit.Action.DOCUMENT_IMPORT,
        subject=audit.subject("document", document.pk),
        summary=_("导入“%(title)s”%(number)s") % {
            "title": document.title[:200],
            "number": f"（{document.doc_number}）" if document.doc_number else ""},
        after={"doc_number": document.doc_number, "source": document.source_name,
               "region": region.code if region else None, "obligations": len(obligations),
               "flags": len(flags), "milestones": milestones})
    register_changed_on_commit()  # a new document's tasks: every region it reaches
    return document


def _create_obligations(document, parsed, flags):
    by_code: dict[str, Obligation] = {}
    pairs = []
    for position, node in enumerate(parsed.nodes):
        obligation = Obligation(
            document=document,
            kind=node.kind,
            code=node.code,
            position=position,
            title=node.title[:300],
            text=node.text,
            deadline_text=node.deadline_text[:200],
            clauses=node.clauses,
        )
        by_code[node.code] = obligation
        pairs.append((node, obligation))
    Obligation.objects.bulk_create(by_code.values())
    for node, obligation in pairs:
        if node.parent_code:
            obligation.parent = by_code[node.parent_code]
        flags.extend(
            DataFlag(document=document, obligation=obligation, kind=f.kind, message=f.message)
            for f in node.flags
        )
    Obligation.objects.bulk_update([o for _, o in pairs if o.parent_id], ["parent"])
    return pairs


def _document_level(level: str, region: Region | None) -> str:
    """The importer's level; else the region's when it is a document level; else 未识别."""
    known = PolicyDocument.Level.values
    if level in known and level != PolicyDocument.Level.UNKNOWN:
        return level
    if region is not None and region.level in known:
        return region.level
    return PolicyDocument.Level.UNKNOWN


def _region_by_code(code: str | None) -> Region | None:
    return Region.objects.filter(code=code).first() if code else None


def _document_stub(number: str) -> PolicyDocument:
    title, issuer, level = KNOWN_DOCUMENTS.get(number, (number, "", ""))
    document, _created = PolicyDocument.objects.get_or_create(
        doc_number=number, defaults={"title": title, "issuer": issuer, "level": level or "province"}
    )
    return document


def _person(name: str, region: Region | None, unit: Unit | None) -> Person | None:
    if region is None:
        return None
    person, created = Person.objects.get_or_create(
        region=region, name=name, defaults={"unit": unit}
    )
    if not created and unit and person.unit_id is None:
        person.unit = unit
        person.save(update_fields=["unit"])
    return person


def collective_members(collective: CollectiveUnit):
    """The concrete units a collective unit stands for, as one queryset."""
    mode = CollectiveUnit.Mode
    if collective.mode == mode.GROUP:
        return collective.group.members.all()
    if collective.mode == mode.CHILDREN:
        return Unit.objects.filter(parent=collective.parent_unit)
    if collective.mode == mode.REGION:
        units = Unit.objects.filter(region__path__startswith=collective.region.path)
        if collective.levels:
            units = units.filter(region__level__in=collective.levels)
        if collective.unit_kind:
            units = units.filter(kind=collective.unit_kind)
        if collective.name_suffix:
            units = units.filter(name__endswith=collective.name_suffix)
        return units
    return Unit.objects.none()


@transaction.atomic
def expand_tasks(*, document: PolicyDocument) -> int:
    """Creates the tasks of every measure: one per concrete unit, lead before support.

    Idempotent: a unit that already has a task on the obligation keeps it (its
    status and history stay), so re-running after new units appear only adds.
    """
    refs = list(
        ObligationUnit.objects.filter(obligation__document=document, obligation__kind="measure")
        .select_related("collective__region", "collective__group", "collective__parent_unit")
        .order_by("role", "obligation_id", "position")  # "lead" sorts before "support"
    )
    members: dict[int, list[int]] = {}
    tasks, seen = (
        [],
        set(
            Task.objects.filter(obligation__document=document).values_list(
                "obligation_id", "unit_id"
            )
        ),
    )
    for ref in refs:
        if ref.unit_id:
            unit_ids = [ref.unit_id]
        elif ref.collective_id:
            if ref.collective_id not in members:
                members[ref.collective_id] = list(
                    collective_members(ref.collective).values_list("id", flat=True)
                )
            unit_ids = members[ref.collective_id]
        else:
            continue
        for unit_id in unit_ids:
            key = (ref.obligation_id, unit_id)
            if key in seen:
                continue
            seen.add(key)
            tasks.append(
                Task(obligation_id=ref.obligation_id, unit_id=unit_id, role=ref.role, source=ref)
            )
    Task.objects.bulk_create(tasks, ignore_conflicts=True)
    return len(tasks)

