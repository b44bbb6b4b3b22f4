"""Learning that lands on the Reviews tab: the Publication and themes page of a review (its
themes, its publication record and checklist, and how its recommendations were closed), and the
Recommendations page's Impact… and Themes… buttons with its Closure and Themes columns.

The tab hooks these in with a few lines; every read and write goes through `store.publication`,
`store.impact` and `store.themes`.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from scrdesk.domain.dates import format_stored
from scrdesk.domain.errors import ScrdeskError
from scrdesk.store import impact, publication, themes
from scrdesk.ui.base import Column, RowRole, RowsModel, make_button, record_table, show_error
from scrdesk.ui.learning.dialogs import (
    ImpactDialog,
    PublicationRecordDialog,
    StepDialog,
    ThemesDialog,
)

_CLOSURE_COLOURS = {impact.WITH_IMPACT: "green", impact.ON_ACTIONS: "amber"}

#: Columns the Recommendations page adds to its own.
RECOMMENDATION_COLUMNS = [
    Column("closure", "Closure", display=lambda r: r.get("closure") or "",
           tooltip=lambda r: r.get("closure_reason") or "",
           colour=lambda r: _CLOSURE_COLOURS.get(r.get("closure_state"))),
    Column("themes", "Themes", tooltip=lambda r: r.get("themes") or ""),
]


def closure_sentence(closures: dict[int, dict]) -> str:
    """"2 closed with evidence of impact, 3 closed on their actions alone, 4 open"."""
    states = [c["state"] for c in closures.values()]
    if not states:
        return "none yet"
    return (f"{states.count(impact.WITH_IMPACT)} closed with evidence of impact, "
            f"{states.count(impact.ON_ACTIONS)} closed on their actions alone, {states.count(impact.OPEN)} open")


class RecommendationLearning(QObject):
    """The Impact… and Themes… buttons of a review's recommendations, and the rows' closure and
    themes for the added columns."""

    changed = Signal(str)

    def __init__(self, store, parent: QWidget):
        super().__init__(parent)
        self.store = store
        self.window = parent
        self.list = None
        self._read_only = False
        self.impact_button = make_button("Impact…", "Acceptance, assurance, impact statement and closure of the "
                                         "selected recommendation", name="Impact of the recommendation")
        self.themes_button = make_button("Themes…", "The themes of the selected recommendation",
                                         name="Themes of the recommendation")
        self.buttons = [self.impact_button, self.themes_button]
        self.impact_button.clicked.connect(self.edit_impact)
        self.themes_button.clicked.connect(self.edit_themes)

    def attach(self, child_list) -> None:
        """Follow the recommendations list's selection (a `ChildList`)."""
        self.list = child_list
        child_list.view.selectionModel().selectionChanged.connect(self._update)
        self._update()

    def with_learning(self, review_id: int, rows: list[dict]) -> list[dict]:
        """The recommendation rows with `closure`, `closure_state`, `closure_reason`, `themes`."""
        closures = impact.closures(self.store, review_id)
        labels = themes.tag_labels(self.store, "recommendation", [r["id"] for r in rows])
        for row in rows:
            closure = closures.get(row["id"], {"state": impact.OPEN, "label": "Open", "closed_date": None})
            row["closure_state"] = closure["state"]
            row["closure"] = closure["label"] + (f" {format_stored(closure['closed_date'])}"
                                                 if closure["closed_date"] else "")
            row["closure_reason"] = ("Every action is done, and no closure was recorded by the sub group"
                                     if closure["state"] == impact.ON_ACTIONS and not row.get("open_actions")
                                     else closure["label"])
            row["themes"] = labels.get(row["id"], "")
        self._update()
        return rows

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update()

    def _current(self) -> dict | None:
        return self.list.current() if self.list is not None else None

    def _update(self, *_args) -> None:
        chosen = self._current() is not None
        self.impact_button.setEnabled(chosen)
        self.themes_button.setEnabled(chosen)

    def edit_impact(self) -> None:
        row = self._current()
        if row is None:
            return
        try:
            dialog = ImpactDialog(self.store, row["id"], self.window, read_only=self._read_only)
        except ScrdeskError as error:
            show_error(self.window, error, "Impact")
            return
        if dialog.exec() and not self._read_only:
            self.changed.emit("recommendation_impact")

    def edit_themes(self) -> None:
        row = self._current()
        if row is None:
            return
        what = f"recommendation {row.get('number') or ''}".strip()
        if ThemesDialog(self.store, "recommendation", row["id"], what, self.window,
                        read_only=self._read_only).exec() and not self._read_only:
            self.changed.emit("theme_tags")


