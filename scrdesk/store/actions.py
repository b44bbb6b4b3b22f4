"""The composite action plan: every read the action plan tab makes and every write, each write one
transaction that checks `scrdesk.domain.rules.actions` first and refuses with `RuleBroken` in the
words the action and update dialogs show beside the field.

The reads are built for the 20,000-action sample: the filters are SQL, groups are counted in one
query, a group's rows are read a page at a time, and a typed search is answered from the trigram
index (`_action_search`, schema 0003) and an in-memory map of each action's group (`GroupCounts`).
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from scrdesk.domain import values
from scrdesk.domain.rules import Problems, RuleBroken
from scrdesk.domain.rules import actions as rules
from scrdesk.domain.rules.governance import PLAN_SOURCES
from scrdesk.store.attachments import add_attachment, attachment_count, delete_owned
from scrdesk.store.db import Store, StoreError
from scrdesk.store.queries import ACTION_SELECT, COMPLETE, action_where, today_for, with_action_rag

# What a person calls each column, for a refusal raised outside a dialog (import, command line).
LABELS = {
    "review_id": "Review", "recommendation_id": "Recommendation", "agency_id": "Agency",
    "lead_officer": "Lead officer", "text": "Action", "agreed_date": "Date agreed",
    "target_date": "Target date", "revised_target_date": "Revised target date",
    "revised_reason": "Reason for the revised target", "status": "Status", "signoff_date": "Sign-off date",
    "completion_reason": "Reason closed without evidence", "evidence_note": "Evidence note",
    "escalated_date": "Escalated on", "escalated_to": "Escalated to",
    "source_kind": "Source", "source_text": "Which source",
    "date": "Date", "author": "Author", "note": "Update",
}

ACTION_GONE = "That action is no longer in the data file."
NO_REVIEW = ("An action belongs to a review (add the review first, on the Reviews tab) or to the sub group's "
             "own plan (choose its source).")

_JOINS = (" LEFT JOIN reviews rv ON rv.id = a.review_id "
          "LEFT JOIN recommendations rc ON rc.id = a.recommendation_id "
          "LEFT JOIN agencies ag ON ag.id = a.agency_id")
_FROM = " FROM actions a" + _JOINS

# The sub group's own plan actions (no review) are grouped in the "plan" view by their source, each
# source a group of its own keyed by a negative number (-1 is the arrays' unused mark in GroupCounts).
PLAN_SOURCE_KEYS = {code: -(n + 2) for n, code in enumerate(PLAN_SOURCES)}
_PLAN_KEY = ("coalesce(a.review_id, CASE a.source_kind "
             + " ".join(f"WHEN '{code}' THEN {key}" for code, key in PLAN_SOURCE_KEYS.items()) + " END)")
_PLAN_TITLE = ("CASE m.id " + " ".join(
    f"WHEN {key} THEN 'Sub group plan \u2013 {PLAN_SOURCES[code]}'" for code, key in PLAN_SOURCE_KEYS.items())
    + " END")


def plan_group_key(action: Mapping[str, object]) -> int | None:
    """The "plan" view's top-level group of an action: its review, or its source's group."""
    if action.get("review_id") is not None:
        return int(action["review_id"])  # type: ignore[arg-type]
    return PLAN_SOURCE_KEYS.get(str(action.get("source_kind")))


def _plan_group_clause(key: int) -> tuple[str, list]:
    if key >= 0:
        return "a.review_id = ?", [key]
    code = next(code for code, k in PLAN_SOURCE_KEYS.items() if k == key)
    return "a.review_id IS NULL AND a.source_kind = ?", [code]
_COMPLETE_SQL = "(" + ", ".join(f"'{s}'" for s in COMPLETE) + ")"
_OVERDUE = f"(a.status NOT IN {_COMPLETE_SQL} AND coalesce(a.revised_target_date, a.target_date) < ?)"
# coalesce: the sum over actions that all have no target is NULL, and a group shows 0 overdue.
_OVERDUE_SUM = f"coalesce(sum{_OVERDUE}, 0) AS overdue"
#: Target-date order, no date last: the flat list's default and an agency group's order.
BY_TARGET = "effective_target IS NULL, effective_target, a.id"


# -- filters ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActionFilters:
    """What the filter bar asks for; turned into SQL by `queries.action_where`."""

    agency_id: int | None = None
    status: str | None = None
    open_only: bool = False
    overdue: bool = False
    due_within_days: int | None = None
    text: str = ""

    def where(self, today: date) -> tuple[str, list]:
        return action_where(today, agency_id=self.agency_id, status=self.status,
                            overdue=self.overdue, due_within_days=self.due_within_days,
                            open_only=self.open_only, text=self.text or None)

    def active(self) -> bool:
        return any((self.agency_id is not None, self.status, self.open_only, self.overdue,
                    self.due_within_days is not None, self.text.strip()))

    def text_only(self) -> bool:
        """Only a search by text (or nothing): what the in-memory counts can answer."""
        return self == ActionFilters(text=self.text)


def _and(where: str, clause: str) -> str:
    return f"{where} AND {clause}" if where else f" WHERE {clause}"


def filter_sql(store: Store, today: date, filters: ActionFilters) -> tuple[str, list, bool]:
    """The WHERE clause and parameters for the filters, and whether it needs the review,
    recommendation and agency joins.

    `queries.action_where` also matches, with six LIKEs, any action changed since the search
    index was last brought up to date; that needs the joins for every row. The store indexes
    changes before each commit, so normally nothing is waiting and the index alone answers,
    letting the counts run over the actions table by itself.
    """
    match = _match_text(store, filters.text)
    if match is not None:
        where, params = replace(filters, text="").where(today)
        where = _and(where, "a.id IN (SELECT rowid FROM _action_search WHERE _action_search MATCH ?)")
        return where, [*params, match], False
    where, params = filters.where(today)
    return where, params, bool(filters.text.strip())


def _match_text(store: Store, text: str) -> str | None:
    """The search index's MATCH argument for `text`, or None when the index cannot answer alone
    (fewer than three characters, or changes waiting to be indexed)."""
    text = text.strip()
    if len(text) < 3 or store.scalar("SELECT EXISTS (SELECT 1 FROM _action_search_dirty)"):
        return None
    return '"' + text.replace('"', '""') + '"'


# -- reading the plan ------------------------------------------------------------------------

def _with_rag(store: Store, today: date, rows: list[dict]) -> list[dict]:
    amber = store.settings().action_amber_working_days
    return [with_action_rag(row, today, amber) for row in rows]


def fetch_actions(store: Store, today: date, filters: ActionFilters, *, extra: tuple[str, list] | None = None,
                  order_sql: str = "a.id", offset: int = 0, limit: int | None = None) -> list[dict]:
    """Action rows (with RAG) matching the filters and an extra clause, a page at a time."""
    where, params, _joins = filter_sql(store, today, filters)
    if extra:
        where = _and(where, extra[0])
        params = params + list(extra[1])
    sql = f"{ACTION_SELECT}{where} ORDER BY {order_sql}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = params + [limit, offset]
    return _with_rag(store, today, store.rows(sql, params))


def group_actions(store: Store, today: date, filters: ActionFilters, kind: str, group: Mapping[str, object],
                  offset: int, limit: int) -> list[dict]:
    """A page of the actions of one group of the tree: a review's recommendation (`kind`
    "recommendation", `group` with `id` and `review_id`; id None for actions linked to none), in
    the order they were added, or an agency (id None for no agency), in target-date order."""
    if kind == "recommendation":
        if group["id"] is None:
            where, params = _plan_group_clause(int(group["review_id"]))  # type: ignore[arg-type]
            clause = (f"{where} AND a.recommendation_id IS NULL", params)
        else:
            clause = ("a.review_id = ? AND a.recommendation_id = ?", [group["review_id"], group["id"]])
        order = "a.id"
    else:
        clause = ("a.agency_id = ?", [group["id"]]) if group["id"] is not None else ("a.agency_id IS NULL", [])
        order = BY_TARGET
    return fetch_actions(store, today, filters, extra=clause, order_sql=order, offset=offset, limit=limit)


def fetch_sorted(store: Store, today: date, filters: ActionFilters, order_by: str, *, offset: int,
                 limit: int) -> list[dict]:
    """A page of the flat list sorted by a column (`order_by` as the list's header makes it),
    ties in the order the actions were added."""
    return fetch_actions(store, today, filters, order_sql=f"{order_by}, a.id", offset=offset, limit=limit)


def actions_by_id(store: Store, today: date, ids: list[int]) -> list[dict]:
    """The action rows (with RAG) of `ids`, in that order (ids no longer in the file left out)."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    found = {row["id"]: row for row in store.rows(f"{ACTION_SELECT} WHERE a.id IN ({marks})", ids)}
    return _with_rag(store, today, [found[i] for i in ids if i in found])


def fetch_by_target(store: Store, today: date, filters: ActionFilters, offset: int, limit: int, *,
                    descending: bool = False) -> tuple[list[dict], int, int]:
    """A page of actions in target-date order (no date last), with how many match and how
    many of those are overdue.

    The page is chosen from the actions table alone and only its rows are joined to their
    review, recommendation and agency; the counts come from the same pass (window sums).
    """
    where, params, joins = filter_sql(store, today, filters)
    order = BY_TARGET.replace("effective_target,", "effective_target DESC,") if descending else BY_TARGET
    page = (f"SELECT a.id AS page_id, coalesce(a.revised_target_date, a.target_date) AS effective_target, "
            f"count(*) OVER () AS matching, sum{_OVERDUE} OVER () AS matching_overdue "
            f"FROM actions a{_JOINS if joins else ''}{where} ORDER BY {order} LIMIT ? OFFSET ?")
    select = ACTION_SELECT.replace("SELECT ", "SELECT p.page_id, p.matching, p.matching_overdue, ", 1)
    rows = store.rows(f"{select} JOIN ({page}) p ON p.page_id = a.id ORDER BY {order}",
                      [today.isoformat(), *params, limit, offset])
    total = int(rows[0]["matching"]) if rows else 0
    overdue = int(rows[0]["matching_overdue"] or 0) if rows else 0
    for row in rows:
        del row["page_id"], row["matching"], row["matching_overdue"]
    return _with_rag(store, today, rows), total, overdue


def count_actions(store: Store, today: date, filters: ActionFilters) -> tuple[int, int]:
    """How many actions match the filters, and how many of those are overdue."""
    where, params, joins = filter_sql(store, today, filters)
    row = store.row(f"SELECT count(*) AS total, {_OVERDUE_SUM} FROM actions a{_JOINS if joins else ''}{where}",
                    [today.isoformat(), *params])
    return int(row["total"] or 0), int(row["overdue"] or 0)


#: The columns of a `top_groups` row.
GROUP_FIELDS = ("id", "title", "total", "overdue", "all_total", "all_overdue")


def top_groups(store: Store, today: date, filters: ActionFilters, mode: str) -> list[tuple]:
    """The top-level groups (reviews, or agencies when `mode` is "agency") that hold a matching
    action, in order, as plain tuples of `GROUP_FIELDS`: each group's count and overdue count,
    and the totals over all groups, summed in the same query."""
    where, params, joins = filter_sql(store, today, filters)
    key = "a.agency_id" if mode == "agency" else _PLAN_KEY
    counted = (f"SELECT {key} AS id, count(*) AS total, {_OVERDUE_SUM} "
               f"FROM actions a{_JOINS if joins else ''}{where} GROUP BY {key}")
    if mode == "agency":
        named = "LEFT JOIN agencies g ON g.id = m.id ORDER BY g.name IS NULL, g.name, m.id"
        title = "g.name"
    else:
        # The newest review first, then the sub group's own plan by source (-2, -3, …).
        named = "LEFT JOIN reviews g ON g.id = m.id ORDER BY m.id < 0, -m.id"
        title = f"coalesce(g.title, {_PLAN_TITLE})"
    # Tuples, not dicts: a thousand groups cost next to nothing until the view shows them.
    return store.db.execute(
        f"SELECT m.id, {title}, m.total, m.overdue, sum(m.total) OVER (), sum(m.overdue) OVER () "
        f"FROM ({counted}) m {named}", [today.isoformat(), *params]).fetchall()


def recommendation_groups(store: Store, today: date, filters: ActionFilters, review_id: int) -> list[dict]:
    """A review's recommendations that hold a matching action, with counts (id None: actions
    linked to no recommendation, last)."""
    where, params, _joins = filter_sql(store, today, filters)
    clause, key_params = _plan_group_clause(review_id)
    where = _and(where, clause)
    groups = store.rows(
        f"SELECT a.recommendation_id AS id, rc.number AS number, rc.text AS title, count(*) AS total, "
        f"{_OVERDUE_SUM}{_FROM}{where} GROUP BY a.recommendation_id "
        "ORDER BY rc.id IS NULL, CAST(rc.number AS INTEGER), rc.number, rc.id",
        [today.isoformat(), *params, *key_params])
    if review_id < 0:
        # A source's group has one part (its actions have no recommendation), titled with the
        # sources it holds.
        sources = store.rows(f"SELECT DISTINCT a.source_text{_FROM}{where} ORDER BY a.source_text",
                             [*params, *key_params])
        for group in groups:
            group["title"] = "; ".join(row["source_text"] for row in sources if row["source_text"])
    return groups


class GroupCounts:
    """Each action's review and agency and whether it is overdue, held in memory so a typed
    search counts its matches per group from the search index alone, without reading 20,000
    actions again on every keystroke.

    `for_filters` answers only a search by text (or no filter at all); anything else, and any
    file changed since (by this connection or another) or a new day, goes back to SQL.
    """

    #: In the arrays, an action id that is not in use, and an action with no agency.
    _UNUSED, _NO_AGENCY = -1, 0

    def __init__(self, store: Store, today: date):
        self.store = store
        self.today = today
        self.version = self._version(store)
        rows = store.db.execute(f"SELECT a.id, {_PLAN_KEY}, a.agency_id, {_OVERDUE} FROM actions a ORDER BY a.id",
                                [today.isoformat()]).fetchall()
        # Arrays indexed by action id: a few hundred kilobytes for 20,000 actions.
        size = max((row[0] for row in rows), default=0) + 1
        self.key_of = {"plan": array("q", [self._UNUSED]) * size, "agency": array("q", [self._UNUSED]) * size}
        plan_keys, agency_keys = self.key_of["plan"], self.key_of["agency"]
        for action_id, review_id, agency_id, _overdue in rows:
            plan_keys[action_id] = review_id
            agency_keys[action_id] = self._NO_AGENCY if agency_id is None else agency_id
        #: Each "plan" group's oldest action id (rows come in id order, read here from the end so
        #: the first one stays): once a search has read every match down to it, the group's
        #: count is final.
        self.first_id: dict[int, int] = {row[1]: row[0] for row in reversed(rows)}
        self.overdue = frozenset(row[0] for row in rows if row[3])
        self._size = size
        self._rank: array | None = None
        self.order = {
            "plan": [*store.db.execute("SELECT id, title FROM reviews ORDER BY id DESC"),
                     *((key, f"Sub group plan \u2013 {PLAN_SOURCES[code]}") for code, key in PLAN_SOURCE_KEYS.items())],
            # Actions with no agency come last, as in `top_groups`.
            "agency": [*store.db.execute("SELECT id, name FROM agencies ORDER BY name IS NULL, name, id"),
                       (self._NO_AGENCY, None)],
        }
        self._unfiltered: dict[str, list[tuple]] = {}
        #: Each "plan" group's place in `order["plan"]` (what `TextSearch` lists them by).
        self.plan_position = {key: place for place, (key, _title) in enumerate(self.order["plan"])}

    @staticmethod
    def _version(store: Store) -> tuple[int, int]:
        return store.db.conn.total_changes, store.scalar("PRAGMA data_version")

    def current(self, store: Store, today: date) -> bool:
        return store is self.store and today == self.today and self._version(store) == self.version

    def matching(self, filters: ActionFilters) -> list[int] | None:
        """The ids of the actions matching a search by text, or None when there is no text or
        only SQL can answer these filters."""
        if not filters.text_only() or not filters.text.strip():
            return None
        match = _match_text(self.store, filters.text)
        if match is None:
            return None
        return [row[0] for row in self.store.db.execute(
            "SELECT rowid FROM _action_search WHERE _action_search MATCH ?", [match]) if row[0] < self._size]

    def by_target(self, ids: list[int]) -> list[int]:
        """`ids` in target-date order (no date last), as `fetch_by_target` orders them."""
        if self._rank is None:  # only once the flat list is searched
            self._rank = array("q", [0]) * self._size
            for place, (action_id,) in enumerate(self.store.db.execute(
                    "SELECT a.id FROM actions a ORDER BY coalesce(a.revised_target_date, a.target_date) IS NULL, "
                    "coalesce(a.revised_target_date, a.target_date), a.id").fetchall()):
                self._rank[action_id] = place
        return sorted(ids, key=self._rank.__getitem__)

    def overdue_among(self, ids: list[int]) -> int:
        return len(self.overdue.intersection(ids))

    def for_filters(self, filters: ActionFilters, mode: str) -> list[tuple] | None:
        """`top_groups` for these filters, or None when only SQL can answer them."""
        if not filters.text_only():
            return None
        key_of = self.key_of[mode]
        if not filters.text.strip():
            if mode not in self._unfiltered:
                totals = Counter(key_of)
                del totals[self._UNUSED]
                self._unfiltered[mode] = self._groups(mode, totals, Counter(key_of[i] for i in self.overdue))
            return self._unfiltered[mode]
        ids = self.matching(filters)
        if ids is None:
            return None
        overdue = Counter(map(key_of.__getitem__, self.overdue.intersection(ids)))
        totals = Counter(map(key_of.__getitem__, ids))
        del totals[self._UNUSED]  # the index is kept with the actions, but never count a stray entry
        return self._groups(mode, totals, overdue)

    def search(self, filters: ActionFilters, *, groups: int, more_than: int) -> TextSearch | None:
        """The "plan" view's groups for a search by text, read from the newest action back until
        the first `groups` groups with a match are final and more than `more_than` actions
        have matched (or every match is read); None when only SQL can answer these filters.
        `TextSearch.finish` reads the rest."""
        if not filters.text_only() or not filters.text.strip():
            return None
        match = _match_text(self.store, filters.text)
        if match is None:
            return None
        found = TextSearch(self, match)
        found.read_until(groups, more_than)
        return found

    def _groups(self, mode: str, totals: Counter, overdue: Counter) -> list[tuple]:
        all_total, all_overdue = sum(totals.values()), sum(overdue.values())
        return [(None if group_id == self._NO_AGENCY and mode == "agency" else group_id, title,
                 totals[group_id], overdue[group_id], all_total, all_overdue)
                for group_id, title in self.order[mode] if group_id in totals]


class TextSearch:
    """A search by text in the "plan" view, read a stretch of the search index at a time.

    The view lists the newest review first and a review's actions are added with it or after it,
    so reading the matches from the newest back settles the groups in the view's order: a group is
    final once every match down to its oldest action has been read. The first screen needs only
    the newest stretch of the index, however long the file's history; the count of every match
    comes after. (An old review given a new action is still counted whole: it waits for the read
    to reach its oldest action, which only delays the groups listed after it.)
    """

    #: Matches read by the first stretch; each later stretch reads four times as many.
    FIRST_STRETCH = 512

    def __init__(self, counts: GroupCounts, match: str):
        self._counts = counts
        self._match = match
        self._key_of = counts.key_of["plan"]
        self._order = counts.order["plan"]
        self.totals: Counter = Counter()
        self.overdue: Counter = Counter()
        #: Every match with an id from this one up has been read (None: nothing read yet).
        self._read_from: int | None = None
        self._stretch = self.FIRST_STRETCH
        self.complete = False
        #: The groups, in the view's order, whose counts are final (`GROUP_FIELDS` tuples whose
        #: last two fields are None until the search is complete).
        self.groups: list[tuple] = []
        self._next_group = 0

    @property
    def matched(self) -> int:
        """The matches read so far: every match once `complete`."""
        return sum(self.totals.values())

    @property
    def matched_overdue(self) -> int:
        return sum(self.overdue.values())

    def read_until(self, groups: int, more_than: int) -> None:
        while not self.complete and (len(self.groups) < groups or self.matched <= more_than):
            self._read(self._stretch)
            self._stretch *= 4
            self._settle(groups)

    def finish(self) -> TextSearch:
        """Read every remaining match, so that every group and the totals are final."""
        if not self.complete:
            self._read(None)
            self._settle(None)
        return self

    def _read(self, limit: int | None) -> None:
        sql, params = "SELECT rowid FROM _action_search WHERE _action_search MATCH ?", [self._match]
        if self._read_from is not None:
            sql += " AND rowid < ?"
            params.append(self._read_from)
        sql += " ORDER BY rowid DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        ids = [row[0] for row in self._counts.store.db.execute(sql, params)]
        if ids:
            self._read_from = ids[-1]
        self.complete = limit is None or len(ids) < limit
        ids = [i for i in ids if i < self._counts._size]  # never count a stray index entry
        self.totals.update(map(self._key_of.__getitem__, ids))
        self.overdue.update(map(self._key_of.__getitem__, self._counts.overdue.intersection(ids)))
        self.totals.pop(GroupCounts._UNUSED, None)

    def _settle(self, wanted: int | None) -> None:
        """Move the groups whose counts are now final, in the view's order, into `groups` (only
        as many as `wanted`, until the search is complete)."""
        order, totals, overdue = self._order, self.totals, self.overdue
        if self.complete:
            # Every count is final: the rest are the groups with a match, in the view's order,
            # found without walking the thousands of groups a long history holds.
            position = self._counts.plan_position
            rest = sorted((key for key in totals if position.get(key, -1) >= self._next_group),
                          key=position.__getitem__)
            everything = (self.matched, self.matched_overdue)
            self.groups = [*(group[:4] for group in self.groups),
                           *((key, order[position[key]][1], totals[key], overdue.get(key, 0)) for key in rest)]
            self.groups = [(*group, *everything) for group in self.groups]
            self._next_group = len(order)
            return
        first_id, read_from = self._counts.first_id, self._read_from
        while self._next_group < len(order) and (wanted is None or len(self.groups) < wanted):
            group_id, title = order[self._next_group]
            if first_id.get(group_id, read_from) < read_from:
                break
            count = totals.get(group_id)
            if count:
                self.groups.append((group_id, title, count, overdue.get(group_id, 0), None, None))
            self._next_group += 1


def connection_closed(store: Store) -> bool:
    """Whether the window has closed the file (a view may ask for rows after that)."""
    try:
        store.db.conn.total_changes  # noqa: B018 (any use of a closed connection raises)
    except sqlite3.ProgrammingError:
        return True
    return False


# -- reading one action ----------------------------------------------------------------------

def get_action(store: Store, action_id: int) -> dict | None:
    """The action as stored (a row of the actions table), or None."""
    return store.get("actions", action_id)


def update_rows(store: Store, action_id: int) -> list[dict]:
    """An action's update log, newest first, each with its status change in words."""
    rows = store.rows("SELECT * FROM action_updates WHERE action_id = ? ORDER BY date DESC, id DESC",
                      [action_id])
    for row in rows:
        row["change"] = _status_change(row.get("status_from"), row.get("status_to"))
    return rows


def update_count(store: Store, action_id: int) -> int:
    return int(store.scalar("SELECT count(*) FROM action_updates WHERE action_id = ?", [action_id]) or 0)


def _status_change(before: str | None, after: str | None) -> str:
    if not after or after == before:
        return ""
    first = values.label(values.ACTION_STATUSES, before) if before else "\u2014"
    return f"{first} \u2192 {values.label(values.ACTION_STATUSES, after)}"


def evidence_count(store: Store, action_id: int | None) -> int:
    """How many evidence files the action has (none for an action not yet saved)."""
    return attachment_count(store, "action", action_id) if action_id else 0


def evidence_counts(store: Store) -> dict[int, int]:
    """How many evidence files each action has (actions with none left out), in one query."""
    return {row["owner_id"]: row["files"] for row in store.rows(
        "SELECT owner_id, count(*) AS files FROM attachments WHERE owner_kind = 'action' GROUP BY owner_id")}


def recommendation_choices(store: Store, review_id: int | None) -> list[dict]:
    """`id`, `number`, `text` of a review's recommendations, in number order."""
    return store.rows("SELECT id, number, text FROM recommendations WHERE review_id = ? "
                      "ORDER BY CAST(number AS INTEGER), number, id", [review_id or 0])


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


def _with_signoff(store: Store, action: dict, on: date | None = None) -> dict:
    """A closed action gets its sign-off date (the day given, else today) when it has none."""
    if action.get("status") in rules.EVIDENCED_STATUSES and not action.get("signoff_date"):
        action["signoff_date"] = (on or today_for(store)).isoformat()
    return action


def action_problems(store: Store, action: Mapping[str, object], evidence_files: int) -> Problems:
    """The rules as a save would apply them (a closed action given today as its sign-off date
    when it has none), for a dialog to show as the person types."""
    return rules.problems(_with_signoff(store, dict(action)), evidence_files=evidence_files)


# -- writing ---------------------------------------------------------------------------------

def create_action(store: Store, action: Mapping[str, object], files: Iterable[dict] = ()) -> int:
    """Add an action (and its evidence files, read by `read_attachment_file`) in one transaction."""
    files = list(files)
    record = _with_signoff(store, dict(action))
    _refuse("The action", rules.problems(record, evidence_files=len(files)))
    with store.transaction():
        action_id = store.insert("actions", record)
        for file in files:
            add_attachment(store, "action", action_id, file)
    return action_id


def update_action(store: Store, action_id: int, changes: Mapping[str, object], files: Iterable[dict] = ()) -> None:
    """Change an action's columns and add evidence files, in one transaction; refuses a change
    that would break an action rule."""
    files = list(files)
    with store.transaction():
        old = get_action(store, action_id)
        if old is None:
            raise StoreError(ACTION_GONE)
        evidence = evidence_count(store, action_id)
        merged = _with_signoff(store, {**old, **changes})
        changed = {k: v for k, v in merged.items() if old.get(k) != v}
        _refuse("The action", _new_problems(rules.problems(merged, evidence_files=evidence + len(files)),
                                            rules.problems(old, evidence_files=evidence), changed))
        if changed:
            store.update("actions", action_id, changed)
        for file in files:
            add_attachment(store, "action", action_id, file)


def save_action(store: Store, action_id: int | None, action: Mapping[str, object],
                files: Iterable[dict] = ()) -> int:
    """Create (no `action_id`) or update an action with its new evidence files; returns its id."""
    if action_id:
        update_action(store, action_id, action, files)
        return action_id
    if not review_count(store) and not action.get("source_kind"):
        raise StoreError(NO_REVIEW)
    return create_action(store, action, files)


def review_count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM reviews") or 0)


def add_update(store: Store, action_id: int, *, on: date, author: str, note: str, status_to: str | None = None,
               completion_reason: str | None = None, evidence_note: str | None = None,
               files: Iterable[dict] = ()) -> int:
    """Log a dated update; a status change (and any evidence, reason or evidence note) is
    written in the same transaction. Moving to a complete status sets the sign-off date to the
    update's date (when it has none); moving back out of one clears it."""
    files = list(files)
    update = {"action_id": action_id, "date": on.isoformat(), "author": author, "note": note}
    _refuse("The update", rules.update_problems(update))
    with store.transaction():
        action = get_action(store, action_id)
        if action is None:
            raise StoreError(ACTION_GONE)
        status_from = action["status"]
        changing = bool(status_to) and status_to != status_from
        changes: dict[str, object] = {}
        if changing:
            changes["status"] = status_to
            if status_to in COMPLETE and not action.get("signoff_date"):
                changes["signoff_date"] = on.isoformat()
            elif status_to not in COMPLETE:
                changes["signoff_date"] = None
        if completion_reason:
            changes["completion_reason"] = completion_reason
        if evidence_note:
            changes["evidence_note"] = evidence_note
        evidence = evidence_count(store, action_id)
        merged = {**action, **changes}
        _refuse("The update", _new_problems(rules.problems(merged, evidence_files=evidence + len(files)),
                                            rules.problems(action, evidence_files=evidence), changes))
        update_id = store.insert("action_updates", {
            **update, "status_from": status_from if changing else None, "status_to": status_to if changing else None})
        for file in files:
            add_attachment(store, "action", action_id, file)
        if changes:
            store.update("actions", action_id, changes)
    return update_id


def delete_action(store: Store, action_id: int) -> None:
    """The action, its update log (by cascade) and its evidence files, together."""
    with store.transaction():
        if get_action(store, action_id) is None:
            raise StoreError(ACTION_GONE)
        delete_owned(store, "action", [action_id])
        store.delete("actions", action_id)
