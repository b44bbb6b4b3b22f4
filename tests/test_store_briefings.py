"""Briefings, dissemination, attachments and agencies through the store, without the window:
each write checks the rules first, refuses in the dialog's words, and changes nothing then."""

from __future__ import annotations

from datetime import date

import pytest

from scrdesk.domain.rules import RuleBroken
from scrdesk.store import agencies, attachments, briefings


@pytest.fixture
def data(store, tmp_path):
    store.set_settings({"as_at_date": "2017-06-15", "feedback_period_days": 28})
    ids = [agencies.save_agency(store, {"name": n, "type": "other"}) for n in ("Police", "ICB", "Schools")]
    agencies.save_agency(store, {"name": "Old Trust", "type": "other", "active": 0})
    review = store.insert("reviews", {"title": "Ref044 Child D", "review_type": "SCR"})
    briefing = briefings.create_briefing(store, review, "six_step", "Learning from Child D")
    evidence = tmp_path / "sign-in sheet.pdf"
    evidence.write_bytes(b"%PDF-1.4 sign in")
    return {"agencies": ids, "review": review, "briefing": briefing, "evidence": evidence}


def _audit_count(store) -> int:
    return store.scalar("SELECT count(*) FROM audit_log")


def _sections(store, briefing_id):
    return [section for section, _guidance in briefings.editor_sections(store, briefings.get_briefing(store, briefing_id))]


def test_an_issued_briefing_without_its_date_is_refused_in_the_editors_words(store, data):
    before = _audit_count(store)
    with pytest.raises(RuleBroken) as refused:
        briefings.save_briefing(store, data["briefing"], title="T", learning_themes=None, status="issued",
                                approved_date="2017-05-01", issued_date=None, sections=_sections(store, data["briefing"]))
    assert refused.value.problems == {"issued_date": "is required for an issued briefing"}
    assert "Issued on: is required for an issued briefing" in str(refused.value)
    assert _audit_count(store) == before
    assert briefings.get_briefing(store, data["briefing"])["status"] == "draft"


def test_issuing_then_editing_the_words_makes_a_new_version(store, data):
    sections = _sections(store, data["briefing"])
    sections[0].body = "What happened"
    assert briefings.save_briefing(store, data["briefing"], title="T", learning_themes="Neglect", status="issued",
                                   approved_date="2017-05-01", issued_date="2017-05-02",
                                   sections=sections) == (1, False)
    sections = _sections(store, data["briefing"])
    sections[0].body = "What happened, corrected"
    assert briefings.save_briefing(store, data["briefing"], title="T", learning_themes="Neglect", status="issued",
                                   approved_date="2017-05-01", issued_date="2017-05-02",
                                   sections=sections) == (2, True)
    assert _sections(store, data["briefing"])[0].body == "What happened, corrected"


def test_send_to_all_active_sends_once_to_each_active_agency(store, data):
    assert briefings.agencies_to_send(store, data["briefing"]) == 3
    assert briefings.send_to_all_active(store, data["briefing"], date(2017, 6, 1)) == 3
    assert briefings.send_to_all_active(store, data["briefing"], date(2017, 6, 2)) == 0
    rows = briefings.dissemination_rows(store, data["briefing"], date(2017, 6, 15))
    assert [r["agency_name"] for r in rows] == ["ICB", "Police", "Schools"]
    assert {r["feedback_due_date"] for r in rows} == {"2017-06-29"}
    assert briefings.briefing_rows(store)[0]["feedback"] == "0 of 3"


def test_feedback_before_sending_is_refused_and_nothing_is_written(store, data):
    police = data["agencies"][0]
    with pytest.raises(RuleBroken) as refused:
        briefings.save_dissemination(store, data["briefing"], None, {
            "agency_id": police, "sent_date": "2017-06-10", "feedback_received_date": "2017-06-01"},
            [attachments.read_attachment_file(data["evidence"])])
    assert refused.value.problems == {"feedback_received_date": "is before the briefing was sent"}
    assert briefings.dissemination_rows(store, data["briefing"], date(2017, 6, 15)) == []
    assert store.scalar("SELECT count(*) FROM attachments") == 0


def test_a_dissemination_with_evidence_fills_its_due_date_and_deletes_with_its_files(store, data):
    police = data["agencies"][0]
    row_id = briefings.save_dissemination(store, data["briefing"], None, {
        "agency_id": police, "sent_date": "2017-06-01", "feedback_due_date": None},
        [attachments.read_attachment_file(data["evidence"])])
    row = briefings.get_dissemination(store, row_id)
    assert row["feedback_due_date"] == "2017-06-29"
    assert attachments.attachment_count(store, "dissemination", row_id) == 1
    assert str(police) not in briefings.dissemination_agency_choices(store, data["briefing"])
    assert str(police) in briefings.dissemination_agency_choices(store, data["briefing"], police)
    with pytest.raises(RuleBroken, match="already on this briefing's list"):
        briefings.save_dissemination(store, data["briefing"], None, {"agency_id": police})
    briefings.delete_dissemination(store, row_id)
    assert store.scalar("SELECT count(*) FROM attachments") == 0


