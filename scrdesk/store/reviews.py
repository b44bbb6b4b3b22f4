"""Reviews: reads and writes of a review and what hangs off it (linked referrals, milestones,
delays, parallel proceedings, recommendations, agency returns). Every write is one transaction and
checks the rules in `scrdesk.domain.rules.reviews` first, refusing with `RuleBroken` in the words
the review dialogs show beside the field.

The rapid review's statutory writes (start, submission, decision) stay in `store.statutory`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from scrdesk.domain.dates import from_iso
from scrdesk.domain.profiles import Profile, framework_for, get_profile
from scrdesk.domain.rules import Problems, RuleBroken
from scrdesk.domain.rules import reviews as rules
from scrdesk.store.db import Store, StoreError
from scrdesk.store.queries import profile_for

# What a person calls each column, for a refusal raised outside a dialog (import, command line).
LABELS = {
    "title": "Title", "review_type": "Review type", "target_override_reason": "Reason for the target",
    "agreed_date": "Agreed", "tor_date": "Terms of reference", "initiated_date": "Initiated",
    "completed_date": "Completed", "sent_to_panel_date": "Sent to national panel",
    "panel_response_date": "Panel response", "published_date": "Published", "removal_date": "Removal date",
    "lead_reviewer": "Lead reviewer", "panel_chair": "Panel chair", "family_engagement": "Family engagement",
    "notes": "Notes", "kind": "Kind", "planned_date": "Planned date", "actual_date": "Done on",
    "attendance": "Attendance", "date": "Date", "reason": "Reason", "status": "Status", "number": "Number",
    "text": "Recommendation", "received_date": "Received on",
}

# The rows of a review's own lists: table -> (the rule for one row, what the row is called).
CHILD_RULES: dict[str, tuple[Callable[[Mapping], Problems], str]] = {
    "milestones": (rules.milestone_problems, "The milestone"),
    "review_delays": (rules.delay_problems, "The delay"),
    "parallel_proceedings": (rules.proceeding_problems, "The parallel proceeding"),
    "recommendations": (rules.recommendation_problems, "The recommendation"),
    "agency_returns": (rules.agency_return_problems, "The agency return"),
}

# Statuses of an action that count as done (the composite action plan's "open" leaves these out).
_DONE_ACTION_STATUSES = ("complete_awaiting_evidence", "complete_evidenced", "signed_off")


# -- the framework ---------------------------------------------------------------------------

def profile_for_record(store: Store, framework: str | None, on: date | str | None) -> Profile:
    """The profile a review (or the referral it starts from) speaks in: its own stamped framework,
    else the one `framework_for` gives a record decided on `on` under the board's settings.

    The one place the review screens decide a record's framework.
    """
    if framework:
        return profile_for(store, framework)
    return get_profile(framework_for({"decision_date": from_iso(on)}, store.settings()))


# -- reading ---------------------------------------------------------------------------------

def review_choices(store: Store) -> list[dict]:
    """`id` and `title` of every review, by title: what a "Review" choice offers."""
    return store.rows("SELECT id, title FROM reviews ORDER BY title, id")


def review_count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM reviews"))


def get_review(store: Store, review_id: int) -> dict | None:
    return store.get("reviews", review_id)


def get_referral(store: Store, referral_id: int) -> dict | None:
    """A referral a review starts from or links to."""
    return store.get("referrals", referral_id)


def linked_referrals(store: Store, review_id: int) -> list[dict]:
    """The referrals linked to a review, by ref."""
    return store.rows("SELECT r.* FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
                      "WHERE rr.review_id = ? ORDER BY r.ref", [review_id])


def referral_choices(store: Store, *, not_linked_to: int | None = None) -> dict[str, str]:
    """`{id: "Ref053 – summary"}` of referrals a review may link: the newest first, or (when
    `not_linked_to` is given) those not yet linked to that review, by ref."""
    if not_linked_to is None:
        rows = store.rows("SELECT id, ref, summary FROM referrals ORDER BY received_date DESC, ref DESC")
    else:
        rows = store.rows("SELECT id, ref, summary FROM referrals WHERE id NOT IN "
                          "(SELECT referral_id FROM review_referrals WHERE review_id = ?) ORDER BY ref DESC",
                          [not_linked_to])
    return {str(r["id"]): f"{r['ref']} – {r['summary'] or 'no summary'}" for r in rows}


def child_row(store: Store, table: str, row_id: int) -> dict | None:
    """One row of a review's own lists (milestone, delay, proceeding, recommendation, return)."""
    if table not in CHILD_RULES:
        raise ValueError(f"{table} is not a list of a review")
    return store.get(table, row_id)


