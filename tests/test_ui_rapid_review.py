"""A new user's run through today's process: record a notification, start a rapid review with two
agencies, mark steps done, one agency's return late, submit on time, decide an LCSPR, and see the
LCSPR's clocks on the Reviews tab and the open clock on the dashboard."""

from __future__ import annotations

from datetime import date

import pytest
from ui_helpers import type_into

from scrdesk.store import queries, statutory
from scrdesk.ui.forms import RecordDialog
from scrdesk.ui.rapid_review import DecisionDialog, RapidReviewPanel, StartRapidReviewDialog
from scrdesk.ui.referrals import ReferralDialog
from scrdesk.ui.reviews import ReviewsTab


@pytest.fixture
def answers(monkeypatch):
    """Each dialog opened runs the next queued answer, then presses Save."""
    queue: list = []

    def answer_and_save(dialog: RecordDialog) -> bool:
        queue.pop(0)(dialog)
        return dialog.try_save()

    monkeypatch.setattr(RecordDialog, "exec", answer_and_save)
    monkeypatch.setattr(RecordDialog, "_discard_confirmed", lambda self: True)
    return queue


@pytest.fixture
def incident(store):
    store.set_settings({"as_at_date": "2023-12-27"})
    police = store.insert("agencies", {"name": "Northshire Police", "type": "police"})
    health = store.insert("agencies", {"name": "Northshire Hospital", "type": "health_provider"})
    store.insert("agencies", {"name": "Northshire Youth Service", "type": "other"})
    referral = store.insert("referrals", {"ref": "Ref101", "source": "sin", "la_aware_date": "2023-12-19",
                                          "received_date": "2023-12-19"})
    return {"referral": referral, "agencies": {"police": police, "health": health}}


def set_date(text: str):
    def answer(dialog) -> None:
        dialog.when.set_value(date.fromisoformat(text))
    return answer


def test_a_notification_to_an_lcspr_as_a_new_user_would(qtbot, store, incident, answers):
    referral_dialog = ReferralDialog(store, incident["referral"])
    qtbot.addWidget(referral_dialog)
    type_into(qtbot, referral_dialog.sin_submitted, "27/12/2023")
    assert referral_dialog.notification_clock.text() == "Notified 27 Dec 2023, on time (due 28 Dec 2023)"
    assert referral_dialog.start_rapid_button.isEnabled()

    def start(dialog: StartRapidReviewDialog) -> None:
        assert dialog.notified.value() == date(2023, 12, 27)  # the date just typed, saved first
        assert "submission to the national panel due 18 Jan 2024 (day 15)" in dialog.plan_label.text()
        for agency_id in incident["agencies"].values():
            dialog.agency_boxes[agency_id].setChecked(True)

    answers.append(start)
    referral_dialog.start_rapid_button.click()
    review_id = referral_dialog.started_review_id
    assert review_id is not None and referral_dialog.result() == RecordDialog.DialogCode.Accepted
    assert store.get("referrals", incident["referral"])["sin_submitted_date"] == "2023-12-27"

    store.set_settings({"as_at_date": "2024-01-18"})
    panel = RapidReviewPanel(store, review_id)
    qtbot.addWidget(panel)
    steps = {s["kind"]: s for s in panel.steps_model.rows()}
    assert steps["agency_summaries"]["planned_date"] == "2024-01-11"
    assert panel.select_step("agency_letters")
    answers.append(set_date("2023-12-28"))
    panel.step_done_button.click()
    steps = {s["kind"]: s for s in panel.steps_model.rows()}
    assert steps["agency_letters"]["actual_date"] == "2023-12-28"
    assert steps["agency_letters"]["rag"].colour == "blue"

    for agency, received in (("Northshire Police", "2024-01-10"), ("Northshire Hospital", "2024-01-15")):
        assert panel.select_return(agency)
        answers.append(set_date(received))
        panel.return_button.click()
    returns = {r["agency_name"]: r for r in panel.returns_model.rows()}
    assert returns["Northshire Hospital"]["late"] and not returns["Northshire Police"]["late"]
    received_column = panel.returns_model.column_index("received_date")
    late_row = panel.returns_model.rows().index(returns["Northshire Hospital"])
    shown = panel.returns_model.index(late_row, received_column).data()
    assert shown == "15 Jan 2024 – late"

    answers.append(lambda dialog: None)  # the suggested date is today's: 18 Jan 2024
    panel.submit_button.click()
    assert "Submitted to the national panel on <b>18 Jan 2024</b>, on time" in panel.submission_label.text()
    assert not panel.submit_button.isEnabled() and panel.response_button.isEnabled()

    def respond(dialog) -> None:
        dialog.response.set_value(date(2024, 1, 24))
        dialog.agreed.set_value("1")

    answers.append(respond)
    panel.response_button.click()
    assert "responded on <b>24 Jan 2024</b> and agreed" in panel.submission_label.text()

    def decide(dialog: DecisionDialog) -> None:
        dialog.decision.set_value("LCSPR")
        dialog.decided.set_value(date(2024, 1, 25))
        dialog.maker.set_value("Safeguarding partners")

    answers.append(decide)
    with qtbot.waitSignal(panel.lcspr_opened) as opened:
        panel.decide_button.click()
    lcspr_id = opened.args[0]
    lcspr = store.get("reviews", lcspr_id)
    assert (lcspr["review_type"], lcspr["agreed_date"]) == ("LCSPR", "2024-01-25")
    assert "Local Child Safeguarding Practice Review" in panel.decision_label.text()
    assert not panel.decide_button.isEnabled()

    store.set_settings({"as_at_date": "2024-07-01"})
    tab = ReviewsTab(store)
    qtbot.addWidget(tab)
    tab.show_record("review", lcspr_id)
    details = tab.details_label.text()
    assert "Completion target" in details and "25 Jul 2024" in details
    assert "Copy to the Panel and Secretary of State" in details and "Kept online until" in details
    board = queries.dashboard(store, date(2024, 7, 1))
    assert "Ref101 LCSPR – LCSPR completion" in [item["title"] for item in board["deadlines"]]


