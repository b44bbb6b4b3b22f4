"""The action plan tab: the composite action plan grouped by review and recommendation, or by
agency, or as one flat list, with the selected action's update log and evidence below.

The grouped views load lazily (groups first, then a page of actions when a group is opened), so the
20,000-action sample never crosses into Qt at once. Every read and write is a function of
`scrdesk.store.actions`.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
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
from scrdesk.domain.dates import format_date, plural
from scrdesk.domain.errors import ScrdeskError
from scrdesk.store import actions as action_store
from scrdesk.store.actions import ActionFilters
from scrdesk.store.agencies import agency_choices
from scrdesk.store.queries import today_for
from scrdesk.ui.actions.detail import ActionDetail
from scrdesk.ui.actions.dialogs import ActionDialog, UpdateDialog, short
from scrdesk.ui.actions.model import (
    COL_AGENCY,
    COL_LEAD,
    COL_RAG,
    COL_STATUS,
    COL_TARGET,
    COL_TEXT,
    FLAT_COL_TARGET,
    FLAT_COL_TEXT,
    FLAT_COLUMNS,
    TARGET_ASC,
    TARGET_DESC,
    ActionTreeModel,
)
from scrdesk.ui.base import FilterBox, PagedQueryModel, RowRole, Tab, confirm, show_error
from scrdesk.ui.learning.reviews import RecommendationClosureLabel

VIEWS = {"plan": "By review and recommendation", "agency": "By agency", "flat": "One list, by target date"}
VIEW_TIPS = {
    # The newest first: the order a search reads them in (store.actions.TextSearch).
    "plan": "The newest review first, then the sub group's own plan, each by recommendation",
    "agency": "Agencies by name, each agency's actions by target date",
    "flat": "Every action in one list, by target date; click a heading to sort by it",
}


class ActionPlanTab(Tab):
    """The composite action plan."""

    title = "Action plan"

    #: Up to this many actions, every group opens at once; beyond it, groups open when asked.
    OPEN_ALL_UP_TO = 400

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self._read_only = False
        self.today = today_for(store)
        bar = self._build_filters()
        self._build_views()
        top_buttons = self._build_buttons()
        self.detail = ActionDetail(store)

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
        self._wire()
        self.refresh()

    def _build_filters(self) -> QVBoxLayout:
        """The filter bar, in two rows."""
        self.view_combo = QComboBox()
        for code, text in VIEWS.items():
            self.view_combo.addItem(text, code)
            self.view_combo.setItemData(self.view_combo.count() - 1, VIEW_TIPS[code], Qt.ItemDataRole.ToolTipRole)
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
        return bar


    def _build_views(self) -> None:
        """The grouped tree and the flat list, one shown at a time."""
        self.tree_model = ActionTreeModel(self.store, self)
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
        self.table.horizontalHeader().setSortIndicator(FLAT_COL_TARGET, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(FLAT_COL_TEXT, QHeaderView.ResizeMode.Stretch)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tree)
        self.stack.addWidget(self.table)


    def _build_buttons(self) -> QHBoxLayout:
        """The count of what is shown, and New and Delete."""
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
        self.closure_label = RecommendationClosureLabel(self.store)  # issue 14: impact against actions alone
        top_buttons.addWidget(self.closure_label)
        top_buttons.addWidget(self.new_button)
        top_buttons.addWidget(self.delete_button)
        return top_buttons

    def _wire(self) -> None:
        """Keys, clicks and filters to what they do; the order Tab moves through the controls."""
        self.detail.update_requested.connect(self.add_update_to_selected)
        self.detail.complete_requested.connect(self.mark_selected_complete)
        self.detail.edit_requested.connect(self.edit_selected)
        self.detail.evidence_changed.connect(self._on_detail_evidence_changed)
        self.detail.escalated.connect(lambda: self.records_changed.emit("escalations"))
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
        self.tree_model.counted.connect(self._on_tree_counted)
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
        # Active agencies first (the sort keeps the name order within each).
        for agency in sorted(agency_choices(self.store), key=lambda a: not a["active"]):
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
        self.closure_label.refresh()
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
            self.tree_model.reload(mode, filters, self.today, count_beyond=self.OPEN_ALL_UP_TO)
            total, overdue = self.tree_model.total, self.tree_model.overdue
            # A search still counting has already found more than OPEN_ALL_UP_TO.
            self._expand(open_all=total <= self.OPEN_ALL_UP_TO)
        self._show_count(total, overdue, counting=mode != "flat" and self.tree_model.counting)
        if select_id is None or not self._select(select_id):
            self.detail.show_action(None)
        self._update_buttons()

    def _show_count(self, total: int, overdue: int, *, counting: bool = False) -> None:
        if counting:
            # For the moment between the first page of groups and the count of every match.
            self.count_label.setText(f"Counting the matching actions\u2026 (as at {format_date(self.today)})")
            return
        noun = "matching action" if self.filters().active() else "action"
        self.count_label.setText(f"{plural(total, noun)}, {overdue} overdue (as at {format_date(self.today)})")

    def _on_tree_counted(self) -> None:
        if self.view_mode() != "flat":
            self._show_count(self.tree_model.total, self.tree_model.overdue)

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
        action = action_store.get_action(self.store, action_id)
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
        if order_by in ("", TARGET_ASC) and filters.text_only():
            rows = self._fetch_flat_from_counts(filters, offset, limit)
            if rows is not None:
                return rows
        # The default order, and the Target and RAG columns' own, have a quicker query.
        by_target = {"": False, TARGET_ASC: False, TARGET_DESC: True}
        if order_by in by_target:
            rows, total, overdue = action_store.fetch_by_target(self.store, self.today, filters, offset, limit,
                                                   descending=by_target[order_by])
            if offset == 0:
                self._flat_counts = (total, overdue)
            return rows
        if offset == 0:
            self._flat_counts = action_store.count_actions(self.store, self.today, filters)
        return action_store.fetch_sorted(self.store, self.today, filters, order_by, offset=offset, limit=limit)

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
        return action_store.actions_by_id(self.store, self.today, page)

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
        # No review needed: an action may belong to the sub group's own plan (the dialog asks for
        # its source, and the store refuses one with neither).
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
        updates = action_store.update_count(self.store, action["id"])
        files = action_store.evidence_count(self.store, action["id"])
        if not confirm(self, "Delete action",
                       f"Delete this action?\n\n{short(action['text'], 200)}\n\nIts "
                       f"{plural(updates, 'update')} and {plural(files, 'evidence file')} go with it."):
            return
        try:
            action_store.delete_action(self.store, action["id"])
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
