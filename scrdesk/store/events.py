"""Learning events (practitioner events, de-briefs, training, workshops) and meetings with the
briefing paper kept for each: every read the events tab makes and every write, each one
transaction that checks `scrdesk.domain.rules.events` first and refuses with `RuleBroken` in the
words the event and meeting dialogs show beside the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from scrdesk.domain import values
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.rules import events as rules
from scrdesk.domain.rules import require
from scrdesk.store.attachments import add_attachment, delete_owned, read_attachment_file
from scrdesk.store.db import Store

LABELS = {"kind": "Kind", "title": "Title", "date": "Date", "review_id": "Review", "attendance": "Attendance",
          "facilitator": "Facilitator", "feedback": "Feedback quotes", "notes": "Notes"}
MEETING_LABELS = LABELS | {"kind": "Meeting"}

EVENT_GONE = "That event is no longer in the data file."
MEETING_GONE = "That meeting is no longer in the data file."


# -- reads ---------------------------------------------------------------------------------------

def event_rows(store: Store, text: str = "") -> list[dict]:
    """Learning events, newest first, with their review's title; `text` searches title,
    facilitator, feedback and review."""
    where, params = "", []
    if text.strip():
        like = f"%{text.strip()}%"
        where = " WHERE e.title LIKE ? OR e.facilitator LIKE ? OR e.feedback LIKE ? OR rv.title LIKE ?"
        params = [like] * 4
    rows = store.rows("SELECT e.*, rv.title AS review_title FROM learning_events e "
                      f"LEFT JOIN reviews rv ON rv.id = e.review_id{where} ORDER BY e.date DESC, e.id DESC", params)
    for row in rows:
        row["kind_label"] = values.label(values.EVENT_KINDS, row["kind"])
    return rows


def meeting_rows(store: Store) -> list[dict]:
    """Meetings, newest first, with the file name of the paper kept for each."""
    rows = store.rows("SELECT m.*, a.file_name AS paper_name FROM meetings m "
                      "LEFT JOIN attachments a ON a.id = m.paper_attachment_id ORDER BY m.date DESC, m.id DESC")
    for row in rows:
        row["kind_label"] = values.label(values.MEETING_KINDS, row["kind"])
    return rows


def get_event(store: Store, event_id: int) -> dict | None:
    return store.get("learning_events", event_id)


def get_meeting(store: Store, meeting_id: int) -> dict | None:
    return store.get("meetings", meeting_id)


def paper_kind(meeting_kind: str) -> str:
    """The briefing paper a meeting takes: the QA sub group has its own."""
    return "qa" if meeting_kind == "qa_subgroup" else "scr"


# -- writes --------------------------------------------------------------------------------------

def save_event(store: Store, event_id: int | None, record: Mapping[str, object]) -> int:
    """Create (no id) or change a learning event; its id."""
    with store.transaction():
        if event_id is None:
            require(rules.event_problems(record), "The event", LABELS)
            return store.insert("learning_events", record)
        current = get_event(store, event_id)
        if current is None:
            raise ScrdeskError(EVENT_GONE)
        require(rules.event_problems(current | dict(record)), "The event", LABELS)
        store.update("learning_events", event_id, record)
        return event_id


def delete_event(store: Store, event_id: int) -> None:
    with store.transaction():
        store.delete("learning_events", event_id)


def save_meeting(store: Store, meeting_id: int | None, record: Mapping[str, object]) -> int:
    """Create (no id) or change a meeting; its id."""
    with store.transaction():
        if meeting_id is None:
            require(rules.meeting_problems(record), "The meeting", MEETING_LABELS)
            return store.insert("meetings", record)
        current = get_meeting(store, meeting_id)
        if current is None:
            raise ScrdeskError(MEETING_GONE)
        require(rules.meeting_problems(current | dict(record)), "The meeting", MEETING_LABELS)
        store.update("meetings", meeting_id, record)
        return meeting_id


def attach_paper(store: Store, meeting_id: int, path: str | Path) -> int:
    """Keep a paper with its meeting; an earlier paper stays attached to the meeting as history."""
    values_ = read_attachment_file(path, "Paper")
    with store.transaction():
        if get_meeting(store, meeting_id) is None:
            raise ScrdeskError(MEETING_GONE)
        attachment_id = add_attachment(store, "meeting", meeting_id, values_)
        store.update("meetings", meeting_id, {"paper_attachment_id": attachment_id})
    return attachment_id


def delete_meeting(store: Store, meeting_id: int) -> None:
    """The meeting and every paper kept with it."""
    with store.transaction():
        store.update("meetings", meeting_id, {"paper_attachment_id": None})
        delete_owned(store, "meeting", [meeting_id])
        store.delete("meetings", meeting_id)
