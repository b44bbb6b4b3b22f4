"""The Reviews tab driven as a project officer would: add a milestone and see the timeline move,
mark one done, override a target only with a reason, print both charts."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from ui_helpers import choose, type_into, with_modal

from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo
from scrdesk.store.queries import review_rows
from scrdesk.ui.forms import RecordDialog
from scrdesk.ui.reviews import ReviewDialog, ReviewsTab
from scrdesk.ui.reviews import tab as reviews_tab_module
from scrdesk.ui.timeline import LiveReviewsGantt, ReviewTimeline


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    asked = []
    monkeypatch.setattr(reviews_tab_module, "confirm", lambda *a, **k: asked.append(a[2]) or True)
    monkeypatch.setattr(RecordDialog, "_discard_confirmed", lambda self: True)
    return asked


@pytest.fixture
def demo(tmp_path):
    opened = Store.open(write_demo(tmp_path / "demo.db"), user="tester")
    yield opened
    opened.close()


def review_id(store, ref: str) -> int:
    return store.scalar("SELECT rr.review_id FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
                        "WHERE r.ref = ?", [ref])


@pytest.fixture
def tab(qtbot, demo):
    opened = ReviewsTab(demo)
    qtbot.addWidget(opened)
    opened.resize(1300, 800)
    opened.show()
    return opened


def test_live_reviews_are_listed_with_rag_and_reason(tab, demo):
    assert tab.model.rowCount() == 8
    assert tab.count_label.text() == "8 live reviews"
    target = tab.model.column_index("target_date")
    row = [r["refs"] for r in tab.model.rows()].index("Ref050")
    assert tab.model.index(row, target).data() == "Red: 18 Feb 2017"
    assert "passed 132 days ago" in tab.model.index(row, target).data(Qt.ItemDataRole.ToolTipRole)
    tab.live_only.setChecked(False)
    assert tab.model.rowCount() == 15


def test_selecting_a_review_shows_its_timeline_and_milestones(tab, demo):
    assert tab.show_record("review", review_id(demo, "Ref053"))
    assert tab.timeline.review["refs"] == "Ref053"
    assert len(tab.timeline.milestones) == 12
    assert tab.milestones.model.rowCount() == 12
    assert "5 of 12 milestones done" in tab.timeline.accessibleDescription()


def test_add_a_milestone_and_see_the_timeline_move(qtbot, tab, demo):
    ref053 = review_id(demo, "Ref053")
    tab.show_record("review", ref053)
    before = tab.timeline.render_image(900)

    def add(dialog) -> None:
        choose(dialog.kind, dialog.labels["practitioner_debrief"])
        type_into(qtbot, dialog.planned, "14/12/2017")
        type_into(qtbot, dialog.attendance, "40")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    with_modal(qtbot, tab.milestones.add_button.click, add)
    saved = demo.row("SELECT * FROM milestones WHERE review_id = ? AND kind = 'practitioner_debrief'", [ref053])
    assert (saved["planned_date"], saved["attendance"]) == ("2017-12-14", 40)
    assert len(tab.timeline.milestones) == 13
    assert any(m["kind"] == "practitioner_debrief" for m in tab.timeline.milestones)
    after = tab.timeline.render_image(900)
    assert after.height() > before.height()  # a row more, drawn
    assert after != before


def test_a_milestone_needs_a_planned_or_done_date(qtbot, tab, demo):
    tab.show_record("review", review_id(demo, "Ref053"))

    def add(dialog) -> None:
        assert not dialog.save_button.isEnabled()
        assert "planned date" in dialog.planned.error_text()
        type_into(qtbot, dialog.planned, "1/13/2017")
        assert "no month 13" in dialog.planned.error_label.text()
        assert not dialog.try_save()

    count = demo.scalar("SELECT count(*) FROM milestones")
    with_modal(qtbot, tab.milestones.add_button.click, add)
    assert demo.scalar("SELECT count(*) FROM milestones") == count


def test_mark_a_milestone_done_on_the_as_at_date(qtbot, tab, demo):
    ref053 = review_id(demo, "Ref053")
    tab.show_record("review", ref053)
    pending = [n for n, r in enumerate(tab.milestones.model.rows()) if not r["actual_date"]][0]
    tab.milestones.view.selectRow(pending)
    milestone_id = tab.milestones.current()["id"]
    assert tab.done_button.isEnabled()

    def done(dialog) -> None:
        assert dialog.actual.value() == date(2017, 6, 30)  # the demo's "today"
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    with_modal(qtbot, tab.done_button.click, done)
    assert demo.get("milestones", milestone_id)["actual_date"] == "2017-06-30"
    row = next(r for r in tab.milestones.model.rows() if r["id"] == milestone_id)
    assert row["rag"].reason.startswith("Done")
    assert tab.milestones.model.index(tab.milestones.model.rows().index(row), 2).data() == "30 Jun 2017"


def test_plan_steps_adds_the_methodologys_missing_steps(qtbot, tab, demo, answers):
    ref057 = review_id(demo, "Ref057")
    tab.show_record("review", ref057)
    before = demo.scalar("SELECT count(*) FROM milestones WHERE review_id = ?", [ref057])
    qtbot.mouseClick(tab.plan_button, Qt.MouseButton.LeftButton)
    after = demo.scalar("SELECT count(*) FROM milestones WHERE review_id = ?", [ref057])
    assert answers and "Welsh Child Practice Review" in answers[0]
    assert after > before
    assert len(tab.timeline.milestones) == after


def test_a_target_set_by_hand_needs_a_reason(qtbot, demo):
    ref050 = review_id(demo, "Ref050")
    dialog = ReviewDialog(demo, ref050)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "18 Feb 2017" in dialog.target_label.text()
    type_into(qtbot, dialog.override, "31/08/2017")
    assert not dialog.save_button.isEnabled()
    assert "required when the target is set by hand" in dialog.override_reason.error_label.text()
    assert "31 Aug 2017" in dialog.target_label.text()
    type_into(qtbot, dialog.override_reason, "Agreed by the chair: awaiting the criminal trial")
    assert dialog.try_save()
    row = review_rows(demo, review_id=ref050)[0]
    assert row["target_date"] == "2017-08-31"
    assert row["target_basis"].startswith("set by hand: Agreed by the chair")


def test_dates_out_of_order_are_flagged(qtbot, demo):
    dialog = ReviewDialog(demo, review_id(demo, "Ref050"))
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.completed, "01/01/2016")
    assert dialog.completed.error_text() == "is before the date initiated (18 Aug 2016)"
    assert not dialog.try_save()


def test_the_dialog_and_the_store_refuse_in_the_same_words(qtbot, demo):
    from scrdesk.domain.rules import RuleBroken
    from scrdesk.store import reviews as store_reviews

    ref050 = review_id(demo, "Ref050")
    dialog = ReviewDialog(demo, ref050)
    qtbot.addWidget(dialog)
    dialog.show()
    choose(dialog.status, "Completed")
    shown = dialog.completed.error_text()
    assert shown == "is required when the status is Completed"
    assert not dialog.try_save()
    with pytest.raises(RuleBroken) as refused:
        store_reviews.update_review(demo, ref050, {"status": "completed"})
    assert refused.value.problems == {"completed_date": shown}


def test_a_new_review_from_a_referral_takes_its_decision_and_framework(qtbot, tab, demo):
    referral = demo.insert("referrals", {"ref": "Ref058", "received_date": "2017-05-02", "decision": "THEMATIC",
                                         "decision_date": "2017-05-25", "framework": "wt2015"})

    def fill(dialog) -> None:
        choose(dialog.referral, "Ref058 – no summary")
        assert dialog.title_field.value() == "Thematic Learning Review Ref058"
        assert dialog.review_type.value() == "THEMATIC"
        assert dialog.agreed.value() == date(2017, 5, 25)
        choose(dialog.methodology, "SCIE Learning Together (systems)")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    with_modal(qtbot, tab.new_button.click, fill)
    saved = demo.row("SELECT * FROM reviews WHERE title = 'Thematic Learning Review Ref058'")
    assert (saved["framework"], saved["review_type"], saved["status"]) == ("wt2015", "THEMATIC", "agreed")
    assert demo.scalar("SELECT referral_id FROM review_referrals WHERE review_id = ?", [saved["id"]]) == referral
    assert tab.current_id() == saved["id"]


def test_delay_log_entry_is_added_to_the_review(qtbot, tab, demo):
    ref055 = review_id(demo, "Ref055")
    tab.show_record("review", ref055)

    def add(dialog) -> None:
        type_into(qtbot, dialog.columns["date"], "20/06/2017")
        dialog.columns["reason"].editor.setPlainText("Agency chronology late from the hospital trust.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    with_modal(qtbot, tab.delays.add_button.click, add)
    assert demo.row("SELECT date, reason FROM review_delays WHERE review_id = ?", [ref055]) == {
        "date": "2017-06-20", "reason": "Agency chronology late from the hospital trust."}
    assert tab.delays.model.rowCount() == 1


def test_open_referral_asks_the_window_for_it(qtbot, tab, demo):
    tab.show_record("review", review_id(demo, "Ref052"))
    tab.linked.view.selectRow(0)
    with qtbot.waitSignal(tab.record_requested) as signal:
        qtbot.mouseClick(tab.open_referral_button, Qt.MouseButton.LeftButton)
    assert signal.args == ["referral", demo.scalar("SELECT id FROM referrals WHERE ref = 'Ref052'")]


def test_a_published_review_is_found_even_with_live_only_ticked(tab, demo):
    assert tab.show_record("review", review_id(demo, "Ref021"))
    assert not tab.live_only.isChecked()
    assert tab.current_row()["refs"] == "Ref021"


def test_read_only_disables_every_edit(tab, demo):
    tab.show_record("review", review_id(demo, "Ref053"))
    tab.set_read_only(True)
    for button in (tab.new_button, tab.delete_button, tab.plan_button, tab.milestones.add_button,
                   tab.delays.add_button, tab.linked.add_button, tab.recommendations.add_button):
        assert not button.isEnabled(), button.text()
    assert tab.edit_button.text() == "Open review…" and tab.edit_button.isEnabled()


def test_both_charts_save_as_png_and_as_a_one_page_landscape_pdf(qtbot, demo, tmp_path):
    from pypdf import PdfReader

    timeline = ReviewTimeline()
    qtbot.addWidget(timeline)
    timeline.set_review(demo, review_id(demo, "Ref053"))
    gantt = LiveReviewsGantt()
    qtbot.addWidget(gantt)
    gantt.set_store(demo)
    assert len(gantt.reviews) == 8
    for chart, stem in ((timeline, "timeline"), (gantt, "gantt")):
        png = chart.save_png(tmp_path / f"{stem}.png", width=1200)
        assert png.stat().st_size > 5000
        pdf = chart.save_pdf(tmp_path / f"{stem}.pdf")
        reader = PdfReader(str(pdf))
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert box.width > box.height
        text = " ".join(reader.pages[0].extract_text().split())
        assert "OFFICIAL-SENSITIVE" in text and "Northamptonshire Safeguarding Children Board" in text
        assert "Test-Child" not in text
        assert reader.metadata.title in ("Review timeline", "Live reviews against their targets")


def test_the_gantt_says_which_reviews_are_past_their_target(qtbot, demo):
    gantt = LiveReviewsGantt()
    qtbot.addWidget(gantt)
    gantt.set_store(demo)
    late = [r["refs"] for r in gantt.reviews if r["rag"].colour == "red"]
    assert "Ref050" in late
    assert f"{len(late)} past their target" in gantt.accessibleDescription()


# -- publication: planned date, the copies, a decision not to publish ----------------------------

@pytest.fixture
def lcspr(store, board_settings):
    """An LCSPR agreed on 2 Jun 2025, measured on 1 Dec 2025."""
    board_settings(store, as_at_date="2025-12-01")
    return store.insert("reviews", {"title": "Ref001 LCSPR", "review_type": "LCSPR", "status": "underway",
                                    "framework": "wt2018", "agreed_date": "2025-06-02",
                                    "initiated_date": "2025-06-02"})


def test_a_planned_publication_date_shows_the_copy_deadline_ahead(qtbot, store, lcspr):
    from scrdesk.store.clocks import open_clocks
    from scrdesk.ui.reviews.publication import PublicationDialog

    dialog = PublicationDialog(store, lcspr)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "give the planned publication date" in dialog.deadline.text()
    # Publication planned for Mon 12 Jan 2026: the copy is due 7 working days before it, counted
    # back past New Year's Day (9, 8, 7, 6, 5, 2 Jan, then 31 Dec).
    type_into(qtbot, dialog.planned, "12/01/2026")
    assert dialog.deadline.text().startswith("By 31 Dec 2025, 7 working days before publication.")
    assert dialog.try_save()
    assert store.get("reviews", lcspr)["planned_publication_date"] == "2026-01-12"
    due = [(c["clock"], c["due"]) for c in open_clocks(store) if c["clock"] == "PRE_PUBLICATION"]
    assert due == [("PRE_PUBLICATION", "2025-12-31")]

    tab = ReviewsTab(store)
    qtbot.addWidget(tab)
    tab.live_only.setChecked(False)
    tab.show_record("review", lcspr)
    details = tab.details_label.text()
    assert "Planned publication" in details and "12 Jan 2026" in details
    assert "Due 31 Dec 2025 (7 working days before publication)" in details
    assert tab.publication_button.isEnabled()

    again = PublicationDialog(store, lcspr)
    qtbot.addWidget(again)
    type_into(qtbot, again.panel_sos, "29/12/2025")
    type_into(qtbot, again.ofsted, "29/12/2025")
    assert again.deadline.text() == "Sent 29 Dec 2025, on time (due 31 Dec 2025)"
    assert again.try_save()
    saved = store.get("reviews", lcspr)
    assert (saved["panel_sos_copy_date"], saved["ofsted_copy_date"]) == ("2025-12-29", "2025-12-29")
    assert [c for c in open_clocks(store) if c["clock"] == "PRE_PUBLICATION"] == []


def test_a_decision_not_to_publish_needs_its_reasons_and_owes_no_copy(qtbot, store, lcspr):
    from scrdesk.store.clocks import open_clocks
    from scrdesk.ui.reviews.publication import PublicationDialog

    store.update("reviews", lcspr, {"planned_publication_date": "2026-01-12"})
    dialog = PublicationDialog(store, lcspr)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog.sent, "05/12/2025")
    assert "required when the decision not to publish was sent to the Panel" in dialog.not_publishing.error_text()
    type_into(qtbot, dialog.not_publishing, "04/12/2025")
    assert "the Panel is sent the reasons for not publishing" in dialog.reasons.error_text()
    assert not dialog.try_save()
    assert store.get("reviews", lcspr)["no_publication_date"] is None
    dialog.reasons.editor.setPlainText("Publication would identify the surviving sibling")
    assert dialog.deadline.text() == "None due: the partnership decided not to publish"
    assert dialog.try_save()
    saved = store.get("reviews", lcspr)
    assert (saved["no_publication_date"], saved["no_publication_sent_date"]) == ("2025-12-04", "2025-12-05")
    assert [c for c in open_clocks(store) if c["clock"] == "PRE_PUBLICATION"] == []
