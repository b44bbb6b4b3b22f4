"""Dates typed day first, spreadsheet cells, and reporting years (1 April - 31 March)."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrdesk.domain.dates import (
    format_date,
    iso,
    parse_date,
    reporting_period,
    reporting_year,
    reporting_year_label,
)
from scrdesk.domain.errors import InvalidValue


@pytest.mark.parametrize(
    "text, expected",
    [
        ("31/03/2017", date(2017, 3, 31)),
        ("05/02/2017", date(2017, 2, 5)),
        ("5/2/2017", date(2017, 2, 5)),
        ("05/02/17", date(2017, 2, 5)),
        ("5/2/17", date(2017, 2, 5)),
        ("01.04.16", date(2016, 4, 1)),
        ("05.02.2017", date(2017, 2, 5)),
        ("05-02-2017", date(2017, 2, 5)),
        ("2017-02-05", date(2017, 2, 5)),
        ("2017-02-05 00:00:00", date(2017, 2, 5)),
        ("2017-02-05T00:00", date(2017, 2, 5)),
        ("5 Feb 2017", date(2017, 2, 5)),
        ("5 February 2017", date(2017, 2, 5)),
        ("5th February 2017", date(2017, 2, 5)),
        ("5 th February 2017", date(2017, 2, 5)),  # as the 2016-17 report prints it
        ("2nd April 2017", date(2017, 4, 2)),
        ("13 th May 2017", date(2017, 5, 13)),
        ("1st Sept 2017", date(2017, 9, 1)),
        ("20 OCTOBER 2017", date(2017, 10, 20)),
        ("  31/03/2017  ", date(2017, 3, 31)),
        ("29/02/2016", date(2016, 2, 29)),
    ],
)
def test_parse_date_accepts_the_forms_people_write(text, expected):
    assert parse_date(text) == expected


def test_day_comes_first():
    assert parse_date("01/02/2017") == date(2017, 2, 1)
    assert parse_date("12/11/2017") == date(2017, 11, 12)


def test_two_digit_years_pivot_like_strptime():
    assert parse_date("1/1/68") == date(2068, 1, 1)
    assert parse_date("1/1/69") == date(1969, 1, 1)
    assert parse_date("1/1/00") == date(2000, 1, 1)


@pytest.mark.parametrize("blank", [None, "", "   ", "\t\n"])
def test_blank_is_no_date(blank):
    assert parse_date(blank) is None


def test_excel_cells_give_dates():
    assert parse_date(datetime(2017, 3, 31, 14, 5)) == date(2017, 3, 31)
    assert type(parse_date(datetime(2017, 3, 31))) is date
    assert parse_date(date(2017, 3, 31)) == date(2017, 3, 31)


@pytest.mark.parametrize(
    "text",
    ["abc", "31 03 2017", "2017/03/31", "31/03", "March 2017", "5 Fbr 2017", "31/03-2017",
     "1/1/1", "12345", "31/03/20177", "Feb 5 2017", "next Tuesday", 42, 3.5],
)
def test_parse_date_rejects_non_dates(text):
    with pytest.raises(InvalidValue) as caught:
        parse_date(text, field="Date received")
    err = caught.value
    assert err.field == "Date received"
    assert err.value == text
    assert err.message == "is not a date; use dd/mm/yyyy, e.g. 31/03/2017"
    assert str(err).startswith("Date received")


@pytest.mark.parametrize(
    "text, says",
    [
        ("31/02/2017", "February 2017 has no day 31"),
        ("29/02/2017", "February 2017 has no day 29"),
        ("31/04/2017", "April 2017 has no day 31"),
        ("0/04/2017", "April 2017 has no day 0"),
        ("13/13/2017", "there is no month 13"),
        ("2017-02-30", "February 2017 has no day 30"),
        ("30 February 2017", "February 2017 has no day 30"),
        ("1/1/0017", "the year 17 is out of range"),
    ],
)
def test_impossible_dates_say_so(text, says):
    with pytest.raises(InvalidValue) as caught:
        parse_date(text)
    assert caught.value.message.startswith("is not a real date")
    assert says in caught.value.message
    assert "dd/mm/yyyy" in caught.value.message


def test_american_order_gets_a_day_first_hint():
    with pytest.raises(InvalidValue) as caught:
        parse_date("03/31/2017")
    assert "there is no month 31 (dates are day first)" in caught.value.message


def test_format_date():
    assert format_date(date(2017, 3, 31)) == "31 Mar 2017"
    assert format_date(date(2017, 2, 5)) == "5 Feb 2017"
    assert format_date(date(2016, 9, 1)) == "1 Sep 2016"
    assert format_date(datetime(2017, 4, 14, 9, 30)) == "14 Apr 2017"
    assert format_date(None) == ""


def test_format_date_ignores_the_locale(monkeypatch):
    import locale

    monkeypatch.setattr(locale, "nl_langinfo", lambda *_: "Mawrth", raising=False)
    assert format_date(date(2017, 3, 31)) == "31 Mar 2017"


def test_iso():
    assert iso(date(2017, 3, 31)) == "2017-03-31"
    assert iso(datetime(2017, 3, 31, 23, 59)) == "2017-03-31"
    assert iso(None) is None


@pytest.mark.parametrize(
    "d, year",
    [
        (date(2017, 3, 31), 2016),
        (date(2017, 4, 1), 2017),
        (date(2016, 4, 1), 2016),
        (date(2016, 12, 31), 2016),
        (date(2017, 1, 1), 2016),
        (date(2020, 2, 29), 2019),
    ],
)
def test_reporting_year_boundaries(d, year):
    assert reporting_year(d) == year


def test_reporting_year_with_another_start():
    assert reporting_year(date(2017, 8, 31), start_month=9) == 2016
    assert reporting_year(date(2017, 9, 1), start_month=9) == 2017
    assert reporting_year(date(2017, 1, 1), start_month=1) == 2017
    assert reporting_year(date(2017, 4, 5), start_month=4, start_day=6) == 2016
    assert reporting_year(date(2017, 4, 6), start_month=4, start_day=6) == 2017


def test_reporting_period():
    assert reporting_period(2016) == (date(2016, 4, 1), date(2017, 3, 31))
    assert reporting_period(2019) == (date(2019, 4, 1), date(2020, 3, 31))
    assert reporting_period(2017, start_month=1) == (date(2017, 1, 1), date(2017, 12, 31))
    assert reporting_period(2017, start_month=4, start_day=6) == (date(2017, 4, 6), date(2018, 4, 5))


def test_reporting_year_start_must_exist_every_year():
    with pytest.raises(InvalidValue):
        reporting_period(2016, start_month=2, start_day=30)
    with pytest.raises(InvalidValue):
        reporting_year(date(2017, 1, 1), start_month=13)


def test_reporting_year_label():
    assert reporting_year_label(2016) == "2016-17"
    assert reporting_year_label(1999) == "1999-00"
    assert reporting_year_label(2009) == "2009-10"
    assert reporting_year_label(2017, start_month=1) == "2017"


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
def test_every_date_lies_in_its_reporting_period(d):
    start, end = reporting_period(reporting_year(d))
    assert start <= d <= end
    assert (end - start).days in (364, 365)


@given(st.dates(min_value=date(1969, 1, 1), max_value=date(2099, 12, 31)))
def test_written_forms_round_trip(d):
    assert parse_date(format_date(d)) == d
    assert parse_date(iso(d)) == d
    assert parse_date(d.strftime("%d/%m/%Y")) == d
    assert parse_date(f"{d.day}/{d.month}/{d.year}") == d
    if 1969 <= d.year <= 2068:  # the two-digit window
        assert parse_date(d.strftime("%d/%m/%y")) == d
