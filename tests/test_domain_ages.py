"""Ages in the forms the sub group writes them, stored structured and printed as the report does."""

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrdesk.domain.ages import Age, format_age, parse_age
from scrdesk.domain.errors import InvalidValue


@pytest.mark.parametrize(
    "text, expected",
    [
        ("6 wks", Age(weeks=6)),
        ("6 weeks", Age(weeks=6)),
        ("6w", Age(weeks=6)),
        ("6wk", Age(weeks=6)),
        ("1 week", Age(weeks=1)),
        ("4 mths", Age(months=4)),
        ("4 months", Age(months=4)),
        ("4m", Age(months=4)),
        ("4 mth", Age(months=4)),
        ("1 month", Age(months=1)),
        ("18 mths", Age(months=18)),
        ("1 yr 11 mths", Age(years=1, months=11)),
        ("1 year 11 months", Age(years=1, months=11)),
        ("1y11m", Age(years=1, months=11)),
        ("1yr11mths", Age(years=1, months=11)),
        ("1 yr, 11 mths", Age(years=1, months=11)),
        ("1 year and 11 months", Age(years=1, months=11)),
        ("12 yrs", Age(years=12)),
        ("12", Age(years=12)),
        ("12 years old", Age(years=12)),
        ("aged 12", Age(years=12)),
        ("12y", Age(years=12)),
        ("1 yr", Age(years=1)),
        ("1 year", Age(years=1)),
        ("17 yrs", Age(years=17)),
        ("25 yrs", Age(years=25)),
        ("1 yr 0 mths", Age(years=1)),
        ("0 wks", Age(weeks=0)),
        ("104 wks", Age(weeks=104)),
        ("35 mths", Age(months=35)),
        ("  6   WKS ", Age(weeks=6)),
        ("Various", Age(various=True)),
        ("various", Age(various=True)),
        ("VARIOUS", Age(various=True)),
        ("multiple", Age(various=True)),
        ("Multiple", Age(various=True)),
    ],
)
def test_parse_age_accepts_the_forms_people_write(text, expected):
    assert parse_age(text) == expected


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_is_no_age(blank):
    assert parse_age(blank) is None


def test_spreadsheet_numbers_are_years():
    assert parse_age(12) == Age(years=12)
    assert parse_age(12.0) == Age(years=12)
    with pytest.raises(InvalidValue):
        parse_age(12.5)
    with pytest.raises(InvalidValue):
        parse_age(True)


@pytest.mark.parametrize(
    "text, says",
    [
        ("-3", "is not an age"),
        ("- 3 yrs", "is not an age"),
        ("abc", "is not an age"),
        ("1.5 years", "is not an age"),
        ("12 yrs 4", "is not an age"),
        ("6 days", "is not an age"),
        ("6 fortnights", "is not an age"),
        ("twelve", "is not an age"),
        ("200 yrs", "200 years is too old for a child (at most 25, for care leavers)"),
        ("26", "26 years is too old for a child"),
        ("105 wks", "more than 104 weeks"),
        ("36 mths", "more than 35 months"),
        ("1 yr 12 mths", "with years, months must be 0 to 11"),
        ("2 yrs 3 wks", "weeks cannot be mixed"),
        ("3 mths 2 wks", "weeks cannot be mixed"),
        ("11 mths 1 yr", "years before months"),
        ("1 yr 2 yrs", "gives years twice"),
        (-3, "must be a whole number of 0 or more"),
    ],
)
def test_parse_age_rejects_with_the_accepted_forms(text, says):
    with pytest.raises(InvalidValue) as caught:
        parse_age(text, field="Subject age")
    err = caught.value
    assert err.field == "Subject age"
    assert err.value == text
    assert says in err.message
    assert "6 wks, 4 mths, 1 yr 11 mths, 12 yrs or Various" in err.message


@pytest.mark.parametrize(
    "age, text",
    [
        (Age(weeks=6), "6 wks"),
        (Age(weeks=1), "1 wk"),
        (Age(months=4), "4 mths"),
        (Age(months=6), "6 mths"),
        (Age(months=1), "1 mth"),
        (Age(years=1, months=11), "1 yr 11 mths"),
        (Age(years=2, months=1), "2 yrs 1 mth"),
        (Age(years=12), "12 yrs"),
        (Age(years=1), "1 yr"),
        (Age(years=1, months=0), "1 yr"),
        (Age(various=True), "Various"),
        (None, ""),
    ],
)
def test_format_age_as_the_report_prints_it(age, text):
    assert format_age(age) == text


def test_str_is_the_printed_form():
    assert str(Age(years=1, months=11)) == "1 yr 11 mths"


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"years": 1, "various": True},
        {"weeks": 2, "months": 1},
        {"years": -1},
        {"years": 26},
        {"months": 36},
        {"years": 1, "months": 12},
        {"weeks": 105},
        {"years": "12"},
    ],
)
def test_age_refuses_impossible_combinations(kwargs):
    with pytest.raises(InvalidValue):
        Age(**kwargs)


def test_to_columns():
    assert Age(years=1, months=11).to_columns() == {
        "age_years": 1, "age_months": 11, "age_weeks": None, "age_various": False,
    }
    assert Age(weeks=6).to_columns() == {
        "age_years": None, "age_months": None, "age_weeks": 6, "age_various": False,
    }
    assert Age(various=True).to_columns() == {
        "age_years": None, "age_months": None, "age_weeks": None, "age_various": True,
    }


def test_from_columns():
    assert Age.from_columns({"age_years": 12, "age_months": None, "age_weeks": None, "age_various": 0}) == Age(years=12)
    assert Age.from_columns({"age_various": 1}) == Age(various=True)
    assert Age.from_columns({"age_years": None, "age_months": None, "age_weeks": None, "age_various": 0}) is None
    assert Age.from_columns({}) is None


def test_from_columns_reads_sqlite_rows():
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("create table r (age_years, age_months, age_weeks, age_various)")
    conn.execute("insert into r values (?, ?, ?, ?)", tuple(Age(years=1, months=11).to_columns().values()))
    row = conn.execute("select * from r").fetchone()
    assert Age.from_columns(row) == Age(years=1, months=11)
    partial = conn.execute("select age_weeks from r").fetchone()
    assert Age.from_columns(partial) is None


def test_bad_columns_are_refused_not_guessed():
    with pytest.raises(InvalidValue):
        Age.from_columns({"age_years": 2, "age_weeks": 3})


ages = st.one_of(
    st.builds(Age, weeks=st.integers(0, 104)),
    st.builds(Age, months=st.integers(0, 35)),
    st.builds(Age, years=st.integers(0, 25)),
    st.builds(Age, years=st.integers(0, 25), months=st.integers(0, 11)),
    st.just(Age(various=True)),
)


@given(ages)
def test_format_parse_round_trip(age):
    printed = format_age(age)
    assert format_age(parse_age(printed)) == printed
    assert parse_age(format_age(parse_age(printed))) == parse_age(printed)


@given(ages)
def test_columns_round_trip(age):
    assert Age.from_columns(age.to_columns()) == age
