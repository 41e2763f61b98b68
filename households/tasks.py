"""Celery tasks of households: each a few lines calling a service."""

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from households.services.reminders import remind_missed_rounds, remind_under_line

RETRY = {"autoretry_for": (DatabaseError, BrokerError), "retry_backoff": 30,
         "retry_backoff_max": 600, "retry_jitter": True, "max_retries": 5}


@shared_task(name="households.remind_missed_rounds", **RETRY)
def remind_missed_rounds_task() -> dict:
    """Idempotent: a second run the same day adds no notification. Also the monthly reminder
    of households under the line (once a month per village)."""
    today = timezone.localdate()
    return {**remind_missed_rounds(today=today),
            "under_line": remind_under_line(today=today)}
