"""Which framework a referral or review is held to: its deciding date, the jurisdiction and the
partnership's own move to the 2018 arrangements."""

import pytest

from scrdesk.domain.profiles import framework_for
from scrdesk.domain.settings import Settings

ENGLAND = Settings()  # moved on the latest allowed day, 29 Sep 2019
EARLY = Settings(arrangements_2018_date="2018-06-29")
MID = Settings(arrangements_2018_date="2019-04-01")
WALES = Settings(jurisdiction="wales", default_framework="cpr_wales")


@pytest.mark.parametrize(
    ("record", "settings", "expected"),
    [
        # The default partnership kept its LSCB to the last day allowed.
        ({"decision_date": "2019-09-28"}, ENGLAND, "wt2015"),
        ({"decision_date": "2019-09-29"}, ENGLAND, "wt2018"),
        # WT2015 still governs after 28 Jun 2018 for a partnership that had not moved.
        ({"decision_date": "2018-06-29"}, ENGLAND, "wt2015"),
        # A partnership that moved on the national first day.
        ({"decision_date": "2018-06-28"}, EARLY, "wt2015"),
        ({"decision_date": "2018-06-29"}, EARLY, "wt2018"),
        # One that moved in between: the day before and the day itself.
        ({"decision_date": "2019-03-31"}, MID, "wt2015"),
        ({"decision_date": "2019-04-01"}, MID, "wt2018"),
        ({"decision_date": "2016-10-03"}, MID, "wt2015"),
        ({"decision_date": "2025-12-18"}, MID, "wt2018"),
    ],
)
def test_the_decision_date_and_the_partnerships_switch(record, settings, expected):
    assert framework_for(record, settings) == expected


def test_decision_date_first_then_meeting_then_received():
    both = {"decision_date": "2019-10-02", "meeting_date": "2019-09-20", "received_date": "2019-08-01"}
    assert framework_for(both, ENGLAND) == "wt2018"
    assert framework_for({**both, "decision_date": None}, ENGLAND) == "wt2015"
    assert framework_for({"decision_date": "", "meeting_date": "", "received_date": "2019-10-01"}, ENGLAND) == "wt2018"
    assert framework_for({"received_date": "2019-09-01"}, ENGLAND) == "wt2015"


def test_an_scr_started_under_2015_keeps_its_framework_to_the_end():
    # Agreed by the LSCB before the switch, completed and published long after.
    scr = {"review_type": "SCR", "agreed_date": "2019-07-15", "initiated_date": "2019-08-01",
           "completed_date": "2020-06-30", "published_date": "2020-09-01"}
    assert framework_for(scr, ENGLAND) == "wt2015"
    # Only the initiation known: still before the switch.
    assert framework_for({"review_type": "SCR", "initiated_date": "2019-09-01"}, ENGLAND) == "wt2015"


def test_no_date_takes_the_boards_default():
    assert framework_for({}, ENGLAND) == "wt2018"
    assert framework_for({"decision_date": None}, Settings(default_framework="wt2015")) == "wt2015"
    assert framework_for({}, WALES) == "cpr_wales"
    # A Welsh board whose default still names an English framework gets the Welsh one.
    assert framework_for({}, Settings(jurisdiction="wales")) == "cpr_wales"


def test_wales_is_never_given_an_english_framework():
    for day in ("2016-01-04", "2019-09-28", "2026-01-05"):
        assert framework_for({"decision_date": day}, WALES) == "cpr_wales"


def test_a_switch_date_outside_the_national_window_is_held_inside_it():
    too_early = Settings(arrangements_2018_date="2017-01-01")
    assert too_early.arrangements_2018_from().isoformat() == "2018-06-29"
    assert framework_for({"decision_date": "2018-06-28"}, too_early) == "wt2015"
    assert framework_for({"decision_date": "2018-06-29"}, too_early) == "wt2018"
    too_late = Settings(arrangements_2018_date="2020-05-01")
    assert framework_for({"decision_date": "2019-09-29"}, too_late) == "wt2018"
    damaged = Settings.from_stored({"arrangements_2018_date": "not a date"})
    assert damaged.arrangements_2018_from().isoformat() == "2019-09-29"


def test_local_review_targets_default_to_six_months_and_follow_the_setting():
    assert ENGLAND.local_target_months("CASE_MAPPING") == 6
    assert ENGLAND.local_target_months("LCSPR") is None
    chosen = Settings.from_stored({"local_review_target_months": {"CASE_MAPPING": 3}})
    assert chosen.local_target_months("CASE_MAPPING") == 3
    assert chosen.local_target_months("THEMATIC") == 6
