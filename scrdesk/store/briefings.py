"""Briefings (6-step, 7-minute) and their dissemination: every read the briefings tab makes and
every write, each one transaction that checks `scrdesk.domain.rules.briefings` first and refuses
with `RuleBroken` in the words the editor and the dissemination dialog show beside the field.

Templates are data (`scrdesk.domain.templates`); a briefing's sections are stored by key and
position in `briefing_sections`, so a changed template never loses what was written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from scrdesk.domain import values
from scrdesk.domain.dates import from_iso
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.rag import rag_for_deadline
from scrdesk.domain.rules import Problems, require
from scrdesk.domain.rules import briefings as rules
from scrdesk.domain.templates import REFLECTION_KEY, Template, load_template
from scrdesk.store.attachments import add_attachment, delete_owned
from scrdesk.store.db import Store

# What a person calls each column, for a refusal raised outside a dialog (import, command line).
LABELS = {
    "title": "Title", "learning_themes": "Learning themes", "status": "Status",
    "approved_date": "Approved on", "issued_date": "Issued on",
    "agency_id": "Agency", "sent_date": "Sent on", "feedback_due_date": "Feedback due",
    "feedback_received_date": "Feedback received", "teams_briefed": "Teams briefed",
    "staff_reached": "Staff reached", "note": "Note",
}

BRIEFING_GONE = "That briefing is no longer in the data file."
DISSEMINATION_GONE = "That dissemination record is no longer in the data file."

REFLECTION_TITLE = "Questions for reflection"
REFLECTION_GUIDANCE = "One question per line; these are the template's own until you change them."


# -- templates ---------------------------------------------------------------------------------

def template_or_none(code: str | None) -> Template | None:
    """The briefing's template, or None when this build no longer has it (the sections stay)."""
    try:
        return load_template(code or "six_step")
    except ScrdeskError:
        return None


def template_name(code: str | None) -> str:
    template = template_or_none(code)
    return template.name if template else (code or "")


# -- reads ---------------------------------------------------------------------------------------

_LIST_SQL = (
    "SELECT b.*, rv.title AS review_title, "
    "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id AND d.sent_date IS NOT NULL) AS sent, "
    "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id "
    " AND d.feedback_received_date IS NOT NULL) AS received "
    "FROM briefings b JOIN reviews rv ON rv.id = b.review_id")


def briefing_rows(store: Store) -> list[dict]:
    """Every briefing with its review's title, template and status words, and "n of m" feedback."""
    rows = store.rows(_LIST_SQL + " ORDER BY rv.title, b.id")
    for row in rows:
        row["template_name"] = template_name(row["template"])
        row["status_label"] = values.label(values.BRIEFING_STATUSES, row["status"])
        row["feedback"] = f"{row['received']} of {row['sent']}" if row["sent"] else "Not sent"
    return rows


def first_briefing_id(store: Store) -> int | None:
    """The briefing the list shows first (by review title), to open on."""
    return store.scalar("SELECT b.id FROM briefings b JOIN reviews rv ON rv.id = b.review_id "
                        "ORDER BY rv.title, b.id LIMIT 1")


def get_briefing(store: Store, briefing_id: int | None) -> dict | None:
    """The briefing with its review's title (`review_title`), or None if it is gone."""
    if briefing_id is None:
        return None
    return store.row("SELECT b.*, rv.title AS review_title FROM briefings b "
                     "JOIN reviews rv ON rv.id = b.review_id WHERE b.id = ?", [briefing_id])


def get_dissemination(store: Store, dissemination_id: int | None) -> dict | None:
    return store.get("disseminations", dissemination_id) if dissemination_id is not None else None


@dataclass
class SectionText:
    position: int
    key: str | None
    title: str
    body: str


def editor_sections(store: Store, briefing: Mapping[str, object]) -> list[tuple[SectionText, str]]:
    """(section, guidance) in template order; stored sections the template lacks come after."""
    stored = store.rows("SELECT * FROM briefing_sections WHERE briefing_id = ? ORDER BY position, id",
                        [briefing["id"]])
    by_key = {s["key"]: s for s in stored if s["key"]}
    template = template_or_none(briefing["template"])
    out: list[tuple[SectionText, str]] = []
    used = set()
    if template is not None:
        keys = [(s.key, s.title, s.guidance) for s in template.sections]
        if template.reflection_questions:
            keys.append((REFLECTION_KEY, REFLECTION_TITLE, REFLECTION_GUIDANCE))
        for key, title, guidance in keys:
            row = by_key.get(key)
            used.add(key)
            if row is not None:
                out.append((SectionText(row["position"], key, row["title"], row["body"]), guidance))
            else:
                body = "\n".join(template.reflection_questions) if key == REFLECTION_KEY else ""
                out.append((SectionText(len(out) + 1, key, title, body), guidance))
    for row in stored:
        if row["key"] in used:
            continue
        out.append((SectionText(row["position"], row["key"], row["title"], row["body"]), ""))
    for position, (section, _guidance) in enumerate(out, start=1):
        section.position = position
    return out


