"""Where a briefing was published and promoted beyond the agencies it was sent to: newsletter
issues (number, date, the briefings and learning events each promoted) and the briefing's own web
page (address, date up, date taken down). The agencies' own receipt stays in `store.briefings`
(disseminations).

Every write is one transaction and checks `scrdesk.domain.rules.learning` first, refusing with
`RuleBroken` in the words the newsletter and web page dialogs show beside the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from scrdesk.domain.dates import format_stored
from scrdesk.domain.rules import Problems, RuleBroken
from scrdesk.domain.rules import learning as rules
from scrdesk.store.db import Store, StoreError

LABELS = {
    "number": "Issue number", "issue_date": "Date of issue", "web_address": "Web address", "notes": "Notes",
    "briefing_ids": "Briefings promoted", "event_ids": "Events promoted", "posted_date": "On the website from",
    "removed_date": "Taken down on",
}

ISSUE_GONE = "That newsletter issue is no longer in the data file."
POST_GONE = "That web page is no longer in the data file."
BRIEFING_GONE = "That briefing is no longer in the data file."


def _refuse(what: str, found: Problems) -> None:
    if found:
        raise RuleBroken(what, found, LABELS)


def _clean(record: Mapping[str, object]) -> dict:
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in record.items()}


# -- newsletter issues: reading ----------------------------------------------------------------

def issues(store: Store) -> list[dict]:
    """Every newsletter issue, newest first, with `briefings` and `events` (how many each
    promoted) and `promoted` (the briefings' and events' titles, "; "-joined)."""
    rows = store.rows(
        "SELECT n.*, "
        "(SELECT count(*) FROM newsletter_items i WHERE i.issue_id = n.id AND i.briefing_id IS NOT NULL) AS briefings, "
        "(SELECT count(*) FROM newsletter_items i WHERE i.issue_id = n.id AND i.event_id IS NOT NULL) AS events, "
        "(SELECT group_concat(coalesce(b.title, 'Briefing'), '; ') FROM newsletter_items i "
        " JOIN briefings b ON b.id = i.briefing_id WHERE i.issue_id = n.id) AS briefing_titles, "
        "(SELECT group_concat(coalesce(e.title, e.kind), '; ') FROM newsletter_items i "
        " JOIN learning_events e ON e.id = i.event_id WHERE i.issue_id = n.id) AS event_titles "
        "FROM newsletter_issues n ORDER BY n.issue_date DESC, n.id DESC")
    for row in rows:
        row["promoted"] = "; ".join(t for t in (row.pop("briefing_titles"), row.pop("event_titles")) if t)
    return rows


def get_issue(store: Store, issue_id: int) -> dict | None:
    """The issue as stored, with `briefing_ids` and `event_ids` (the records it promoted)."""
    issue = store.get("newsletter_issues", issue_id)
    if issue is None:
        return None
    items = store.rows("SELECT briefing_id, event_id FROM newsletter_items WHERE issue_id = ? ORDER BY id",
                       [issue_id])
    issue["briefing_ids"] = [row["briefing_id"] for row in items if row["briefing_id"] is not None]
    issue["event_ids"] = [row["event_id"] for row in items if row["event_id"] is not None]
    return issue


def briefing_choices(store: Store) -> list[dict]:
    """Issued briefings a newsletter may promote: `id`, `title`, `issued_date`, newest first."""
    return store.rows("SELECT b.id, coalesce(b.title, rv.title) AS title, b.issued_date FROM briefings b "
                      "JOIN reviews rv ON rv.id = b.review_id WHERE b.status = 'issued' "
                      "ORDER BY b.issued_date DESC, b.id DESC")


def event_choices(store: Store) -> list[dict]:
    """Learning events a newsletter may promote: `id`, `title`, `date`, newest first."""
    return store.rows("SELECT id, coalesce(title, kind) AS title, date FROM learning_events "
                      "ORDER BY date DESC, id DESC")


# -- newsletter issues: writing ----------------------------------------------------------------

def issue_problems(store: Store, issue: Mapping[str, object], briefing_ids: Iterable[int] = (),
                   *, issue_id: int | None = None) -> Problems:
    """The rules as a save applies them: the issue's own, a number no other issue has, and each
    briefing promoted already issued by the issue's date."""
    record = _clean(issue)
    found = rules.issue_problems(record)
    number = record.get("number")
    if number and "number" not in found and store.scalar(
            "SELECT 1 FROM newsletter_issues WHERE number = ? AND id IS NOT ?", [number, issue_id]):
        found["number"] = "is already the number of another issue"
    ids = list(briefing_ids)
    if ids:
        marks = ", ".join("?" * len(ids))
        for row in store.rows(f"SELECT id, coalesce(title, 'A briefing') AS title, issued_date FROM briefings "
                              f"WHERE id IN ({marks}) ORDER BY id", ids):
            problem = rules.promoted_problem(record.get("issue_date"), row["issued_date"])
            if problem:
                found.setdefault("briefing_ids", f"{row['title']}: this issue {problem}")
    return found


