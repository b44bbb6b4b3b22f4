"""The action plan tab: the composite action plan grouped by review and recommendation, or by
agency, or as one flat list; filters in SQL; each action's update log and evidence; the dialogs to
add and edit actions and to record a dated update.

The grouped views load lazily (groups first, then a page of actions when a group is opened), so the
20,000-action sample never crosses into Qt at once.
"""

from __future__ import annotations

import html
import itertools
import sqlite3
from array import array
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain import values
from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.store.queries import ACTION_SELECT, COMPLETE, action_where, today_for, with_action_rag
from scrdesk.ui.attachments import AttachmentList, add_attachment
from scrdesk.ui.base import (
    RAG_BRUSHES,
    Column,
    FilterBox,
    ModelIndex,
    PagedQueryModel,
    RowRole,
    RowsModel,
    Tab,
    confirm,
    show_error,
)
from scrdesk.ui.forms import ChoiceField, DateField, NoteField, RecordDialog, TextField

#: Statuses that close an action for good; they need evidence or a recorded reason.
EVIDENCED_STATUSES = frozenset({"complete_evidenced", "signed_off"})

COMPLETION_RULE = ("An action can be marked \u201cComplete \u2013 evidenced\u201d or \u201cSigned off\u201d "
                   "only when evidence is attached or a reason is recorded for closing it without.")

_JOINS = (" JOIN reviews rv ON rv.id = a.review_id "
          "LEFT JOIN recommendations rc ON rc.id = a.recommendation_id "
          "LEFT JOIN agencies ag ON ag.id = a.agency_id")
_FROM = " FROM actions a" + _JOINS
_COMPLETE_SQL = "(" + ", ".join(f"'{s}'" for s in COMPLETE) + ")"
_OVERDUE = f"(a.status NOT IN {_COMPLETE_SQL} AND coalesce(a.revised_target_date, a.target_date) < ?)"
_OVERDUE_SUM = f"sum{_OVERDUE} AS overdue"
_BY_TARGET = "effective_target IS NULL, effective_target, a.id"


def _fmt(iso_text: str | None) -> str:
    return format_date(date.fromisoformat(iso_text)) if iso_text else ""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# -- queries ---------------------------------------------------------------------------------

@dataclass
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


def _and(where: str, clause: str) -> str:
    return f"{where} AND {clause}" if where else f" WHERE {clause}"


def filter_sql(store, today: date, filters: ActionFilters) -> tuple[str, list, bool]:
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