def milestones(store: Store, review_id: int) -> list[dict]:
    """A review's milestones in date order (planned, else done); undated ones last."""
    return store.rows("SELECT * FROM milestones WHERE review_id = ? "
                      "ORDER BY coalesce(planned_date, actual_date) IS NULL, "
                      "coalesce(planned_date, actual_date), id", [review_id])


def delays(store: Store, review_id: int) -> list[dict]:
    return store.rows("SELECT * FROM review_delays WHERE review_id = ? ORDER BY date", [review_id])


def proceedings(store: Store, review_id: int) -> list[dict]:
    return store.rows("SELECT * FROM parallel_proceedings WHERE review_id = ? ORDER BY id", [review_id])


def recommendations(store: Store, review_id: int) -> list[dict]:
    """A review's recommendations in number order, each with its count of actions and open actions."""
    done = ", ".join("?" for _ in _DONE_ACTION_STATUSES)
    return store.rows(
        "SELECT rc.*, (SELECT count(*) FROM actions a WHERE a.recommendation_id = rc.id) AS actions, "
        "(SELECT count(*) FROM actions a WHERE a.recommendation_id = rc.id "
        f"AND a.status NOT IN ({done})) AS open_actions "
        "FROM recommendations rc WHERE rc.review_id = ? "
        "ORDER BY CAST(rc.number AS INTEGER), rc.number, rc.id", [*_DONE_ACTION_STATUSES, review_id])


def recommendation_count(store: Store, review_id: int) -> int:
    return int(store.scalar("SELECT count(*) FROM recommendations WHERE review_id = ?", [review_id]))


def dependants(store: Store, review_id: int) -> dict[str, int]:
    """What deleting a review takes with it: `{"milestone": n, "recommendation": n, …}`."""
    return {name: int(store.scalar(f"SELECT count(*) FROM {table} WHERE review_id = ?", [review_id]))
            for name, table in (("milestone", "milestones"), ("recommendation", "recommendations"),
                                ("action", "actions"), ("briefing", "briefings"))}


# -- checking --------------------------------------------------------------------------------

def _new_problems(found: Problems, before: Problems, changed: Iterable[str]) -> Problems:
    """The problems a write would add: an old file's existing fault in a column this write leaves
    alone does not block an unrelated change (`check` lists it instead)."""
    changed = set(changed)
    return {column: message for column, message in found.items()
            if column in changed or before.get(column) != message}


def _refuse(what: str, found: Problems) -> None:
    if found:
        raise RuleBroken(what, found, LABELS)


def _changes(old: Mapping[str, object], new: Mapping[str, object]) -> dict:
    return {k: v for k, v in new.items() if old.get(k) != v}


# -- writing a review ------------------------------------------------------------------------

def create_review(store: Store, review: Mapping[str, object], *, referral_id: int | None = None) -> int:
    """Add a review (linked to `referral_id` when given) in one transaction."""
    _refuse("The review", rules.problems(review))
    with store.transaction():
        review_id = store.insert("reviews", review)
        if referral_id is not None:
            store.insert("review_referrals", {"review_id": review_id, "referral_id": referral_id})
    return review_id


def update_review(store: Store, review_id: int, values: Mapping[str, object]) -> None:
    """Change a review's columns; refuses a change that would break a review rule."""
    with store.transaction():
        old = get_review(store, review_id)
        if old is None:
            raise StoreError("That review no longer exists (it may have been deleted).")
        changes = _changes(old, values)
        if not changes:
            return
        merged = {**old, **changes}
        _refuse("The review", _new_problems(rules.problems(merged), rules.problems(old), changes))
        store.update("reviews", review_id, changes)


def record_panel_response(store: Store, review_id: int, when: date, agreed: bool) -> None:
    """The national panel's response to a review's report: when, and whether it agreed."""
    update_review(store, review_id, {"panel_response_date": when.isoformat(), "panel_agreed": int(agreed)})


def delete_review(store: Store, review_id: int) -> None:
    """Delete a review with everything it owns, in one transaction.

    Its milestones, delays, proceedings, returns, recommendations, actions (and their updates),
    briefings and disseminations go by the schema's ON DELETE CASCADE; the files attached to the
    review, its actions, its briefings and their disseminations are not tied by a foreign key
    (attachments name their owner by kind and id), so they are deleted here first.
    """
    with store.transaction() as db:
        owned = (
            ("review", "SELECT ?"),
            ("recommendation", "SELECT id FROM recommendations WHERE review_id = ?"),
            ("action", "SELECT id FROM actions WHERE review_id = ?"),
            ("briefing", "SELECT id FROM briefings WHERE review_id = ?"),
            ("dissemination", "SELECT d.id FROM disseminations d JOIN briefings b ON b.id = d.briefing_id "
                              "WHERE b.review_id = ?"),
        )
        for kind, owners in owned:
            db.execute(f"DELETE FROM attachments WHERE owner_kind = ? AND owner_id IN ({owners})",
                       [kind, review_id])
        store.delete("reviews", review_id)