def save_issue(store: Store, issue_id: int | None, issue: Mapping[str, object], *,
               briefing_ids: Iterable[int] = (), event_ids: Iterable[int] = ()) -> int:
    """Create (`issue_id` None) or change a newsletter issue and the briefings and events it
    promoted (the lists replace what it had), in one transaction; returns its id."""
    record = {k: v for k, v in _clean(issue).items() if k in ("number", "issue_date", "web_address", "notes")}
    briefing_ids, event_ids = list(dict.fromkeys(briefing_ids)), list(dict.fromkeys(event_ids))
    with store.transaction():
        if issue_id is not None and store.get("newsletter_issues", issue_id) is None:
            raise StoreError(ISSUE_GONE)
        _refuse("The newsletter issue", issue_problems(store, record, briefing_ids, issue_id=issue_id))
        if issue_id is None:
            issue_id = store.insert("newsletter_issues", record)
        else:
            store.update("newsletter_issues", issue_id, record)
        have = store.rows("SELECT id, briefing_id, event_id FROM newsletter_items WHERE issue_id = ?", [issue_id])
        keep_b = {row["briefing_id"]: row["id"] for row in have if row["briefing_id"] is not None}
        keep_e = {row["event_id"]: row["id"] for row in have if row["event_id"] is not None}
        for old, wanted in ((keep_b, briefing_ids), (keep_e, event_ids)):
            for record_id, row_id in old.items():
                if record_id not in wanted:
                    store.delete("newsletter_items", row_id)
        for briefing_id in briefing_ids:
            if briefing_id not in keep_b:
                store.insert("newsletter_items", {"issue_id": issue_id, "briefing_id": briefing_id})
        for event_id in event_ids:
            if event_id not in keep_e:
                store.insert("newsletter_items", {"issue_id": issue_id, "event_id": event_id})
    return issue_id


def delete_issue(store: Store, issue_id: int) -> None:
    """The issue and its list of what it promoted (by cascade); the briefings and events stay."""
    with store.transaction():
        if store.get("newsletter_issues", issue_id) is None:
            raise StoreError(ISSUE_GONE)
        store.delete("newsletter_issues", issue_id)


# -- a briefing's web page ---------------------------------------------------------------------

def web_posts(store: Store, briefing_id: int) -> list[dict]:
    """A briefing's web pages, oldest first."""
    return store.rows("SELECT * FROM briefing_web_posts WHERE briefing_id = ? ORDER BY posted_date, id",
                      [briefing_id])


def briefing_issued_date(store: Store, briefing_id: int) -> str | None:
    """The date a briefing was issued (ISO), or None when it has not been."""
    return store.scalar("SELECT issued_date FROM briefings WHERE id = ?", [briefing_id])


