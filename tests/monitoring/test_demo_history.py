"""`make run`'s demo history: reports on the seed's tasks, lights, summaries, published years."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from monitoring.demo import build_demo_history
from monitoring.models import AssessmentResult, AssessmentYear, ProgressSummary
from obligations.models import Milestone, ProgressReport, Region


def test_the_demo_gets_a_history_once_and_the_leader_sees_it(seeded, client):
    result = build_demo_history(today=datetime.date(2026, 11, 23))
    due = Milestone.objects.filter(due_on__lte=datetime.date(2026, 11, 23)).count()
    reported = ProgressReport.objects.count()
    assert result["milestones_reported"] == reported and 0.5 * due < reported < 0.8 * due
    assert ProgressReport.objects.filter(review="submitted").exists()  # a review queue to work
    assert Milestone.objects.filter(light="red").exists()  # and some red lights
    assert result["assessments"] == [2021, 2022, 2023, 2024, 2025]
    assert set(AssessmentYear.objects.values_list("status", flat=True)) == {"published"}
    longde = Region.objects.get(name="隆德县")
    assert AssessmentResult.objects.filter(region=longde, year__year=2023, total__gt=0).exists()
    assert ProgressSummary.objects.filter(scope="region", scope_id=longde.pk).exists()
    assert build_demo_history(today=datetime.date(2026, 11, 23)) is None  # never twice
    assert ProgressReport.objects.count() == reported

    client.force_login(get_user_model().objects.get(username="longde_leader"))
    page = client.get(reverse("monitoring:assessment", args=[2023])).content.decode()
    assert "隆德县" in page and "2023年度考核结果" in page
