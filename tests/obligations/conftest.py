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
    tests run on: loaded today, their tasks are not live (obligations.periods). The tests of
    reporting, review, lights and dashboards on the seed were written for a day within that
    period; they keep it so: the seed's tasks are live, as they were until the first nightly
    sweep after 2025-12-31 (a test that runs the sweep for a later day sees them end). What a
    period's end changes is tested from the real dates (test_periods, test_linkage,
    tests/e2e/test_close_out.py, the demo)."""
    from obligations.models import Task

    Task.objects.update(live=True)


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
