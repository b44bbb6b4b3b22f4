"""Every statutory and local clock on the file: the dashboard's deadlines and `export clocks`.

Reads the referrals and reviews, gives each its framework (its stored one, else the one its dates
and the board's settings decide) and lets domain/clocks.py run the profile's rules on it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from scrdesk.domain.clocks import Clock, clocks_for
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.profiles import Profile, deciding_date, framework_for, get_profile

# A rapid review recorded as its own review (the workspace) counts as submitted on the date it
# went to the Panel; the referral's own "RR submitted" column (from a tracker) counts too.
_REFERRALS = (
    "SELECT r.*, (SELECT min(rv.sent_to_panel_date) FROM review_referrals rr JOIN reviews rv "
    "ON rv.id = rr.review_id WHERE rr.referral_id = r.id AND rv.review_type = 'RAPID_REVIEW') "
    "AS rapid_review_sent_date FROM referrals r"
)
# Only referrals with a clock that can still be running (on twenty years of data most have none).
_MAYBE_OPEN = (
    " WHERE (r.la_aware_date IS NOT NULL AND r.sin_submitted_date IS NULL)"
    " OR (r.sin_submitted_date IS NOT NULL AND r.rr_submitted_date IS NULL"
    "     AND r.notification_withdrawn_date IS NULL)"
    " OR (r.decision_date IS NULL AND (r.received_date IS NOT NULL OR r.sin_submitted_date IS NOT NULL))"
    " OR (r.decision_date IS NOT NULL AND r.panel_informed_date IS NULL AND r.sin_submitted_date IS NOT NULL)"
)


def profile_of(record: dict, settings) -> Profile:
    """The framework the record's dates and the board's settings decide (framework_for), so a
    change of the partnership's switch date reaches every clock; the stored code only for a record
    with no date at all."""
    if record.get("framework") and deciding_date(record) is None:
        try:
            return get_profile(record["framework"])
        except ScrdeskError:
            pass  # an unknown stored code: fall back to the board's default
    return get_profile(framework_for(record, settings))


def _review_refs(store) -> dict[int, str]:
    refs: dict[int, list[str]] = defaultdict(list)
    for row in store.rows("SELECT rr.review_id, r.ref FROM review_referrals rr "
                          "JOIN referrals r ON r.id = rr.referral_id ORDER BY r.ref"):
        refs[row["review_id"]].append(row["ref"])
    return {k: ", ".join(v) for k, v in refs.items()}


def all_clocks(store, today: date | None = None, *, open_only: bool = False) -> list[Clock]:
    """Every clock on the file (each referral's and each review's), soonest due first."""
    settings = store.settings()
    today = today or settings.today()
    found: list[Clock] = []
    for referral in store.rows(_REFERRALS + (_MAYBE_OPEN if open_only else "") + " ORDER BY r.ref"):
        found += clocks_for(referral, "referral", profile_of(referral, settings), settings, today)
    refs = _review_refs(store)
    where = " WHERE completed_date IS NULL OR published_date IS NULL OR scr_told_date IS NULL" if open_only else ""
    for review in store.rows("SELECT * FROM reviews" + where + " ORDER BY title"):
        if review["review_type"] == "RAPID_REVIEW":
            continue  # its clock is the referral's RAPID_REVIEW clock
        ref = refs.get(review["id"]) or review["title"]
        found += clocks_for(review, "review", profile_of(review, settings), settings, today, ref=ref)
    if open_only:
        found = [c for c in found if c.is_open]
    return sorted(found, key=lambda c: (c.due, c.ref, c.clock))


def open_clocks(store, today: date | None = None) -> list[dict]:
    """The open clocks as `export clocks` writes them: ref, clock, framework, starts, due, done,
    working_days_left, rag, reason (plus label, record and id for the window to open the record)."""
    return [{**c.as_dict(), "label": c.label, "record": c.record, "id": c.record_id}
            for c in all_clocks(store, today, open_only=True)]


def late_clocks(store, start: date, end: date, clock: str) -> list[Clock]:
    """Clocks of one kind met late, whose deadline fell in [start, end] (e.g. late 2015 decisions)."""
    return [c for c in all_clocks(store, end) if c.clock == clock and c.late and start <= c.due <= end]


def as_at(store) -> date:
    """The date clocks are measured on: the file's as-at date, else today."""
    return store.settings().today()


__all__ = ["all_clocks", "as_at", "late_clocks", "open_clocks", "profile_of"]
