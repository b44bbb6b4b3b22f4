"""Learning that lands in the window, as a project officer would use it: close a recommendation
with an impact statement and evidence, record a publication step, tag themes, put a briefing in
a newsletter and on the website, and see the refusals beside the fields."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from ui_helpers import choose, type_into, with_modal

from scrdesk.store import channels, impact, learning_annual, publication, themes
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo
from scrdesk.ui.actions import ActionPlanTab
from scrdesk.ui.briefings import BriefingsTab
from scrdesk.ui.forms import RecordDialog
from scrdesk.ui.learning import dialogs as learning_dialogs
from scrdesk.ui.learning.dialogs import (
    ImpactDialog,
    IssueDialog,
    PublicationRecordDialog,
    ThemesDialog,
)
from scrdesk.ui.reviews import ReviewsTab


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    monkeypatch.setattr(RecordDialog, "_discard_confirmed", lambda self: True)
    monkeypatch.setattr(learning_dialogs, "confirm", lambda *a, **k: True)


@pytest.fixture
def demo(tmp_path):
    opened = Store.open(write_demo(tmp_path / "demo.db"), user="tester")
    yield opened
    opened.close()


def review_id(store, ref: str) -> int:
    return store.scalar("SELECT rr.review_id FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
                        "WHERE r.ref = ?", [ref])


@pytest.fixture
def reviews_tab(qtbot, demo):
    tab = ReviewsTab(demo)
    qtbot.addWidget(tab)
    tab.live_only.setChecked(False)
    tab.show_record("review", review_id(demo, "Ref021"))
    return tab


def test_the_publication_page_shows_the_checklist_and_the_media_handling(reviews_tab):
    panel = reviews_tab.publication_panel
    assert panel.progress_label.text() == "8 of 8 steps done or not needed"
    assert "1:1 interviews with the independent chair" in panel.summary.text()
    assert "26 Jan 2018" in panel.summary.text()  # the removal date
    assert "Bruising in non-mobile babies" in panel.themes_label.text()
    assert panel.closure_label.text().endswith("0 closed with evidence of impact, 1 closed on their actions alone, "
                                               "4 open")


def test_close_a_recommendation_with_impact_and_evidence(qtbot, reviews_tab, demo, tmp_path, monkeypatch):
    evidence = tmp_path / "audit.txt"
    evidence.write_text("Audit: 18 of 20 records show the baby's lived experience.", encoding="utf-8")
    monkeypatch.setattr("scrdesk.ui.attachments.QFileDialog.getOpenFileNames",
                        lambda *a, **k: ([str(evidence)], ""))
    recs = reviews_tab.recommendations
    recs.view.selectRow(0)
    before = learning_annual.learning_section(demo, 2017)["recommendations"]["closed_with_impact"]

    def close_with_impact(dialog):
        assert isinstance(dialog, ImpactDialog)
        choose(dialog.basis, "Closed with evidence of impact")
        type_into(qtbot, dialog.closed_date, "15/06/2017")
        dialog._on_form_edited()
        assert dialog.statement.error_text() == "is required to close a recommendation with evidence of impact"
        assert not dialog.save_button.isEnabled()
        dialog.statement.editor.setPlainText("18 of 20 records now record the baby's daily lived experience.")
        dialog.evidence.add_button.click()
        dialog._on_form_edited()
        assert dialog.try_save()

    with_modal(qtbot, reviews_tab.recommendation_learning.impact_button.click, close_with_impact)
    rec = recs.model.rows()[0]
    assert rec["closure"] == "Closed with evidence of impact 15 Jun 2017"
    assert impact.get_impact(demo, rec["id"])["evidence_files"] == 1
    assert learning_annual.learning_section(demo, 2017)["recommendations"]["closed_with_impact"] == before + 1


def test_a_partly_accepted_recommendation_asks_for_its_reason(qtbot, demo):
    rec = demo.scalar("SELECT id FROM recommendations WHERE review_id = ? AND number = '3'",
                      [review_id(demo, "Ref021")])
    dialog = ImpactDialog(demo, rec)
    qtbot.addWidget(dialog)
    choose(dialog.acceptance, "Accepted in part")
    dialog._on_form_edited()
    assert dialog.reason.error_text() == "is required when a recommendation is accepted in part"
    type_into(qtbot, dialog.reason, "The police can share only notifiable incidents.")
    dialog._on_form_edited()
    assert dialog.reason.error_text() == ""


def test_record_a_step_and_the_checklist_moves(qtbot, demo):
    tab = ReviewsTab(demo)
    qtbot.addWidget(tab)
    tab.live_only.setChecked(False)
    tab.show_record("review", review_id(demo, "Ref044"))
    panel = tab.publication_panel
    assert panel.progress_label.text() == "0 of 8 steps done or not needed"
    panel.steps_view.selectRow(3)  # coroner cleared

    def not_needed(dialog):
        dialog.done_date.set_value(None)
        dialog.not_needed.set_value(True)
        dialog._on_form_edited()
        assert dialog.note.error_text() == "say why this step is not needed"
        dialog.note.set_value("No inquest: the child survived.")
        dialog._on_form_edited()
        assert dialog.try_save()

    with_modal(qtbot, panel.step_button.click, not_needed)
    assert panel.progress_label.text() == "1 of 8 steps done or not needed"
    assert panel.steps.rows()[3]["note"] == "No inquest: the child survived."


def test_a_web_address_that_is_not_one_is_shown_beside_the_field(qtbot, demo):
    dialog = PublicationRecordDialog(demo, review_id(demo, "Ref021"))
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.web_address, "the council website")
    dialog._on_form_edited()
    assert dialog.web_address.error_text().startswith("does not look like a web address")
    assert not dialog.save_button.isEnabled()
    assert publication.publication(demo, review_id(demo, "Ref021"))["web_address"].startswith("https://")


def test_tag_a_review_with_a_theme_of_the_partnership_s_own(qtbot, demo):
    rid = review_id(demo, "Ref054")
    dialog = ThemesDialog(demo, "review", rid, "Ref054")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.new_label.setText("Sibling groups")
    qtbot.keyClick(dialog.new_label, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter added the theme to the list, ticked; it did not save and close
    assert dialog.list.item(dialog.list.count() - 1).text() == "Sibling groups"
    assert themes.tag_labels(demo, "review", [rid]) == {rid: "Domestic abuse"}
    dialog.try_save()
    assert themes.tag_labels(demo, "review", [rid]) == {rid: "Domestic abuse; Sibling groups"}


def test_the_briefing_shows_its_channels_and_a_newsletter_is_added(qtbot, demo):
    tab = BriefingsTab(demo)
    qtbot.addWidget(tab)
    bid = demo.scalar("SELECT id FROM briefings WHERE review_id = ?", [review_id(demo, "Ref021")])
    tab.open_briefing(bid)
    page = tab.channels_page
    assert page.summary.text() == "Newsletter 36 (3 Feb 2017); website 26 Jan 2017"

    dialog = IssueDialog(demo, None, briefing_id=bid)
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.number, "37")
    type_into(qtbot, dialog.issue_date, "20/01/2017")
    dialog._on_form_edited()
    assert dialog.issue_date.error_text().endswith("is dated before the briefing was issued (26 Jan 2017)")
    type_into(qtbot, dialog.issue_date, "07/04/2017")
    dialog._on_form_edited()
    assert dialog.try_save()
    page.set_briefing(bid)
    assert page.summary.text() == "Newsletter 36 (3 Feb 2017); Newsletter 37 (7 Apr 2017); website 26 Jan 2017"
    assert channels.get_issue(demo, dialog.issue_id)["briefing_ids"] == [bid]


def test_read_only_leaves_the_learning_buttons_looking_not_changing(qtbot, reviews_tab):
    reviews_tab.set_read_only(True)
    panel = reviews_tab.publication_panel
    assert panel.edit_button.text() == "Open publication…"
    reviews_tab.recommendations.view.selectRow(0)
    assert reviews_tab.recommendation_learning.impact_button.isEnabled()


def test_the_action_plan_sets_impact_against_actions_alone(qtbot, demo):
    tab = ActionPlanTab(demo)
    qtbot.addWidget(tab)
    assert tab.closure_label.text() == ("Recommendations: 0 closed with evidence of impact, "
                                        f"{impact.closure_summary(demo)['closed_on_actions_only']} closed on their "
                                        "actions alone, 12 open")


def test_the_publication_part_opens_the_reviews_publication_pack(reviews_tab, monkeypatch):
    from scrdesk.ui import documents

    shown = []
    monkeypatch.setattr(documents, "show_document", lambda parent, store, kind, **params: shown.append((kind, params)))
    panel = reviews_tab.publication_panel
    assert panel.pack_button.isEnabled()
    panel.pack_button.click()
    assert shown == [("publication_pack", {"review_id": panel.review_id})]
