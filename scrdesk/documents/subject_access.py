"""The subject-access export of one case as a PDF: the record, its identifiers and its history.

Data in (the plain dict from `scrdesk.store.retention.subject_access_data`), PDF bytes out. This
is the one document that prints restricted identifiers: it is the subject's own data, given to
them on request, and its first page says so. The PDF metadata and the letterhead carry only the
case reference. Values are printed as a person reads them: codes as labels, linked records by
name, dates as "31 Mar 2017".
"""

from __future__ import annotations

from datetime import datetime

from scrdesk.documents.style import (
    MM,
    NAVY,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    frame_width,
    panel,
)
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.fields import PROFILE_FIELDS, YES_NO_FIELDS, field_label, list_label
from scrdesk.domain.profiles import get_profile

#: Bookkeeping columns that say nothing to the reader (the history keeps their times).
_QUIET = frozenset({"id", "created_at", "updated_at"})

#: Printed under their review's heading, a record need not name the review again.
_IN_REVIEW = frozenset({"review_id"})

#: Other records of the case printed as field lists, in this order, with their headings.
_OTHER_RECORDS = (
    ("parallel_proceedings", "Parallel proceedings"),
    ("review_delays", "Review delays"),
    ("agency_returns", "Agency returns"),
    ("learning_events", "Learning events"),
    ("disseminations", "Briefing disseminations"),
    ("attachments", "Attachments (details only; the files themselves are not included)"),
)


def when_text(stamp: str | None) -> str:
    """An ISO UTC timestamp as local '26 Nov 2016 14:05'."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).astimezone()
    except ValueError:
        return str(stamp)
    return f"{date_text(moment.date())} {moment:%H:%M}"


class _Words:
    """Turns the stored values of the case into words, using only what the export holds."""

    def __init__(self, data: dict):
        self.links = {
            "agency_id": {int(k): v for k, v in (data.get("agencies") or {}).items()},
            "review_id": {r["id"]: r.get("title") for r in data.get("reviews", [])},
            "referral_id": {data["referral"]["id"]: data["referral"].get("ref")},
            "recommendation_id": {r["id"]: r.get("number") for r in data.get("recommendations", [])},
            "briefing_id": {b["id"]: b.get("title") for b in data.get("briefings", [])},
            "action_id": {a["id"]: _short(a.get("text")) for a in data.get("actions", [])},
        }
        self.links["referring_agency_id"] = self.links["agency_id"]
        try:
            self.profile = get_profile(str(data["referral"].get("framework") or data["default_framework"]))
        except ScrdeskError:
            self.profile = None  # an unknown framework: the codes themselves are printed

    def value(self, table: str, name: str, value: object) -> str:
        if value is None or value == "":
            return "blank"
        if name in YES_NO_FIELDS:
            return "Yes" if value in (1, True, "1") else "No"
        if name in self.links:
            return str(self.links[name].get(value) or f"{field_label(name)} {value}")
        if name in PROFILE_FIELDS and self.profile is not None:
            return self.profile.label(str(value))
        labelled = list_label(table, name, value)
        if labelled is not None:
            return labelled
        if name in ("created_at", "updated_at", "added_at") or (isinstance(value, str) and
                                                                 len(value) > 10 and value[10:11] == "T"):
            return when_text(value)
        if isinstance(value, str) and len(value) == 10:
            return date_text(value)
        return str(value)


def _gap():
    from reportlab.platypus import Spacer

    return Spacer(1, 3 * MM)


def _short(text: object, limit: int = 60) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= limit else words[: limit - 1] + "…"


def _fields_table(content: Content, words: _Words, table: str, row: dict, where: str,
                  skip: frozenset = frozenset()):
    """A two-column table of one record's filled-in fields (blank ones and `skip` are left out)."""
    rows, labels = [], []
    for name, value in row.items():
        if name in _QUIET or name in skip or value is None or value == "" or (name in YES_NO_FIELDS and not value):
            continue
        rows.append([field_label(name), words.value(table, name, value)])
        labels.append(field_label(name))
    return content.table(["Field", "Value"], rows, [50 * MM, frame_width() - 50 * MM], where=where,
                         row_labels=labels)


