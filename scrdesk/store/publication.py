"""A review's publication: its checklist (family told and offered a reading; police, CPS and
coroner cleared; media plan and press statement; partner communications leads told; copies sent —
each done on / by / with a note, or marked not needed with why), the web address, how the media
were handled, the date published and the removal date (published + the "how long a report stays
online" setting, `Settings.report_online_months`).

The date published and the removal date are the review's own columns, written through
`store.reviews.update_review` in the same transaction, so the review's rules (published after it
was sent to the national panel, …) hold here too. The statutory clocks for publication (planned
publication date, the copies to the Panel, the Secretary of State and Ofsted) belong to
`store.statutory`; this module reads them for the publication pack and never writes them.

Every write is one transaction and checks `scrdesk.domain.rules.learning` first, refusing with
`RuleBroken` in the words the publication dialog shows beside the field.
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain import values
from scrdesk.domain.dates import format_stored
from scrdesk.domain.rules import Problems, RuleBroken
from scrdesk.domain.rules import learning as rules
from scrdesk.store import reviews
from scrdesk.store.db import Store, StoreError

LABELS = {
    "web_address": "Web address", "media_approach": "Media handling", "notes": "Notes",
    "published_date": "Date published", "removal_date": "Removal date", "item": "Checklist item",
    "done_date": "Done on", "done_by": "Done by", "not_needed": "Not needed", "note": "Note",
}

REVIEW_GONE = "That review is no longer in the data file."

#: Columns of the review that the publication part shows (the statutory ones read-only).
_REVIEW_COLUMNS = ("title", "status", "published_date", "removal_date", "planned_publication_date",
                   "panel_sos_copy_date", "ofsted_copy_date", "publication_decision")

_REF = ("(SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r "
        "ON r.id = rr.referral_id WHERE rr.review_id = {review})")


def _refuse(what: str, found: Problems) -> None:
    if found:
        raise RuleBroken(what, found, LABELS)


# -- reading ---------------------------------------------------------------------------------

def default_removal_date(store: Store, published_date: str | None) -> str | None:
    """The date published plus the setting "how long a report stays online" (ISO), or None."""
    if not published_date:
        return None
    return rules.months_after(str(published_date), store.settings().report_online_months)


def steps(store: Store, review_id: int) -> list[dict]:
    """The checklist, one row per item in order: `item`, `label`, `done_date`, `done_by`,
    `not_needed` (bool), `note`, `done` (done or not needed), `id` (None when never recorded)."""
    stored = {row["item"]: row for row in store.rows(
        "SELECT * FROM publication_steps WHERE review_id = ?", [review_id])}
    rows = []
    for item, label in rules.PUBLICATION_ITEMS.items():
        row = stored.get(item, {})
        rows.append({"id": row.get("id"), "item": item, "label": label, "done_date": row.get("done_date"),
                     "done_by": row.get("done_by"), "not_needed": bool(row.get("not_needed")),
                     "note": row.get("note"),
                     "done": bool(row.get("done_date")) or bool(row.get("not_needed"))})
    return rows


def publication(store: Store, review_id: int) -> dict:
    """Everything the Publication part shows for a review: `web_address`, `media_approach`,
    `media_label`, `notes`, the review's `published_date`, `removal_date`, its statutory
    publication dates (read-only here), `ref`, `steps` (see `steps`) and `done`/`total`."""
    review = store.row(f"SELECT id, {', '.join(_REVIEW_COLUMNS)}, {_REF.format(review='reviews.id')} AS ref "
                       "FROM reviews WHERE id = ?", [review_id])
    if review is None:
        raise StoreError(REVIEW_GONE)
    kept = store.row("SELECT web_address, media_approach, notes FROM publications WHERE review_id = ?",
                     [review_id]) or {"web_address": None, "media_approach": None, "notes": None}
    checklist = steps(store, review_id)
    return {**review, **kept, "review_id": review_id, "ref": review["ref"] or review["title"],
            "media_label": values.label(rules.MEDIA_APPROACHES, kept["media_approach"]) if kept["media_approach"] else "",
            "steps": checklist, "done": sum(step["done"] for step in checklist), "total": len(checklist)}


def progress(store: Store) -> dict[int, tuple[int, int]]:
    """`{review_id: (items done or not needed, items in the checklist)}` for every review with a
    checklist begun, in one query (for the Reviews list)."""
    total = len(rules.PUBLICATION_ITEMS)
    return {row["review_id"]: (int(row["done"]), total) for row in store.rows(
        "SELECT review_id, sum(done_date IS NOT NULL OR not_needed) AS done FROM publication_steps "
        "GROUP BY review_id")}


def publications_between(store: Store, start: str, end: str) -> list[dict]:
    """Reviews published between `start` and `end` (ISO, inclusive), in date order, each as
    `publication` gives it (web address, media handling, checklist, removal date)."""
    ids = [row["id"] for row in store.rows(
        "SELECT id FROM reviews WHERE published_date BETWEEN ? AND ? ORDER BY published_date, id", [start, end])]
    return [publication(store, review_id) for review_id in ids]


def publication_problems(store: Store, review_id: int, values_: Mapping[str, object]) -> Problems:
    """The rules as a save would apply them, for the dialog to show as the person types."""
    published = values_.get("published_date")
    removal = values_.get("removal_date") or default_removal_date(store, published)  # type: ignore[arg-type]
    return rules.publication_problems(values_, published_date=published, removal_date=removal)


# -- writing ---------------------------------------------------------------------------------

def save_publication(store: Store, review_id: int, *, web_address: str | None = None,
                     media_approach: str | None = None, notes: str | None = None,
                     published_date: str | None = None, removal_date: str | None = None) -> None:
    """Record a review's publication in one transaction: the web address, the media handling and
    notes, and the review's date published and removal date (when none is given, the date
    published plus the "how long a report stays online" setting). A completed review given a
    date published becomes "Published". Refuses in the rules' words."""
    record = {"web_address": (web_address or "").strip() or None, "media_approach": media_approach or None,
              "notes": (notes or "").strip() or None}
    removal = removal_date or default_removal_date(store, published_date)
    _refuse("The publication", rules.publication_problems(record, published_date=published_date,
                                                          removal_date=removal))
    with store.transaction():
        review = reviews.get_review(store, review_id)
        if review is None:
            raise StoreError(REVIEW_GONE)
        changes: dict[str, object] = {"published_date": published_date or None, "removal_date": removal}
        if published_date and review["status"] == "completed":
            changes["status"] = "published"
        _check_steps_against(store, review_id, published_date)
        reviews.update_review(store, review_id, changes)
        existing = store.scalar("SELECT id FROM publications WHERE review_id = ?", [review_id])
        if existing is None:
            store.insert("publications", {"review_id": review_id, **record})
        else:
            store.update("publications", existing, record)


