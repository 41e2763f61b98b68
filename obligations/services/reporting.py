"""Reporting and review: each change a person can cause is one function here, writing the
change, its audit entry and its notifications in one transaction (STYLE.md, Zulip)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from obligations.models import (
    Evidence,
    IndicatorTarget,
    IndicatorValue,
    Milestone,
    Notification,
    ProgressReport,
    ReportedValue,
    Task,
)
from obligations.services import audit
from obligations.services.changes import regions_of_tasks, register_changed_on_commit
from obligations.services.uploads import check_zip_upload, stored_name

ALLOWED_KINDS = ("pdf", "jpg", "png", "docx", "xlsx")
_EXTENSIONS = {"pdf": {"pdf"}, "jpg": {"jpg", "jpeg"}, "png": {"png"}, "docx": {"docx"},
               "xlsx": {"xlsx"}}


def max_evidence_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def sniff_kind(head: bytes, data_for_zip) -> str | None:
    """The file's type from its content, not its name."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(data_for_zip()) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    return None


def check_evidence(upload) -> str:
    """The upload's kind, or a ValidationError naming the file and what is wrong with it."""
    name = upload.name or ""
    limit = max_evidence_bytes()
    if upload.size > limit:
        raise ValidationError(_("“%(name)s”超过大小限制（%(mb)s MB）。")
                              % {"name": name, "mb": limit // (1024 * 1024)})
    if upload.size == 0:
        raise ValidationError(_("“%(name)s”是空文件。") % {"name": name})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)

    def whole():
        upload.seek(0)
        data = io.BytesIO(upload.read())
        upload.seek(0)
        return data

    kind = sniff_kind(head, whole)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind is None or extension not in _EXTENSIONS[kind]:
        raise ValidationError(
            _("“%(name)s”不是允许的文件类型（只接受 PDF、JPG、PNG、Word（docx）、Excel（xlsx），按文件内容检查）。")
            % {"name": name})
    if kind in ("docx", "xlsx"):
        check_zip_upload(whole().getvalue(), name=name)  # zip bombs: refused, never stored
    return kind


def _store_evidence(*, upload, unit, by) -> Evidence:
    """Stores a new file, or returns the unit's existing copy of the same content."""
    kind = check_evidence(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    existing = Evidence.objects.filter(unit=unit, sha256=digest.hexdigest()).first()
    if existing:
        return existing
    # Stored under a random name; the person's name for it is kept only in original_name
    # and given back as the download's file name (services.uploads).
    evidence = Evidence(unit=unit, original_name=upload.name[:255], kind=kind, size=upload.size,
                        sha256=digest.hexdigest(), uploaded_by=by)
    evidence.file.save(stored_name(kind), upload, save=False)
    evidence.save()
    return evidence


@dataclass
class Conflict(Exception):
    """The task changed since the form was opened; nothing was saved."""

    latest: ProgressReport | None
    task: Task


def _snapshot(task: Task) -> dict:
    return {"status": task.status, "version": task.version}


def _report_dict(report: ProgressReport) -> dict:
    return {"status": report.status, "percent": report.percent, "narrative": report.narrative,
            "review": report.review, "comment": report.review_comment,
            "evidence": sorted(report.evidence.values_list("original_name", flat=True))}


@transaction.atomic
def report_progress(*, task: Task, by, expected_version: int, status: str, percent,
                    narrative: str = "", uploads=(), reuse_evidence=(), milestone=None,
                    indicator_values: dict | None = None,
                    indicator_year: int | None = None) -> ProgressReport:
    """An official's report on a task (or one of its milestones). Validates everything
    first; refuses a stale form (Conflict); writes report, evidence, values and audit."""
    errors: dict[str, list[str]] = {}
    if not task.live:
        errors.setdefault("task", []).append(
            _("该任务所属时期已经结束，不能再填报；请在新时期的对应任务上填报。"))
    if status not in Task.Status.values:
        errors.setdefault("status", []).append(_("请选择进展状态。"))
    try:
        percent = int(percent)
        if not 0 <= percent <= 100:
            raise ValueError
    except (TypeError, ValueError):
        errors.setdefault("percent", []).append(_("完成百分比须为 0 到 100 之间的整数。"))
    narrative = (narrative or "").strip()
    reused = list(Evidence.objects.filter(unit=task.unit, pk__in=[e for e in reuse_evidence]))
    if len(reused) != len(set(reuse_evidence)):
        errors.setdefault("reuse_evidence", []).append(_("所选佐证材料不属于本单位。"))
    for upload in uploads:
        try:
            check_evidence(upload)
        except ValidationError as exc:
            errors.setdefault("uploads", []).extend(exc.messages)
    if status == Task.Status.DONE:
        if not narrative:
            errors.setdefault("narrative", []).append(_("报告“已完成”须填写进展情况。"))
        if not uploads and not reused:
            errors.setdefault("uploads", []).append(_("报告“已完成”须至少附一份佐证材料。"))
    if milestone is not None and milestone.task_id != task.pk:
        errors.setdefault("milestone", []).append(_("所选节点不属于本任务。"))
    year = indicator_year or indicator_years()[-1]
    if year not in indicator_years():
        errors.setdefault("indicator_year", []).append(_("指标年度须在过渡期内。"))
    values = _clean_indicator_values(task, indicator_values or {}, errors, year)
    if errors:
        raise ValidationError(errors)
    # No lost updates: bump the version only if nobody else did since the form was opened.
    changed = Task.objects.filter(pk=task.pk, version=expected_version).update(
        version=F("version") + 1, status=status, updated_at=timezone.now())
    if not changed:
        task.refresh_from_db()
        raise Conflict(latest=task.reports.select_related("submitted_by").first(), task=task)
    before = _snapshot(task)
    task.refresh_from_db()
    report = ProgressReport.objects.create(task=task, milestone=milestone, status=status,
                                           percent=percent, narrative=narrative, submitted_by=by)
    stored = [_store_evidence(upload=u, unit=task.unit, by=by) for u in uploads]
    report.evidence.set([*reused, *stored])
    _save_indicator_values(report, values, by)
    if milestone is not None:
        Milestone.objects.filter(pk=milestone.pk, status=Milestone.Status.OPEN).update(
            status=Milestone.Status.REPORTED)
    audit.record(actor=by, action=audit.Action.REPORT, subject=audit.subject("report", report.pk),
                 summary=_("%(unit)s报告“%(title)s”：%(status)s %(percent)s%%") % {
                     "unit": task.unit.name, "title": task.obligation.title,
                     "status": report.get_status_display(), "percent": report.percent},
                 task=task, report=report, before=before,
                 after={**_snapshot(task), **_report_dict(report)})
    register_changed_on_commit(regions=regions_of_tasks(Task.objects.filter(pk=task.pk)))
    return report


def indicator_years() -> list[int]:
    """The years a value can be reported for: from the first period's, up to this year."""
    from obligations.periods import years

    return years(timezone.localdate())


def _clean_indicator_values(task, raw: dict, errors, year) -> list[tuple[IndicatorTarget, int, Decimal]]:
    targets = {t.pk: t for t in task.obligation.targets.all()}
    cleaned = []
    for key, text in raw.items():
        if text in (None, ""):
            continue
        target = targets.get(int(key)) if str(key).isdigit() else None
        if target is None:
            errors.setdefault("indicators", []).append(_("指标不属于本任务。"))
            continue
        try:
            value = Decimal(str(text).strip())
            if not value.is_finite() or value < 0 or value >= Decimal("1e12"):
                raise InvalidOperation
        except InvalidOperation:
            errors.setdefault("indicators", []).append(
                _("“%(name)s”须填写不小于 0 的数字。") % {"name": target.name})
            continue
        cleaned.append((target, year, value.quantize(Decimal("0.01"))))
    return cleaned


def _save_indicator_values(report, values, by):
    for target, year, value in values:
        stored, _created = IndicatorValue.objects.update_or_create(
            target=target, region=report.task.unit.region, year=year,
            defaults={"value": value, "reported_by": by})
        ReportedValue.objects.create(report=report, value=stored)


def notify(*, user, kind: str, title: str, body: str = "", link: str = "") -> Notification:
    """An inbox entry, and an email after commit when the user has an address."""
    notification = Notification.objects.create(user=user, kind=kind, title=title, body=body,
                                               link=link,
                                               emailed_at=timezone.now() if user.email else None)
    if user.email:
        transaction.on_commit(lambda: send_mail(title, f"{body}\n{link}".strip(), None,
                                                [user.email], fail_silently=True))
    return notification


def _task_link(task) -> str:
    return reverse("obligations:task", args=[task.pk])


def _decide(report: ProgressReport, *, by, review: str, comment: str = "") -> ProgressReport:
    locked = ProgressReport.objects.select_for_update(of=("self",)).select_related(
        "task__obligation", "submitted_by").get(pk=report.pk)
    if locked.review != ProgressReport.Review.SUBMITTED:
        raise ValidationError(_("该报告已审核（%(state)s），不能重复审核。")
                              % {"state": locked.get_review_display()})
    before = _report_dict(locked)
    locked.review, locked.reviewed_by, locked.reviewed_at = review, by, timezone.now()
    locked.review_comment = comment
    locked.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_comment"])
    audit.record(actor=by, action=audit.Action(review), subject=audit.subject("report", locked.pk),
                 summary=_("%(decision)s：%(title)s") % {
                     "decision": audit.Action(review).label, "title": locked.task.obligation.title},
                 task=locked.task, report=locked, before=before, after=_report_dict(locked))
    register_changed_on_commit(regions=regions_of_tasks(Task.objects.filter(pk=locked.task_id)))
    return locked


@transaction.atomic
def approve_report(*, report: ProgressReport, by) -> ProgressReport:
    """Approves; an approved completion closes its milestone (or the task's next open one)."""
    report = _decide(report, by=by, review=ProgressReport.Review.APPROVED)
    if report.status == Task.Status.DONE:
        milestone = report.milestone or report.task.milestones.filter(
            status__in=[Milestone.Status.OPEN, Milestone.Status.REPORTED]).order_by("due_on").first()
        if milestone is not None:
            Milestone.objects.filter(pk=milestone.pk).update(status=Milestone.Status.CLOSED)
    elif report.milestone_id:
        Milestone.objects.filter(pk=report.milestone_id).update(status=Milestone.Status.CLOSED)
    if report.submitted_by:
        notify(user=report.submitted_by, kind="approved",
               title=_("报告已通过：%(title)s") % {"title": report.task.obligation.title},
               link=_task_link(report.task))
    return report


@transaction.atomic
def approve_reports(*, reports, by) -> int:
    """Several at once: all or nothing."""
    count = 0
    for report in reports:
        approve_report(report=report, by=by)
        count += 1
    return count


@transaction.atomic
def return_report(*, report: ProgressReport, by, comment: str) -> ProgressReport:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("退回须填写退回意见。")]})
    report = _decide(report, by=by, review=ProgressReport.Review.RETURNED, comment=comment)
    if report.milestone_id:
        Milestone.objects.filter(pk=report.milestone_id, status=Milestone.Status.REPORTED).update(
            status=Milestone.Status.OPEN)
    if report.submitted_by:
        notify(user=report.submitted_by, kind="returned",
               title=_("报告被退回：%(title)s") % {"title": report.task.obligation.title},
               body=comment, link=_task_link(report.task))
    return report


@transaction.atomic
def mark_read(*, user, notification_ids=None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