def _list_table(content: Content, words: _Words, table: str, rows: list[dict], columns: list[str],
                widths_mm: list[float], where: str):
    """One row per record, the named columns as words."""
    body = [[words.value(table, c, r.get(c)) if r.get(c) not in (None, "") else "" for c in columns]
            for r in rows]
    return content.table([field_label(c) for c in columns], body, [w * MM for w in widths_mm],
                         where=where)


def _first_page(content: Content, data: dict, words: _Words) -> None:
    referral = data["referral"]
    ref = referral.get("ref") or ""
    content.add_para("Subject access export", "h3", "the title")
    content.add_para(f"Case {ref}", "title", "the title")
    content.add_para(f"Produced {when_text(data.get('generated_at'))} by {data.get('generated_by') or 'unknown'}"
                     f" · {data.get('board') or ''}", "subtitle", "the subtitle")
    content.add(panel(content, "This document contains the subject's own restricted identifiers", [
        content.para(
            "Everything this file holds about the case is printed here, including the restricted "
            "identifiers (name, date of birth, address, case numbers) that every other document "
            "leaves out. This is the one deliberate exception to that rule: the information is the "
            "subject's own, released in answer to a subject access request. Keep it "
            f"{(data.get('marking') or 'OFFICIAL-SENSITIVE').upper()}, send it only to the person "
            "entitled to it, and do not copy it into any other document.", "body", "")]))
    if data.get("shared_reviews"):
        titles = ", ".join(str(words.links["review_id"].get(r) or r) for r in data["shared_reviews"])
        content.add(panel(content, "Check before release: a review here is shared with another case", [
            content.para(f"{titles} also concerns another referral, so it may hold information about "
                         "other people. A person must read this export and redact what is not the "
                         "subject's before it is released.", "body", "")], fill="#fde7b0"))
    counts = [("reviews", "linked reviews"), ("actions", "actions"), ("history", "changes in the history")]
    content.add_para("What this export holds: " + "; ".join(
        f"{len(data.get(key) or [])} {label}" for key, label in counts)
        + ". Times are local; “blank” means the field was empty.", "small", "")


def _reviews(content: Content, data: dict, words: _Words) -> None:
    content.heading("Linked reviews", 1)
    if not data.get("reviews"):
        content.add_para("This referral has not led to a review.", "body", "Linked reviews")
        return
    for review in data["reviews"]:
        rid = review["id"]
        title = review.get("title") or f"Review {rid}"
        content.heading(title, 2, f"Review {rid}, title")
        content.add(_fields_table(content, words, "reviews", review, f"Review {title}"))

        def mine(table: str, _rid: int = rid) -> list[dict]:
            return [r for r in data.get(table, []) if r.get("review_id") == _rid]

        milestones = mine("milestones")
        content.heading("Milestones", 3, f"{title}, milestones")
        if milestones:
            content.add(_list_table(content, words, "milestones", milestones,
                                    ["kind", "planned_date", "actual_date", "attendance", "notes"],
                                    [52, 24, 24, 30, 48], f"{title}, milestones"))
        else:
            content.add_para("None recorded.", "small", "")

        recommendations = mine("recommendations")
        content.heading("Recommendations", 3, f"{title}, recommendations")
        if recommendations:
            content.add(_list_table(content, words, "recommendations", recommendations,
                                    ["number", "level", "text"], [16, 30, 132], f"{title}, recommendations"))
        else:
            content.add_para("None recorded.", "small", "")

        actions = mine("actions")
        content.heading("Actions and their updates", 3, f"{title}, actions")
        if not actions:
            content.add_para("None recorded.", "small", "")
        for number, action in enumerate(actions, 1):
            where = f"{title}, action {action['id']}"
            content.keep_room(30 * MM)
            content.add_para(f"Action {number}: {_short(action.get('text'))}", "h2", where)
            content.add(_fields_table(content, words, "actions", action, where, _IN_REVIEW))
            updates = [u for u in data.get("action_updates", []) if u.get("action_id") == action["id"]]
            if updates:
                content.add_para(f"Updates to action {number}", "small", "")
                content.add(_list_table(content, words, "action_updates", updates,
                                        ["date", "author", "status_from", "status_to", "note"],
                                        [22, 34, 28, 28, 66], f"{title}, updates of action {action['id']}"))
            content.add(_gap())

        briefings = mine("briefings")
        content.heading("Briefings", 3, f"{title}, briefings")
        if not briefings:
            content.add_para("None recorded.", "small", "")
        for briefing in briefings:
            content.add(_fields_table(content, words, "briefings", briefing, f"{title}, briefing {briefing['id']}",
                                      _IN_REVIEW))
            for section in data.get("briefing_sections", []):
                if section.get("briefing_id") == briefing["id"] and (section.get("body") or "").strip():
                    where = f"briefing {briefing['id']}, {section.get('title') or section.get('key')}"
                    content.add_para(section.get("title") or section.get("key") or "", "h3", where)
                    content.add_para(section["body"], "body", where)