def feedback_due(store: Store, sent: date) -> date:
    """When an agency's feedback is due if it was sent the briefing on `sent` (a setting)."""
    return sent + timedelta(days=store.settings().feedback_period_days)


def dissemination_rows(store: Store, briefing_id: int, today: date) -> list[dict]:
    """One row per agency the briefing is for, with its evidence count and feedback RAG."""
    rows = store.rows(
        "SELECT d.*, ag.name AS agency_name, coalesce(ag.short_name, ag.name) AS agency_short, "
        "(SELECT count(*) FROM attachments a WHERE a.owner_kind = 'dissemination' AND a.owner_id = d.id) "
        "AS evidence FROM disseminations d JOIN agencies ag ON ag.id = d.agency_id "
        "WHERE d.briefing_id = ? ORDER BY ag.name", [briefing_id])
    for row in rows:
        if row["sent_date"] is None:
            row["rag"] = None
        else:
            row["rag"] = rag_for_deadline(from_iso(row["feedback_due_date"]),
                                          from_iso(row["feedback_received_date"]), today, what="feedback")
    return rows


def agencies_to_send(store: Store, briefing_id: int) -> int:
    """How many active agencies have not yet been sent this briefing."""
    return int(store.scalar(
        "SELECT count(*) FROM agencies ag WHERE ag.active = 1 AND NOT EXISTS (SELECT 1 FROM disseminations d "
        "WHERE d.briefing_id = ? AND d.agency_id = ag.id AND d.sent_date IS NOT NULL)", [briefing_id]) or 0)


def dissemination_agency_choices(store: Store, briefing_id: int, keep_agency_id: int | None = None) -> dict[str, str]:
    """The agencies a dissemination may name: active ones not yet on this briefing's list, and
    the one the record already names (so editing an old row keeps its agency)."""
    taken = {r["agency_id"] for r in store.rows(
        "SELECT agency_id FROM disseminations WHERE briefing_id = ?", [briefing_id])}
    return {str(a["id"]): a["name"] for a in store.rows("SELECT id, name, active FROM agencies ORDER BY name")
            if a["id"] == keep_agency_id or (a["active"] and a["id"] not in taken)}


# -- writes --------------------------------------------------------------------------------------

def create_briefing(store: Store, review_id: int, template_code: str, title: str | None) -> int:
    """A draft briefing of a review with the template's sections, empty (reflection questions
    start as the template's own)."""
    template = load_template(template_code)
    require(rules.problems({"status": "draft", "title": title}), "The briefing", LABELS)
    with store.transaction():
        if store.get("reviews", review_id) is None:
            raise ScrdeskError("That review is no longer in the data file.")
        briefing_id = store.insert("briefings", {"review_id": review_id, "template": template_code,
                                                 "title": title, "status": "draft", "version": 1})
        sections = [{"briefing_id": briefing_id, "position": n, "key": s.key, "title": s.title, "body": ""}
                    for n, s in enumerate(template.sections, start=1)]
        if template.reflection_questions:
            sections.append({"briefing_id": briefing_id, "position": len(sections) + 1, "key": REFLECTION_KEY,
                             "title": REFLECTION_TITLE, "body": "\n".join(template.reflection_questions)})
        store.insert_many("briefing_sections", sections)
    return briefing_id


def _sections_problems(sections: Iterable[SectionText]) -> Problems:
    found: Problems = {}
    for section in sections:
        for column, message in rules.section_problems({"title": section.title, "body": section.body}).items():
            found.setdefault(f"section {section.position} {column}", message)
    return found