def fetch_actions(store, today: date, filters: ActionFilters, *, extra: tuple[str, list] | None = None,
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


def _with_rag(store, today: date, rows: list[dict]) -> list[dict]:
    amber = store.settings().action_amber_working_days
    return [with_action_rag(row, today, amber) for row in rows]


def fetch_by_target(store, today: date, filters: ActionFilters, offset: int, limit: int, *,
                    descending: bool = False) -> tuple[list[dict], int, int]:
    """A page of actions in target-date order (no date last), with how many match and how
    many of those are overdue.

    The page is chosen from the actions table alone and only its rows are joined to their
    review, recommendation and agency; the counts come from the same pass (window sums).
    """
    where, params, joins = filter_sql(store, today, filters)
    order = _BY_TARGET.replace("effective_target,", "effective_target DESC,") if descending else _BY_TARGET
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


def count_actions(store, today: date, filters: ActionFilters) -> tuple[int, int]:
    where, params, joins = filter_sql(store, today, filters)
    row = store.row(f"SELECT count(*) AS total, {_OVERDUE_SUM} FROM actions a{_JOINS if joins else ''}{where}",
                    [today.isoformat(), *params])
    return int(row["total"] or 0), int(row["overdue"] or 0)


#: The columns of a `top_groups` row.
GROUP_FIELDS = ("id", "title", "total", "overdue", "all_total", "all_overdue")


def top_groups(store, today: date, filters: ActionFilters, mode: str) -> list[tuple]:
    """The top-level groups (reviews, or agencies when `mode` is "agency") that hold a matching
    action, in order, as plain tuples of `GROUP_FIELDS`: each group's count and overdue count,
    and the totals over all groups, summed in the same query."""
    where, params, joins = filter_sql(store, today, filters)
    key = "a.agency_id" if mode == "agency" else "a.review_id"
    counted = (f"SELECT {key} AS id, count(*) AS total, {_OVERDUE_SUM} "
               f"FROM actions a{_JOINS if joins else ''}{where} GROUP BY {key}")
    if mode == "agency":
        named = "LEFT JOIN agencies g ON g.id = m.id ORDER BY g.name IS NULL, g.name, m.id"
        title = "g.name"
    else:
        named = "JOIN reviews g ON g.id = m.id ORDER BY g.title, g.id"
        title = "g.title"
    # Tuples, not dicts: a thousand groups cost next to nothing until the view shows them.
    return store.db.execute(
        f"SELECT m.id, {title}, m.total, m.overdue, sum(m.total) OVER (), sum(m.overdue) OVER () "
        f"FROM ({counted}) m {named}", [today.isoformat(), *params]).fetchall()


def _match_text(store, text: str) -> str | None:
    """The search index's MATCH argument for `text`, or None when the index cannot answer alone
    (fewer than three characters, or changes waiting to be indexed)."""
    text = text.strip()
    if len(text) < 3 or store.scalar("SELECT EXISTS (SELECT 1 FROM _action_search_dirty)"):
        return None
    return '"' + text.replace('"', '""') + '"'


class GroupCounts:
    """Each action's review and agency and whether it is overdue, held in memory so a typed
    search counts its matches per group from the search index alone, without reading 20,000
    actions again on every keystroke.

    `for_filters` answers only a search by text (or no filter at all); anything else, and any
    file changed since (by this connection or another) or a new day, goes back to SQL.
    """

    #: In the arrays, an action id that is not in use, and an action with no agency.
    _UNUSED, _NO_AGENCY = -1, 0

    def __init__(self, store, today: date):
        self.store = store
        self.today = today
        self.version = self._version(store)
        rows = store.db.execute(f"SELECT a.id, a.review_id, a.agency_id, {_OVERDUE} FROM actions a",
                                [today.isoformat()]).fetchall()
        # Arrays indexed by action id: a few hundred kilobytes for 20,000 actions.
        size = max((row[0] for row in rows), default=0) + 1
        self.key_of = {"plan": array("q", [self._UNUSED]) * size, "agency": array("q", [self._UNUSED]) * size}
        for action_id, review_id, agency_id, _overdue in rows:
            self.key_of["plan"][action_id] = review_id
            self.key_of["agency"][action_id] = self._NO_AGENCY if agency_id is None else agency_id
        self.overdue = frozenset(row[0] for row in rows if row[3])
        self._size = size
        self._rank: array | None = None
        self.order = {
            "plan": store.db.execute("SELECT id, title FROM reviews ORDER BY title, id").fetchall(),
            # Actions with no agency come last, as in `top_groups`.
            "agency": [*store.db.execute("SELECT id, name FROM agencies ORDER BY name IS NULL, name, id"),
                       (self._NO_AGENCY, None)],
        }
        self._unfiltered: dict[str, list[tuple]] = {}

    @staticmethod
    def _version(store) -> tuple[int, int]:
        return store.db.conn.total_changes, store.scalar("PRAGMA data_version")

    def current(self, store, today: date) -> bool:
        return store is self.store and today == self.today and self._version(store) == self.version

    def matching(self, filters: ActionFilters) -> list[int] | None:
        """The ids of the actions matching a search by text, or None when there is no text or
        only SQL can answer these filters."""
        if filters != ActionFilters(text=filters.text) or not filters.text.strip():
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
        if filters != ActionFilters(text=filters.text):
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

    def _groups(self, mode: str, totals: Counter, overdue: Counter) -> list[tuple]:
        all_total, all_overdue = sum(totals.values()), sum(overdue.values())
        return [(None if group_id == self._NO_AGENCY and mode == "agency" else group_id, title,
                 totals[group_id], overdue[group_id], all_total, all_overdue)
                for group_id, title in self.order[mode] if group_id in totals]


def recommendation_groups(store, today: date, filters: ActionFilters, review_id: int) -> list[dict]:
    where, params, _joins = filter_sql(store, today, filters)
    where = _and(where, "a.review_id = ?")
    return store.rows(
        f"SELECT a.recommendation_id AS id, rc.number AS number, rc.text AS title, count(*) AS total, "
        f"{_OVERDUE_SUM}{_FROM}{where} GROUP BY a.recommendation_id "
        "ORDER BY rc.id IS NULL, CAST(rc.number AS INTEGER), rc.number, rc.id",
        [today.isoformat(), *params, review_id])


def update_rows(store, action_id: int) -> list[dict]:
    rows = store.rows("SELECT * FROM action_updates WHERE action_id = ? ORDER BY date DESC, id DESC",
                      [action_id])
    for row in rows:
        row["change"] = _status_change(row.get("status_from"), row.get("status_to"))
    return rows


def _status_change(before: str | None, after: str | None) -> str:
    if not after or after == before:
        return ""
    first = values.label(values.ACTION_STATUSES, before) if before else "—"
    return f"{first} \u2192 {values.label(values.ACTION_STATUSES, after)}"


def evidence_count(store, action_id: int) -> int:
    return int(store.scalar("SELECT count(*) FROM attachments WHERE owner_kind = 'action' AND owner_id = ?",
                            [action_id]) or 0)


def completion_problem(status: str | None, evidence_files: int, reason: str | None) -> str:
    """Why `status` cannot be set yet (the empty string when it can)."""
    if status in EVIDENCED_STATUSES and evidence_files == 0 and not (reason or "").strip():
        shown = values.label(values.ACTION_STATUSES, status)
        return (f"cannot be \u201c{shown}\u201d yet: attach the evidence below, or record a reason "
                "for closing it without evidence")
    return ""


def add_update(store, action_id: int, *, on: date, author: str, note: str, status_to: str | None = None,
               completion_reason: str | None = None, files: list[dict] = ()) -> int:
    """Log a dated update; a status change (and any evidence) is written in the same transaction."""
    with store.transaction():
        action = store.get("actions", action_id)
        if action is None:
            raise ScrdeskError("That action is no longer in the data file.")
        status_from = action["status"]
        changing = bool(status_to) and status_to != status_from
        evidence = evidence_count(store, action_id) + len(files)
        problem = completion_problem(status_to if changing else None, evidence,
                                     completion_reason or action.get("completion_reason"))
        if problem:
            raise InvalidValue("Change status to", values.label(values.ACTION_STATUSES, status_to), problem)
        update_id = store.insert("action_updates", {
            "action_id": action_id, "date": on.isoformat(), "author": author, "note": note,
            "status_from": status_from if changing else None, "status_to": status_to if changing else None})
        for values_ in files:
            add_attachment(store, "action", action_id, values_)
        changes: dict[str, Any] = {}
        if changing:
            changes["status"] = status_to
            if status_to in COMPLETE and not action.get("signoff_date"):
                changes["signoff_date"] = on.isoformat()
            elif status_to not in COMPLETE:
                changes["signoff_date"] = None
        if completion_reason:
            changes["completion_reason"] = completion_reason
        if changes:
            store.update("actions", action_id, changes)
    return update_id


def delete_action(store, action_id: int) -> None:
    """The action, its update log (by cascade) and its evidence files, together."""
    with store.transaction():
        store.db.execute("DELETE FROM attachments WHERE owner_kind = 'action' AND owner_id = ?", [action_id])
        store.delete("actions", action_id)


def _closed(store) -> bool:
    try:
        store.db.conn.total_changes  # noqa: B018 (any use of a closed connection raises)
    except sqlite3.ProgrammingError:
        return True
    return False


# -- the grouped model -----------------------------------------------------------------------

COLUMNS = ("Action", "Agency", "Lead officer", "Target", "Status", "RAG")
COL_TEXT, COL_AGENCY, COL_LEAD, COL_TARGET, COL_STATUS, COL_RAG = range(len(COLUMNS))


@dataclass(eq=False)
class _Node:
    """One row of the tree: a group (review, recommendation, agency) or an action."""

    kind: str
    row: dict
    parent: _Node | None
    position: int = 0
    nid: int = 0
    children: list[_Node] = field(default_factory=list)
    loaded: bool = False
    #: The text of each column, worked out when the view first shows the row.
    cells: tuple | None = None

    @property
    def total(self) -> int:
        return int(self.row.get("total") or 0)


def _action_tooltip(row: dict) -> str:
    lines = [str(row["rag"])]
    if row.get("revised_target_date"):
        lines.append(f"Target revised from {_fmt(row.get('target_date'))}: "
                     f"{row.get('revised_reason') or 'no reason recorded'}")
    return "\n".join(lines)


_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
# Roles as plain ints: comparing against the enum members costs more than the answer.
_DISPLAY, _TOOLTIP, _FONT, _BACKGROUND = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole,
    Qt.ItemDataRole.BackgroundRole))