def save_web_post(store: Store, briefing_id: int, post_id: int | None, post: Mapping[str, object]) -> int:
    """Add (`post_id` None) or change a briefing's web page in one transaction; returns its id."""
    record = {k: v for k, v in _clean(post).items() if k in ("web_address", "posted_date", "removed_date")}
    with store.transaction():
        issued = store.row("SELECT issued_date FROM briefings WHERE id = ?", [briefing_id])
        if issued is None:
            raise StoreError(BRIEFING_GONE)
        _refuse("The web page", rules.web_post_problems(record, briefing_issued=issued["issued_date"]))
        if post_id is None:
            return store.insert("briefing_web_posts", {"briefing_id": briefing_id, **record})
        if store.get("briefing_web_posts", post_id) is None:
            raise StoreError(POST_GONE)
        store.update("briefing_web_posts", post_id, record)
        return post_id


def delete_web_post(store: Store, post_id: int) -> None:
    with store.transaction():
        if store.get("briefing_web_posts", post_id) is None:
            raise StoreError(POST_GONE)
        store.delete("briefing_web_posts", post_id)


# -- a briefing's channels, for the Briefings tab and the documents -----------------------------

def channels_by_briefing(store: Store, briefing_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """`{briefing_id: {"newsletters": [{"id", "number", "issue_date"}], "website": [{"id",
    "web_address", "posted_date", "removed_date"}]}}` for the briefings given (all when None),
    in two queries; a briefing with neither is left out."""
    chosen, params = "", []
    if briefing_ids is not None:
        params = list(briefing_ids)
        if not params:
            return {}
        chosen = f" IN ({', '.join('?' * len(params))})"
    found: dict[int, dict] = {}

    def entry(briefing_id: int) -> dict:
        return found.setdefault(briefing_id, {"newsletters": [], "website": []})

    for row in store.rows("SELECT i.briefing_id, n.id, n.number, n.issue_date FROM newsletter_items i "
                          "JOIN newsletter_issues n ON n.id = i.issue_id WHERE i.briefing_id IS NOT NULL"
                          f"{' AND i.briefing_id' + chosen if chosen else ''} ORDER BY n.issue_date, n.id", params):
        entry(row.pop("briefing_id"))["newsletters"].append(row)
    for row in store.rows("SELECT briefing_id, id, web_address, posted_date, removed_date FROM briefing_web_posts "
                          f"{' WHERE briefing_id' + chosen if chosen else ''} ORDER BY posted_date, id", params):
        entry(row.pop("briefing_id"))["website"].append(row)
    return found


def channels_text(channels: Mapping[str, list] | None) -> str:
    """A briefing's channels in a line: "Newsletter 14 (1 Feb 2017); website 26 Jan 2017"."""
    if not channels:
        return ""
    parts = [f"Newsletter {n['number']} ({format_stored(n['issue_date'])})" for n in channels["newsletters"]]
    parts += [f"website {format_stored(w['posted_date'])}" for w in channels["website"]]
    return "; ".join(parts)


def channel_counts(store: Store, start: str, end: str) -> dict[str, int]:
    """For a period (ISO, inclusive): `newsletter_issues` dated in it, `briefings_in_newsletters`
    (briefings promoted by those issues, each once) and `briefings_on_website` (briefings first
    put on the website in it)."""
    issues_n = store.scalar("SELECT count(*) FROM newsletter_issues WHERE issue_date BETWEEN ? AND ?", [start, end])
    promoted = store.scalar(
        "SELECT count(DISTINCT i.briefing_id) FROM newsletter_items i JOIN newsletter_issues n ON n.id = i.issue_id "
        "WHERE i.briefing_id IS NOT NULL AND n.issue_date BETWEEN ? AND ?", [start, end])
    online = store.scalar(
        "SELECT count(*) FROM (SELECT briefing_id, min(posted_date) AS first FROM briefing_web_posts "
        "GROUP BY briefing_id) WHERE first BETWEEN ? AND ?", [start, end])
    return {"newsletter_issues": int(issues_n or 0), "briefings_in_newsletters": int(promoted or 0),
            "briefings_on_website": int(online or 0)}
