"""The Reviews tab: every review the sub group agreed, and the detail of the one selected.

The detail opens on the review's timeline beside its milestones, so adding or completing a
milestone moves the drawing at once. The other pages hold the review's own record (with its
target, computed from the framework and overridable only with a reason), the delay log and
parallel proceedings, the linked referrals and the recommendations. "Chart of live reviews"
draws every live review against its target; both charts print, and save as PDF or PNG.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain.dates import from_iso, plural
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.store import reviews as store_reviews
from scrdesk.store import statutory
from scrdesk.store.queries import review_rows, today_for
from scrdesk.ui.base import FilterBox, RowRole, RowsModel, Tab, confirm, make_button, show_error
from scrdesk.ui.governance.dialogs import ReviewEscalationDialog
from scrdesk.ui.learning.reviews import (
    RECOMMENDATION_COLUMNS,
    PublicationPanel,
    RecommendationLearning,
)
from scrdesk.ui.rapid_review import RapidReviewPanel
from scrdesk.ui.reviews.dialogs import (
    DelayDialog,
    LinkReferralDialog,
    MilestoneDialog,
    ProceedingDialog,
    RecommendationDialog,
    ReviewDialog,
)
from scrdesk.ui.reviews.model import (
    COL_REFS,
    FILTER_KEYS,
    LIVE_STATUSES,
    PAGE_DETAILS,
    PAGE_RAPID_REVIEW,
    count_text,
    delay_columns,
    details_html,
    linked_referral_columns,
    milestone_columns,
    proceeding_columns,
    recommendation_columns,
    review_columns,
    with_progress,
)
from scrdesk.ui.reviews.publication import PublicationDialog
from scrdesk.ui.reviews.widgets import ChartButtons, ChartDialog, ChildList, list_view
from scrdesk.ui.timeline import LiveReviewsGantt, ReviewTimeline


class ReviewsTab(Tab):
    """The list of reviews above, the selected review's detail below."""

    title = "Reviews"

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self._read_only = False
        self._all_rows: list[dict] = []
        self._sized = False
        self.today = today_for(store)
        self._build_filters()
        self._build_views()
        self._wire()
        self.refresh()

    def _build_filters(self) -> None:
        self.filter_box = FilterBox("Filter reviews: ref, title, type, reviewer…")
        self.live_only = QCheckBox("Live reviews only")
        self.live_only.setAccessibleName("Live reviews only")
        self.live_only.setChecked(True)
        self.new_button = make_button("New review…", "Add a review (Ctrl+N)")
        self.edit_button = make_button("Edit review…", "Edit the selected review (Enter or F2)")
        self.delete_button = make_button("Delete review…")
        self.gantt_button = make_button("Chart of live reviews…", "Every live review against its target")
        self.count_label = QLabel()

    def _build_views(self) -> None:
        self.model = RowsModel(review_columns(), self)
        self.view = list_view("reviews")
        self.view.setAccessibleName("Reviews")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)

        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.live_only)
        top.addWidget(self.count_label)
        for button in (self.new_button, self.edit_button, self.delete_button, self.gantt_button):
            top.addWidget(button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.view, 1)

        self.detail = QTabWidget()
        self.detail.setObjectName("review_detail")
        self.detail.setAccessibleName("Review detail")
        # In PAGE_* order (model.py).
        self.detail.addTab(self._build_timeline_page(), "Timeline and milestones")
        self.detail.addTab(self._build_details_page(), "Details and publication")
        self.detail.addTab(self._build_delays_page(), "Delays and proceedings")
        self.detail.addTab(self._build_referrals_page(), "Linked referrals")
        self.detail.addTab(self._build_recommendations_page(), "Recommendations")
        self.detail.addTab(self._build_rapid_review_page(), "Rapid review")
        self.rapid_index = PAGE_RAPID_REVIEW
        self.detail.setTabVisible(self.rapid_index, False)
        self.publication_panel = PublicationPanel(self.store)  # issue 14: publication, themes, closure
        self.publication_panel.changed.connect(self._after_change)
        self.detail.addTab(self.publication_panel, "Publication and themes")

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("reviews_splitter")
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        # The first share too: left to the pages' size hints, the list kept under two rows on a
        # 1366×768 laptop.
        self.splitter.setSizes([2000, 5000])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    def _wire(self) -> None:
        self.filter_box.filter_settled.connect(self._apply_filter)
        self.filter_box.returnPressed.connect(self.filter_box.settle_now)
        self.live_only.toggled.connect(self.refresh)
        self.new_button.clicked.connect(lambda: self.new_record())
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.gantt_button.clicked.connect(self.show_gantt)
        self.view.activated.connect(self.edit_selected)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_changed)
        for child in self._children():
            child.view.selectionModel().selectionChanged.connect(self._update_buttons)

    def _children(self) -> tuple[ChildList, ...]:
        return (self.milestones, self.delays, self.proceedings, self.linked, self.recommendations)

    # -- building the detail pages -----------------------------------------------------------

    def _build_timeline_page(self) -> QWidget:
        page = QWidget()
        self.timeline = ReviewTimeline()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timeline)
        scroll.setMinimumHeight(200)
        self.timeline_buttons = ChartButtons(self.timeline, self._timeline_file_stem)
        self.done_button = make_button("Mark done…", "Record the date the selected milestone was done")
        self.plan_button = make_button("Plan steps…", "Add the methodology's steps that are not on this review yet")
        self.milestones = ChildList("milestones", milestone_columns(),
                                    extra_buttons=[self.done_button, self.plan_button])
        self.milestones.add_button.setText("Add milestone…")
        self.milestones.add_button.setToolTip("Add a step to this review's timeline")
        self.milestones.add_button.clicked.connect(lambda: self._edit_milestone(None))
        self.milestones.edit_button.clicked.connect(self._edit_selected_milestone)
        self.milestones.view.activated.connect(self._edit_selected_milestone)
        self.milestones.delete_button.clicked.connect(self._delete_milestone)
        self.done_button.clicked.connect(self._mark_milestone_done)
        self.plan_button.clicked.connect(self._plan_from_methodology)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("timeline_splitter")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(scroll, 1)
        left_layout.addWidget(self.timeline_buttons)
        split.addWidget(left)
        split.addWidget(self.milestones)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(split)
        return page

    def _build_details_page(self) -> QWidget:
        page = QWidget()
        self.details_label = QLabel()
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        self.details_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details_label.setWordWrap(True)
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label.setAccessibleName("Review details")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.details_label)
        self.details_edit_button = make_button("Edit review…", "Edit the selected review (F2)")
        self.details_edit_button.setAccessibleName("Edit review details")
        self.details_edit_button.clicked.connect(self.edit_selected)
        self.publication_button = make_button("Plan publication…", "Plan the publication, record the copies to the "
                                              "Panel, the Secretary of State and Ofsted, or a decision not to publish")
        self.publication_button.clicked.connect(self.edit_publication)
        self.escalate_button = make_button("Escalate…", "Log an escalation about this review to the business manager or a chair")
        self.escalate_button.clicked.connect(self.escalate_review)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.escalate_button)
        buttons.addWidget(self.publication_button)
        buttons.addWidget(self.details_edit_button)
        layout = QVBoxLayout(page)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        return page

    def _build_delays_page(self) -> QWidget:
        page = QWidget()
        self.delays = ChildList("delays", delay_columns())
        self.proceedings = ChildList("parallel_proceedings", proceeding_columns())
        self._wire_child(self.delays, DelayDialog, "review_delays", "delay")
        self._wire_child(self.proceedings, ProceedingDialog, "parallel_proceedings", "parallel proceeding")
        layout = QHBoxLayout(page)
        for title, child in (("Delay log", self.delays), ("Parallel proceedings", self.proceedings)):
            column = QVBoxLayout()
            column.addWidget(QLabel(f"<b>{title}</b>"))
            column.addWidget(child, 1)
            layout.addLayout(column, 1)
        return page

    def _build_referrals_page(self) -> QWidget:
        self.open_referral_button = make_button("Open referral", "Show this referral on the Referrals tab")
        self.linked = ChildList("linked_referrals", linked_referral_columns(),
                                extra_buttons=[self.open_referral_button])
        self.linked.add_button.setText("Link referral…")
        self.linked.add_button.setAccessibleName("Link a referral")
        self.linked.edit_button.hide()
        self.linked.delete_button.setText("Unlink…")
        self.linked.delete_button.setAccessibleName("Unlink referral")
        self.linked.add_button.clicked.connect(self._link_referral)
        self.linked.delete_button.clicked.connect(self._unlink_referral)
        self.open_referral_button.clicked.connect(self._open_linked_referral)
        self.linked.view.activated.connect(self._open_linked_referral)
        return self.linked

    def _build_recommendations_page(self) -> QWidget:
        self.recommendation_learning = RecommendationLearning(self.store, self)
        self.recommendation_learning.changed.connect(self._after_change)
        self.recommendations = ChildList("recommendations", recommendation_columns() + RECOMMENDATION_COLUMNS,
                                         extra_buttons=self.recommendation_learning.buttons)
        self.recommendation_learning.attach(self.recommendations)
        self._wire_child(self.recommendations, RecommendationDialog, "recommendations", "recommendation")
        return self.recommendations

    def _build_rapid_review_page(self) -> QWidget:
        self.rapid_panel = RapidReviewPanel(self.store)
        self.rapid_panel.changed.connect(self._on_rapid_panel_changed)
        self.rapid_panel.lcspr_opened.connect(self._on_rapid_panel_lcspr_opened)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.rapid_panel)
        return scroll

    def _on_rapid_panel_changed(self, table: str) -> None:
        self._after_change(table)

    def _on_rapid_panel_lcspr_opened(self, review_id: int) -> None:
        self.show_record("review", review_id)
        self.detail.setCurrentIndex(PAGE_DETAILS)  # the LCSPR's details, with its clocks
        self.status_message.emit("LCSPR opened: its completion target counts from the decision date.")

    def _wire_child(self, child: ChildList, dialog_class, table: str, noun: str) -> None:
        def edit(row_id: int | None) -> None:
            review_id = self.current_id()
            if review_id is None or (row_id is None and self._read_only):
                return
            dialog = dialog_class(self.store, review_id, row_id, self, read_only=self._read_only)
            if dialog.exec() and not self._read_only:
                self._after_change(table)

        def delete() -> None:
            row = child.current()
            if row is None or self._read_only:
                return
            if confirm(self, f"Delete {noun}", f"Delete this {noun}? The audit log keeps a record."):
                self._write(lambda: store_reviews.delete_child(self.store, table, row["id"]), table)

        child.add_button.clicked.connect(lambda: edit(None))
        child.edit_button.clicked.connect(lambda: edit(child.current()["id"]) if child.current() else None)
        child.view.activated.connect(lambda: edit(child.current()["id"]) if child.current() else None)
        child.delete_button.clicked.connect(delete)

    # -- Tab API -----------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.current_id()
        self.today = today_for(self.store)
        self._all_rows = review_rows(self.store, self.today, live_only=self.live_only.isChecked())
        self._apply_filter(self.filter_box.text(), keep=selected)

    def _apply_filter(self, text: str, keep: int | None = None) -> None:
        keep = keep if keep is not None else self.current_id()
        needle = (text or "").strip().casefold()
        rows = [r for r in self._all_rows
                if not needle or any(needle in str(r.get(k) or "").casefold() for k in FILTER_KEYS)]
        self.model.set_rows(rows)
        header = self.view.horizontalHeader()
        if header.sortIndicatorSection() >= 0:
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        total = len(self._all_rows)
        self.count_label.setText(count_text(len(rows), total, self.live_only.isChecked()))
        if not self._sized and rows:
            self.view.resizeColumnsToContents()
            self._sized = True
        if keep is not None and self.select_id(keep):
            self._show_detail()
        elif rows:
            self.view.selectRow(0)
        else:
            self._show_detail()
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for child in self._children():
            child.set_read_only(read_only)
        self.rapid_panel.set_read_only(read_only)
        self.publication_panel.set_read_only(read_only)
        self.recommendation_learning.set_read_only(read_only)
        self._update_buttons()

    def show_record(self, kind: str, row_id: int) -> bool:
        if kind != "review":
            return False
        if not self.select_id(row_id):
            self.filter_box.clear()
            row = store_reviews.get_review(self.store, row_id)
            if row and row["status"] not in LIVE_STATUSES and self.live_only.isChecked():
                self.live_only.setChecked(False)
            else:
                self.refresh()
            self.select_id(row_id)
        row = self.current_row()
        if row is not None and row["id"] == row_id and row["review_type"] == statutory.RAPID_REVIEW:
            self.detail.setCurrentIndex(self.rapid_index)
        self.view.setFocus()
        return True

    def focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    def document(self) -> tuple[str, dict]:
        """What Ctrl+P previews here: the selected review's timeline as a document."""
        return "timeline", {"review_id": self.current_id()}

    def current_record(self) -> tuple[str, int] | None:
        review_id = self.current_id()
        return ("reviews", review_id) if review_id is not None else None

    # -- selection and detail ----------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        row = self.model.data(index, RowRole) if index.isValid() else None
        return row["id"] if row else None

    def current_row(self) -> dict | None:
        index = self.view.currentIndex()
        return self.model.data(index, RowRole) if index.isValid() else None

    def select_id(self, row_id: int) -> bool:
        for number, row in enumerate(self.model.rows()):
            if row["id"] == row_id:
                self.view.selectRow(number)
                self.view.scrollTo(self.model.index(number, COL_REFS))
                return True
        return False

    def _on_view_current_changed(self, *_args) -> None:
        self._show_detail()
        self._update_buttons()

    def _show_detail(self) -> None:
        review = self.current_row()
        review_id = review["id"] if review else None
        self.timeline.set_review(self.store, review_id)
        rapid = bool(review) and review["review_type"] == statutory.RAPID_REVIEW
        self.rapid_panel.set_review(review_id if rapid else None)
        self.detail.setTabVisible(self.rapid_index, rapid)
        clocks = (statutory.lcspr_clocks(self.store, review, self.today)
                  if review and review["review_type"] == "LCSPR" else None)
        self.details_label.setText(details_html(review, clocks) if review else "Choose a review.")
        self.publication_panel.set_review(review_id)
        if review_id is None:
            for child in self._children():
                child.set_rows([])
            return
        self.milestones.set_rows(with_progress(self.timeline.milestones, self.today))
        self.delays.set_rows(store_reviews.delays(self.store, review_id))
        self.proceedings.set_rows(store_reviews.proceedings(self.store, review_id))
        self.linked.set_rows(store_reviews.linked_referrals(self.store, review_id))
        self.recommendations.set_rows(self.recommendation_learning.with_learning(
            review_id, store_reviews.recommendations(self.store, review_id)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current_id() is not None
        self.new_button.setEnabled(not self._read_only)
        self.edit_button.setEnabled(chosen)
        self.edit_button.setText("Open review…" if self._read_only else "Edit review…")
        self.details_edit_button.setEnabled(chosen)
        current = self.current_row() if chosen else None
        self.publication_button.setEnabled(bool(current) and current["review_type"] != statutory.RAPID_REVIEW)
        self.delete_button.setEnabled(chosen and not self._read_only)
        self.escalate_button.setEnabled(chosen and not self._read_only)
        milestone = self.milestones.current()
        self.done_button.setEnabled(bool(milestone) and not milestone.get("actual_date") and not self._read_only)
        self.plan_button.setEnabled(chosen and not self._read_only)
        for child in self._children():
            child.add_button.setEnabled(chosen and not self._read_only)
        self.open_referral_button.setEnabled(self.linked.current() is not None)

    # -- changes -----------------------------------------------------------------------------

    def _write(self, work, table: str) -> bool:
        try:
            work()
        except ScrdeskError as error:
            show_error(self, error)
            return False
        self._after_change(table)
        return True

    def _after_change(self, table: str) -> None:
        self.refresh()
        self.records_changed.emit(table)

    def new_record(self, referral_id: int | None = None) -> None:
        if self._read_only:
            return
        dialog = ReviewDialog(self.store, None, self, referral_id=referral_id)
        if dialog.exec():
            self.filter_box.clear()
            self.refresh()
            if not self.select_id(dialog.record_id):
                self.live_only.setChecked(False)
                self.select_id(dialog.record_id)
            self.records_changed.emit("reviews")
            self.status_message.emit("Review added.")

    def edit_selected(self) -> None:
        self._edit_selected_in(ReviewDialog, "Review saved.")

    def _edit_selected_in(self, dialog_class, saved: str) -> None:
        """Open the selected review in `dialog_class`; a review deleted meanwhile is said so."""
        review_id = self.current_id()
        if review_id is None:
            return
        try:
            dialog = dialog_class(self.store, review_id, self, read_only=self._read_only)
        except ScrdeskError as error:
            show_error(self, error)
            self.refresh()
            return
        if dialog.exec() and not self._read_only:
            self._after_change("reviews")
            self.status_message.emit(saved)

    def escalate_review(self) -> None:
        review_id = self.current_id()
        if review_id is None or self._read_only:
            return
        if ReviewEscalationDialog(self.store, review_id, self).exec():
            self.records_changed.emit("escalations")
            self.status_message.emit("Escalation logged; see the Sub group tab.")

    def edit_publication(self) -> None:
        self._edit_selected_in(PublicationDialog, "Publication saved.")

    def delete_selected(self) -> None:
        review = self.current_row()
        if review is None or self._read_only:
            return
        counts = store_reviews.dependants(self.store, review["id"])
        going = ", ".join(plural(n, name) for name, n in counts.items() if n)
        extra = f" Its {going} will be deleted with it." if going else ""
        if confirm(self, "Delete review", f"Delete the review “{review['title']}”?{extra} "
                                          "The audit log keeps a record."):
            self._write(lambda: store_reviews.delete_review(self.store, review["id"]), "reviews")

    def _edit_milestone(self, milestone_id: int | None, mark_done: bool = False) -> None:
        review_id = self.current_id()
        if review_id is None or (self._read_only and milestone_id is None):
            return
        dialog = MilestoneDialog(self.store, review_id, milestone_id, self, mark_done=mark_done,
                                 read_only=self._read_only)
        if dialog.exec() and not self._read_only:
            self._after_change("milestones")
            self.milestones.select(dialog.record_id)
            self._update_buttons()

    def _edit_selected_milestone(self) -> None:
        row = self.milestones.current()
        if row is not None:
            self._edit_milestone(row["id"])

    def _mark_milestone_done(self) -> None:
        row = self.milestones.current()
        if row is not None:
            self._edit_milestone(row["id"], mark_done=True)

    def _delete_milestone(self) -> None:
        row = self.milestones.current()
        if row is None or self._read_only:
            return
        if confirm(self, "Delete milestone", f"Delete the milestone “{row['label']}”?"):
            self._write(lambda: store_reviews.delete_child(self.store, "milestones", row["id"]), "milestones")

    def _plan_from_methodology(self) -> None:
        review = self.current_row()
        if review is None or self._read_only:
            return
        profile = store_reviews.profile_for_record(self.store, review.get("framework"), review.get("agreed_date"))
        methodology = profile.methodology(review.get("methodology"))
        if methodology is None:
            show_error(self, InvalidValue("Methodology", None, "is not set for this review: edit the review "
                                          "and choose its methodology first"), "Plan from methodology")
            return
        taken = {m["kind"] for m in self.timeline.milestones}
        start = from_iso(review["initiated_date"]) or from_iso(review["agreed_date"]) or self.today
        planned = [(kind, when) for kind, _label, when in methodology.planned_dates(start) if kind not in taken]
        if not planned:
            self.status_message.emit(f"Every step of {methodology.label} is already on this review.")
            return
        if not confirm(self, "Plan from methodology",
                       f"Add {plural(len(planned), 'step')} of {methodology.label} to this review? "
                       "Steps with a fixed timescale get their planned date; give the others theirs.",
                       "Add steps"):
            return

        self._write(lambda: store_reviews.add_planned_milestones(self.store, review["id"], planned), "milestones")

    def _link_referral(self) -> None:
        review_id = self.current_id()
        if review_id is None or self._read_only:
            return
        if LinkReferralDialog(self.store, review_id, self).exec():
            self._after_change("review_referrals")

    def _unlink_referral(self) -> None:
        row, review_id = self.linked.current(), self.current_id()
        if row is None or review_id is None or self._read_only:
            return
        if not confirm(self, "Unlink referral",
                       f"Unlink {row['ref']} from this review? The referral itself is kept.", "Unlink"):
            return

        self._write(lambda: store_reviews.unlink_referral(self.store, review_id, row["id"]), "review_referrals")

    def _open_linked_referral(self) -> None:
        row = self.linked.current()
        if row is not None:
            self.record_requested.emit("referral", row["id"])

    # -- charts ------------------------------------------------------------------------------

    def _timeline_file_stem(self) -> str:
        review = self.current_row()
        refs = (review["refs"] if review else "review").replace(",", "").replace(" ", "-")
        return f"timeline-{refs}"

    def _make_gantt(self) -> LiveReviewsGantt:
        gantt = LiveReviewsGantt()
        gantt.set_store(self.store)
        return gantt

    def show_gantt(self) -> None:
        gantt = self._make_gantt()
        dialog = ChartDialog(gantt, "Live reviews against their targets",
                             f"live-reviews-{self.today.isoformat()}", self)
        dialog.exec()


