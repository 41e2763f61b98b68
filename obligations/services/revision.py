"""A revised version of a document already in the register (issue 13 item 5).

The new version is compared measure by measure with the register, the same way a 责任清单
import is (obligations.services.list_import: matched by number, else by title; each field
"原→新"). Publishing it changes the measures in place — a changed measure keeps its tasks,
reports and history; new measures get tasks; a measure the new version no longer has is never
deleted: it stops (停止执行) on the day of publishing, with the reason, and its future open
milestones are removed. Every change leaves an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from obligations.importers import ParsedDocument
from obligations.importers.excel import Problem, Sheet
from obligations.importers.table import TableRow
from obligations.models import (
    DataFlag,
    DocumentUpload,
    Milestone,
    Obligation,
    PolicyDocument,
    Region,
)
from obligations.periods import schedule_period
from obligations.selectors.units import infer_region
from obligations.services import audit
from obligations.services.changes import register_changed_on_commit
from obligations.services.intake import same_content_document
from obligations.services.list_import import FIELDS, PlannedRow, _apply_sheet, _plan_sheet


@dataclass
class RevisionPlan:
    document: PolicyDocument
    rows: list[PlannedRow]
    removed: list[Obligation]
    problems: list[Problem] = field(default_factory=list)

    @property
    def counts(self) -> dict:
        return {action: sum(1 for row in self.rows if row.action == action)
                for action in ("create", "change", "unchanged")}

    @property
    def changed_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action != "unchanged"]

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def has_changes(self) -> bool:
        return bool(self.changed_rows or self.removed)


def revised_document(parsed: ParsedDocument, *, region=None) -> PolicyDocument | None:
    """The document a parsed upload is a new version of: the same 文号, or (no 文号) the
    same title in the same region (two counties' 工作要点 are not versions of each other)."""
    if parsed.doc_number:
        return PolicyDocument.objects.filter(doc_number=parsed.doc_number).first()
    if parsed.title and region is not None:
        return PolicyDocument.objects.filter(doc_number="", title=parsed.title,
                                             region=region).first()
    return None


def _sheet(parsed: ParsedDocument) -> Sheet:
    """The new version's measures as rows of a 责任清单, numbers in the 备注 column."""
    rows = []
    for line_no, node in enumerate(parsed.measures, start=1):
        rows.append(TableRow(number=None, line_no=line_no, cells={
            "note": node.code, "content": node.title, "measures": node.text,
            "lead": "、".join(node.lead_units), "support": "、".join(node.supporting_units),
            "leaders": "、".join(node.leaders), "persons": "、".join(node.persons),
            "deadline": node.deadline_text}))
    return Sheet(name=_("修订版"), rows=rows,
                 columns={name: str(label) for name, (label, _parse) in FIELDS.items()})


def plan_revision(*, document: PolicyDocument, parsed: ParsedDocument) -> RevisionPlan:
    """What publishing the new version would change. Writes nothing."""
    problems: list[Problem] = []
    plan = _plan_sheet(_sheet(parsed), document, document.region, schedule_period(document.period), problems)
    measures = parsed.measures
    for row in plan.rows:
        if row.action == "create":  # a new measure keeps the number the document gives it
            row.values["number"] = measures[row.row - 1].code
    kept = {row.code for row in plan.rows if row.code}
    removed = list(document.obligations.filter(kind=Obligation.Kind.MEASURE,
                                               withdrawn_on__isnull=True)
                   .exclude(code__in=kept).order_by("position"))
    return RevisionPlan(document=document, rows=plan.rows, removed=removed, problems=problems)


@transaction.atomic
def publish_revision(*, upload: DocumentUpload, document: PolicyDocument, reason: str,
                     actor) -> dict:
    """Applies a previewed new version to `document`; one audit row per measure changed,
    added or stopped."""
    locked = DocumentUpload.objects.select_for_update(of=("self",)).get(pk=upload.pk)
    if locked.status != DocumentUpload.Status.PARSED:
        raise ValidationError(_("文件尚未解析完成或已经发布，不能发布修订版。"))
    existing = same_content_document(locked)
    if existing is not None:
        raise ValidationError(_("内容相同的文件已在责任清单中：%(title)s，未重复写入。")
                              % {"title": existing.title})
    reason = (reason or "").strip() or _("修订版中已删除")
    plan = plan_revision(document=document, parsed=ParsedDocument.from_dict(locked.parsed))
    if plan.blocking:
        raise ValidationError([f"{p.where}：{p.message}" for p in plan.blocking])
    if not plan.has_changes:
        raise ValidationError(_("修订版与责任清单中的文件一致，没有需要修改的内容。"))
    before_codes = set(document.obligations.values_list("code", flat=True))
    result = _apply_sheet(document, plan.rows)
    created = {o.code: o for o in document.obligations.exclude(code__in=before_codes)}
    parents = {n.code: n.parent_code for n in ParsedDocument.from_dict(locked.parsed).nodes}
    by_code = {o.code: o for o in document.obligations.filter(kind=Obligation.Kind.GROUP)}
    for code, obligation in created.items():  # under the heading the new version puts it
        parent = by_code.get(parents.get(code) or "")
        if parent is not None:
            Obligation.objects.filter(pk=obligation.pk).update(parent=parent)
    for row in plan.changed_rows:
        obligation_id = row.obligation_id or next(
            (o.pk for o in created.values() if o.title == row.title[:300]), None)
        audit.record(
            actor=actor, action=audit.Action.DOCUMENT_REVISE,
            subject=audit.subject("obligation", obligation_id),
            summary=(_("修订版新增措施：%(title)s") if row.action == "create"
                     else _("修订版修改措施 %(code)s：%(title)s"))
            % {"code": row.code, "title": row.title[:100]},
            before={c.field: c.before for c in row.changes},
            after={c.field: c.after for c in row.changes} or {"title": row.title})
    today = timezone.localdate()
    for obligation in plan.removed:
        Obligation.objects.filter(pk=obligation.pk).update(withdrawn_on=today,
                                                           withdrawn_reason=reason[:200])
        # Future checkpoints of a stopped measure go; what was due and reported stays.
        Milestone.objects.filter(task__obligation=obligation, status=Milestone.Status.OPEN,
                                 due_on__gt=today, reports__isnull=True).delete()
        DataFlag.objects.create(document=document, obligation=obligation,
                                kind=DataFlag.Kind.METADATA,
                                message=_("%(day)s起停止执行：%(reason)s") % {
                                    "day": f"{today.year}年{today.month}月{today.day}日",
                                    "reason": reason[:150]})
        audit.record(actor=actor, action=audit.Action.DOCUMENT_REVISE,
                     subject=audit.subject("obligation", obligation.pk),
                     summary=_("修订版删除措施 %(code)s，停止执行：%(reason)s") % {
                         "code": obligation.code, "reason": reason[:100]},
                     before={"withdrawn_on": None},
                     after={"withdrawn_on": today.isoformat(), "reason": reason[:200]})
    PolicyDocument.objects.filter(pk=document.pk).update(source_text=locked.text)
    DocumentUpload.objects.filter(pk=locked.pk).update(
        status=DocumentUpload.Status.PUBLISHED, document=document, published_at=timezone.now())
    register_changed_on_commit()
    return {**result, "removed": len(plan.removed)}


def revision_of(upload: DocumentUpload) -> tuple[PolicyDocument | None, RevisionPlan | None]:
    """(document, plan) when a parsed upload is a new version of a document in the register."""
    if upload.status != DocumentUpload.Status.PARSED or not upload.parsed:
        return None, None
    parsed = ParsedDocument.from_dict(upload.parsed)
    region = upload.region
    if region is None and parsed.region_code:
        region = Region.objects.filter(code=parsed.region_code).first()
    document = revised_document(parsed, region=region or infer_region(parsed))
    if document is None:
        return None, None
    return document, plan_revision(document=document, parsed=parsed)


def publish(*, upload: DocumentUpload, actor, reason: str = "") -> tuple[PolicyDocument, dict | None]:
    """Publishes an upload: as a revision of the document it is a new version of, else as a
    new document. (document, the revision's counts or None for a new document)."""
    from obligations.services.intake import publish_upload

    document, _plan = revision_of(upload)
    if document is not None:
        return document, publish_revision(upload=upload, document=document, reason=reason,
                                          actor=actor)
    return publish_upload(upload=upload, actor=actor), None
