"""Celery tasks: each a few lines calling a job function (monitoring.jobs / .assessment).

They take plain values, are idempotent (a job run twice gives the result of one run),
retry with backoff on database and broker errors, and run under the time limits in settings.
"""

import logging

from celery import Task, shared_task
from django.conf import settings
from django.db import DatabaseError
from kombu.exceptions import OperationalError as BrokerError

from monitoring import assessment, freshness, jobs
from obligations.services.mail import DigestsNotSent

logger = logging.getLogger(__name__)

RETRY = {"autoretry_for": (DatabaseError, BrokerError), "retry_backoff": 30,
         "retry_backoff_max": 600, "retry_jitter": True, "max_retries": 5}


@shared_task(name="monitoring.sweep_overdue", **RETRY)
def sweep_overdue() -> dict:
    run = jobs.sweep_overdue()
    aggregate_progress.delay()  # figures follow the lights
    email_reminders.delay()
    return {"run": run.pk, "status": run.status, **run.counts}


class _MailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # After the last retry (or an error not retried): say so loudly, the digests wait.
        logger.error("提醒邮件在重试 %s 次后仍未全部发出：%s", self.request.retries, exc)


# SMTP and connection errors (smtplib.SMTPException and socket errors are OSError), digests the
# server refused, and database or broker errors: retried with exponential backoff
# (EMAIL_RETRY_BACKOFF_SECONDS × 2ⁿ, jittered, at most 10 min), EMAIL_MAX_RETRIES times. Each
# attempt sends only what is still unmarked (obligations.services.mail).
@shared_task(name="monitoring.email_reminders", base=_MailTask, acks_late=True,
             autoretry_for=(DigestsNotSent, OSError, DatabaseError, BrokerError),
             retry_backoff=settings.EMAIL_RETRY_BACKOFF_SECONDS, retry_backoff_max=600,
             retry_jitter=True, max_retries=settings.EMAIL_MAX_RETRIES)
def email_reminders() -> dict:
    run = jobs.email_reminders()
    return {"run": run.pk, "status": run.status, **run.counts}


@shared_task(name="monitoring.aggregate_progress", **RETRY)
def aggregate_progress() -> dict:
    run = jobs.aggregate_progress()
    return {"run": run.pk, "status": run.status, **run.counts}


@shared_task(name="monitoring.compute_assessment", **RETRY)
def compute_assessment(year: int) -> dict:
    record, changed = assessment.compute_assessment(year)
    return {"year": record.year, "changed": changed}


@shared_task(name="monitoring.refresh_summaries", bind=True, **RETRY)
def refresh_summaries(self, county: str | None = None) -> dict:
    """The coalesced rebuild of one county's part (or, county None, of everything) after
    changes to the register (monitoring.freshness)."""
    freshness.rebuild_started(county)
    run = jobs.aggregate_progress(regions=[county] if county else None)
    if run.status == run.Status.SKIPPED:  # another rebuild held the lock: try again shortly
        raise self.retry(countdown=freshness.coalesce_seconds(), max_retries=10)
    return {"run": run.pk, "status": run.status, **run.counts}


@shared_task(name="monitoring.draft_assessment", **RETRY)
def draft_assessment() -> dict:
    run = jobs.draft_assessment()
    return {"run": run.pk, "status": run.status, **run.counts}


def on_register_changed(sender, *, regions=(), sync=False, **kwargs) -> None:
    """obligations.services.changes.register_changed: rebuild now (sync, from a command) or queue one
    rebuild per county touched, coalesced (monitoring.freshness)."""
    if sync:
        jobs.aggregate_progress()
        return
    for county in (freshness.counties_of(regions) if regions else [freshness.WHOLE]):
        if freshness.claim(county):
            refresh_summaries.apply_async(
                kwargs={"county": None if county == freshness.WHOLE else county},
                countdown=freshness.coalesce_seconds())


# The five-year summary of a closed period (monitoring.period_summary): ids in, frozen once
# computed (a redelivered or repeated task writes nothing), never lost (acks_late), and a whole
# province well within its limits. A refusal (period not ended, no reason) is not retried.
@shared_task(name="monitoring.compute_period_summary", acks_late=True, soft_time_limit=15 * 60,
             time_limit=20 * 60, **RETRY)
def compute_period_summary(period_id: int, actor_id: int | None = None, recompute: bool = False,
                           reason: str = "") -> dict:
    from django.contrib.auth import get_user_model

    from monitoring import period_summary

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    rows, changed = period_summary.compute_period_summary(
        period_id=period_id, actor=actor, recompute=recompute, reason=reason)
    return {"period": period_id, "rows": rows, "changed": changed}
