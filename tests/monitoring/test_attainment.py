"""One "attained" (obligations.attainment): the assessment's 巩固成效, the progress summaries
and the task page count the same values — the unit's own region, in a year the target is
assessed — and agree."""

import datetime

from django.urls import reverse

from monitoring.aggregation import rebuild_summaries
from monitoring.assessment import compute_results
from monitoring.models import ProgressSummary
from obligations.models import IndicatorTarget, IndicatorValue, Task

D = datetime.date


def _world_with_values(w):
    """One measure carried by both counties, with a 2023 target ≥85 %.

    东县 reports 90 for 2023 (attained). 西县 reports 80 for 2023 (not attained) and 95 for
    2022 (a year the target is not assessed in). The city reports 99 for itself: it is the
    city's figure and stands in for neither county."""
    east = w.task(w.east_unit, D(2023, 6, 30), title="改厕")
    west = Task.objects.create(obligation=east.obligation, unit=w.west_unit, role="lead")
    target = IndicatorTarget.objects.create(obligation=east.obligation, name="卫生厕所普及率",
                                            comparator=">=", value=85, unit="%", due_year=2023,
                                            source_text="到2023年卫生厕所普及率达到85%以上")
    for region, year, value in ((w.east, 2023, 90), (w.west, 2023, 80), (w.west, 2022, 95),
                                (w.city, 2023, 99)):
        IndicatorValue.objects.create(target=target, region=region, year=year, value=value)
    return east, west


def _summary(scope, pk, year):
    return ProgressSummary.objects.get(scope=scope, scope_id=pk, year=year)


def test_assessment_and_summaries_count_the_same_attained_targets(world):
    w = world
    _world_with_values(w)
    results = {r["region"]: r for r in compute_results(2023) if r["subject"] == "county"}
    assert results[w.east.code]["parts"]["巩固成效"] == 100.0
    assert results[w.west.code]["parts"]["巩固成效"] == 0.0
    assert results[w.west.code]["inputs"]["targets"] == 1

    rebuild_summaries(today=D(2024, 1, 10))
    for county, attained in ((w.east, 1), (w.west, 0)):
        summary = _summary("region", county.pk, 2023)
        assert (summary.targets, summary.targets_attained) == (1, attained)
        assert results[county.code]["inputs"]["attained"] == attained
    city = _summary("region", w.city.pk, 2023)
    assert (city.targets, city.targets_attained) == (2, 1)  # one per county carrying it
    assert _summary("region", w.city.pk, 2022).targets == 0  # not assessed in 2022
    whole = _summary("region", w.province.pk, 0)
    assert (whole.targets, whole.targets_attained) == (2, 1)  # 西县's 2022 value does not count


def test_task_page_marks_values_as_the_rule_does(client, world):
    w = world
    _east, west = _world_with_values(w)
    client.force_login(w.far_supervisor)
    html = client.get(reverse("obligations:task", args=[west.pk])).content.decode()
    assert "2023年 西县：80% ✗未达标" in html
    assert "2022年 西县：95% （本年度不考核）" in html
    assert "99" not in html.split("指标目标")[-1].split("</ul>")[0]  # the city's value is not shown
