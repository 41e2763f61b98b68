"""Figures that are fresh and say how fresh (issue 12).

After a document or list import, a report, an approval or a return, the register sends
`obligations.changes.register_changed`; here that queues one rebuild of the progress
summaries a minute later. Many changes within that minute share the one rebuild: the first
sets a pending key in Redis (the cache), the rebuild clears it as it starts. Commands that
load data (load_seed) ask for the rebuild in-process, so the figures are there when they end.
Every dashboard and the API show `computed_at()`, the time of the figures.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max

from .models import ProgressSummary

PENDING_KEY = "monitoring:summaries-rebuild-pending"


def coalesce_seconds() -> int:
    return int(getattr(settings, "SUMMARY_REBUILD_DELAY_SECONDS", 60))


def on_register_changed(sender, *, regions=(), sync=False, **kwargs) -> None:
    from . import jobs, tasks

    if sync:
        jobs.aggregate_progress()
        return
    delay = coalesce_seconds()
    # Held a little longer than the delay: a change arriving while the rebuild runs queues
    # the next one only after the pending key is cleared at its start.
    if cache.add(PENDING_KEY, "1", timeout=delay * 3):
        tasks.refresh_summaries.apply_async(countdown=delay)


def rebuild_started() -> None:
    cache.delete(PENDING_KEY)


def computed_at() -> datetime.datetime | None:
    """When the summaries the dashboards show were computed (one query)."""
    return ProgressSummary.objects.aggregate(at=Max("computed_at"))["at"]
