from pathlib import Path

import pytest

from obligations.importers import parse_document
from obligations.services.seed import create_demo_accounts, load_seed

SOURCES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"


def seed_source(prefix: str) -> Path:
    return next(SOURCES.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="session")
def parsed_seeds():
    """The importer's own reading of the five source documents (no database)."""
    return {
        prefix: parse_document(seed_source(prefix).read_bytes(), source_name=seed_source(prefix).name)
        for prefix in ("000", "001", "002", "003", "004")
    }


def during_the_transition() -> None:
    """The seed's documents are of the 2021–2025 过渡期, which has ended by the real date the
    tests run on: loaded today, their tasks would not be live (obligations.periods). The tests
    of reporting, review, lights and dashboards on the seed were written for the time the
    period ran; they keep that world: the 过渡期 as it was before its end was reached, recorded
    without an end (a Period may be open-ended), so every reader (live, lights, the years of
    the dashboards) sees it running today. Milestones already made stay as they were. What a
    period's end changes is tested from the real dates (`after_the_transition`)."""
    from obligations.models import Period, Task

    Period.objects.filter(kind=Period.Kind.TRANSITION, region__isnull=True).update(end=None)
    Task.objects.update(live=True)


def after_the_transition(today=None) -> None:
    """The real dates again: the 过渡期 ended on 2025-12-31, and its tasks are no longer live."""
    import datetime

    from django.utils import timezone

    from obligations.models import Period
    from obligations.services.periods import refresh_live

    Period.objects.filter(kind=Period.Kind.TRANSITION, region__isnull=True).update(
        end=datetime.date(2025, 12, 31))
    refresh_live(today=today or timezone.localdate())


@pytest.fixture
def seeded(db):
    """The reviewed seed register and the demo accounts, loaded into this test's transaction,
    on a day within the seed's period (`during_the_transition`)."""
    documents = load_seed()
    during_the_transition()
    create_demo_accounts()
    # Statistics for the rows just loaded (autovacuum never sees a test's open transaction):
    # without them the planner may pick nested loops that take minutes on 25,000 milestones.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE obligations_task, obligations_milestone, obligations_unit, "
                           "obligations_region, obligations_membership, obligations_obligation")
    return {d.doc_number or d.title: d for d in documents}