_ROW = int(RowRole)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FONT, _BACKGROUND, _ROW})


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class ActionTreeModel(QAbstractItemModel):
    """Groups and their actions: the top-level groups are counted in one query and shown a page
    at a time as the view scrolls; a group's rows are fetched from SQL when it is opened."""

    PAGE = 200
    #: Top-level groups shown at a time: a few screens' worth, so a filter that leaves 1,000
    #: reviews lays out only these until the view is scrolled.
    GROUP_PAGE = 60

    def __init__(self, store, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.mode = "plan"
        self.filters = ActionFilters()
        self.today = date.today()
        #: Matching actions and how many of them are overdue, over every group.
        self.total = 0
        self.overdue = 0
        self._ids = itertools.count(1)
        self._nodes: dict[int, _Node] = {}
        self._root = _Node("root", {}, None)
        self._groups: list[tuple] = []
        self._counts: GroupCounts | None = None
        self._bold = _bold()

    # -- loading ------------------------------------------------------------------------------

    def reload(self, mode: str, filters: ActionFilters, today: date) -> None:
        self.beginResetModel()
        self.mode, self.filters, self.today = mode, filters, today
        self._nodes.clear()
        self._root = _Node("root", {}, None)
        self._groups = self._top_groups()
        first = dict(zip(GROUP_FIELDS, self._groups[0], strict=True)) if self._groups else {}
        self.total = int(first.get("all_total") or 0)
        self.overdue = int(first.get("all_overdue") or 0)
        self._add_groups()
        self.endResetModel()

    def counts(self, today: date) -> GroupCounts:
        """The in-memory group map, made again when the file or the day has changed."""
        if self._counts is None or not self._counts.current(self.store, today):
            self._counts = GroupCounts(self.store, today)
        return self._counts

    def _top_groups(self) -> list[tuple]:
        if self.filters == ActionFilters(text=self.filters.text):
            found = self.counts(self.today).for_filters(self.filters, self.mode)
            if found is not None:
                return found
        return top_groups(self.store, self.today, self.filters, self.mode)

    def _add_groups(self) -> None:
        """Make nodes for the next page of the fetched top-level groups."""
        kind = "agency" if self.mode == "agency" else "review"
        first = len(self._root.children)
        page = self._groups[first:first + self.GROUP_PAGE]
        self._root.children += [self._make(kind, dict(zip(GROUP_FIELDS, row, strict=True)), self._root, first + i)
                                for i, row in enumerate(page)]
        self._root.loaded = len(self._root.children) >= len(self._groups)

    def _make(self, kind: str, row: dict, parent: _Node, position: int) -> _Node:
        node = _Node(kind, row, parent, position, next(self._ids))
        self._nodes[node.nid] = node
        return node

    def _load_children(self, node: _Node) -> list[dict]:
        """The next batch of children of a group node, as (kind, row) pairs."""
        if node.kind == "review":
            node.loaded = True
            recs = recommendation_groups(self.store, self.today, self.filters, node.row["id"])
            return [("recommendation", dict(r, review_id=node.row["id"])) for r in recs]
        if node.kind == "recommendation":
            rec_id = node.row["id"]
            clause = ("a.review_id = ? AND a.recommendation_id = ?", [node.row["review_id"], rec_id]) \
                if rec_id is not None else ("a.review_id = ? AND a.recommendation_id IS NULL",
                                            [node.row["review_id"]])
            order = "a.id"
        else:
            agency_id = node.row["id"]
            clause = ("a.agency_id = ?", [agency_id]) if agency_id is not None else ("a.agency_id IS NULL", [])
            order = _BY_TARGET
        rows = fetch_actions(self.store, self.today, self.filters, extra=clause, order_sql=order,
                             offset=len(node.children), limit=self.PAGE)
        if len(node.children) + len(rows) >= node.total or len(rows) < self.PAGE:
            node.loaded = True
        return [("action", r) for r in rows]

    # -- Qt model API -------------------------------------------------------------------------

    def node(self, index: ModelIndex) -> _Node:
        return self._nodes.get(index.internalId(), self._root) if index.isValid() else self._root

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self.node(parent)
        if 0 <= row < len(node.children) and 0 <= column < len(COLUMNS):
            return self.createIndex(row, column, node.children[row].nid)
        return QModelIndex()

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008 (Qt override)
        if not index.isValid():
            return QModelIndex()
        node = self._nodes.get(index.internalId())
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self.createIndex(node.parent.position, 0, node.parent.nid)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        node = self.node(parent)
        if node is self._root:
            return bool(node.children)
        return node.kind != "action" and (bool(node.children) or node.total > 0)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        node = self.node(parent)
        # A view lays out (and asks for more) when it is next painted, which can be after the
        # window has closed the file.
        return node.kind != "action" and not node.loaded and not _closed(self.store)

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        node = self.node(parent)
        if node.kind == "action" or node.loaded:
            return
        if node is self._root:
            first = len(node.children)
            self.beginInsertRows(QModelIndex(), first, min(first + self.GROUP_PAGE, len(self._groups)) - 1)
            self._add_groups()
            self.endInsertRows()
            return
        batch = self._load_children(node)
        if not batch:
            return
        first = len(node.children)
        self.beginInsertRows(parent, first, first + len(batch) - 1)
        for offset, (kind, row) in enumerate(batch):
            node.children.append(self._make(kind, row, node, first + offset))
        self.endInsertRows()

    def fetch_all(self, parent: QModelIndex) -> None:
        while self.canFetchMore(parent):
            self.fetchMore(parent)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        # The view asks for a dozen roles per cell each time it paints; most are answered at once.
        if role not in _ROLES or not index.isValid():
            return None
        node = self.node(index)
        if role == _ROW:
            return node.row if node.kind == "action" else None
        if role == _DISPLAY:
            if node.cells is None:
                node.cells = self._action_cells(node.row) if node.kind == "action" else self._group_cells(node)
            return node.cells[index.column()]
        if node.kind == "action":
            return self._action_data(node.row, index.column(), role)
        return self._group_data(node, index.column(), role)

    @staticmethod
    def _group_cells(node: _Node) -> tuple:
        row = node.row
        overdue = int(row.get("overdue") or 0)
        if node.kind == "recommendation":
            if row.get("id") is None:
                text = "Actions not linked to a recommendation"
            else:
                number = f"Recommendation {row['number']}: " if row.get("number") else "Recommendation: "
                text = number + (row.get("title") or "")
        else:
            text = row.get("title") or ("No agency set" if node.kind == "agency" else "")
        return (text, None, None, None, _plural(node.total, "action"), f"{overdue} overdue" if overdue else "")

    @staticmethod
    def _action_cells(row: dict) -> tuple:
        return (row.get("text") or "", row.get("agency_short") or "", row.get("lead_officer") or "",
                _fmt(row.get("effective_target")) + (" (revised)" if row.get("revised_target_date") else ""),
                row.get("status_label") or "", row["rag"].label)

    def _group_data(self, node: _Node, column: int, role: int) -> Any:
        row = node.row
        overdue = int(row.get("overdue") or 0)
        if role == _FONT and node.kind in ("review", "agency") and column == COL_TEXT:
            return self._bold
        if role == _BACKGROUND and column == COL_RAG and overdue:
            return RAG_BRUSHES["red"]
        if role == _TOOLTIP and column == COL_TEXT:
            return row.get("title") or None
        if role == _TOOLTIP and column == COL_RAG and overdue:
            return f"{_plural(overdue, 'action')} past target and not complete"
        return None

    def _action_data(self, row: dict, column: int, role: int) -> Any:
        if role == _TOOLTIP:
            if column in (COL_RAG, COL_TARGET, COL_STATUS):
                return _action_tooltip(row)
            if column == COL_TEXT:
                return row.get("text")
            if column == COL_AGENCY:
                return row.get("agency_name")
        if role == _BACKGROUND and column == COL_RAG:
            return RAG_BRUSHES.get(row["rag"].colour)
        return None

    # -- finding ------------------------------------------------------------------------------

    def group_keys(self, index: ModelIndex) -> tuple:
        node = self.node(index)
        return (node.kind, node.row.get("id"), node.row.get("review_id"))

    def find_group(self, keys: tuple, parent: QModelIndex = QModelIndex(), *,  # noqa: B008
                   fetch: bool = True) -> QModelIndex:
        """The group with these `group_keys` under `parent`; with `fetch`, more of the parent's
        groups are fetched until it is found."""
        node = self.node(parent)
        searched = 0
        while True:
            for child in node.children[searched:]:
                if (child.kind, child.row.get("id"), child.row.get("review_id")) == keys:
                    return self.createIndex(child.position, 0, child.nid)
            searched = len(node.children)
            if not fetch or not self.canFetchMore(parent):
                return QModelIndex()
            self.fetchMore(parent)

    def find_action(self, action: dict) -> QModelIndex:
        """Load the groups that hold `action` (a row of the actions table) until it is found."""
        if self.mode == "plan":
            path = [("review", action["review_id"], None),
                    ("recommendation", action["recommendation_id"], action["review_id"])]
        else:
            path = [("agency", action["agency_id"], None)]
        parent = QModelIndex()
        for keys in path:
            parent = self.find_group(keys, parent)
            if not parent.isValid():
                return QModelIndex()
        node = self.node(parent)
        while True:
            for child in node.children:
                if child.row.get("id") == action["id"]:
                    return self.createIndex(child.position, 0, child.nid)
            if node.loaded:
                return QModelIndex()
            self.fetchMore(parent)


# -- the flat list ---------------------------------------------------------------------------

FLAT_COLUMNS = (
    Column("review_title", "Review"),
    Column("recommendation_number", "Rec."),
    Column("text", "Action", tooltip=lambda r: r.get("text")),
    Column("agency_short", "Agency", tooltip=lambda r: r.get("agency_name")),
    Column("lead_officer", "Lead officer"),
    Column("effective_target", "Target", display=lambda r: _fmt(r.get("effective_target"))
           + (" (revised)" if r.get("revised_target_date") else ""), tooltip=_action_tooltip),
    Column("status", "Status", display=lambda r: r.get("status_label") or "", tooltip=_action_tooltip),
    # Sorting by RAG is sorting by how soon the target falls; the column shows the colour in words.
    Column("effective_target", "RAG", display=lambda r: r["rag"].label, tooltip=_action_tooltip,
           colour=lambda r: r["rag"].colour),
)


# The ORDER BY that `PagedQueryModel.sort` makes for the Target (and RAG) column.
_TARGET_ASC = '"effective_target" IS NULL, "effective_target" ASC'
_TARGET_DESC = '"effective_target" IS NULL, "effective_target" DESC'


# -- dialogs ---------------------------------------------------------------------------------

def _id_choices(rows: list[dict], label_key: str = "title") -> dict[str, str]:
    return {str(r["id"]): r[label_key] for r in rows}


def _as_id(code: str | None) -> int | None:
    return int(code) if code else None


class ActionDialog(RecordDialog):
    """Add or edit one action of the plan, with its evidence."""

    def __init__(self, store, action_id: int | None = None, parent: QWidget | None = None, *,
                 review_id: int | None = None, recommendation_id: int | None = None,
                 agency_id: int | None = None, read_only: bool = False):
        super().__init__("Edit action" if action_id else "New action", parent, read_only=read_only)
        self.store = store
        self.action_id = action_id
        action = store.get("actions", action_id) if action_id else {}
        if action_id and action is None:
            raise ScrdeskError("That action is no longer in the data file.")
        reviews = store.rows("SELECT id, title FROM reviews ORDER BY title")
        agencies = store.rows("SELECT id, name, active FROM agencies ORDER BY name")
        current_agency = action.get("agency_id", agency_id)
        agency_choices = {str(a["id"]): a["name"] + ("" if a["active"] else " (inactive)")
                          for a in agencies if a["active"] or a["id"] == current_agency}
        form = self.form
        form.section("Where it comes from")
        self.review = form.add(ChoiceField("Review", _id_choices(reviews), required=True))
        self.recommendation = form.add(ChoiceField("Recommendation", {}, blank="— none —"))
        _narrow_combo(self.recommendation)
        form.section("The action")
        self.agency = form.add(ChoiceField("Agency", agency_choices, blank="— not set —"))
        self.lead = form.add(TextField("Lead officer", max_length=200))
        self.text = form.add(NoteField("Action", required=True, lines=3))
        self.text.editor.setPlaceholderText("Specific, measurable, achievable, realistic and time-bound")
        form.section("Dates")
        self.agreed = form.add(DateField("Date agreed"))
        self.target = form.add(DateField("Target date"))
        self.revised = form.add(DateField("Revised target date"))
        self.revised_reason = form.add(TextField("Reason for the revised target", max_length=1000))
        form.section("Progress")
        self.status = form.add(ChoiceField("Status", values.ACTION_STATUSES, blank=None, required=True))
        self.rule_label = QLabel(COMPLETION_RULE)
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet("color: #555555;")
        form.add_widget("", self.rule_label).setAccessibleName("Completion rule")
        self.signoff = form.add(DateField("Sign-off date"))
        self.completion_reason = form.add(TextField("Reason closed without evidence", max_length=1000))
        self.evidence = AttachmentList(store, "action", pending=True)
        self.evidence.setMinimumHeight(120)
        form.add_widget("Evidence", self.evidence)
        form.section("Escalation")
        self.escalated_date = form.add(DateField("Escalated on"))
        self.escalated_to = form.add(TextField("Escalated to", max_length=200))

        self.review.edited.connect(self._on_review_edited)
        self.evidence.attachments_changed.connect(self._on_form_edited)

        self.review.set_value(str(action.get("review_id") or review_id or "") or None)
        self._fill_recommendations(action.get("recommendation_id", recommendation_id))
        self.agency.set_value(str(current_agency) if current_agency else None)
        self.lead.set_value(action.get("lead_officer"))
        self.text.set_value(action.get("text"))
        self.agreed.set_value(action.get("agreed_date"))
        self.target.set_value(action.get("target_date"))
        self.revised.set_value(action.get("revised_target_date"))
        self.revised_reason.set_value(action.get("revised_reason"))
        self.status.set_value(action.get("status") or "not_started")
        self.signoff.set_value(action.get("signoff_date"))
        self.completion_reason.set_value(action.get("completion_reason"))
        self.escalated_date.set_value(action.get("escalated_date"))
        self.escalated_to.set_value(action.get("escalated_to"))
        self.evidence.set_owner(action_id)
        self.evidence.set_read_only(read_only)
        self.resize(700, 760)
        self.finish_setup()

    def _fill_recommendations(self, keep: int | None = None) -> None:
        review_id = _as_id(self.review.value())
        recs = self.store.rows("SELECT id, number, text FROM recommendations WHERE review_id = ? "
                               "ORDER BY CAST(number AS INTEGER), number, id", [review_id or 0])
        choices = {str(r["id"]): (f"{r['number']}. " if r["number"] else "") + _short(r["text"]) for r in recs}
        self.recommendation.set_choices(choices, keep=str(keep) if keep else None)
        if keep and str(keep) not in choices:
            self.recommendation.set_value(None)

    def _on_review_edited(self) -> None:
        self._fill_recommendations(_as_id(self.recommendation.value()))

    def cross_check(self) -> dict:
        found = {}
        if self.revised.value() and not self.revised_reason.value():
            found[self.revised_reason] = "is required when the target is revised"
        if self.agreed.value() and self.target.value() and self.target.value() < self.agreed.value():
            found[self.target] = "is before the date the action was agreed"
        if self.escalated_to.value() and not self.escalated_date.value():
            found[self.escalated_date] = "is required when you say who it was escalated to"
        problem = completion_problem(self.status.value(), self.evidence.count(), self.completion_reason.value())
        if problem:
            found[self.status] = problem
        return found

    def save(self) -> None:
        status = self.status.value()
        record = {
            "review_id": _as_id(self.review.value()),
            "recommendation_id": _as_id(self.recommendation.value()),
            "agency_id": _as_id(self.agency.value()),
            "lead_officer": self.lead.value(),
            "text": self.text.value(),
            "agreed_date": self.agreed.iso(),
            "target_date": self.target.iso(),
            "revised_target_date": self.revised.iso(),
            "revised_reason": self.revised_reason.value() if self.revised.value() else None,
            "status": status,
            "signoff_date": self.signoff.iso(),
            "completion_reason": self.completion_reason.value(),
            "escalated_date": self.escalated_date.iso(),
            "escalated_to": self.escalated_to.value(),
        }
        if status in EVIDENCED_STATUSES and not record["signoff_date"]:
            record["signoff_date"] = today_for(self.store).isoformat()
        with self.store.transaction():
            if self.action_id:
                self.store.update("actions", self.action_id, record)
            else:
                self.action_id = self.store.insert("actions", record)
            for values_ in self.evidence.pending_files():
                add_attachment(self.store, "action", self.action_id, values_)
        self.saved.emit("actions", self.action_id)


def _narrow_combo(choice: ChoiceField, characters: int = 50) -> None:
    """Long choices (recommendation texts) are elided instead of widening the whole dialog."""
    combo = choice.editor
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)