STEP_COLUMNS = (
    Column("label", "Step"),
    Column("done_date", "Done on", display=lambda r: "Not needed" if r["not_needed"] else format_stored(r["done_date"]),
           colour=lambda r: "blue" if r["done"] else None),
    Column("done_by", "Done by", tooltip=lambda r: r.get("done_by") or ""),
    Column("note", "Note", tooltip=lambda r: r.get("note") or ""),
)


class PublicationPanel(QWidget):
    """A review's themes, publication record and checklist, and its recommendations' closure."""

    changed = Signal(str)

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("publication_panel")
        self.store = store
        self.review_id: int | None = None
        self.record: dict | None = None
        self._read_only = False

        self.themes_label = QLabel()
        self.themes_label.setWordWrap(True)
        self.themes_label.setAccessibleName("Themes of the review")
        self.themes_button = make_button("Themes…", "Tag this review with its learning themes",
                                         name="Themes of the review")
        self.closure_label = QLabel()
        self.closure_label.setWordWrap(True)
        self.closure_label.setAccessibleName("How the recommendations were closed")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("Publication")
        self.edit_button = make_button("Edit publication…", "Date published, removal date, web address, media",
                                       name="Edit publication")
        self.pack_button = make_button("Publication pack…", "Preview this review's publication pack (PDF)",
                                       name="Publication pack")
        self.steps = RowsModel(STEP_COLUMNS, self)
        self.steps_view = record_table("Publication checklist", self.steps, object_name="publication_checklist")
        self.steps_view.horizontalHeader().setStretchLastSection(True)
        self.step_button = make_button("Record step…", "Record the selected checklist step (Enter)",
                                       name="Record checklist step")
        self.progress_label = QLabel()

        learning = QHBoxLayout()
        learning.addWidget(QLabel("<b>Themes:</b>"))
        learning.addWidget(self.themes_label, 1)
        learning.addWidget(self.themes_button)
        left_box = QGroupBox("Publication")
        left = QVBoxLayout(left_box)
        left.addWidget(self.summary, 1)
        left_buttons = QHBoxLayout()
        left_buttons.addStretch(1)
        left_buttons.addWidget(self.pack_button)
        left_buttons.addWidget(self.edit_button)
        left.addLayout(left_buttons)
        right_box = QGroupBox("Publication checklist")
        right = QVBoxLayout(right_box)
        right.addWidget(self.steps_view, 1)
        right_buttons = QHBoxLayout()
        right_buttons.addWidget(self.progress_label, 1)
        right_buttons.addWidget(self.step_button)
        right.addLayout(right_buttons)
        columns = QHBoxLayout()
        columns.addWidget(left_box, 2)
        columns.addWidget(right_box, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(learning)
        layout.addWidget(self.closure_label)
        layout.addLayout(columns, 1)

        self.themes_button.clicked.connect(self.edit_themes)
        self.edit_button.clicked.connect(self.edit_publication)
        self.pack_button.clicked.connect(self.show_pack)
        self.step_button.clicked.connect(self.edit_step)
        self.steps_view.activated.connect(self.edit_step)
        self.steps_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.set_review(None)

    def set_review(self, review_id: int | None) -> None:
        self.review_id = review_id
        if review_id is None:
            self.record = None
            self.themes_label.setText("")
            self.closure_label.setText("")
            self.summary.setText("Choose a review.")
            self.steps.set_rows([])
            self.progress_label.setText("")
            self._update_buttons()
            return
        try:
            self.record = publication.publication(self.store, review_id)
        except ScrdeskError:
            self.set_review(None)
            return
        self.themes_label.setText(themes.tag_labels(self.store, "review", [review_id]).get(review_id)
                                  or "none tagged yet")
        self.closure_label.setText("<b>Recommendations:</b> " + html.escape(
            closure_sentence(impact.closures(self.store, review_id))))
        self.summary.setText(self._summary_html(self.record))
        self.steps.set_rows(self.record["steps"])
        self.steps_view.resizeColumnsToContents()
        self.progress_label.setText(f"{self.record['done']} of {self.record['total']} steps done or not needed")
        self._update_buttons()

    @staticmethod
    def _summary_html(record: dict) -> str:
        def line(label: str, value: str | None) -> str:
            return f"<tr><td><b>{label}</b>&nbsp;</td><td>{html.escape(value) if value else '—'}</td></tr>"

        rows = [line("Date published", format_stored(record["published_date"])),
                line("Removal date", format_stored(record["removal_date"])),
                line("Web address", record["web_address"]),
                line("Media handling", record["media_label"]),
                line("Notes", record["notes"])]
        for column, label in (("planned_publication_date", "Planned publication"),
                              ("panel_sos_copy_date", "Copy to Panel and SoS"), ("ofsted_copy_date", "Copy to Ofsted")):
            if record.get(column):
                rows.append(line(label, format_stored(record[column])))
        return ("<table>" + "".join(rows) + "</table><p style='color:#555555'>The planned publication date and the "
                "copies to the Panel, the Secretary of State and Ofsted are set with Publication\u2026 on the "
                "\u201cDetails and publication\u201d page.</p>")

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    def _current_step(self) -> dict | None:
        index = self.steps_view.currentIndex()
        return self.steps.data(index, RowRole) if index.isValid() else None

    def _update_buttons(self, *_args) -> None:
        chosen = self.review_id is not None
        self.themes_button.setEnabled(chosen)
        self.edit_button.setEnabled(chosen)
        self.pack_button.setEnabled(chosen)
        self.edit_button.setText("Open publication…" if self._read_only else "Edit publication…")
        self.step_button.setEnabled(chosen and self._current_step() is not None)

    def show_pack(self) -> None:
        if self.review_id is not None:
            from scrdesk.ui.documents import show_document  # the document window loads ReportLab

            show_document(self.window(), self.store, "publication_pack", review_id=self.review_id)

    def _run(self, dialog, table: str) -> None:
        if dialog.exec() and not self._read_only:
            self.changed.emit(table)

    def edit_themes(self) -> None:
        if self.review_id is not None and self.record is not None:
            self._run(ThemesDialog(self.store, "review", self.review_id, self.record["ref"] or "this review", self,
                                   read_only=self._read_only), "theme_tags")

    def edit_publication(self) -> None:
        if self.review_id is None:
            return
        try:
            dialog = PublicationRecordDialog(self.store, self.review_id, self, read_only=self._read_only)
        except ScrdeskError as error:
            show_error(self, error, "Publication")
            return
        self._run(dialog, "reviews")

    def edit_step(self, *_args) -> None:
        step = self._current_step()
        if self.review_id is None or step is None:
            return
        self._run(StepDialog(self.store, self.review_id, step["item"], self, read_only=self._read_only),
                  "publication_steps")


class RecommendationClosureLabel(QLabel):
    """One line for the Action plan tab: how many recommendations were closed with evidence of
    impact, how many on their actions alone, how many are open."""

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setAccessibleName("How recommendations were closed")
        self.setToolTip("Closed with evidence of impact: the sub group recorded an impact statement. Closed on "
                        "actions alone: closed without one, or every action done and no closure recorded.")

    def refresh(self) -> None:
        self.setText("Recommendations: " + closure_sentence(impact.closures(self.store)))
