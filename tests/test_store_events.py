"""Learning events and meetings through the store, without the window."""

from __future__ import annotations

import pytest

from scrdesk.domain.rules import RuleBroken
from scrdesk.store import attachments, events


def test_an_event_is_saved_changed_and_found_by_its_words(store):
    review = store.insert("reviews", {"title": "Ref044 Child D", "review_type": "SCR"})
    event_id = events.save_event(store, None, {"kind": "training", "date": "2017-03-01", "title": "Neglect",
                                               "review_id": review, "attendance": 20})
    events.save_event(store, event_id, {"facilitator": "J Smith"})
    (row,) = events.event_rows(store, "child d")
    assert (row["id"], row["kind_label"], row["facilitator"], row["attendance"]) == (event_id, "Training", "J Smith", 20)
    assert events.event_rows(store, "nothing like it") == []
    events.delete_event(store, event_id)
    assert events.event_rows(store) == []


def test_an_event_without_its_date_is_refused_and_nothing_is_written(store):
    with pytest.raises(RuleBroken) as refused:
        events.save_event(store, None, {"kind": "training", "date": None})
    assert refused.value.problems == {"date": "is required"}
    assert "Date: is required" in str(refused.value)
    assert events.event_rows(store) == []
    event_id = events.save_event(store, None, {"kind": "training", "date": "2017-03-01"})
    with pytest.raises(RuleBroken, match="Attendance: must be a whole number"):
        events.save_event(store, event_id, {"attendance": -4})
    assert events.get_event(store, event_id)["attendance"] is None


def test_a_meeting_keeps_its_papers_and_deletes_with_them(store, tmp_path):
    with pytest.raises(RuleBroken, match="Meeting: is not a kind of meeting"):
        events.save_meeting(store, None, {"date": "2017-03-01", "kind": "party"})
    meeting = events.save_meeting(store, None, {"date": "2017-03-01", "kind": "qa_subgroup"})
    assert events.paper_kind(events.get_meeting(store, meeting)["kind"]) == "qa"
    paper = tmp_path / "paper.pdf"
    paper.write_bytes(b"%PDF-1.4 first")
    first = events.attach_paper(store, meeting, paper)
    paper.write_bytes(b"%PDF-1.4 second")
    second = events.attach_paper(store, meeting, paper)
    (row,) = events.meeting_rows(store)
    assert (row["paper_attachment_id"], row["paper_name"], row["kind_label"]) == (second, "paper.pdf", "QA sub group")
    assert attachments.attachment_count(store, "meeting", meeting) == 2  # the first kept as history
    events.delete_meeting(store, meeting)
    assert events.meeting_rows(store) == []
    assert store.get("attachments", first) is None and store.get("attachments", second) is None
