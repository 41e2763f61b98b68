"""`make run`'s demo, built for the day it runs: the transition period closed out, the 2026
分工方案 with a believable mix of lights, recent reports waiting, a handful of notices, the
published years and the five-year summary."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse

from monitoring.demo import build_demo_history
from monitoring.models import AssessmentResult, AssessmentYear, PeriodSummary, ProgressSummary
from obligations.models import Disposition, Notification, ProgressReport, Region, Task
from tests.obligations.conftest import after_the_transition


def test_the_demo_looks_like_a_county_today_once(seeded, client):
    today = datetime.date(2026, 11, 23)
    after_the_transition(today)  # the demo is built on the real dates
    result = build_demo_history(today=today)
    assert result["documents"] == ["隆党办发〔2026〕12号", "抚委农领发〔2026〕2号"]
    assert result["assessments"] == [2021, 2022, 2023, 2024, 2025]
    assert set(AssessmentYear.objects.filter(year__lt=2026).values_list("status", flat=True)) == {
        "published"}
    longde = Region.objects.get(name="隆德县")
    assert AssessmentResult.objects.filter(region=longde, year__year=2023, total__gt=0).exists()
    assert ProgressSummary.objects.filter(scope="region", scope_id=longde.pk).exists()
    assert PeriodSummary.objects.filter(scope="region", scope_id=longde.pk).exists()

    # Today's work is the 2026 documents'; the transition's tasks have ended and are disposed.
    live = Task.objects.filter(live=True)
    assert set(live.values_list("obligation__document__period__kind", flat=True)) == {"normalized"}
    lights = {k: live.filter(light=k).count() for k in ("red", "yellow", "green", "done")}
    assert 0 < lights["red"] < 0.15 * live.count() and lights["green"] > lights["red"]
    assert lights["yellow"] > 0 and lights["done"] > 0
    ended = Task.objects.filter(live=False)
    assert set(ended.values_list("light", flat=True)) == {"ended"}
    kinds = set(Disposition.objects.values_list("kind", flat=True))
    assert {"continued", "optimised", "adjusted", "ended", "done"} <= kinds
    assert Disposition.objects.filter(successor__document__doc_number="隆党办发〔2026〕12号").exists()
    assert ended.filter(disposition__isnull=True).exclude(status="done").exists()  # work left

    # The queue holds the last weeks' reports, of live tasks only; a handful of notices.
    waiting = ProgressReport.objects.filter(review="submitted")
    assert waiting.exists() and not waiting.filter(task__live=False).exists()
    assert all((today - r.submitted_at.date()).days <= 40 for r in waiting)
    assert Notification.objects.count() < 60
    # A task's status is its latest approved report's.
    for task in Task.objects.filter(reports__review="approved").distinct()[:50]:
        latest = task.reports.filter(review="approved").order_by("-submitted_at", "-id").first()
        assert task.status == latest.status

    assert build_demo_history(today=today) is None  # never twice
    client.force_login(get_user_model().objects.get(username="longde_leader"))
    page = client.get(reverse("monitoring:assessment", args=[2023])).content.decode()
    assert "隆德县" in page and "2023年度考核结果" in page
    overview = client.get(reverse("monitoring:overview")).content.decode()
    assert "2026年" in overview