def _check_steps_against(store: Store, review_id: int, published_date: str | None) -> None:
    """A new date published may not fall before a checklist step already done."""
    for step in steps(store, review_id):
        found = rules.step_problems(step, published_date=published_date)
        if "done_date" in found:
            raise RuleBroken("The publication", {"published_date": (
                f"is before \u201c{step['label']}\u201d was done ({format_stored(step['done_date'])})")}, LABELS)


def save_step(store: Store, review_id: int, item: str, *, done_date: str | None = None,
              done_by: str | None = None, not_needed: bool = False, note: str | None = None) -> int:
    """Record one checklist item (done on / by / note, or not needed with why) in one
    transaction; an item with nothing in it is cleared. Returns the row's id (0 when cleared)."""
    record = {"review_id": review_id, "item": item, "done_date": done_date or None,
              "done_by": (done_by or "").strip() or None, "not_needed": int(bool(not_needed)),
              "note": (note or "").strip() or None}
    with store.transaction():
        review = reviews.get_review(store, review_id)
        if review is None:
            raise StoreError(REVIEW_GONE)
        _refuse("The checklist item", rules.step_problems(record, published_date=review["published_date"]))
        existing = store.scalar("SELECT id FROM publication_steps WHERE review_id = ? AND item = ?",
                                [review_id, item])
        empty = not any((record["done_date"], record["done_by"], record["not_needed"], record["note"]))
        if empty:
            if existing is not None:
                store.delete("publication_steps", existing)
            return 0
        if existing is None:
            return store.insert("publication_steps", record)
        store.update("publication_steps", existing, record)
        return int(existing)