def test_a_notification_before_the_la_became_aware_is_refused_at_the_field(qtbot, store, incident, answers):
    dialog = StartRapidReviewDialog(store, incident["referral"])
    qtbot.addWidget(dialog)
    dialog.notified.set_value(date(2023, 12, 1))
    assert not dialog.try_save()
    assert "before the local authority became aware (19 Dec 2023)" in dialog.notified.error_label.text()
    assert store.scalar("SELECT count(*) FROM reviews") == 0


def test_the_reviews_tab_shows_the_workspace_only_for_a_rapid_review(qtbot, store, incident):
    review_id = statutory.start_rapid_review(store, incident["referral"], date(2023, 12, 27),
                                             list(incident["agencies"].values()))
    other = store.insert("reviews", {"title": "Ref090 LCSPR", "review_type": "LCSPR", "framework": "wt2018",
                                     "status": "underway", "agreed_date": "2023-11-01"})
    tab = ReviewsTab(store)
    qtbot.addWidget(tab)
    tab.show_record("review", review_id)
    assert tab.detail.isTabVisible(tab.rapid_index) and tab.detail.currentIndex() == tab.rapid_index
    assert tab.rapid_panel.review_id == review_id and len(tab.rapid_panel.returns_model.rows()) == 2
    tab.set_read_only(True)
    assert not tab.rapid_panel.submit_button.isEnabled() and not tab.rapid_panel.decide_button.isEnabled()
    tab.show_record("review", other)
    assert not tab.detail.isTabVisible(tab.rapid_index)


def test_a_2017_referral_under_working_together_2015_offers_no_rapid_review(qtbot, store):
    referral = store.insert("referrals", {"ref": "Ref053", "received_date": "2017-02-05", "framework": "wt2015",
                                          "decision": "SCR", "decision_date": "2017-02-05"})
    dialog = ReferralDialog(store, referral)
    qtbot.addWidget(dialog)
    assert not dialog.start_rapid_button.isEnabled()
    assert "rapid reviews began with Working Together 2018" in dialog.rapid_review_label.text()