def _other_records(content: Content, data: dict, words: _Words) -> None:
    present = [(table, heading) for table, heading in _OTHER_RECORDS if data.get(table)]
    if not present:
        return
    content.heading("Other records of the case", 1)
    for table, heading in present:
        content.heading(heading, 2)
        for row in data[table]:
            content.add(_fields_table(content, words, table, row, f"{heading}, record {row['id']}"))
            content.add(_gap())


def _change_lines(words: _Words, entry: dict) -> list[str]:
    table, action = entry.get("table") or "", entry.get("action")
    lines = []
    for change in entry.get("changes") or []:
        name = change.get("field") or ""
        if name in _QUIET:
            continue
        before, after = change.get("old"), change.get("new")
        if action != "update" and name in YES_NO_FIELDS and not (before or after):
            continue  # "Legal hold: No" on every new record is noise
        label = field_label(name)
        if action == "update":
            # Words, not an arrow: the house font has no arrow glyph.
            lines.append(f"{label}: from {words.value(table, name, before)} to {words.value(table, name, after)}")
        else:
            lines.append(f"{label}: {words.value(table, name, after if action == 'insert' else before)}")
    return lines


_ACTIONS = {"insert": "Created", "update": "Changed", "delete": "Deleted"}


def _history(content: Content, data: dict, words: _Words) -> None:
    content.heading("History of every record", 1)
    entries = data.get("history") or []
    content.add_para("Every change to every record of the case, oldest first, including records since "
                     "deleted: when, who, which record and what changed.", "small", "History")
    if not entries:
        content.add_para("No changes are recorded.", "body", "History")
        return
    rows, labels = [], []
    for i, entry in enumerate(entries):
        lines = _change_lines(words, entry)
        what = _ACTIONS.get(entry.get("action"), str(entry.get("action")))
        rows.append([
            when_text(entry.get("at")),
            entry.get("who") or "",
            f"{entry.get('record') or ''}\n{what}",
            "\n".join(lines) or "Saved with no change",
        ])
        labels.append(f"row {i + 1}")
    content.add(content.table(["When", "Who", "Record", "What changed"], rows, [25 * MM, 27 * MM, 44 * MM,
                              frame_width() - 96 * MM], where="History", row_labels=labels,
                              cell_style="td_small"))


def build_subject_access(data: dict, letterhead: Letterhead) -> BuildResult:
    """The case's PDF: first page with the exception stated, then referral, identifiers,
    reviews with their milestones, recommendations, actions, updates and briefings, other
    records, and the history table."""
    words = _Words(data)
    content = Content()
    _first_page(content, data, words)
    referral = data["referral"]
    content.heading("The referral", 1)
    content.add(_fields_table(content, words, "referrals", referral, "The referral"))
    content.heading("Restricted identifiers", 1)
    identifiers = data.get("restricted_identifiers") or []
    if identifiers:
        content.add(content.table(
            ["Kind", "Value", "Recorded"],
            [[words.value("restricted_identifiers", "kind", i.get("kind")), i.get("value") or "",
              when_text(i.get("created_at"))] for i in identifiers],
            [40 * MM, frame_width() - 80 * MM, 40 * MM], where="Restricted identifiers"))
    else:
        content.add_para("None are recorded for this referral.", "body", "Restricted identifiers")
    _reviews(content, data, words)
    _other_records(content, data, words)
    _history(content, data, words)
    content.add_para(f"End of the subject access export of {referral.get('ref') or ''}.", "small", "",
                     prefix=f'<font color="{NAVY}">', suffix="</font>")
    return build_pdf(content, letterhead)
