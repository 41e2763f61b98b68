"""Figures that are fresh and say how fresh (issue 12).

After a document or list import, a report, an approval or a return, the register sends
`obligations.services.changes.register_changed` with the regions touched; here that queues, per
county, one rebuild of that county's part of the progress summaries a minute later
(monitoring.aggregation, under a second). Many changes within that minute share the one
rebuild: the first sets the county's pending key in Redis (the cache), the rebuild clears it
as it starts. A change that names no region (a new document) queues a whole rebuild.
Commands that load data (load_seed) ask for the rebuild in-process, so the figures are there
when they end. Every dashboard and the API show the summary rows' `computed_at`. The receiver
that queues the Celery task is monitoring.tasks.on_register_changed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

PENDING_KEY = "monitoring:summaries-rebuild-pending"  # + ":<county code>" or ":*"
WHOLE = "*"


def coalesce_seconds() -> int:
    return int(getattr(settings, "SUMMARY_REBUILD_DELAY_SECONDS", 60))


def counties_of(codes) -> list[str]:
    """The county each region code lies in (a township's county; a city or province, above
    every county, stands for itself). Two queries."""
    from obligations.models import Region

    paths = dict(Region.objects.filter(code__in=list(codes)).values_list("code", "path"))
    ancestors = {code: [c for c in path.split("/") if c] for code, path in paths.items()}
    counties = set(Region.objects.filter(
        code__in={c for chain in ancestors.values() for c in chain}, level="county",
    ).values_list("code", flat=True))
    found = set()
    for code, chain in ancestors.items():
        found.add(next((c for c in chain if c in counties), code))
    return sorted(found)


def pending_key(county: str) -> str:
    return f"{PENDING_KEY}:{county}"


def claim(county: str) -> bool:
    """True for the first change of a county since its last rebuild started: that change
    queues the rebuild. Held a little longer than the delay, so a change arriving while the
    rebuild runs queues the next one only after the key is cleared at the rebuild's start."""
    return cache.add(pending_key(county), "1", timeout=coalesce_seconds() * 3)


def rebuild_started(county: str | None = None) -> None:
    cache.delete(pending_key(county or WHOLE))
