"""RAG statuses and the reasons printed beside them."""

from datetime import date

import pytest

from scrdesk.domain.rag import Rag, rag_for_action, rag_for_deadline, rag_for_review

D = date
TODAY = D(2017, 5, 12)  # a Friday; 31 Mar 2017 was 42 days earlier


def test_rag_carries_its_reason():
    rag = Rag("red", "Red: target 31 Mar 2017 passed 42 days ago, not complete")
    assert rag.label == "Red"
    assert str(rag) == "Red: target 31 Mar 2017 passed 42 days ago, not complete"
    assert Rag("amber", "x").label == "Amber"
    assert Rag("blue", "x").label == "Blue"
    with pytest.raises(ValueError):
        Rag("purple", "x")


# rag_for_deadline


def test_red_when_passed():
    rag = rag_for_deadline(D(2017, 3, 31), None, TODAY)
    assert rag == Rag("red", "Red: target 31 Mar 2017 passed 42 days ago, not complete")


def test_red_one_day():
    rag = rag_for_deadline(D(2017, 5, 11), None, TODAY)
    assert rag.reason == "Red: target 11 May 2017 passed 1 day ago, not complete"


def test_amber_counts_working_days():
    # From Thu 30 Mar 2017 to Thu 13 Apr 2017: 10 weekdays, none a bank holiday
    rag = rag_for_deadline(D(2017, 4, 13), None, D(2017, 3, 30))
    assert rag == Rag("amber", "Amber: due in 10 working days (13 Apr 2017)")
    # Good Friday and Easter Monday do not count: Fri 31 Mar -> Tue 18 Apr is 10 working days
    rag = rag_for_deadline(D(2017, 4, 18), None, D(2017, 3, 31))
    assert rag.reason == "Amber: due in 10 working days (18 Apr 2017)"
    rag = rag_for_deadline(D(2017, 4, 14), None, D(2017, 3, 31))
    assert rag.reason == "Amber: due in 9 working days (14 Apr 2017)"


def test_amber_today_and_tomorrow():
    assert rag_for_deadline(TODAY, None, TODAY).reason == "Amber: due today (12 May 2017)"
    assert rag_for_deadline(D(2017, 5, 15), None, TODAY).reason == "Amber: due in 1 working day (15 May 2017)"
    assert rag_for_deadline(D(2017, 5, 13), None, TODAY).reason == (
        "Amber: due before the next working day (13 May 2017)"
    )


def test_green_beyond_the_amber_window():
    rag = rag_for_deadline(D(2017, 6, 30), None, TODAY)
    assert rag == Rag("green", "Green: due 30 Jun 2017, on track")
    # Tue 30 May is 11 working days away (29 May is a bank holiday): green with the default
    # window of 10 ...
    assert rag_for_deadline(D(2017, 5, 30), None, TODAY).colour == "green"
    assert rag_for_deadline(D(2017, 5, 26), None, TODAY).reason == "Amber: due in 10 working days (26 May 2017)"
    # ... and amber with a window of 20
    assert rag_for_deadline(D(2017, 5, 30), None, TODAY, amber_working_days=20).reason == (
        "Amber: due in 11 working days (30 May 2017)"
    )


def test_grey_without_a_date():
    assert rag_for_deadline(None, None, TODAY) == Rag("grey", "Grey: no target date set")
    assert rag_for_deadline(None, None, TODAY, what="publication").reason == "Grey: no publication date set"


def test_done_ends_the_clock():
    assert rag_for_deadline(D(2017, 3, 31), D(2017, 3, 3), TODAY) == Rag(
        "blue", "Complete: 3 Mar 2017, within the target 31 Mar 2017"
    )
    assert rag_for_deadline(D(2017, 3, 1), D(2017, 3, 13), TODAY).reason == (
        "Complete: 13 Mar 2017, 12 days after the target 1 Mar 2017"
    )
    assert rag_for_deadline(None, D(2017, 3, 3), TODAY).reason == "Complete: 3 Mar 2017"
    assert rag_for_deadline(D(2017, 3, 1), True, TODAY) == Rag("blue", "Complete")


