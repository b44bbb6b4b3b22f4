"""The bundled bank holiday file agrees with the `holidays` package, year by year.

The app reads resources/bank_holidays.json so start-up does not import the package; this test is
what keeps the file true. When it fails after a package update (a new one-off bank holiday),
run `python tools/make_bank_holidays.py`.
"""

from __future__ import annotations

from datetime import date

from scrdesk.domain import timescales


def test_bundled_file_matches_the_installed_package():
    first, last = timescales.BANK_HOLIDAY_YEARS
    bundled = timescales._bundled_bank_holidays()
    stale = [year for year in range(first, last + 1)
             if bundled[year] != timescales.package_bank_holidays(year)]
    assert stale == [], f"run tools/make_bank_holidays.py: the file differs for {stale}"


def test_years_outside_the_file_ask_the_package():
    assert timescales.bank_holidays(2070) == timescales.package_bank_holidays(2070)
    assert date(2070, 12, 25) in timescales.bank_holidays(2070)


def test_one_off_holidays_are_in_the_file():
    assert date(2022, 9, 19) in timescales.bank_holidays(2022)  # the Queen's funeral
    assert date(2023, 5, 8) in timescales.bank_holidays(2023)   # the coronation
