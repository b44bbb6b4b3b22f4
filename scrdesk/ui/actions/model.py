"""The action plan's models: the grouped tree (`ActionTreeModel`, groups counted in one query and
each group's actions read a page at a time when it is opened) and the flat list's columns.

Columns are named by key (`COL_*`, `column_index`), never by a bare number.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont

from scrdesk.domain.dates import format_stored, plural
from scrdesk.store.actions import (
    GROUP_FIELDS,
    ActionFilters,
    GroupCounts,
    TextSearch,
    connection_closed,
    group_actions,
    plan_group_key,
    recommendation_groups,
    top_groups,
)
from scrdesk.ui.base import RAG_BRUSHES, Column, ModelIndex, RowRole

#: The tree's columns, by key, with their headings.
TREE_COLUMNS = (("text", "Action"), ("agency", "Agency"), ("lead", "Lead officer"), ("target", "Target"),
                ("status", "Status"), ("rag", "RAG"))
COLUMNS = tuple(header for _key, header in TREE_COLUMNS)


def column_index(key: str) -> int:
    """The tree's column for `key` (see TREE_COLUMNS)."""
    return [k for k, _header in TREE_COLUMNS].index(key)


COL_TEXT, COL_AGENCY, COL_LEAD, COL_TARGET, COL_STATUS, COL_RAG = (
    column_index(key) for key in ("text", "agency", "lead", "target", "status", "rag"))


def target_text(row: dict) -> str:
    """The target the action is held to, marked when it was revised."""
    return format_stored(row.get("effective_target")) + (" (revised)" if row.get("revised_target_date") else "")


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
        lines.append(f"Target revised from {format_stored(row.get('target_date'))}: "
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
    at a time as the view scrolls; a group's rows are fetched from SQL when it is opened.

    A search by text in the review view reads only as much of the search index as the first
    page of groups needs (`TextSearch`), so typing costs the same however long the file's
    history; the rest is counted just after the view has painted, and `counted` tells the tab
    that `total` and `overdue` are final (`counting` is True until then).
    """

    counted = Signal()

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
        self._search: TextSearch | None = None
        self._bold = _bold()

    @property
    def counting(self) -> bool:
        """Whether a search's matches beyond the first page of groups are still to be counted."""
        return self._search is not None and not self._search.complete

    # -- loading ------------------------------------------------------------------------------

    def reload(self, mode: str, filters: ActionFilters, today: date, *, count_beyond: int = 0) -> None:
        """Show the groups for `mode` and `filters`; a search by text counts at least
        `count_beyond` + 1 matches (or all of them) before returning, so a caller can tell whether
        there are more than `count_beyond`."""
        self.beginResetModel()
        self.mode, self.filters, self.today = mode, filters, today
        self._nodes.clear()
        self._root = _Node("root", {}, None)
        self._search = None
        if mode == "plan" and filters.text_only():
            self._search = self.counts(today).search(filters, groups=self.GROUP_PAGE, more_than=count_beyond)
        if self._search is not None:
            self._take_search()
        else:
            self._groups = self._top_groups()
            first = dict(zip(GROUP_FIELDS, self._groups[0], strict=True)) if self._groups else {}
            self.total = int(first.get("all_total") or 0)
            self.overdue = int(first.get("all_overdue") or 0)
        self._add_groups()
        self.endResetModel()
        if self.counting:
            # After the view has painted the first page: count the rest (unless a later reload
            # has replaced this search by then).
            QTimer.singleShot(0, self, partial(self._finish_counting, self._search))

    def _take_search(self) -> None:
        search = self._search
        self._groups = search.groups
        self.total, self.overdue = search.matched, search.matched_overdue

    def _finish_counting(self, search: TextSearch | None = None) -> None:
        """Count the search's remaining matches (`search`: only if it is still this model's), and
        say so with `counted`."""
        if not self.counting or search not in (None, self._search) or connection_closed(self.store):
            return
        # A change to the file reloads the model (the tab refreshes after every write), so the
        # search's group map is the one its first page was counted with.
        self._search.finish()
        self._take_search()
        self.counted.emit()

    def counts(self, today: date) -> GroupCounts:
        """The in-memory group map, made again when the file or the day has changed."""
        if self._counts is None or not self._counts.current(self.store, today):
            self._counts = GroupCounts(self.store, today)
        return self._counts

    def _top_groups(self) -> list[tuple]:
        if self.filters.text_only():
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
        rows = group_actions(self.store, self.today, self.filters, node.kind, node.row,
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
        if node is self._root:
            # Only groups already counted: a tree view asks for one more page each time it lays
            # out, and that must not wait for a search's count (which follows the paint).
            return len(node.children) < len(self._groups)
        # A view lays out (and asks for more) when it is next painted, which can be after the
        # window has closed the file.
        return node.kind != "action" and not node.loaded and not connection_closed(self.store)

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        node = self.node(parent)
        if node is self._root:
            first = len(node.children)
            if first >= len(self._groups):
                return
            self.beginInsertRows(QModelIndex(), first, min(first + self.GROUP_PAGE, len(self._groups)) - 1)
            self._add_groups()
            self.endInsertRows()
            return
        if node.kind == "action" or node.loaded:
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
        if not parent.isValid():
            self._finish_counting()
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
                # A sub group plan source's part is titled with its sources.
                text = row.get("title") or "Actions not linked to a recommendation"
            else:
                number = f"Recommendation {row['number']}: " if row.get("number") else "Recommendation: "
                text = number + (row.get("title") or "")
        else:
            text = row.get("title") or ("No agency set" if node.kind == "agency" else "")
        return (text, None, None, None, plural(node.total, "action"), f"{overdue} overdue" if overdue else "")

    @staticmethod
    def _action_cells(row: dict) -> tuple:
        return (row.get("text") or "", row.get("agency_short") or "", row.get("lead_officer") or "",
                target_text(row),
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
            return f"{plural(overdue, 'action')} past target and not complete"
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
            if fetch and node is self._root and not self.canFetchMore(parent):
                self._finish_counting()  # the group may be one the search has yet to reach
            if not fetch or not self.canFetchMore(parent):
                return QModelIndex()
            self.fetchMore(parent)

    def find_action(self, action: dict) -> QModelIndex:
        """Load the groups that hold `action` (a row of the actions table) until it is found."""
        if self.mode == "plan":
            key = plan_group_key(action)
            path = [("review", key, None), ("recommendation", action["recommendation_id"], key)]
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
    Column("effective_target", "Target", display=target_text, tooltip=_action_tooltip),
    Column("status", "Status", display=lambda r: r.get("status_label") or "", tooltip=_action_tooltip),
    # Sorting by RAG is sorting by how soon the target falls; the column shows the colour in words.
    Column("effective_target", "RAG", display=lambda r: r["rag"].label, tooltip=_action_tooltip,
           colour=lambda r: r["rag"].colour),
)


def flat_column_index(key: str, header: str | None = None) -> int:
    """The flat list's column for `key` (and `header`, as Target and RAG share a key)."""
    for i, column in enumerate(FLAT_COLUMNS):
        if column.key == key and header in (None, column.header):
            return i
    raise KeyError(key)


FLAT_COL_TEXT = flat_column_index("text")
FLAT_COL_TARGET = flat_column_index("effective_target", "Target")

# The ORDER BY that `PagedQueryModel.sort` makes for the Target (and RAG) column.
TARGET_ASC = '"effective_target" IS NULL, "effective_target" ASC'
TARGET_DESC = '"effective_target" IS NULL, "effective_target" DESC'