def test_what_names_the_deadline():
    rag = rag_for_deadline(D(2017, 3, 31), None, TODAY, what="feedback due date")
    assert rag.reason == "Red: feedback due date 31 Mar 2017 passed 42 days ago, not complete"


# rag_for_action


def test_action_overdue():
    rag = rag_for_action("on_track", D(2017, 3, 31), None, None, TODAY)
    assert rag == Rag("red", "Red: target 31 Mar 2017 passed 42 days ago, not complete")


def test_revised_target_wins():
    rag = rag_for_action("on_track", D(2017, 3, 31), D(2017, 6, 30), None, TODAY)
    assert rag == Rag("green", "Green: due 30 Jun 2017, on track")
    rag = rag_for_action("not_started", D(2017, 1, 31), D(2017, 3, 31), None, TODAY)
    assert rag == Rag(
        "red",
        "Red: revised target 31 Mar 2017 passed 42 days ago, not complete (original target 31 Jan 2017)",
    )


@pytest.mark.parametrize(
    "status, signoff, expected",
    [
        ("complete_evidenced", D(2017, 3, 3), Rag("blue", "Complete: evidenced 3 Mar 2017")),
        ("complete_evidenced", None, Rag("blue", "Complete: evidenced")),
        ("signed_off", D(2017, 3, 3), Rag("blue", "Complete: signed off 3 Mar 2017")),
        ("complete_awaiting_evidence", None, Rag("green", "Complete: awaiting evidence")),
    ],
)
def test_complete_statuses_stop_the_clock(status, signoff, expected):
    # the target passed long ago; a complete action is never red
    assert rag_for_action(status, D(2016, 1, 31), None, signoff, TODAY) == expected


def test_slipping_is_at_least_amber():
    rag = rag_for_action("slipping", D(2017, 6, 30), None, None, TODAY)
    assert rag == Rag("amber", "Amber: marked slipping; due 30 Jun 2017")
    rag = rag_for_action("slipping", D(2017, 5, 19), None, None, TODAY)
    assert rag == Rag("amber", "Amber: marked slipping; due in 5 working days (19 May 2017)")
    rag = rag_for_action("slipping", None, None, None, TODAY)
    assert rag == Rag("amber", "Amber: marked slipping; no target date set")
    rag = rag_for_action("slipping", D(2017, 3, 31), None, None, TODAY)
    assert rag == Rag("red", "Red: target 31 Mar 2017 passed 42 days ago, not complete; marked slipping")


def test_action_without_target_is_grey():
    assert rag_for_action("not_started", None, None, None, TODAY) == Rag("grey", "Grey: no target date set")


def test_action_amber_window_is_configurable():
    target = D(2017, 6, 5)  # 15 working days after Fri 12 May 2017 (29 May is a bank holiday)
    assert rag_for_action("on_track", target, None, None, TODAY).colour == "green"
    rag = rag_for_action("on_track", target, None, None, TODAY, amber_working_days=15)
    assert rag.reason == "Amber: due in 15 working days (5 Jun 2017)"


# rag_for_review


def test_review_rag():
    assert rag_for_review(D(2017, 3, 31), None, TODAY).reason == (
        "Red: target completion 31 Mar 2017 passed 42 days ago, not complete"
    )
    # the review window is 20 working days by default
    assert rag_for_review(D(2017, 6, 9), None, TODAY).colour == "amber"
    assert rag_for_review(D(2017, 6, 30), None, TODAY) == Rag("green", "Green: due 30 Jun 2017, on track")
    assert rag_for_review(None, None, TODAY) == Rag("grey", "Grey: no target completion date set")
    assert rag_for_review(D(2016, 8, 5), D(2017, 1, 26), TODAY).reason == (
        "Complete: 26 Jan 2017, 174 days after the target 5 Aug 2016"
    )
