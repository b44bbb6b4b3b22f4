"""The briefings tab's two lists: the briefings (left) and one briefing's dissemination by agency.

Column constants name the positions the views set widths and resize modes on, so a column added
to either tuple does not silently move a width onto its neighbour.
"""

from __future__ import annotations

from scrdesk.domain.dates import format_stored
from scrdesk.ui.base import Column

#: The feedback column in words: a dissemination's RAG is about the feedback coming back.
FEEDBACK_WORDS = {"blue": "Received", "red": "Overdue", "amber": "Due soon", "green": "Awaiting",
                  "grey": "No due date"}


def _feedback_words(row: dict) -> str:
    return FEEDBACK_WORDS.get(row["rag"].colour, "") if row["rag"] else "Not sent"


DISSEMINATION_COLUMNS = (
    Column("agency_name", "Agency", tooltip=lambda r: r.get("agency_name")),
    Column("sent_date", "Sent", display=lambda r: format_stored(r.get("sent_date"))),
    Column("feedback_due_date", "Feedback due", display=lambda r: format_stored(r.get("feedback_due_date"))),
    Column("feedback_received_date", "Received", display=lambda r: format_stored(r.get("feedback_received_date"))),
    Column("teams_briefed", "Teams briefed", tooltip=lambda r: r.get("teams_briefed")),
    Column("staff_reached", "Staff reached", align_right=True),
    Column("evidence", "Evidence", display=lambda r: str(r["evidence"]) if r["evidence"] else "—",
           align_right=True),
    Column("note", "Note", tooltip=lambda r: r.get("note")),
    Column("rag", "Feedback", display=_feedback_words,
           tooltip=lambda r: str(r["rag"]) if r["rag"] else "Not sent yet",
           colour=lambda r: r["rag"].colour if r["rag"] else None),
)
(COL_D_AGENCY, COL_D_SENT, COL_D_DUE, COL_D_RECEIVED, COL_D_TEAMS, COL_D_STAFF, COL_D_EVIDENCE, COL_D_NOTE,
 COL_D_FEEDBACK) = range(len(DISSEMINATION_COLUMNS))


def _briefing_status(row: dict) -> str:
    text = f"{row['template_name'].removesuffix(' briefing')}, {row['status_label'].lower()} v{row['version']}"
    if row["status"] == "issued" and row["issued_date"]:
        text += f" {format_stored(row['issued_date'])}"
    return text


BRIEFING_COLUMNS = (
    Column("review_title", "Review", tooltip=lambda r: r.get("review_title")),
    Column("status", "Briefing", display=_briefing_status),
    Column("feedback", "Feedback", tooltip=lambda r: "Agencies that sent feedback, of those sent the briefing"),
)
COL_REVIEW, COL_STATUS, COL_FEEDBACK = range(len(BRIEFING_COLUMNS))

# The editor's pages, in the order they are added.
PAGE_SECTIONS, PAGE_THEMES, PAGE_DISSEMINATION = range(3)