def _short(text: str | None, limit: int = 90) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class UpdateDialog(RecordDialog):
    """Log a dated progress note on an action, optionally changing its status and adding evidence."""

    def __init__(self, store, action_id: int, parent: QWidget | None = None, *, status_to: str | None = None):
        super().__init__("Add an update", parent)
        self.store = store
        self.action_id = action_id
        self.action = store.get("actions", action_id)
        if self.action is None:
            raise ScrdeskError("That action is no longer in the data file.")
        current = values.label(values.ACTION_STATUSES, self.action["status"])
        form = self.form
        intro = QLabel(f"<b>{html.escape(_short(self.action['text'], 160))}</b><br>Status now: "
                       f"{html.escape(current)}")
        intro.setWordWrap(True)
        form.add_widget("Action", intro)
        self.date = form.add(DateField("Date", required=True))
        self.author = form.add(TextField("Author", required=True, max_length=200))
        self.note = form.add(NoteField("Update", required=True, lines=4))
        self.note.editor.setPlaceholderText("What has been done, and what is still to do")
        self.status = form.add(ChoiceField("Change status to", values.ACTION_STATUSES, blank="No change"))
        rule = QLabel(COMPLETION_RULE)
        rule.setWordWrap(True)
        rule.setStyleSheet("color: #555555;")
        form.add_widget("", rule).setAccessibleName("Completion rule")
        self.completion_reason = form.add(TextField("Reason closed without evidence", max_length=1000))
        self.evidence = AttachmentList(store, "action", pending=True)
        self.evidence.setMinimumHeight(120)
        form.add_widget("Evidence", self.evidence)
        self.evidence.attachments_changed.connect(self._on_form_edited)

        self.date.set_value(today_for(store))
        self.author.set_value(store.user)
        self.status.set_value(status_to)
        self.completion_reason.set_value(self.action.get("completion_reason"))
        self.evidence.set_owner(action_id)
        self.resize(640, 640)
        self.finish_setup()
        self.note.setFocus()

    def cross_check(self) -> dict:
        status = self.status.value()
        if status == self.action["status"]:
            return {}
        problem = completion_problem(status, self.evidence.count(), self.completion_reason.value())
        return {self.status: problem} if problem else {}

    def save(self) -> None:
        status = self.status.value()
        reason = self.completion_reason.value()
        add_update(self.store, self.action_id, on=self.date.value(), author=self.author.value(),
                   note=self.note.value(), status_to=status,
                   completion_reason=reason if reason != self.action.get("completion_reason") else None,
                   files=self.evidence.pending_files())
        self.saved.emit("action_updates", self.action_id)


