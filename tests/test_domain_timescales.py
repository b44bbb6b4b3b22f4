"""Working-day clocks over weekends and England and Wales bank holidays; months; rules."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrdesk.domain.errors import InvalidValue
from scrdesk.domain.timescales import (
    LOCAL_RULES,
    Rule,
    add_months,
    add_offset,
    add_working_days,
    bank_holidays,
    due_date,
    is_bank_holiday,
    is_working_day,
    working_days_between,
)

D = date


@pytest.mark.parametrize(
    "d",
    [
        D(2016, 3, 25), D(2016, 3, 28),  # Good Friday, Easter Monday
        D(2017, 4, 14), D(2017, 4, 17),
        D(2017, 5, 1), D(2017, 5, 29), D(2017, 8, 28),  # early May, spring, summer
        D(2020, 5, 8),  # early May moved to Friday for VE day
        D(2020, 12, 28),  # Boxing Day (Saturday) substitute
        D(2021, 12, 27), D(2021, 12, 28),  # Christmas (Sat) and Boxing Day (Sun) substitutes
        D(2022, 1, 3),  # New Year's Day (Sat) substitute
        D(2022, 6, 2), D(2022, 6, 3),  # moved spring bank holiday and the Platinum Jubilee
        D(2022, 9, 19),  # the Queen's state funeral
        D(2022, 12, 26), D(2022, 12, 27),  # Boxing Day; Christmas (Sun) substitute
        D(2023, 1, 2),
        D(2023, 5, 8),  # the coronation
        D(2016, 12, 27),  # Christmas 2016 fell on a Sunday
        D(2017, 1, 2),
    ],
)
def test_bank_holidays_are_not_working_days(d):
    assert d.weekday() < 5
    assert is_bank_holiday(d)
    assert not is_working_day(d)


@pytest.mark.parametrize(
    "d",
    [
        D(2020, 5, 4),  # the usual early-May Monday was a working day in 2020
        D(2022, 5, 30),  # the usual last-Monday-in-May was a working day in 2022
        D(2021, 12, 29),
        D(2017, 3, 31),
        D(2023, 5, 9),
    ],
)
def test_ordinary_weekdays_are_working_days(d):
    assert is_working_day(d)


def test_weekends_are_not_working_days():
    assert not is_working_day(D(2017, 4, 1))  # Saturday
    assert not is_working_day(D(2017, 4, 2))  # Sunday


def test_bank_holidays_by_name():
    names = bank_holidays(2022)
    assert "Funeral" in names[D(2022, 9, 19)]
    assert "Jubilee" in names[D(2022, 6, 3)]
    assert D(2022, 12, 27) in names
    assert all(d.year == 2022 for d in names)


def test_scotland_only_days_do_not_count():
    assert is_working_day(D(2017, 11, 30))  # St Andrew's Day
    assert is_working_day(D(2017, 1, 3))  # 2 January substitute is Scotland's, not England's


# add_working_days


def test_working_days_skip_the_weekend():
    assert add_working_days(D(2017, 3, 31), 1) == D(2017, 4, 3)  # Fri -> Mon
    assert add_working_days(D(2017, 3, 29), 5) == D(2017, 4, 5)  # Wed -> next Wed
    assert add_working_days(D(2017, 4, 1), 1) == D(2017, 4, 3)  # from a Saturday
    assert add_working_days(D(2017, 4, 2), 5) == D(2017, 4, 7)  # from a Sunday


def test_five_working_days_over_easter():
    # Aware Wed 12 Apr 2017: Thu 13, (Good Fri 14, Sat, Sun, Easter Mon 17), Tue 18, Wed 19, Thu 20, Fri 21
    assert add_working_days(D(2017, 4, 12), 5) == D(2017, 4, 21)


def test_fifteen_working_days_over_christmas_2021():
    # From Mon 20 Dec 2021: 21-24 Dec (4), 27/28 Dec substitutes skipped, 29-31 Dec (7),
    # 3 Jan substitute skipped, 4-7 Jan (11), 10-13 Jan (15)
    assert add_working_days(D(2021, 12, 20), 15) == D(2022, 1, 13)


def test_christmas_2022():
    assert add_working_days(D(2022, 12, 23), 1) == D(2022, 12, 28)
    assert add_working_days(D(2022, 12, 23), 4) == D(2023, 1, 3)  # 28, 29, 30, (2 Jan sub), 3 Jan


def test_may_2020_and_ve_day():
    assert add_working_days(D(2020, 5, 7), 1) == D(2020, 5, 11)
    assert add_working_days(D(2020, 5, 1), 1) == D(2020, 5, 4)  # not the usual May Day Monday


def test_funeral_and_coronation():
    assert add_working_days(D(2022, 9, 16), 1) == D(2022, 9, 20)
    assert add_working_days(D(2023, 5, 5), 1) == D(2023, 5, 9)
    assert add_working_days(D(2023, 5, 26), 1) == D(2023, 5, 30)  # spring bank holiday 29 May


def test_zero_working_days_is_the_day_itself():
    assert add_working_days(D(2017, 3, 31), 0) == D(2017, 3, 31)
    assert add_working_days(D(2017, 4, 1), 0) == D(2017, 4, 1)


def test_negative_working_days_count_back():
    assert add_working_days(D(2017, 4, 3), -1) == D(2017, 3, 31)  # Mon -> Fri
    assert add_working_days(D(2017, 4, 18), -1) == D(2017, 4, 13)  # over Easter
    assert add_working_days(D(2017, 4, 2), -1) == D(2017, 3, 31)  # from a Sunday
    # Seven working days before publication on Fri 6 Jan 2023: 5, 4, 3 Jan, 30, 29, 28 Dec, 23 Dec
    assert add_working_days(D(2023, 1, 6), -7) == D(2022, 12, 23)


# working_days_between


def test_working_days_between():
    assert working_days_between(D(2017, 3, 31), D(2017, 3, 31)) == 0
    assert working_days_between(D(2017, 3, 31), D(2017, 4, 3)) == 1
    assert working_days_between(D(2017, 3, 31), D(2017, 4, 2)) == 0
    assert working_days_between(D(2017, 4, 12), D(2017, 4, 21)) == 5
    assert working_days_between(D(2017, 4, 3), D(2017, 3, 31)) == -1
    assert working_days_between(D(2021, 12, 24), D(2021, 12, 29)) == 1
    # 2 Apr 2016 - 31 Mar 2017 is 52 whole weeks (260 weekdays) less 2 May, 30 May, 29 Aug,
    # 26 Dec, 27 Dec and 2 Jan
    assert working_days_between(D(2016, 4, 1), D(2017, 3, 31)) == 254


def test_working_days_between_across_years():
    # 2022 has 260 weekdays and 10 weekday bank holidays (incl. 2 Jun, 3 Jun, 19 Sep, 26-27 Dec)
    assert working_days_between(D(2021, 12, 31), D(2022, 12, 31)) == 250
    # Backwards the range is [31 Dec 2021, 31 Dec 2022): Fri 31 Dec 2021 counts, Sat 31 Dec 2022 not
    assert working_days_between(D(2022, 12, 31), D(2021, 12, 31)) == -251


def _slow_count(a, b):
    if b >= a:
        return sum(is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))
    return -sum(is_working_day(b + timedelta(days=i)) for i in range((a - b).days))


dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))


@given(dates, st.integers(min_value=-60, max_value=60).filter(bool))
def test_add_working_days_lands_on_a_working_day(d, n):
    result = add_working_days(d, n)
    assert is_working_day(result)
    assert (result > d) == (n > 0)


@given(dates, st.integers(min_value=-400, max_value=400))
def test_working_days_between_inverts_add_working_days(d, n):
    assert working_days_between(d, add_working_days(d, n)) == n


@given(dates, st.integers(min_value=-800, max_value=800))
def test_working_days_between_matches_counting_day_by_day(a, days):
    b = a + timedelta(days=days)
    assert working_days_between(a, b) == _slow_count(a, b)


@given(dates, dates)
def test_between_is_antisymmetric_for_working_days(a, b):
    if is_working_day(a) and is_working_day(b):
        assert working_days_between(a, b) == -working_days_between(b, a)


# months and offsets


@pytest.mark.parametrize(
    "d, n, expected",
    [
        (D(2017, 1, 31), 1, D(2017, 2, 28)),
        (D(2016, 1, 31), 1, D(2016, 2, 29)),
        (D(2016, 8, 31), 6, D(2017, 2, 28)),
        (D(2017, 3, 31), 1, D(2017, 4, 30)),
        (D(2017, 2, 5), 6, D(2017, 8, 5)),
        (D(2016, 10, 15), 3, D(2017, 1, 15)),
        (D(2017, 3, 31), -1, D(2017, 2, 28)),
        (D(2017, 1, 15), -1, D(2016, 12, 15)),
        (D(2017, 1, 15), 0, D(2017, 1, 15)),
        (D(2017, 1, 15), 24, D(2019, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_month_end(d, n, expected):
    assert add_months(d, n) == expected


@given(dates, st.integers(min_value=-240, max_value=240))
def test_add_months_keeps_the_day_where_it_can(d, n):
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result.day == d.day or result.day < d.day and (result + timedelta(days=1)).day == 1


def test_add_offset_units():
    assert add_offset(D(2017, 3, 31), 5, "working_days") == D(2017, 4, 7)
    assert add_offset(D(2017, 3, 31), 14, "days") == D(2017, 4, 14)
    assert add_offset(D(2017, 3, 31), 1, "months") == D(2017, 4, 30)
    assert add_offset(D(2017, 3, 31), -7, "working_days") == D(2017, 3, 22)
    with pytest.raises(InvalidValue):
        add_offset(D(2017, 3, 31), 1, "weeks")


def test_rule_and_due_date():
    rule = Rule("sin_after_aware", "SIN after LA aware", "la_aware_date", 5, "working_days")
    assert due_date(rule, D(2017, 4, 12)) == D(2017, 4, 21)
    assert due_date(rule, None) is None
    assert rule.describe() == "+5 working days"
    assert Rule("x", "x", "decision_date", 1, "months").describe() == "+1 month"
    assert Rule("x", "x", "published_date", -7, "working_days").describe() == "-7 working days"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"unit": "weeks"},
        {"offset": "5"},
        {"offset": 1.5},
        {"trigger": "no_such_date"},
    ],
)
def test_rule_refuses_bad_parts(kwargs):
    base = {"key": "k", "label": "L", "trigger": "decision_date", "offset": 5, "unit": "days"}
    with pytest.raises(InvalidValue):
        Rule(**{**base, **kwargs})


def test_local_rules():
    sent = D(2017, 3, 1)
    assert due_date(LOCAL_RULES["dissemination_feedback_after_sent"], sent) == D(2017, 3, 29)
    assert due_date(LOCAL_RULES["action_monitoring_cadence"], sent) == D(2017, 3, 15)
