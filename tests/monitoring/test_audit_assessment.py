"""monitoring's state changes write one typed audit row each (obligations.services.audit): computing,
publishing and re-opening an assessment, and the nightly sweep; a refused change none."""

import datetime

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from monitoring.assessment import compute_assessment, publish_assessment, reopen_assessment
from monitoring.jobs import _lock_key, sweep_overdue
from monitoring.models import AssessmentYear
from obligations.models import AuditEntry
from tests.audit import audit_mark, nothing_written, the_one_entry

Action = AuditEntry.Action
D = datetime.date


@pytest.fixture
def admin_user(db):
    return get_user_model().objects.create_superuser("audit_admin", password="x")


@pytest.fixture
def computed(world):
    world.hand_computed_2023()
    compute_assessment(2023)
    return world


def test_computing_an_assessment_in_the_admin_records_the_administrator(world, client,
                                                                        admin_user):
    world.hand_computed_2023()
    record = AssessmentYear.objects.create(year=2023)
    client.force_login(admin_user)
    mark = audit_mark()
    client.post(reverse("admin:monitoring_assessmentyear_changelist"),
                {"action": "compute", "_selected_action": [record.pk]})
    entry = the_one_entry(mark, action=Action.ASSESSMENT_COMPUTE, actor=admin_user,
                          subject="assessment:2023")
    assert entry.after["subjects"] == record.results.count() > 0


def test_the_nightly_compute_records_no_actor(world):
    world.hand_computed_2023()
    mark = audit_mark()
    compute_assessment(2023)
    the_one_entry(mark, action=Action.ASSESSMENT_COMPUTE, actor=None, subject="assessment:2023")


def test_computing_a_published_year_changes_and_records_nothing(computed):
    publish_assessment(2023, actor=computed.supervisor)
    mark = audit_mark()
    _record, changed = compute_assessment(2023)
    assert not changed and nothing_written(mark)


def test_publishing_an_assessment_in_the_admin_records_the_administrator(computed, client,
                                                                         admin_user):
    client.force_login(admin_user)
    mark = audit_mark()
    client.post(reverse("admin:monitoring_assessmentyear_changelist"),
                {"action": "publish",
                 "_selected_action": [AssessmentYear.objects.get(year=2023).pk]})
    entry = the_one_entry(mark, action=Action.ASSESSMENT_PUBLISH, actor=admin_user,
                          subject="assessment:2023")
    record = AssessmentYear.objects.get(year=2023)
    assert record.status == "published" and entry.after["digest"] == record.digest


def test_publishing_a_year_not_computed_or_already_published_records_nothing(computed):
    mark = audit_mark()
    with pytest.raises(ValidationError, match="尚未计算"):
        publish_assessment(2022, actor=computed.supervisor)
    assert nothing_written(mark)
    publish_assessment(2023, actor=computed.supervisor)
    mark = audit_mark()
    with pytest.raises(ValidationError, match="已发布"):
        publish_assessment(2023, actor=computed.supervisor)
    assert nothing_written(mark)


def test_reopening_a_published_assessment_records_who_and_why(computed):
    publish_assessment(2023, actor=None)
    mark = audit_mark()
    reopen_assessment(2023, actor=computed.supervisor, note="数据订正")
    entry = the_one_entry(mark, action=Action.ASSESSMENT_REOPEN, actor=computed.supervisor,
                          subject="assessment:2023")
    assert entry.after == {"status": "draft", "note": "数据订正"}
    assert AssessmentYear.objects.get(year=2023).status == "draft"


def test_reopening_without_a_reason_or_a_year_not_published_records_nothing(computed):
    mark = audit_mark()
    with pytest.raises(ValidationError, match="尚未发布"):
        reopen_assessment(2023, actor=computed.supervisor, note="数据订正")
    publish_assessment(2023, actor=None)
    mark = audit_mark()
    with pytest.raises(ValidationError, match="说明理由"):
        reopen_assessment(2023, actor=computed.supervisor, note="  ")
    assert nothing_written(mark)
    assert AssessmentYear.objects.get(year=2023).status == "published"


def test_each_sweep_run_records_one_row_without_an_actor(world):
    world.task(world.east_unit, D(2024, 6, 30))
    world.task(world.west_unit, D(2024, 6, 30))
    mark = audit_mark()
    run = sweep_overdue(today=D(2024, 7, 1))
    entry = the_one_entry(mark, action=Action.SWEEP, actor=None, subject=f"job_run:{run.pk}")
    assert entry.after == run.counts and entry.after["milestones_changed"] == 2


def test_a_sweep_skipped_for_the_lock_records_nothing(world):
    world.task(world.east_unit, D(2024, 6, 30))
    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    try:
        with other.cursor() as cursor:  # another worker is sweeping
            cursor.execute("SELECT pg_advisory_lock(%s)", [_lock_key("sweep_overdue")])
        mark = audit_mark()
        run = sweep_overdue(today=D(2024, 7, 1))
    finally:
        other.close()
    assert run.status == "skipped" and nothing_written(mark)