def test_deleting_a_briefing_takes_its_sections_rows_and_every_evidence_file(store, data):
    briefings.send_to_all_active(store, data["briefing"], date(2017, 6, 1))
    row = briefings.dissemination_rows(store, data["briefing"], date(2017, 6, 15))[0]
    attachments.add_attachment(store, "dissemination", row["id"], data["evidence"])
    attachments.add_attachment(store, "briefing", data["briefing"], data["evidence"])
    other = briefings.create_briefing(store, data["review"], "seven_minute", None)
    attachments.add_attachment(store, "briefing", other, data["evidence"])
    briefings.delete_briefing(store, data["briefing"])
    assert briefings.get_briefing(store, data["briefing"]) is None
    assert store.scalar("SELECT count(*) FROM briefing_sections WHERE briefing_id = ?", [data["briefing"]]) == 0
    assert store.scalar("SELECT count(*) FROM disseminations") == 0
    assert store.rows("SELECT owner_kind, owner_id FROM attachments") == [{"owner_kind": "briefing", "owner_id": other}]
    assert briefings.first_briefing_id(store) == other


def test_a_missing_file_or_a_huge_one_is_refused_naming_the_field(tmp_path, monkeypatch):
    with pytest.raises(Exception, match="Evidence file"):
        attachments.read_attachment_file(tmp_path / "nothing.pdf")
    big = tmp_path / "video.mp4"
    big.write_bytes(b"x" * 10)
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 5)
    with pytest.raises(Exception, match="cannot be attached"):
        attachments.read_attachment_file(big, "Paper")


def test_attachment_reads_writes_and_the_logo(store, tmp_path, data):
    attachment_id = attachments.add_attachment(store, "action", 7, data["evidence"])
    assert [r["file_name"] for r in attachments.attachment_rows(store, "action", 7)] == ["sign-in sheet.pdf"]
    assert "content" not in attachments.attachment_rows(store, "action", 7)[0]
    assert attachments.attachment_content(store, attachment_id) == ("sign-in sheet.pdf", b"%PDF-1.4 sign in")
    copy = attachments.temp_copy(store, attachment_id)
    assert copy.name == f"scrdesk-evidence-{attachment_id}.pdf"  # never the stored name
    attachments.delete_attachment(store, attachment_id)
    with pytest.raises(Exception, match="no longer in the data file"):
        attachments.attachment_content(store, attachment_id)
    first = attachments.set_logo(store, attachments.read_attachment_file(data["evidence"], "Logo"))
    assert attachments.logo_content(store) == b"%PDF-1.4 sign in"
    attachments.set_logo(store, None)
    assert attachments.logo_content(store) is None
    assert store.get("attachments", first) is None


def test_an_agency_with_a_taken_name_or_a_bad_email_is_refused(store, data):
    with pytest.raises(RuleBroken) as refused:
        agencies.save_agency(store, {"name": "police", "type": "other"})
    assert refused.value.problems == {"name": "is already used by another agency"}
    with pytest.raises(RuleBroken, match="Email: is not an email address"):
        agencies.save_agency(store, {"name": "Health", "type": "other", "lead_email": "nobody"})
    police = data["agencies"][0]
    agencies.save_agency(store, {"id": police, "name": "Police", "type": "police", "lead_email": "a@b.gov.uk"})
    assert store.get("agencies", police)["lead_email"] == "a@b.gov.uk"


def test_settings_agencies_and_logo_are_written_together_or_not_at_all(store, data):
    listed = agencies.all_agencies(store)
    listed.append({"name": "Police", "type": "other"})  # a second Police: refused
    logo = attachments.read_attachment_file(data["evidence"], "Logo")
    with pytest.raises(RuleBroken):
        agencies.save_settings(store, {"board_name": "Northshire SCP"}, listed, logo)
    assert store.settings().board_name != "Northshire SCP"
    assert attachments.logo_content(store) is None
    listed[-1]["name"] = "Probation"
    agencies.save_settings(store, {"board_name": "Northshire SCP"}, listed, logo)
    assert store.settings().board_name == "Northshire SCP"
    assert listed[-1]["id"] and attachments.logo_content(store) == b"%PDF-1.4 sign in"
