"""Background jobs as plain functions: each takes a lock, does set-based work in one
transaction, and leaves a run record. Celery tasks and management commands call these."""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.aggregation import rebuild_summaries
from monitoring.models import JobRun
from obligations.services import audit
from obligations.services.mail import DigestsNotSent
from obligations.services.mail import email_reminders as send_reminder_emails
from obligations.services.sweep import refresh_lights


def _lock_key(job: str) -> int:
    return zlib.crc32(f"monitoring.{job}".encode())


def run_job(job: str, work: Callable[[], dict], *, audit_action=None, summary: str = "") -> JobRun:
    """Runs `work` under a PostgreSQL advisory lock held for its transaction.

    A second copy started while the first runs (another worker, another machine)
    finds the lock taken and records a skipped run instead of doing the work twice.
    A job that changes the record (`audit_action`) leaves one audit row per run it did,
    in the same transaction (obligations.models.AuditEntry says which jobs do).
    """
    started = timezone.now()
    clock = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_lock_key(job)])
            (locked,) = cursor.fetchone()
        if not locked:
            return JobRun.objects.create(job=job, started_at=started, finished_at=timezone.now(),
                                         status=JobRun.Status.SKIPPED)
        counts = work()
        run = JobRun.objects.create(job=job, started_at=started, finished_at=timezone.now(),
                                    seconds=round(time.monotonic() - clock, 3),
                                    status=JobRun.Status.OK, counts=counts)
        if audit_action:
            audit.record(actor=None, action=audit_action, subject=audit.subject("job_run", run.pk),
                         summary=summary, after=counts)
        return run


def run_job_in_steps(job: str, work: Callable[[], dict]) -> JobRun:
    """Like `run_job`, for work that commits step by step (each email with its marks): the
    advisory lock is held by the session instead of one transaction, and a run that fails
    part-way (`DigestsNotSent`) is recorded as failed with its counts, then re-raised for the
    Celery task to retry. What the finished steps committed stays committed."""
    started = timezone.now()
    clock = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_lock_key(job)])
        (locked,) = cursor.fetchone()
    if not locked:
        return JobRun.objects.create(job=job, started_at=started, finished_at=timezone.now(),
                                     status=JobRun.Status.SKIPPED)
    try:
        try:
            counts, status, failure = work(), JobRun.Status.OK, None
        except DigestsNotSent as exc:
            counts, status, failure = exc.counts, JobRun.Status.FAILED, exc
        run = JobRun.objects.create(job=job, started_at=started, finished_at=timezone.now(),
                                    seconds=round(time.monotonic() - clock, 3), status=status,
                                    counts=counts)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(job)])
    if failure is not None:
        raise failure
    return run


def sweep_overdue(*, today=None) -> JobRun:
    """Lights, reminders and escalations as of `today` (Beijing date by default)."""
    today = today or timezone.localdate()
    return run_job("sweep_overdue", lambda: refresh_lights(
        today=today, soon_days=settings.DUE_SOON_DAYS,
        escalate_after_days=settings.ESCALATE_AFTER_DAYS, now=timezone.now()).as_dict(),
        audit_action=audit.Action.SWEEP, summary=_("每日巡检（截至%(day)s）") % {"day": today})


def aggregate_progress(*, today=None, regions: list[str] | None = None) -> JobRun:
    """The progress summaries, whole or for some regions' part (monitoring.aggregation)."""
    today = today or timezone.localdate()
    return run_job("aggregate_progress",
                   lambda: rebuild_summaries(today=today, regions=regions))


def email_reminders() -> JobRun:
    """The sweep's new reminders and escalations, emailed as one digest per person, each marked
    sent only once the SMTP server accepted it. Raises DigestsNotSent (after recording a failed
    run) when some were not accepted: monitoring.tasks.email_reminders retries."""
    return run_job_in_steps("email_reminders", lambda: send_reminder_emails(now=timezone.now()))


def draft_assessment(*, today=None) -> JobRun:
    """The nightly draft of this year's assessment (the transition period's year nearest to
    today). A published year is frozen and left as it is; publishing stays a person's act."""
    from monitoring.assessment import compute_assessment
    from monitoring.models import AssessmentYear
    today = today or timezone.localdate()
    year = today.year

    def work() -> dict:
        if AssessmentYear.objects.filter(year=year,
                                         status=AssessmentYear.Status.PUBLISHED).exists():
            return {"year": year, "computed": 0, "published": 1}
        _record, changed = compute_assessment(year, actor=None)
        return {"year": year, "computed": int(changed), "published": 0}

    return run_job("draft_assessment", work)
