"""The beat: the sweep, the aggregation and the nightly draft assessment are scheduled; the
draft never touches a published year."""

import datetime

from django.conf import settings

from monitoring.assessment import publish_assessment
from monitoring.jobs import draft_assessment
from monitoring.models import AssessmentResult, AssessmentYear

D = datetime.date


def test_the_beat_holds_the_sweep_the_aggregation_and_the_draft_assessment():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"monitoring.sweep_overdue", "monitoring.aggregate_progress",
            "monitoring.draft_assessment"} <= tasks
    from config.celery import app

    app.loader.import_default_modules()
    assert {"monitoring.draft_assessment", "monitoring.refresh_summaries"} <= set(app.tasks)


def test_nightly_draft_computes_this_year_and_leaves_a_published_year_alone(world):
    w = world
    w.hand_computed_2023()
    run = draft_assessment(today=D(2023, 12, 20))
    assert run.counts == {"year": 2023, "computed": 1, "published": 0}
    record = AssessmentYear.objects.get(year=2023)
    assert record.status == AssessmentYear.Status.DRAFT
    assert AssessmentResult.objects.filter(year=record, subject="county").count() == 2
    publish_assessment(2023, actor=w.supervisor)
    frozen = list(AssessmentResult.objects.filter(year=record).values_list("id", "total"))
    w.task(w.east_unit, D(2023, 11, 30))  # more work due: a draft would change
    run = draft_assessment(today=D(2023, 12, 21))
    assert run.counts == {"year": 2023, "computed": 0, "published": 1}
    assert list(AssessmentResult.objects.filter(year=record).values_list("id", "total")) == frozen


def test_after_the_transition_the_draft_is_of_the_running_year(world):
    # 2026 is a year of the 常态化帮扶 period: the nightly draft follows the calendar year.
    run = draft_assessment(today=D(2026, 12, 1))
    assert run.counts["year"] == 2026
