"""Deadline words → structure → dates (DESIGN.md §3.2), with the calendar's edge cases."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from obligations.deadlines import (
    Period,
    add_years,
    deadline_words_in_text,
    dekad_day,
    milestone_dates,
    parse_deadline,
)

PERIOD = Period(datetime.date(2021, 1, 1), datetime.date(2025, 12, 31))
D = datetime.date


@pytest.mark.parametrize(
    "words, expected",
    [
        ("2021年6月30日完成", {"kind": "one_off", "date": "2021-06-30"}),
        ("2021年10月30日完成并长期坚持", {"kind": "date_then_ongoing", "date": "2021-10-30"}),
        ("长期坚持", {"kind": "ongoing"}),
        ("每年12月上旬报送", {"kind": "recurring", "frequency": "annual", "month": 12, "dekad": "上旬"}),
        ("每年6月下旬", {"kind": "recurring", "month": 6, "dekad": "下旬"}),
        ("每年3月15日前", {"kind": "recurring", "month": 3, "day": 15}),
        ("每月", {"kind": "recurring", "frequency": "monthly"}),
        ("每季度", {"kind": "recurring", "frequency": "quarterly"}),
        ("每半年", {"kind": "recurring", "frequency": "semiannual"}),
        ("过渡期内", {"kind": "ongoing", "bound": "transition", "until": None}),
        ("过渡期前3年", {"kind": "ongoing", "until": "2023-12-31"}),
        ("至少要维持3年", {"kind": "ongoing", "minimum_until": "2023-12-31"}),
        ("延续至2025年", {"kind": "ongoing", "until": "2025-12-31"}),
        ("2022年底前完成", {"kind": "one_off", "date": "2022-12-31"}),
        ("2021年2月底完成", {"kind": "one_off", "date": "2021-02-28"}),
    ],
)
def test_each_phrase_is_understood(words, expected):
    spec = parse_deadline(words, period=PERIOD)
    assert {k: spec.get(k) for k in expected} == expected
    assert spec["words"] == words


@pytest.mark.parametrize("words", ["尽快", "适时推进", "2021年2月30日完成", "每年13月上旬"])
def test_unknown_or_impossible_words_are_kept_and_marked_unparsed(words):
    spec = parse_deadline(words, period=PERIOD)
    assert spec["kind"] == "unparsed" and spec["words"] == words


def test_measure_text_without_deadline_words_is_the_default():
    assert parse_deadline("", period=PERIOD, from_text=True)["kind"] == "default"
    assert deadline_words_in_text("县乡两级每年12月上旬报送工作总结，过渡期内保持稳定") == "每年12月上旬；过渡期内"


def test_dekads_at_month_ends_and_in_february():
    assert dekad_day(2024, 2, "下旬") == D(2024, 2, 29)  # leap year
    assert dekad_day(2023, 2, "下旬") == D(2023, 2, 28)
    assert dekad_day(2025, 4, "下旬") == D(2025, 4, 30)
    assert dekad_day(2025, 12, "下旬") == D(2025, 12, 31)
    assert dekad_day(2025, 12, "上旬") == D(2025, 12, 10)
    assert dekad_day(2025, 2, "中旬") == D(2025, 2, 20)


def test_annual_december_milestones_stop_at_the_transition_end():
    spec = parse_deadline("每年12月上旬", period=PERIOD)
    dates = milestone_dates(spec, period=PERIOD, issued_on=D(2021, 6, 2))
    assert dates == [(D(y, 12, 10), "recurring") for y in range(2021, 2026)]


def test_a_deadline_on_the_transitions_last_day_is_kept():
    spec = parse_deadline("每年12月下旬", period=PERIOD)
    dates = milestone_dates(spec, period=PERIOD, issued_on=None)
    assert dates[-1] == (D(2025, 12, 31), "recurring")
    one_off = milestone_dates(parse_deadline("2025年12月31日完成", period=PERIOD), period=PERIOD,
                              issued_on=None)
    assert one_off == [(D(2025, 12, 31), "completion")]


def test_completion_then_quarterly_checkins():
    spec = parse_deadline("2021年10月30日完成并长期坚持", period=PERIOD)
    dates = milestone_dates(spec, period=PERIOD, issued_on=D(2021, 6, 2))
    assert dates[0] == (D(2021, 10, 30), "completion")
    assert dates[1:3] == [(D(2021, 12, 31), "checkin"), (D(2022, 3, 31), "checkin")]
    assert dates[-1] == (D(2025, 12, 31), "checkin")


def test_ongoing_checkins_follow_the_documents_frequency():
    spec = parse_deadline("长期坚持", period=PERIOD)
    monthly = milestone_dates(spec, period=PERIOD, issued_on=D(2025, 10, 15), checkin="monthly")
    assert [d for d, _ in monthly] == [D(2025, 10, 31), D(2025, 11, 30), D(2025, 12, 31)]


def test_first_three_years_end_before_2024():
    spec = parse_deadline("过渡期前3年", period=PERIOD)
    dates = milestone_dates(spec, period=PERIOD, issued_on=None)
    assert max(d for d, _ in dates) == D(2023, 12, 31)


def test_words_that_extend_past_the_transition_are_obeyed():
    spec = parse_deadline("延续至2026年", period=PERIOD)
    assert max(d for d, _ in milestone_dates(spec, period=PERIOD, issued_on=None)) == D(2026, 12, 31)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), st.integers(1, 10))
def test_add_years_is_the_day_before_the_anniversary(start, years):
    end = add_years(start, years)
    following = end + datetime.timedelta(days=1)
    assert following.year == start.year + years
    assert (following.month, following.day) == (start.month, start.day) or (
        (start.month, start.day) == (2, 29) and (following.month, following.day) == (3, 1)
    )


@given(st.integers(2000, 2090), st.integers(1, 12), st.sampled_from(["上旬", "中旬", "下旬"]))
def test_dekad_day_is_in_its_month_and_its_third(year, month, dekad):
    day = dekad_day(year, month, dekad)
    assert (day.year, day.month) == (year, month)
    low, high = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31)}[dekad]
    assert low <= day.day <= high
    if dekad == "下旬":
        assert (day + datetime.timedelta(days=1)).day == 1


@given(
    st.dates(min_value=D(2021, 1, 1), max_value=D(2025, 12, 31)),
    st.sampled_from(["monthly", "quarterly", "semiannual", "annual"]),
)
def test_checkins_are_period_ends_inside_the_window_without_duplicates(issued, frequency):
    dates = [d for d, _ in milestone_dates({"kind": "ongoing"}, period=PERIOD, issued_on=issued,
                                           checkin=frequency)]
    assert dates == sorted(set(dates))
    assert all(issued <= d <= PERIOD.end for d in dates)
    assert all((d + datetime.timedelta(days=1)).day == 1 for d in dates)
    step = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}[frequency]
    assert all(d.month % step == 0 for d in dates)
    # Nothing is skipped: the next period end after the last one is past the transition.
    if dates:
        assert dates[-1] == D(2025, 12, 31)
