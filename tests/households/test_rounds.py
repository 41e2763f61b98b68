"""Screening rounds: missed periods computed for every place and period in one statement, the
current period due (not missed), quarterly periods on calendar quarters, recording by the
right people only, once per period."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from households.models import ScreeningDuty, ScreeningRound
from households.rounds import period_of, rounds_for
from households.services.rounds import record_round
from obligations.models import Region

D = datetime.date


@pytest.fixture
def duties(hh_world):
    longde = Region.objects.get(code="640423")
    village = ScreeningDuty.objects.create(region=longde, kind="village_monthly",
                                           starts_on=D(2024, 1, 1), clause="004 二(一)2")
    township = ScreeningDuty.objects.create(region=longde, kind="township_quarterly",
                                            starts_on=D(2024, 2, 15), clause="004 二(一)2")
    return village, township


def _of(found, code, kind):
    return next(r for r in found if r.place_code == code and r.kind == kind)


def test_missed_months_are_red_and_the_current_month_is_due(hh_world, duties, django_assert_num_queries):
    village, _township = duties
    ScreeningRound.objects.create(duty=village, region=hh_world.village, period=D(2024, 1, 1),
                                  done_on=D(2024, 1, 20))
    ScreeningRound.objects.create(duty=village, region=hh_world.village, period=D(2024, 3, 1),
                                  done_on=D(2024, 3, 20))
    with django_assert_num_queries(1):
        found = rounds_for(None, D(2024, 4, 10))
    beiguan = _of(found, "640423100201", "village_monthly")
    assert (beiguan.periods, beiguan.done, beiguan.missed) == (3, 2, [D(2024, 2, 1)])
    assert beiguan.light == "red" and not beiguan.current_done
    assert beiguan.current_period == D(2024, 4, 1)
    hongya = _of(found, "640423100202", "village_monthly")
    assert hongya.missed == [D(2024, 3, 1), D(2024, 2, 1), D(2024, 1, 1)]


def test_quarters_follow_the_calendar(hh_world, duties):
    _village, township = duties
    found = rounds_for(None, D(2024, 10, 2))
    chengguan = _of(found, "640423100", "township_quarterly")
    # from the quarter of 2024-02-15 (Q1) to Q3 ended; Q4 is the current one
    assert chengguan.missed == [D(2024, 7, 1), D(2024, 4, 1), D(2024, 1, 1)]
    assert period_of("township_quarterly", D(2024, 11, 30)) == D(2024, 10, 1)


def test_scope_only_the_places_in_reach(hh_world, duties):
    chengguan_path = hh_world.village.parent.path
    found = rounds_for([hh_world.village.path], D(2024, 4, 10))
    assert {r.place_code for r in found} == {"640423100201"}
    found = rounds_for([chengguan_path], D(2024, 4, 10))
    assert {r.place_code for r in found} == {"640423100201", "640423100202", "640423100"}


def test_recording_by_the_right_people_once_per_period(hh_world, duties):
    village, township = duties
    users = hh_world.users
    with pytest.raises(ValidationError, match="无权"):
        record_round(duty=village, place=hh_world.village, actor=users["longde_fupin"],
                     households_checked=30, clues=1, day=D(2024, 4, 10))
    with pytest.raises(ValidationError, match="不能多于"):
        record_round(duty=village, place=hh_world.village, actor=users["longde_beiguan"],
                     households_checked=3, clues=5, day=D(2024, 4, 10))
    record_round(duty=village, place=hh_world.village, actor=users["longde_beiguan"],
                 households_checked=30, clues=1, day=D(2024, 4, 10))
    with pytest.raises(ValidationError, match="不能重复"):
        record_round(duty=village, place=hh_world.village, actor=users["longde_beiguan"],
                     households_checked=30, clues=1, day=D(2024, 4, 28))
    assert _of(rounds_for(None, D(2024, 4, 30)), "640423100201",
               "village_monthly").current_done
    with pytest.raises(ValidationError, match="无权"):
        record_round(duty=township, place=hh_world.village.parent,
                     actor=users["longde_beiguan"], households_checked=1, clues=0)
    record_round(duty=township, place=hh_world.village.parent,
                 actor=users["longde_chengguan"], households_checked=80, clues=2)


def test_the_rounds_page(client, hh_world, duties):
    client.force_login(hh_world.users["longde_beiguan"])
    body = client.get("/households/rounds/").content.decode()
    assert "北关村" in body and "红崖村" not in body and 'data-light="red"' in body
    assert "填报本期" in body
    client.post("/households/rounds/record/", {"duty": duties[0].pk,
                                               "place": hh_world.village.pk, "checked": "40"})
    assert ScreeningRound.objects.filter(region=hh_world.village).count() == 1


def test_year_counts_for_the_assessment(hh_world, duties):
    from households.rounds import year_counts

    village, _township = duties
    for month in (1, 2, 3, 5):
        ScreeningRound.objects.create(duty=village, region=hh_world.village,
                                      period=D(2024, month, 1), done_on=D(2024, month, 20))
    counts = year_counts(2024, D(2025, 3, 1))
    assert counts[hh_world.village.path] == (12, 4)
    assert counts[hh_world.village.parent.path] == (4, 0)  # the township's four quarters
    assert year_counts(2024, D(2024, 4, 10))[hh_world.village.path] == (3, 3)


def test_missed_rounds_become_reminders_once_and_escalate_after_two(hh_world, duties):
    from config.celery import app
    from households.services.reminders import remind_missed_rounds
    from obligations.models import Notification

    village, township = duties
    for month in (1, 2):
        ScreeningRound.objects.create(duty=village, region=hh_world.village,
                                      period=D(2024, month, 1), done_on=D(2024, month, 25))
    result = remind_missed_rounds(today=D(2024, 4, 2))
    beiguan = hh_world.users["longde_beiguan"]
    reminders = Notification.objects.filter(user=beiguan, kind="reminder")
    assert [n.title for n in reminders] == ["北关村 2024年3月起的村每月摸排未填报"]
    # 红崖村 missed Jan–Mar: its county's supervisor is told (督办); 北关村 missed only one
    escalations = Notification.objects.filter(user=hh_world.users["longde_nongban"],
                                              kind="escalation")
    assert escalations.filter(title__startswith="红崖村").exists()
    assert not escalations.filter(title__startswith="北关村").exists()
    assert not Notification.objects.filter(user=hh_world.users["xinbin_duban"]).exists()
    assert result["notifications"] > 0
    assert remind_missed_rounds(today=D(2024, 4, 3))["notifications"] == 0  # once
    app.loader.import_default_modules()
    assert "households.remind_missed_rounds" in app.tasks


def test_households_under_the_line_are_a_monthly_reminder_to_the_village(hh_world):
    from decimal import Decimal

    from households.models import IncomeRecord
    from households.services.reminders import remind_under_line
    from obligations.models import Notification
    from tests.households.conftest import id_number, make_household

    poor = make_household(hh_world.village, hh_world.users["admin"], code="P-1")
    IncomeRecord.objects.create(household=poor, period_end=D(2024, 3, 31),
                                net_income=Decimal(8000), people=2)  # 4,000 < 6,000 × 1.05³
    better = make_household(hh_world.village, hh_world.users["admin"], code="P-2",
                            id_number=id_number(77))
    IncomeRecord.objects.create(household=better, period_end=D(2024, 3, 31),
                                net_income=Decimal(30000), people=2)
    assert remind_under_line(today=D(2024, 4, 2)) == {"villages": 1, "notifications": 1}
    note = Notification.objects.get(user=hh_world.users["longde_beiguan"])
    assert note.title.startswith("北关村有 1 户人均纯收入低于监测标准")
    assert remind_under_line(today=D(2024, 4, 20))["notifications"] == 0  # once a month
    from households.services import cases

    cases.open_case(household=poor, actor=hh_world.users["longde_beiguan"], channel="visit",
                    category="edge", risk="illness")
    assert remind_under_line(today=D(2024, 5, 2))["villages"] == 0  # a case is open now