def save_briefing(store: Store, briefing_id: int, *, title: str | None, learning_themes: str | None,
                  status: str, approved_date: str | None, issued_date: str | None,
                  sections: list[SectionText]) -> tuple[int, bool]:
    """Write the briefing and its sections in one transaction; (version, bumped).

    Editing the words of an issued briefing makes a new version: agencies hold the old one.
    """
    record = {"title": title, "learning_themes": learning_themes, "status": status,
              "approved_date": approved_date, "issued_date": issued_date}
    require(rules.problems(record) | _sections_problems(sections), "The briefing", LABELS)
    with store.transaction():
        current = store.get("briefings", briefing_id)
        if current is None:
            raise ScrdeskError(BRIEFING_GONE)
        stored = {(s["key"], s["position"]): s for s in store.rows(
            "SELECT * FROM briefing_sections WHERE briefing_id = ?", [briefing_id])}
        by_key = {key: s for (key, _p), s in stored.items() if key}
        words_changed = (title or None) != (current["title"] or None) or \
            (learning_themes or None) != (current["learning_themes"] or None)
        for section in sections:
            row = by_key.get(section.key) if section.key else stored.get((None, section.position))
            if row is None:
                if section.body.strip():
                    words_changed = True
                store.insert("briefing_sections", {"briefing_id": briefing_id, "position": section.position,
                                                   "key": section.key, "title": section.title, "body": section.body})
                continue
            changes = {}
            if row["body"] != section.body or row["title"] != section.title:
                words_changed = True
                changes |= {"body": section.body, "title": section.title}
            if row["position"] != section.position:
                changes["position"] = section.position
            if changes:
                store.update("briefing_sections", row["id"], changes)
        bump = words_changed and current["status"] == "issued"
        version = int(current["version"] or 1) + (1 if bump else 0)
        store.update("briefings", briefing_id, record | {"version": version})
    return version, bump


def send_to_all_active(store: Store, briefing_id: int, sent: date) -> int:
    """A sent row for every active agency not yet sent the briefing; how many were sent."""
    due = feedback_due(store, sent).isoformat()
    count = 0
    with store.transaction():
        if store.get("briefings", briefing_id) is None:
            raise ScrdeskError(BRIEFING_GONE)
        have = {r["agency_id"]: r for r in store.rows(
            "SELECT id, agency_id, sent_date, feedback_received_date FROM disseminations WHERE briefing_id = ?",
            [briefing_id])}
        for agency in store.rows("SELECT id FROM agencies WHERE active = 1 ORDER BY name"):
            existing = have.get(agency["id"])
            if existing is None:
                store.insert("disseminations", {"briefing_id": briefing_id, "agency_id": agency["id"],
                                                "sent_date": sent.isoformat(), "feedback_due_date": due})
                count += 1
            elif existing["sent_date"] is None:
                changes = {"sent_date": sent.isoformat(), "feedback_due_date": due}
                require(rules.dissemination_problems(existing | changes), "The dissemination", LABELS)
                store.update("disseminations", existing["id"], changes)
                count += 1
    return count


def save_dissemination(store: Store, briefing_id: int, dissemination_id: int | None,
                       record: Mapping[str, object], evidence: Iterable[dict] = ()) -> int:
    """Create (no id) or change one agency's dissemination, with new evidence files; its id.

    Left blank, feedback is due the feedback period (a setting) after the briefing was sent.
    """
    record = dict(record)
    sent = from_iso(record.get("sent_date"))
    if sent is not None and not record.get("feedback_due_date"):
        record["feedback_due_date"] = feedback_due(store, sent).isoformat()
    with store.transaction():
        if dissemination_id is None:
            if store.get("briefings", briefing_id) is None:
                raise ScrdeskError(BRIEFING_GONE)
            record["briefing_id"] = briefing_id
            require(rules.dissemination_problems(record), "The dissemination", LABELS)
            if store.scalar("SELECT 1 FROM disseminations WHERE briefing_id = ? AND agency_id = ?",
                            [briefing_id, record["agency_id"]]):
                require({"agency_id": "is already on this briefing's list"}, "The dissemination", LABELS)
            dissemination_id = store.insert("disseminations", record)
        else:
            current = store.get("disseminations", dissemination_id)
            if current is None:
                raise ScrdeskError(DISSEMINATION_GONE)
            record.pop("agency_id", None)  # the agency of a row is fixed once it is on the list
            require(rules.dissemination_problems(current | record), "The dissemination", LABELS)
            store.update("disseminations", dissemination_id, record)
        for values_ in evidence:
            add_attachment(store, "dissemination", dissemination_id, values_)
    return dissemination_id


def delete_dissemination(store: Store, dissemination_id: int) -> None:
    """One agency off the list, with its evidence files."""
    with store.transaction():
        delete_owned(store, "dissemination", [dissemination_id])
        store.delete("disseminations", dissemination_id)


def delete_briefing(store: Store, briefing_id: int) -> None:
    """The briefing, its sections and dissemination rows (by foreign key), and every evidence
    file of its dissemination and of itself (attachments have no foreign key)."""
    with store.transaction():
        dissemination_ids = [r["id"] for r in store.rows(
            "SELECT id FROM disseminations WHERE briefing_id = ?", [briefing_id])]
        delete_owned(store, "dissemination", dissemination_ids)
        delete_owned(store, "briefing", [briefing_id])
        store.delete("briefings", briefing_id)