# -- the detail pane -------------------------------------------------------------------------

UPDATE_COLUMNS = (
    Column("date", "Date", display=lambda r: _fmt(r.get("date"))),
    Column("author", "Author"),
    Column("note", "Update", tooltip=lambda r: r.get("note")),
    Column("change", "Status change"),
)


class ActionDetail(QWidget):
    """The selected action: what it is, its RAG reason, its update log and its evidence."""

    update_requested = Signal()
    complete_requested = Signal()
    edit_requested = Signal()
    evidence_changed = Signal()

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.action: dict | None = None

        self.summary = QLabel("Choose an action above to see its updates and evidence.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("Selected action")
        self.update_button = QPushButton("Add &update…")
        self.update_button.setAccessibleName("Add an update to the selected action")
        self.complete_button = QPushButton("&Mark complete…")
        self.complete_button.setAccessibleName("Mark the selected action complete")
        self.edit_button = QPushButton("&Edit action…")
        self.edit_button.setAccessibleName("Edit the selected action")
        self.update_button.clicked.connect(self.update_requested)
        self.complete_button.clicked.connect(self.complete_requested)
        self.edit_button.clicked.connect(self.edit_requested)

        summary_box = QGroupBox("Action")
        summary_layout = QVBoxLayout(summary_box)
        summary_layout.addWidget(self.summary, 1)
        buttons = QGridLayout()
        buttons.addWidget(self.update_button, 0, 0)
        buttons.addWidget(self.complete_button, 0, 1)
        buttons.addWidget(self.edit_button, 1, 0)
        buttons.setColumnStretch(2, 1)
        summary_layout.addLayout(buttons)

        self.updates = RowsModel(UPDATE_COLUMNS, self)
        self.updates_view = QTableView()
        self.updates_view.setModel(self.updates)
        self.updates_view.setAccessibleName("Update log")
        self.updates_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.updates_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.updates_view.verticalHeader().hide()
        self.updates_view.setWordWrap(True)
        self.updates_view.setMinimumWidth(160)
        header = self.updates_view.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        updates_box = QGroupBox("Update log")
        QVBoxLayout(updates_box).addWidget(self.updates_view)

        self.evidence = AttachmentList(store, "action", compact=True)
        self.evidence.attachments_changed.connect(self.evidence_changed)
        evidence_box = QGroupBox("Evidence")
        QVBoxLayout(evidence_box).addWidget(self.evidence)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(summary_box, 3)
        layout.addWidget(updates_box, 4)
        layout.addWidget(evidence_box, 3)
        self._read_only = False
        self.show_action(None)

    def show_action(self, row: dict | None) -> None:
        self.action = row
        enabled = row is not None
        for button in (self.update_button, self.complete_button, self.edit_button):
            button.setEnabled(enabled and not (self._read_only and button is not self.edit_button))
        self.edit_button.setText("&View action…" if self._read_only else "&Edit action…")
        if row is None:
            self.summary.setText("Choose an action above to see its updates and evidence.")
            self.updates.set_rows([])
            self.evidence.set_owner(None)
            return
        self.complete_button.setEnabled(enabled and not self._read_only and row["status"] not in EVIDENCED_STATUSES)
        self.summary.setText(_summary_html(row))
        self.updates.set_rows(update_rows(self.store, row["id"]))
        self.updates_view.resizeRowsToContents()
        self.evidence.set_owner(row["id"])

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.evidence.set_read_only(read_only)
        self.show_action(self.action)


def _summary_html(row: dict) -> str:
    e = html.escape
    rec = row.get("recommendation_text")
    lines = [f"<b>{e(row.get('text') or '')}</b>",
             f"Review: {e(row.get('review_title') or '')}"]
    if rec:
        number = f"{row['recommendation_number']}. " if row.get("recommendation_number") else ""
        lines.append(f"Recommendation {e(number)}{e(_short(rec, 200))}")
    lines.append(f"Agency: {e(row.get('agency_name') or 'not set')}"
                 + (f" — lead officer {e(row['lead_officer'])}" if row.get("lead_officer") else ""))
    target = _fmt(row.get("target_date")) or "not set"
    if row.get("revised_target_date"):
        target = f"{_fmt(row['revised_target_date'])} (revised from {target}: {e(row.get('revised_reason') or '')})"
    lines.append(f"Target: {target}")
    lines.append(f"Status: {e(row.get('status_label') or '')}")
    colour = RAG_BRUSHES.get(row["rag"].colour).color().name()
    lines.append(f"<span style='background-color:{colour}'>&nbsp;{e(str(row['rag']))}&nbsp;</span>")
    if row.get("escalated_date"):
        lines.append(f"Escalated {_fmt(row['escalated_date'])} to {e(row.get('escalated_to') or '')}")
    if row.get("completion_reason"):
        lines.append(f"Closed without evidence because: {e(row['completion_reason'])}")
    return "<br>".join(lines)


# -- the tab ---------------------------------------------------------------------------------

VIEWS = {"plan": "By review and recommendation", "agency": "By agency", "flat": "One list, by target date"}


class ActionPlanTab(Tab):
    """The composite action plan."""

    title = "Action plan"

    #: Up to this many actions, every group opens at once; beyond it, groups open when asked.
    OPEN_ALL_UP_TO = 400

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self._read_only = False
        self.today = today_for(store)

        # Filter bar.
        self.view_combo = QComboBox()
        for code, text in VIEWS.items():
            self.view_combo.addItem(text, code)
        self.view_combo.setAccessibleName("Group actions")
        view_label = QLabel("&Group:")
        view_label.setBuddy(self.view_combo)
        self.overdue_check = QCheckBox("&Overdue")
        self.overdue_check.setAccessibleName("Only overdue actions")
        self.due_soon_check = QCheckBox("Due &soon")
        self.due_soon_check.setAccessibleName("Only actions due soon")
        self.agency_combo = QComboBox()
        self.agency_combo.setAccessibleName("Agency")
        agency_label = QLabel("A&gency:")
        agency_label.setBuddy(self.agency_combo)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status")
        self.status_combo.addItem("Any status", None)
        self.status_combo.addItem("Open (not complete)", "open")
        for code, text in values.ACTION_STATUSES.items():
            self.status_combo.addItem(text, code)
        status_label = QLabel("S&tatus:")
        status_label.setBuddy(self.status_combo)
        self.filter_box = FilterBox("Find actions…")
        self.filter_box.setAccessibleName("Find actions")
        self.filter_box.setToolTip("Searches the action, lead officer, agency, review and recommendation (Ctrl+F)")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("How many actions are shown")

        # Two rows, so the window can still be narrowed to half a laptop screen.
        for combo, characters in ((self.view_combo, 22), (self.agency_combo, 22), (self.status_combo, 16)):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(characters)
        first_row = QHBoxLayout()
        first_row.addWidget(view_label)
        first_row.addWidget(self.view_combo)
        first_row.addSpacing(12)
        first_row.addWidget(agency_label)
        first_row.addWidget(self.agency_combo)
        first_row.addWidget(status_label)
        first_row.addWidget(self.status_combo)
        first_row.addStretch(1)
        second_row = QHBoxLayout()
        second_row.addWidget(self.overdue_check)
        second_row.addWidget(self.due_soon_check)
        second_row.addSpacing(12)
        second_row.addWidget(self.filter_box, 1)
        bar = QVBoxLayout()
        bar.addLayout(first_row)
        bar.addLayout(second_row)

        # Views.
        self.tree_model = ActionTreeModel(store, self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setAccessibleName("Action plan")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COL_AGENCY, 110), (COL_LEAD, 130), (COL_TARGET, 150), (COL_STATUS, 190),
                              (COL_RAG, 90)):
            self.tree.setColumnWidth(column, width)
        # The groups a person has opened, as paths of `group_keys`, kept from the view's own
        # signals so a new filter can reopen them without walking every row.
        self._opened: set[tuple] = set()
        self._opening_all = False
        self.tree.expanded.connect(self._on_group_expanded)
        self.tree.collapsed.connect(self._on_group_collapsed)
        self._flat_counts = (0, 0)
        #: The ids of the flat list's search in target order, and what they were worked out for.
        self._flat_ids: tuple[tuple, list[int]] | None = None
        self.flat_model = PagedQueryModel(FLAT_COLUMNS, self._fetch_flat, self)
        # A couple of screens at a time: each row's RAG is worked out in Python.
        self.flat_model.PAGE = 60
        self.table = QTableView()
        self.table.setModel(self.flat_model)
        self.table.setAccessibleName("Action plan list")
        # The indicator first, so turning sorting on sorts once, by target.
        self.table.horizontalHeader().setSortIndicator(5, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.table)

        self.new_button = QPushButton("&New action…")
        self.new_button.setAccessibleName("New action")
        self.new_button.setToolTip("Add an action to the plan (Ctrl+N)")
        self.delete_button = QPushButton("&Delete action")
        self.delete_button.setAccessibleName("Delete the selected action")
        self.delete_button.setToolTip("Delete the selected action, its updates and evidence (Delete)")
        self.new_button.clicked.connect(self.new_record)
        self.delete_button.clicked.connect(self.delete_selected)
        top_buttons = QHBoxLayout()
        top_buttons.addWidget(self.count_label, 1)
        top_buttons.addWidget(self.new_button)
        top_buttons.addWidget(self.delete_button)

        self.detail = ActionDetail(store)
        self.detail.update_requested.connect(self.add_update_to_selected)
        self.detail.complete_requested.connect(self.mark_selected_complete)
        self.detail.edit_requested.connect(self.edit_selected)
        self.detail.evidence_changed.connect(self._on_detail_evidence_changed)

        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(bar)
        upper_layout.addWidget(self.stack, 1)
        upper_layout.addLayout(top_buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        # Ctrl+N, F2, Ctrl+F and Ctrl+P belong to the main window's actions, which call
        # new_record(), edit_selected() and focus_filter(); a second binding here would make them
        # ambiguous and neither would fire.
        for view in (self.tree, self.table):
            for key, slot in ((Qt.Key.Key_Return, self.edit_selected), (Qt.Key.Key_Enter, self.edit_selected),
                              (Qt.Key.Key_Delete, self.delete_selected)):
                shortcut = QShortcut(QKeySequence(key), view)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(slot)
        self.tree.doubleClicked.connect(self._on_view_double_clicked)
        self.table.doubleClicked.connect(self._on_view_double_clicked)
        self.tree.selectionModel().currentRowChanged.connect(self._on_selection_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_selection_changed)

        self.view_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.overdue_check.toggled.connect(self._on_filters_changed)
        self.due_soon_check.toggled.connect(self._on_filters_changed)
        self.agency_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.status_combo.currentIndexChanged.connect(self._on_filters_changed)
        self.filter_box.filter_settled.connect(self._on_filters_changed)
        self.filter_box.returnPressed.connect(self.filter_box.settle_now)

        self.setTabOrder(self.view_combo, self.overdue_check)
        self.setTabOrder(self.overdue_check, self.due_soon_check)
        self.setTabOrder(self.due_soon_check, self.agency_combo)
        self.setTabOrder(self.agency_combo, self.status_combo)
        self.setTabOrder(self.status_combo, self.filter_box)
        self.setTabOrder(self.filter_box, self.tree)
        self.setTabOrder(self.tree, self.table)
        self.setTabOrder(self.table, self.new_button)
        self.setTabOrder(self.new_button, self.delete_button)
        self.refresh()

    # -- state --------------------------------------------------------------------------------

    def view_mode(self) -> str:
        return self.view_combo.currentData()

    def filters(self) -> ActionFilters:
        status = self.status_combo.currentData()
        due_soon = self.store.settings().due_soon_days
        return ActionFilters(
            agency_id=self.agency_combo.currentData(),
            status=status if status not in (None, "open") else None,
            open_only=status == "open",
            overdue=self.overdue_check.isChecked(),
            due_within_days=due_soon if self.due_soon_check.isChecked() else None,
            text=self.filter_box.text().strip(),
        )

    def _current_view(self) -> QAbstractItemView:
        return self.table if self.view_mode() == "flat" else self.tree

    def selected_action(self) -> dict | None:
        index = self._current_view().currentIndex()
        if not index.isValid():
            return None
        model = index.model()
        return model.data(index.siblingAtColumn(0), RowRole)

    def _fill_agencies(self) -> None:
        keep = self.agency_combo.currentData()
        self.agency_combo.blockSignals(True)
        self.agency_combo.clear()
        self.agency_combo.addItem("All agencies", None)
        for agency in self.store.rows("SELECT id, name, active FROM agencies ORDER BY active DESC, name"):
            self.agency_combo.addItem(agency["name"] + ("" if agency["active"] else " (inactive)"), agency["id"])
        found = self.agency_combo.findData(keep) if keep is not None else 0
        self.agency_combo.setCurrentIndex(max(found, 0))
        self.agency_combo.blockSignals(False)

    def refresh(self) -> None:
        self.today = today_for(self.store)
        days = self.store.settings().due_soon_days
        self.due_soon_check.setText(f"Due &soon ({days} days)")
        self.due_soon_check.setToolTip(f"Open actions with a target in the next {days} days")
        self._fill_agencies()
        self._reload()

    def _reload(self, select_id: int | None = None) -> None:
        selected = self.selected_action()
        select_id = select_id if select_id is not None else (selected["id"] if selected else None)
        filters = self.filters()
        mode = self.view_mode()
        if mode == "flat":
            self.stack.setCurrentWidget(self.table)
            self.flat_model.reload(filters.text)
            total, overdue = self._flat_counts
        else:
            self.stack.setCurrentWidget(self.tree)
            self.tree_model.reload(mode, filters, self.today)
            total, overdue = self.tree_model.total, self.tree_model.overdue
            self._expand(open_all=total <= self.OPEN_ALL_UP_TO)
        noun = "matching action" if filters.active() else "action"
        self.count_label.setText(f"{_plural(total, noun)}, {overdue} overdue "
                                 f"(as at {format_date(self.today)})")
        if select_id is None or not self._select(select_id):
            self.detail.show_action(None)
        self._update_buttons()

    def _group_path(self, index: QModelIndex) -> tuple:
        model = self.tree_model
        path = []
        while index.isValid():
            path.insert(0, model.group_keys(index))
            index = index.parent()
        return tuple(path)

    def _on_group_expanded(self, index: QModelIndex) -> None:
        if not self._opening_all:
            self._opened.add(self._group_path(index))

    def _on_group_collapsed(self, index: QModelIndex) -> None:
        path = self._group_path(index)
        self._opened = {opened for opened in self._opened if opened[:len(path)] != path}

    def _expand(self, open_all: bool) -> None:
        """Reopen the groups the person had open; for a short list, open every group."""
        model = self.tree_model
        if open_all:
            # The view would fetch an opened group's rows at its next layout, which may come after
            # the file has closed; a short plan is fetched in full now instead. These groups were
            # opened for the person, so they are not remembered as opened by them.
            self._opening_all = True
            try:
                model.fetch_all(QModelIndex())
                for row in range(model.rowCount()):
                    top = model.index(row, 0)
                    model.fetch_all(top)
                    self.tree.expand(top)
                    for child_row in range(model.rowCount(top)):
                        child = model.index(child_row, 0, top)
                        model.fetch_all(child)
                        self.tree.expand(child)
            finally:
                self._opening_all = False
            return
        # Shortest paths first, so a recommendation's review is open before the recommendation.
        for path in sorted(self._opened, key=len):
            index = QModelIndex()
            for keys in path:
                # Only groups already fetched: a filter must not page through every review.
                index = model.find_group(keys, index, fetch=False)
                if not index.isValid():
                    break
            else:
                if path[-1][0] == "review":
                    model.fetch_all(index)
                else:
                    model.fetchMore(index)
                self.tree.expand(index)

    def _select(self, action_id: int) -> bool:
        action = self.store.get("actions", action_id)
        if action is None:
            return False
        if self.view_mode() == "flat":
            model = self.flat_model
            for row in range(model.rowCount()):
                if model.row_at(row)["id"] == action_id:
                    self.table.setCurrentIndex(model.index(row, 0))
                    self.table.scrollTo(model.index(row, 0))
                    return True
            return False
        index = self.tree_model.find_action(action)
        if not index.isValid():
            return False
        self.tree.expand(index.parent().parent())
        self.tree.expand(index.parent())
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def _fetch_flat(self, _text: str, order_by: str, offset: int, limit: int) -> list[dict]:
        if self.view_mode() != "flat":
            return []  # fetched when the list is chosen (see `_reload`)
        filters = self.filters()
        if order_by in ("", _TARGET_ASC) and filters == ActionFilters(text=filters.text):
            rows = self._fetch_flat_from_counts(filters, offset, limit)
            if rows is not None:
                return rows
        # The default order, and the Target and RAG columns' own, have a quicker query.
        by_target = {"": False, _TARGET_ASC: False, _TARGET_DESC: True}
        if order_by in by_target:
            rows, total, overdue = fetch_by_target(self.store, self.today, filters, offset, limit,
                                                   descending=by_target[order_by])
            if offset == 0:
                self._flat_counts = (total, overdue)
            return rows
        if offset == 0:
            self._flat_counts = count_actions(self.store, self.today, filters)
        return fetch_actions(self.store, self.today, filters, order_sql=f"{order_by}, a.id",
                             offset=offset, limit=limit)

    def _fetch_flat_from_counts(self, filters: ActionFilters, offset: int, limit: int) -> list[dict] | None:
        """A page of a search by text in target-date order, chosen from the search index and the
        in-memory map; only the page's rows are read. None when only SQL can answer."""
        counts = self.tree_model.counts(self.today)
        if offset == 0 or self._flat_ids is None or self._flat_ids[0] != (filters, counts):
            ids = counts.matching(filters)
            if ids is None:
                return None
            self._flat_ids = ((filters, counts), counts.by_target(ids))
            self._flat_counts = (len(ids), counts.overdue_among(ids))
        page = self._flat_ids[1][offset:offset + limit]
        if not page:
            return []
        marks = ", ".join("?" * len(page))
        found = {row["id"]: row for row in self.store.rows(f"{ACTION_SELECT} WHERE a.id IN ({marks})", page)}
        return _with_rag(self.store, self.today, [found[i] for i in page if i in found])

    def _update_buttons(self) -> None:
        has = self.selected_action() is not None
        self.new_button.setEnabled(not self._read_only)
        self.delete_button.setEnabled(has and not self._read_only)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.detail.set_read_only(read_only)
        self._update_buttons()

    # -- slots --------------------------------------------------------------------------------

    def _on_filters_changed(self, *_args) -> None:
        self._reload()

    def _on_selection_changed(self, *_args) -> None:
        self.detail.show_action(self.selected_action())
        self._update_buttons()

    def _on_view_double_clicked(self, index: QModelIndex) -> None:
        if index.model().data(index.siblingAtColumn(0), RowRole) is not None:
            self.edit_selected()

    def _on_detail_evidence_changed(self) -> None:
        self.records_changed.emit("attachments")

    def focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    def _after_save(self, table: str, action_id: int) -> None:
        self._reload(select_id=action_id)
        self.records_changed.emit(table)
        if table != "actions":
            self.records_changed.emit("actions")

    def new_record(self) -> None:
        if self._read_only:
            return
        if not self.store.scalar("SELECT count(*) FROM reviews"):
            show_error(self, ScrdeskError("An action belongs to a review: add the review first "
                                          "(on the Reviews tab)."), "New action")
            return
        context = self._context()
        dialog = ActionDialog(self.store, None, self, **context)
        dialog.saved.connect(self._after_save)
        dialog.exec()

    def _context(self) -> dict:
        """The review / recommendation / agency of what is selected, to pre-fill a new action."""
        action = self.selected_action()
        if action is not None:
            return {"review_id": action["review_id"], "recommendation_id": action["recommendation_id"],
                    "agency_id": action["agency_id"]}
        index = self.tree.currentIndex()
        if self.view_mode() != "flat" and index.isValid():
            kind, group_id, review_id = self.tree_model.group_keys(index)
            if kind == "review":
                return {"review_id": group_id}
            if kind == "recommendation":
                return {"review_id": review_id, "recommendation_id": group_id}
            if kind == "agency":
                return {"agency_id": group_id}
        return {"agency_id": self.agency_combo.currentData()}

    def edit_selected(self) -> None:
        action = self.selected_action()
        if action is None:
            index = self.tree.currentIndex()
            if index.isValid() and self.stack.currentWidget() is self.tree:
                self.tree.setExpanded(index, not self.tree.isExpanded(index))
            return
        try:
            dialog = ActionDialog(self.store, action["id"], self, read_only=self._read_only)
        except ScrdeskError as error:
            show_error(self, error, "Edit action")
            self._reload()
            return
        dialog.saved.connect(self._after_save)
        dialog.exec()

    def add_update_to_selected(self, status_to: str | None = None) -> None:
        action = self.selected_action()
        if action is None or self._read_only:
            return
        try:
            dialog = UpdateDialog(self.store, action["id"], self, status_to=status_to or None)
        except ScrdeskError as error:
            show_error(self, error, "Add an update")
            return
        dialog.saved.connect(self._after_save)
        dialog.exec()

    def mark_selected_complete(self) -> None:
        self.add_update_to_selected("complete_evidenced")

    def delete_selected(self) -> None:
        action = self.selected_action()
        if action is None or self._read_only:
            return
        updates = int(self.store.scalar("SELECT count(*) FROM action_updates WHERE action_id = ?",
                                        [action["id"]]) or 0)
        files = evidence_count(self.store, action["id"])
        if not confirm(self, "Delete action",
                       f"Delete this action?\n\n{_short(action['text'], 200)}\n\nIts "
                       f"{_plural(updates, 'update')} and {_plural(files, 'evidence file')} go with it."):
            return
        try:
            delete_action(self.store, action["id"])
        except ScrdeskError as error:
            show_error(self, error, "Delete action")
            return
        self.status_message.emit("Action deleted.")
        self.detail.show_action(None)
        self._reload()
        self.records_changed.emit("actions")

    def current_record(self) -> tuple[str, int] | None:
        action = self.selected_action()
        return ("actions", action["id"]) if action else None

    def show_record(self, kind: str, row_id: int) -> bool:
        if kind == "agency":
            # From the dashboard's "overdue by agency": that agency's overdue actions.
            self._set_filters(agency_id=row_id, overdue=True)
            return True
        if kind != "action":
            return False
        if not self._select(row_id):
            self._set_filters()  # it may be hidden by a filter
            if not self._select(row_id):
                return False
        self._current_view().setFocus()
        return True

    def _set_filters(self, *, agency_id: int | None = None, overdue: bool = False) -> None:
        widgets = (self.overdue_check, self.due_soon_check, self.agency_combo, self.status_combo,
                   self.filter_box, self.view_combo)
        for widget in widgets:
            widget.blockSignals(True)
        self.overdue_check.setChecked(overdue)
        self.due_soon_check.setChecked(False)
        self._fill_agencies()
        self.agency_combo.setCurrentIndex(max(self.agency_combo.findData(agency_id), 0)
                                          if agency_id is not None else 0)
        self.status_combo.setCurrentIndex(0)
        self.filter_box.clear()
        if agency_id is not None and self.view_mode() == "plan":
            self.view_combo.setCurrentIndex(self.view_combo.findData("agency"))
        for widget in widgets:
            widget.blockSignals(False)
        self._reload()