# -- linked referrals ------------------------------------------------------------------------

def link_referral(store: Store, review_id: int, referral_id: int) -> None:
    with store.transaction():
        linked = store.scalar("SELECT id FROM review_referrals WHERE review_id = ? AND referral_id = ?",
                              [review_id, referral_id])
        if linked is None:
            store.insert("review_referrals", {"review_id": review_id, "referral_id": referral_id})


def unlink_referral(store: Store, review_id: int, referral_id: int) -> None:
    """Unlink a referral from a review; the referral itself is kept."""
    with store.transaction() as db:
        db.execute("DELETE FROM review_referrals WHERE review_id = ? AND referral_id = ?",
                   [review_id, referral_id])


# -- a review's own lists --------------------------------------------------------------------

def save_child(store: Store, table: str, review_id: int, values: Mapping[str, object],
               row_id: int | None = None) -> int:
    """Add (`row_id` None) or change a milestone, delay, proceeding, recommendation or agency
    return of a review; its rule first, one transaction. Returns the row's id."""
    rule, what = CHILD_RULES[table]
    with store.transaction():
        if row_id is None:
            record = {**values, "review_id": review_id}
            _refuse(what, rule(record))
            return store.insert(table, record)
        old = child_row(store, table, row_id)
        if old is None:
            raise StoreError(f"That {what[4:].lower()} no longer exists (it may have been deleted).")
        changes = _changes(old, values)
        if changes:
            _refuse(what, _new_problems(rule({**old, **changes}), rule(old), changes))
            store.update(table, row_id, changes)
        return row_id


def delete_child(store: Store, table: str, row_id: int) -> None:
    """Delete one milestone, delay, proceeding or recommendation (a recommendation's actions stay,
    unlinked from it, by the schema's ON DELETE SET NULL)."""
    if table not in CHILD_RULES:
        raise ValueError(f"{table} is not a list of a review")
    with store.transaction() as db:
        if table == "recommendations":  # its impact evidence files are owned by kind and id
            db.execute("DELETE FROM attachments WHERE owner_kind = 'recommendation' AND owner_id = ?", [row_id])
        store.delete(table, row_id)


def add_planned_milestones(store: Store, review_id: int, planned: Iterable[tuple[str, date | None]]) -> list[int]:
    """Add a methodology's steps (kind, planned date) to a review, all or none. A step the
    methodology gives no timescale is added without a date, for the person to give it one."""
    rows = [{"review_id": review_id, "kind": kind, "planned_date": when.isoformat() if when else None}
            for kind, when in planned]
    for row in rows:
        _refuse("The milestone", rules.milestone_problems(row, undated_ok=True))
    with store.transaction():
        return [store.insert("milestones", row) for row in rows]


def milestone_kinds(store: Store, review_id: int) -> set[str]:
    """The steps already on a review's timeline."""
    return {r["kind"] for r in store.rows("SELECT kind FROM milestones WHERE review_id = ?", [review_id])}


def mark_milestone_done(store: Store, milestone_id: int, when: date) -> None:
    row = child_row(store, "milestones", milestone_id)
    if row is None:
        raise StoreError("That milestone no longer exists (it may have been deleted).")
    save_child(store, "milestones", row["review_id"], {"actual_date": when.isoformat()}, milestone_id)


def record_return_received(store: Store, return_id: int, when: date) -> None:
    """The date an agency's summary and chronology arrived for a rapid review."""
    row = child_row(store, "agency_returns", return_id)
    if row is None:
        raise StoreError("That agency return no longer exists (it may have been deleted).")
    save_child(store, "agency_returns", row["review_id"], {"received_date": when.isoformat()}, return_id)


# -- for `check` -----------------------------------------------------------------------------

def stored_problems(store: Store) -> list[tuple[str, int, Problems]]:
    """`(table, row id, {column: message})` for every stored review, and row of a review's lists,
    that breaks a rule: what `check` reports for files written by older versions. A milestone
    added from the methodology's list may wait for its date, so that alone is not reported."""
    found = [("reviews", r["id"], p) for r in store.rows("SELECT * FROM reviews ORDER BY id")
             if (p := rules.problems(r))]
    for table, (rule, _what) in CHILD_RULES.items():
        for row in store.rows(f"SELECT * FROM {table} ORDER BY id"):
            problems = (rules.milestone_problems(row, undated_ok=True) if table == "milestones" else rule(row))
            if problems:
                found.append((table, row["id"], problems))
    return found
