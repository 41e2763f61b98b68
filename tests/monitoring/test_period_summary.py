"""The five-year summary of the transition period (过渡期考核评估, issue 23 item 3): computed for
a closed period only, sealed, shown to the dashboards' scope, exported as .docx and .xlsx."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from monitoring import period_summary
from monitoring.assessment import compute_assessment, publish_assessment
from monitoring.jobs import aggregate_progress, sweep_overdue
from monitoring.models import AssessmentResult, PeriodSummary
from obligations import periods
from obligations.models import AuditEntry, Disposition, Period, Region, Task
from tests.obligations.conftest import after_the_transition

D = datetime.date
TODAY = D(2026, 6, 1)
YEARS = [2021, 2022, 2023, 2024, 2025]
XINBIN, QINGYUAN, FUSHUN = "210422", "210423", "210400"


def user(username):
    return get_user_model().objects.get(username=username)


def _xinbin_tasks():
    transition = periods.transition()
    return (Task.objects.filter(unit__region__path__startswith=Region.objects.get(code=XINBIN).path,
                                obligation__document__period=transition)
            .exclude(status="done").order_by("pk"))


@pytest.fixture
def summarised(seeded):
    """The seeds' transition period closed out in part: in 新宾 two tasks continued, one
    optimised, one ended, one done late; every year 2021–2025 assessed (2021–2024 published);
    the progress summaries as of mid-2026; then the summary computed."""
    after_the_transition(TODAY)
    tasks = list(_xinbin_tasks()[:5])
    now = timezone.now()
    for task, kind in zip(tasks, ["continued", "continued", "optimised", "ended", "done"],
                          strict=True):
        Disposition.objects.create(task=task, kind=kind, decided_at=now,
                                   reason="已不适用" if kind == "ended" else "")
    done = list(_xinbin_tasks().exclude(pk__in=[t.pk for t in tasks])
                .values_list("pk", flat=True)[:3])
    Task.objects.filter(pk__in=done).update(status="done")
    sweep_overdue(today=TODAY)
    aggregate_progress(today=TODAY)
    for year in YEARS:
        compute_assessment(year)
        if year < 2025:
            publish_assessment(year, actor=None)
    rows, changed = period_summary.compute_period_summary(
        period_id=periods.transition().pk, today=TODAY)
    assert changed and rows > 0
    return periods.transition()


def region_row(period, code):
    return PeriodSummary.objects.get(period=period, scope="region",
                                     scope_id=Region.objects.get(code=code).pk)


def test_the_county_gets_its_five_scores_and_dispositions(summarised):
    data = region_row(summarised, XINBIN).data
    county = Region.objects.get(code=XINBIN)
    scores = [row["total"] for row in data["assessment"]]
    expected = [float(AssessmentResult.objects.get(year__year=y, region=county).total)
                for y in YEARS]
    assert scores == expected
    outcomes = data["outcomes"]
    assert (outcomes["continued"], outcomes["ended"], outcomes["done_late"]) == (3, 1, 1)
    assert outcomes["kinds"] == {"continued": 2, "optimised": 1, "ended": 1, "done": 1}
    assert outcomes["done_on_time"] >= 3
    transition_tasks = Task.objects.filter(unit__region__path__startswith=county.path,
                                           obligation__document__period=summarised).count()
    assert outcomes["tasks"] == transition_tasks
    assert sum(outcomes[k] for k in period_summary.OUTCOMES) == transition_tasks
    # The city adds up its counties.
    city = region_row(summarised, FUSHUN).data["outcomes"]
    assert city["continued"] >= 3 and city["tasks"] >= transition_tasks
    assert [row["year"] for row in data["progress"]["years"]] == YEARS


def test_a_period_not_ended_is_refused(seeded):
    current = Period.objects.get(kind="normalized", region__isnull=True)
    with pytest.raises(ValidationError, match="尚未结束"):
        period_summary.compute_period_summary(period_id=current.pk, today=TODAY)
    assert not PeriodSummary.objects.exists()


def test_the_summary_is_frozen_sealed_audited_and_verifies(summarised):
    assert period_summary.verify_period_summary(summarised.pk) == []
    assert AuditEntry.objects.filter(action="period_summary").count() == 1
    # Run again (a redelivered task): nothing written, no second audit row.
    assert period_summary.compute_period_summary(period_id=summarised.pk,
                                                 today=TODAY)[1] is False
    assert AuditEntry.objects.filter(action="period_summary").count() == 1
    with pytest.raises(ValidationError, match="理由"):
        period_summary.compute_period_summary(period_id=summarised.pk, today=TODAY,
                                              recompute=True)
    # Edited after sealing: the verification names the county.
    row = region_row(summarised, XINBIN)
    row.data["outcomes"]["ended"] = 0
    row.save(update_fields=["data"])
    problems = period_summary.verify_period_summary(summarised.pk)
    assert any(p.startswith("新宾满族自治县") for p in problems)


def _cells(document):
    return [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]


def test_the_word_report_holds_the_five_scores_and_the_dispositions(summarised, client):
    from docx import Document

    client.force_login(user("xinbin_duban"))
    response = client.get(reverse("monitoring:period_summary_word",
                                  args=[summarised.pk, XINBIN]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    rows = _cells(document)
    county = Region.objects.get(code=XINBIN)
    for year in YEARS:
        total = AssessmentResult.objects.get(year__year=year, region=county).total
        assert [f"{year}年", f"{total:.2f}"] in [r[:2] for r in rows]
    assert ["延续（含优化、调整）", "3"] in rows
    assert ["退出", "1"] in rows
    assert ["逾期完成", "1"] in rows
    assert ["优化", "1"] in rows
    assert "新宾满族自治县过渡期考核评估报告（2021—2025年）" in document.paragraphs[0].text
    assert "2025年12月31日" in "\n".join(p.text for p in document.paragraphs)
    assert len(document.inline_shapes) >= 3  # the charts, as PNG
    assert AuditEntry.objects.filter(action="export", actor=user("xinbin_duban"),
                                     subject=f"period_summary:{summarised.pk}:{XINBIN}").exists()


def test_the_excel_has_the_same_tables_and_no_formulas(summarised, client):
    from openpyxl import load_workbook

    client.force_login(user("fushun_leader"))
    response = client.get(reverse("monitoring:period_summary_excel",
                                  args=[summarised.pk, FUSHUN]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert "过渡期任务处置情况" in workbook.sheetnames
    names = [row[0] for row in workbook["下级地区"].iter_rows(min_row=2, values_only=True)]
    assert "新宾满族自治县" in names and "清原满族自治县" in names
    assert AuditEntry.objects.filter(action="export", actor=user("fushun_leader")).exists()


def test_scope_is_that_of_the_dashboards(summarised, client):
    qingyuan = user("qingyuan_leader")
    client.force_login(qingyuan)
    page = client.get(reverse("monitoring:period_summary", args=[summarised.pk]))
    assert page.status_code == 200
    assert "清原满族自治县过渡期考核评估" in page.content.decode()
    assert "新宾满族自治县" not in page.content.decode()
    for name in ("monitoring:period_summary_region", "monitoring:period_summary_word",
                 "monitoring:period_summary_excel"):
        assert client.get(reverse(name, args=[summarised.pk, XINBIN])).status_code == 404
        assert client.get(reverse(name, args=[summarised.pk, QINGYUAN])).status_code == 200
    client.force_login(user("fushun_leader"))
    city = client.get(reverse("monitoring:period_summary", args=[summarised.pk])).content.decode()
    assert "新宾满族自治县" in city and "清原满族自治县" in city
    assert client.get(reverse("monitoring:period_summary_region",
                              args=[summarised.pk, XINBIN])).status_code == 200
    # Officials get no dashboards; a period that has not ended has no summary page.
    client.force_login(user("xinbin"))
    assert client.get(reverse("monitoring:period_summary",
                              args=[summarised.pk])).status_code == 403
    client.force_login(user("fushun_leader"))
    current = Period.objects.get(kind="normalized", region__isnull=True)
    assert client.get(reverse("monitoring:period_summary", args=[current.pk])).status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(summarised, client, django_assert_num_queries):
    client.force_login(user("fushun_leader"))
    url = reverse("monitoring:period_summary_region", args=[summarised.pk, FUSHUN])
    client.get(url)
    children = PeriodSummary.objects.filter(
        period=summarised, scope="region",
        scope_id__in=Region.objects.filter(parent__code=FUSHUN).values("pk")).count()
    assert children >= 7
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


# Session and user, roles and paths, roots, the period, the region, its ancestors (crumbs), its
# row, its child regions and their rows, its units' rows: whatever the number of children.
QUERIES = 13


def test_the_celery_task_and_the_command(seeded, capsys):
    from monitoring.tasks import compute_period_summary

    after_the_transition()

    # apply(): the task's own code in this process (the settings' eager flag is read when the
    # Celery app is configured, so overriding it here would leave delay() waiting for a worker).
    transition = periods.transition()
    result = compute_period_summary.apply(args=[transition.pk]).get()
    assert result["changed"] is True and result["rows"] > 0
    assert compute_period_summary.apply(args=[transition.pk]).get()["changed"] is False
    call_command("compute_period_summary", "--verify")
    assert "核验一致" in capsys.readouterr().out
