"""The synthetic province `make bench` measures on: generated set-based, every obligation with
its three tasks and their quarterly milestones (it broke once when a NOT NULL column was added
to obligations and the raw INSERT was not told)."""

import datetime

from monitoring.synthetic import generate
from obligations.models import Milestone, Obligation, Task


def test_a_small_synthetic_province_is_complete(db):
    counts = generate(cities=1, counties_per_city=2, obligations_per_county=5, years=1, seed=1,
                      today=datetime.date(2021, 6, 15))
    assert counts["counties"] == 2
    assert Obligation.objects.count() == 10
    assert not Obligation.objects.exclude(withdrawn_reason="").exists()
    assert Task.objects.count() == counts["tasks"] == 30
    assert Milestone.objects.filter(task__role="lead").exists()
