"""The Reviews tab: every review the sub group agreed, and the detail of the one selected.

The detail opens on the review's timeline beside its milestones, so adding or completing a
milestone moves the drawing at once. The other pages hold the review's own record (with its
target, computed from the framework and overridable only with a reason), the delay log and
parallel proceedings, the linked referrals and the recommendations. "Chart of live reviews"
draws every live review against its target; both charts print, and save as PDF or PNG.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain import values
from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.profiles import Profile, profile_in_force
from scrdesk.domain.rag import Rag, rag_for_deadline
from scrdesk.store import statutory
from scrdesk.store.queries import profile_for, review_rows, review_target, today_for
from scrdesk.ui.base import (
    Column,
    FilterBox,
    RowRole,
    RowsModel,
    Tab,
    confirm,
    make_button,
    record_table,
    show_error,
)
from scrdesk.ui.forms import (
    CheckField,
    ChoiceField,
    DateField,
    NoteField,
    NumberField,
    RecordDialog,
    TextField,
)
from scrdesk.ui.rapid_review import RapidReviewPanel
from scrdesk.ui.timeline import ChartWidget, LiveReviewsGantt, ReviewTimeline

LIVE_STATUSES = ("agreed", "underway")
MAX_COLUMN_WIDTH = 240


def _fmt(text: str | None) -> str:
    return format_date(date.fromisoformat(text)) if text else ""


def _date_column(key: str, header: str) -> Column:
    return Column(key, header, display=lambda r: _fmt(r.get(key)))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _table(name: str) -> QTableView:
    view = record_table(name.replace("_", " ").capitalize(), object_name=name)
    view.horizontalHeader().setStretchLastSection(True)
    return view


# -- the record dialogs ------------------------------------------------------------------------

def _yes_no() -> dict[str, str]:
    return {"1": "Yes", "0": "No"}


class ReviewDialog(RecordDialog):
    """Add or edit a review: type, methodology, people, status, every date, the target."""

    def __init__(self, store, review_id: int | None, parent: QWidget | None = None, *,
                 referral_id: int | None = None, read_only: bool = False):
        self.store = store
        self.record_id = review_id
        self.record = store.get("reviews", review_id) if review_id else {}
        if review_id and not self.record:
            raise ScrdeskError("That review no longer exists (it may have been deleted).")
        self._jurisdiction = store.settings().jurisdiction
        self._referrals = store.rows(
            "SELECT r.* FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
            "WHERE rr.review_id = ? ORDER BY r.ref", [review_id]) if review_id else []
        title = f"Review: {self.record['title']}" if self.record else "New review"
        super().__init__(title, parent, read_only=read_only)
        self.resize(1060, 660)
        form = self.form
        form.section("The review")
        if not review_id:
            choices = {str(r["id"]): f"{r['ref']} – {r['summary'] or 'no summary'}" for r in store.rows(
                "SELECT id, ref, summary FROM referrals ORDER BY received_date DESC, ref DESC")}
            self.referral = form.add(ChoiceField("Linked referral", choices, blank="— none —"))
            self.referral.edited.connect(self._on_referral_chosen)
        else:
            self.referral = None
        self.title_field = form.add(TextField("Title", required=True, placeholder="e.g. SCR Ref053"))
        self.review_type = form.add(ChoiceField("Review type", {}, required=True))
        self.methodology = form.add(ChoiceField("Methodology", {}))
        self.reviewer = form.add(TextField("Lead reviewer"))
        self.chair = form.add(TextField("Panel chair"))
        self.status = form.add(ChoiceField("Status", values.REVIEW_STATUSES, blank=None))
        self.framework_label = QLabel()
        self.framework_label.setWordWrap(True)
        form.add_widget("Framework", self.framework_label)
        form.section("Family and notes")
        self.family = form.add(NoteField("Family engagement", lines=2))
        self.notes = form.add(NoteField("Notes", lines=2))
        self.legal_hold = form.add(CheckField("Legal hold", "Keep beyond the retention period"))

        form = self.add_column()
        form.section("Dates")
        self.agreed = form.add(DateField("Agreed"))
        self.tor = form.add(DateField("Terms of reference"))
        self.initiated = form.add(DateField("Initiated"))
        self.target_label = QLabel()
        self.target_label.setWordWrap(True)
        self.target_label.setAccessibleName("Target completion")
        form.add_widget("Target completion", self.target_label)
        self.override = form.add(DateField("Target set by hand", hint="only with a reason"))
        self.override_reason = form.add(TextField("Reason for the target"))
        self.completed = form.add(DateField("Completed"))
        self.sent_to_panel = form.add(DateField("Sent to national panel"))
        self.panel_response = form.add(DateField("Panel response"))
        self.panel_agreed = form.add(ChoiceField("Panel agreed", _yes_no()))
        form.section("Publication")
        self.publication = form.add(ChoiceField("Publication decision", values.PUBLICATION_DECISIONS))
        self.published = form.add(DateField("Published"))
        self.removal = form.add(DateField("Removal date"))

        for field in (self.agreed, self.initiated, self.override, self.override_reason,
                      self.review_type):
            field.edited.connect(self._show_target)
        self.agreed.edited.connect(self._refresh_profile_choices)
        self._load(referral_id)
        self.finish_setup()

    def _load(self, referral_id: int | None) -> None:
        r = self.record
        self.title_field.set_value(r.get("title"))
        self._refresh_profile_choices()
        self.review_type.set_value(r.get("review_type"))
        self.methodology.set_value(r.get("methodology"))
        self.reviewer.set_value(r.get("lead_reviewer"))
        self.chair.set_value(r.get("panel_chair"))
        self.status.set_value(r.get("status") or "agreed")
        self.family.set_value(r.get("family_engagement"))
        self.notes.set_value(r.get("notes"))
        self.legal_hold.set_value(r.get("legal_hold"))
        self.agreed.set_value(r.get("agreed_date"))
        self.tor.set_value(r.get("tor_date"))
        self.initiated.set_value(r.get("initiated_date"))
        self.override.set_value(r.get("target_date_override"))
        self.override_reason.set_value(r.get("target_override_reason"))
        self.completed.set_value(r.get("completed_date"))
        self.sent_to_panel.set_value(r.get("sent_to_panel_date"))
        self.panel_response.set_value(r.get("panel_response_date"))
        agreed = r.get("panel_agreed")
        self.panel_agreed.set_value(None if agreed is None else str(int(agreed)))
        self.publication.set_value(r.get("publication_decision"))
        self.published.set_value(r.get("published_date"))
        self.removal.set_value(r.get("removal_date"))
        if self.referral is not None and referral_id is not None:
            self.referral.set_value(str(referral_id))
            self._on_referral_chosen()
        self._refresh_profile_choices()
        self._show_target()

    # -- the framework and the target --------------------------------------------------------

    def _chosen_referral(self) -> dict | None:
        if self.referral is None or not self.referral.value():
            return None
        return self.store.get("referrals", int(self.referral.value()))

    def profile(self) -> Profile:
        if self.record.get("framework"):
            return profile_for(self.store, self.record["framework"])
        referral = self._chosen_referral()
        if referral and referral.get("framework"):
            return profile_for(self.store, referral["framework"])
        return profile_in_force(self.agreed.value(), self._jurisdiction)

    def _refresh_profile_choices(self) -> None:
        profile = self.profile()
        self.review_type.set_choices({code: text for code, text in profile.decision_labels().items() if code != "NFA"})
        self.methodology.set_choices({code: m.label for code, m in profile.methodologies.items()})
        fixed = "fixed for this review" if self.record.get("framework") else "fixed when the review is saved"
        self.framework_label.setText(f"{profile.name} — {fixed}")

    def _on_referral_chosen(self) -> None:
        referral = self._chosen_referral()
        if referral is None:
            return
        self._refresh_profile_choices()
        if referral.get("decision") and not self.review_type.value():
            self.review_type.set_value(referral["decision"])
        if not self.title_field.value():
            label = self.profile().label(referral.get("decision")) if referral.get("decision") else "Review"
            self.title_field.set_value(f"{label} {referral['ref']}")
        if not self.agreed.value() and referral.get("decision_date"):
            self.agreed.set_value(referral["decision_date"])
        self._show_target()

    def _notification(self) -> date | None:
        referrals = self._referrals or ([self._chosen_referral()] if self._chosen_referral() else [])
        for referral in referrals:
            if referral.get("sin_submitted_date"):
                return date.fromisoformat(referral["sin_submitted_date"])
        return None

    def _show_target(self) -> None:
        draft = {
            "review_type": self.review_type.value(),
            "agreed_date": self.agreed.iso(),
            "initiated_date": self.initiated.iso(),
            "target_date_override": self.override.iso(),
            "target_override_reason": self.override_reason.value(),
        }
        target, basis = review_target(draft, self.profile(), self._notification())
        shown = format_date(target) if target else "not set yet"
        self.target_label.setText(f"<b>{shown}</b> — {html.escape(basis)}")

    # -- checks and saving -------------------------------------------------------------------

    def cross_check(self) -> dict:
        found = {}
        if self.override.value() and not self.override_reason.value():
            found[self.override_reason] = "is required when the target is set by hand"
        order = [(self.agreed, self.initiated), (self.initiated, self.completed),
                 (self.agreed, self.completed), (self.completed, self.published),
                 (self.published, self.removal)]
        for before, after in order:
            if before.value() and after.value() and after.value() < before.value():
                found.setdefault(after, f"is before {before.label.lower()} ({format_date(before.value())})")
        status = self.status.value()
        if status in ("completed", "published", "closed") and not self.completed.value():
            found.setdefault(self.completed, f"is required when the status is "
                                             f"{values.label(values.REVIEW_STATUSES, status)}")
        if status == "published" and not self.published.value():
            found.setdefault(self.published, "is required when the status is Published")
        return found

    def save(self) -> None:
        agreed = self.panel_agreed.value()
        framework = self.record.get("framework") or self.profile().code
        record = {
            "title": self.title_field.value(),
            "review_type": self.review_type.value(),
            "methodology": self.methodology.value(),
            "lead_reviewer": self.reviewer.value(),
            "panel_chair": self.chair.value(),
            "status": self.status.value() or "agreed",
            "framework": framework,
            "agreed_date": self.agreed.iso(),
            "tor_date": self.tor.iso(),
            "initiated_date": self.initiated.iso(),
            "target_date_override": self.override.iso(),
            "target_override_reason": self.override_reason.value() if self.override.value() else None,
            "completed_date": self.completed.iso(),
            "sent_to_panel_date": self.sent_to_panel.iso(),
            "panel_response_date": self.panel_response.iso(),
            "panel_agreed": None if agreed is None else int(agreed),
            "publication_decision": self.publication.value(),
            "published_date": self.published.iso(),
            "removal_date": self.removal.iso(),
            "family_engagement": self.family.value(),
            "notes": self.notes.value(),
            "legal_hold": int(bool(self.legal_hold.value())),
        }
        with self.store.transaction():
            if self.record_id is None:
                self.record_id = self.store.insert("reviews", record)
                referral = self._chosen_referral()
                if referral:
                    self.store.insert("review_referrals", {"review_id": self.record_id,
                                                           "referral_id": referral["id"]})
            else:
                changed = {k: v for k, v in record.items() if self.record.get(k) != v}
                self.store.update("reviews", self.record_id, changed)
        self.saved.emit("reviews", self.record_id)


class MilestoneDialog(RecordDialog):
    """One step on a review's timeline; the methodology's own steps are offered first."""

    def __init__(self, store, review_id: int, milestone_id: int | None = None,
                 parent: QWidget | None = None, *, mark_done: bool = False, read_only: bool = False):
        self.store = store
        self.review_id = review_id
        self.record_id = milestone_id
        self.record = store.get("milestones", milestone_id) if milestone_id else {}
        review = store.get("reviews", review_id)
        profile = profile_for(store, review.get("framework"))
        own = dict(profile.methodology_milestones(review.get("methodology")))
        self.labels = {**own, **{k: v for k, v in values.MILESTONE_KINDS.items() if k not in own}}
        name = self.labels.get(self.record.get("kind"), "") if self.record else ""
        super().__init__(f"Milestone: {name}" if name else "New milestone", parent, read_only=read_only)
        self.resize(560, 380)
        self.kind = self.form.add(ChoiceField("Step", self.labels, required=True))
        self.planned = self.form.add(DateField("Planned date"))
        self.actual = self.form.add(DateField("Done on"))
        self.attendance = self.form.add(NumberField("Attendance", maximum=100000))
        self.notes = self.form.add(NoteField("Notes", lines=3))
        if not self.record:
            taken = {r["kind"] for r in store.rows("SELECT kind FROM milestones WHERE review_id = ?",
                                                    [review_id])}
            self.kind.set_value(next((k for k in own if k not in taken), None))
        else:
            self.kind.set_value(self.record["kind"])
            self.planned.set_value(self.record.get("planned_date"))
            self.actual.set_value(self.record.get("actual_date"))
            self.attendance.set_value(self.record.get("attendance"))
            self.notes.set_value(self.record.get("notes"))
        self.finish_setup()
        if mark_done and not self.actual.value():
            self.actual.set_value(today_for(store))
            self.dirty = True
            self.actual.setFocus()

    def cross_check(self) -> dict:
        if not self.planned.value() and not self.actual.value():
            return {self.planned: "give the planned date, or the date it was done"}
        return {}

    def save(self) -> None:
        record = {
            "review_id": self.review_id,
            "kind": self.kind.value(),
            "planned_date": self.planned.iso(),
            "actual_date": self.actual.iso(),
            "attendance": self.attendance.value(),
            "notes": self.notes.value(),
        }
        if self.record_id is None:
            self.record_id = self.store.insert("milestones", record)
        else:
            self.store.update("milestones", self.record_id,
                              {k: v for k, v in record.items() if self.record.get(k) != v})
        self.saved.emit("milestones", self.record_id)


class _SimpleDialog(RecordDialog):
    """A dialog over one row of a review's child table, described by its fields."""

    table = ""
    noun = ""

    def __init__(self, store, review_id: int, row_id: int | None, parent: QWidget | None = None,
                 *, read_only: bool = False):
        self.store = store
        self.review_id = review_id
        self.record_id = row_id
        self.record = store.get(self.table, row_id) if row_id else {}
        super().__init__(f"{'Edit' if row_id else 'New'} {self.noun}", parent, read_only=read_only)
        self.resize(560, 320)
        self.columns = self.build()
        for key, field in self.columns.items():
            field.set_value(self.record.get(key))
        self.finish_setup()

    def build(self) -> dict:
        raise NotImplementedError

    def save(self) -> None:
        record = {"review_id": self.review_id}
        for key, field in self.columns.items():
            value = field.value()
            record[key] = value.isoformat() if isinstance(value, date) else value
        if self.record_id is None:
            self.record_id = self.store.insert(self.table, record)
        else:
            self.store.update(self.table, self.record_id,
                              {k: v for k, v in record.items() if self.record.get(k) != v})
        self.saved.emit(self.table, self.record_id)


class DelayDialog(_SimpleDialog):
    table, noun = "review_delays", "delay"

    def build(self) -> dict:
        return {"date": self.form.add(DateField("Date", required=True)),
                "reason": self.form.add(NoteField("Reason", required=True, lines=3))}


class ProceedingDialog(_SimpleDialog):
    table, noun = "parallel_proceedings", "parallel proceeding"

    def build(self) -> dict:
        return {"kind": self.form.add(ChoiceField("Kind", values.PROCEEDING_KINDS, required=True)),
                "status": self.form.add(TextField("Status", placeholder="e.g. trial listed for March")),
                "notes": self.form.add(NoteField("Notes", lines=3))}


class RecommendationDialog(_SimpleDialog):
    table, noun = "recommendations", "recommendation"

    def build(self) -> dict:
        fields = {"number": self.form.add(TextField("Number", placeholder="e.g. 3")),
                  "text": self.form.add(NoteField("Recommendation", required=True, lines=5)),
                  "level": self.form.add(ChoiceField("Level", values.RECOMMENDATION_LEVELS, blank=None))}
        if not self.record_id:
            count = self.store.scalar("SELECT count(*) FROM recommendations WHERE review_id = ?",
                                      [self.review_id])
            self.record = {"number": str(count + 1), "level": "multi_agency"}
        return fields


class LinkReferralDialog(RecordDialog):
    """Link another referral to a review (a thematic review links several)."""

    def __init__(self, store, review_id: int, parent: QWidget | None = None):
        self.store = store
        self.review_id = review_id
        super().__init__("Link a referral", parent)
        self.resize(560, 200)
        choices = {str(r["id"]): f"{r['ref']} – {r['summary'] or 'no summary'}" for r in store.rows(
            "SELECT id, ref, summary FROM referrals WHERE id NOT IN "
            "(SELECT referral_id FROM review_referrals WHERE review_id = ?) ORDER BY ref DESC",
            [review_id])}
        self.referral = self.form.add(ChoiceField("Referral", choices, required=True))
        self.finish_setup()

    def save(self) -> None:
        self.store.insert("review_referrals", {"review_id": self.review_id,
                                               "referral_id": int(self.referral.value())})
        self.saved.emit("review_referrals", self.review_id)


# -- a child table with its buttons ------------------------------------------------------------

class ChildList(QWidget):
    """A small table of one review's rows with Add / Edit / Delete buttons."""

    def __init__(self, name: str, columns: list[Column], parent: QWidget | None = None,
                 extra_buttons: list[QPushButton] | None = None):
        super().__init__(parent)
        self.model = RowsModel(columns, self)
        self.view = _table(name)
        self.view.setModel(self.model)
        self.add_button = make_button("Add…")
        self.edit_button = make_button("Edit…")
        self.delete_button = make_button("Delete…")
        noun = name.replace("_", " ")
        self.add_button.setAccessibleName(f"Add {noun}")
        self.edit_button.setAccessibleName(f"Edit {noun}")
        self.delete_button.setAccessibleName(f"Delete {noun}")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, *(extra_buttons or []), self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(self._update)
        self._read_only = False
        self._update()

    def set_rows(self, rows: list[dict]) -> None:
        current = self.current()
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        for column in range(self.model.columnCount() - 1):
            # A long step name or note must not push the RAG column out of sight.
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), MAX_COLUMN_WIDTH))
        if current is not None:
            self.select(current["id"])
        self._update()

    def current(self) -> dict | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().hasSelection():
            return None
        return self.model.data(index, RowRole)

    def select(self, row_id: int) -> None:
        for number, row in enumerate(self.model.rows()):
            if row.get("id") == row_id:
                self.view.selectRow(number)
                return

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update()

    def _update(self) -> None:
        chosen = self.current() is not None
        self.add_button.setEnabled(not self._read_only)
        self.edit_button.setEnabled(chosen)
        self.edit_button.setText("Open…" if self._read_only else "Edit…")
        self.delete_button.setEnabled(chosen and not self._read_only)


class ChartDialog(QDialog):
    """A chart in its own window, with Print, Save as PDF and Save as PNG."""

    def __init__(self, chart: ChartWidget, title: str, file_stem: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.chart = chart
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(chart)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(ChartButtons(chart, file_stem, self))
        self.resize(1200, min(chart.chart_height() + 90, 760))


class ChartButtons(QWidget):
    """Print…, Save as PDF…, Save as PNG… for one chart."""

    def __init__(self, chart: ChartWidget, file_stem: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.chart = chart
        self.file_stem = file_stem
        self.print_button = make_button("Print…", "Print the chart (one landscape page)")
        self.pdf_button = make_button("Save as PDF…")
        self.png_button = make_button("Save as PNG…")
        self.print_button.setAccessibleName(f"Print {chart.document_title.lower()}")
        self.print_button.clicked.connect(lambda: chart.print_with_dialog(self))
        self.pdf_button.clicked.connect(lambda: self._save("pdf"))
        self.png_button.clicked.connect(lambda: self._save("png"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        for button in (self.print_button, self.pdf_button, self.png_button):
            layout.addWidget(button)

    def _save(self, kind: str) -> None:
        stem = self.file_stem() if callable(self.file_stem) else self.file_stem
        path, _ = QFileDialog.getSaveFileName(self, f"Save the chart as {kind.upper()}", f"{stem}.{kind}",
                                              f"{kind.upper()} files (*.{kind})")
        if not path:
            return
        try:
            saved = self.chart.save_pdf(path) if kind == "pdf" else self.chart.save_png(path)
        except OSError as error:
            show_error(self, ScrdeskError(f"Could not save the chart: {error}"))
            return
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"Saved {saved.name}", 5000)


# -- the tab -----------------------------------------------------------------------------------

def _rag_column(key: str, header: str, display) -> Column:
    return Column(key, header, display=display, tooltip=lambda r: r["rag"].reason,
                  colour=lambda r: r["rag"].colour)


class ReviewsTab(Tab):
    """The list of reviews above, the selected review's detail below."""

    title = "Reviews"

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self._read_only = False
        self._all_rows: list[dict] = []
        self._sized = False
        columns = [
            Column("refs", "Ref(s)"),
            Column("title", "Title"),
            Column("type_label", "Type"),
            Column("status_label", "Status"),
            Column("current_stage", "Current stage"),
            Column("next_milestone_date", "Next milestone",
                   display=lambda r: (f"{r['next_milestone']} ({_fmt(r['next_milestone_date'])})"
                                      if r["next_milestone_date"] else r["next_milestone"])),
            _rag_column("target_date", "Target completion",
                        lambda r: f"{r['rag'].label}: {_fmt(r['target_date'])}" if r["target_date"]
                        else r["rag"].label),
            Column("overdue_actions", "Actions open / overdue",
                   display=lambda r: f"{r['open_actions']} / {r['overdue_actions']}"),
        ]
        self.model = RowsModel(columns, self)
        self.filter_box = FilterBox("Filter reviews: ref, title, type, reviewer…")
        self.filter_box.filter_settled.connect(self._apply_filter)
        self.filter_box.returnPressed.connect(self.filter_box.settle_now)
        self.live_only = QCheckBox("Live reviews only")
        self.live_only.setAccessibleName("Live reviews only")
        self.live_only.setChecked(True)
        self.live_only.toggled.connect(self.refresh)
        self.new_button = make_button("New review…", "Add a review (Ctrl+N)")
        self.edit_button = make_button("Edit review…", "Edit the selected review (Enter or F2)")
        self.delete_button = make_button("Delete review…")
        self.gantt_button = make_button("Chart of live reviews…", "Every live review against its target")
        self.new_button.clicked.connect(lambda: self.new_record())
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.gantt_button.clicked.connect(self.show_gantt)
        self.count_label = QLabel()

        self.view = _table("reviews")
        self.view.setAccessibleName("Reviews")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.activated.connect(self.edit_selected)
        self.view.selectionModel().currentRowChanged.connect(self._on_view_current_changed)

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
        self.detail.addTab(self._build_timeline_page(), "Timeline and milestones")
        self.detail.addTab(self._build_details_page(), "Details and publication")
        self.detail.addTab(self._build_delays_page(), "Delays and proceedings")
        self.detail.addTab(self._build_referrals_page(), "Linked referrals")
        self.detail.addTab(self._build_recommendations_page(), "Recommendations")
        self.rapid_index = self.detail.addTab(self._build_rapid_review_page(), "Rapid review")
        self.detail.setTabVisible(self.rapid_index, False)

        for child in (self.milestones, self.delays, self.proceedings, self.linked, self.recommendations):
            child.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("reviews_splitter")
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.refresh()

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
        self.milestones = ChildList("milestones", [
            Column("label", "Step"),
            _date_column("planned_date", "Planned"),
            _date_column("actual_date", "Done"),
            Column("state", "Progress", display=lambda r: r["rag"].reason,
                   tooltip=lambda r: r["rag"].reason, colour=lambda r: r["rag"].colour),
            Column("attendance", "Attendance", align_right=True),
            Column("notes", "Notes"),
        ], extra_buttons=[self.done_button, self.plan_button])
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
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.details_edit_button)
        layout = QVBoxLayout(page)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        return page

    def _build_delays_page(self) -> QWidget:
        page = QWidget()
        self.delays = ChildList("delays", [_date_column("date", "Date"), Column("reason", "Reason")])
        self.proceedings = ChildList("parallel_proceedings", [
            Column("kind", "Proceedings", display=lambda r: values.label(values.PROCEEDING_KINDS, r["kind"])),
            Column("status", "Status"), Column("notes", "Notes")])
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
        self.linked = ChildList("linked_referrals", [
            Column("ref", "Ref"), _date_column("received_date", "Received"), Column("summary", "Summary"),
            Column("location", "Location")], extra_buttons=[self.open_referral_button])
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
        self.recommendations = ChildList("recommendations", [
            Column("number", "No."), Column("text", "Recommendation"),
            Column("level", "Level", display=lambda r: values.label(values.RECOMMENDATION_LEVELS, r["level"])),
            Column("actions", "Actions open / total", display=lambda r: f"{r['open_actions']} / {r['actions']}")])
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
        self.detail.setCurrentIndex(1)  # the LCSPR's details, with its clocks
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
                self._write(lambda: self.store.delete(table, row["id"]), table)

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
        keys = ("refs", "title", "type_label", "methodology_label", "status_label", "lead_reviewer",
                "panel_chair", "current_stage")
        rows = [r for r in self._all_rows
                if not needle or any(needle in str(r.get(k) or "").casefold() for k in keys)]
        self.model.set_rows(rows)
        header = self.view.horizontalHeader()
        if header.sortIndicatorSection() >= 0:
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        total = len(self._all_rows)
        which = "live review" if self.live_only.isChecked() else "review"
        self.count_label.setText(_plural(total, which) if len(rows) == total else f"{len(rows)} of {total} shown")
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
        for child in (self.milestones, self.delays, self.proceedings, self.linked, self.recommendations):
            child.set_read_only(read_only)
        self.rapid_panel.set_read_only(read_only)
        self._update_buttons()

    def show_record(self, kind: str, row_id: int) -> bool:
        if kind != "review":
            return False
        if not self.select_id(row_id):
            self.filter_box.clear()
            row = self.store.get("reviews", row_id)
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
                self.view.scrollTo(self.model.index(number, 0))
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
        self.details_label.setText(_details_html(review, clocks) if review else "Choose a review.")
        if review_id is None:
            for child in (self.milestones, self.delays, self.proceedings, self.linked, self.recommendations):
                child.set_rows([])
            return
        milestones = []
        for row in self.timeline.milestones:
            row = dict(row)
            planned, actual = (date.fromisoformat(row[k]) if row[k] else None
                               for k in ("planned_date", "actual_date"))
            row["rag"] = milestone_progress(planned, actual, self.today)
            milestones.append(row)
        self.milestones.set_rows(milestones)
        self.delays.set_rows(self.store.rows(
            "SELECT * FROM review_delays WHERE review_id = ? ORDER BY date", [review_id]))
        self.proceedings.set_rows(self.store.rows(
            "SELECT * FROM parallel_proceedings WHERE review_id = ? ORDER BY id", [review_id]))
        self.linked.set_rows(self.store.rows(
            "SELECT r.id, r.ref, r.received_date, r.summary, r.location FROM review_referrals rr "
            "JOIN referrals r ON r.id = rr.referral_id WHERE rr.review_id = ? ORDER BY r.ref", [review_id]))
        self.recommendations.set_rows(self.store.rows(
            "SELECT rc.*, (SELECT count(*) FROM actions a WHERE a.recommendation_id = rc.id) AS actions, "
            "(SELECT count(*) FROM actions a WHERE a.recommendation_id = rc.id AND a.status NOT IN "
            "('complete_awaiting_evidence', 'complete_evidenced', 'signed_off')) AS open_actions "
            "FROM recommendations rc WHERE rc.review_id = ? "
            "ORDER BY CAST(rc.number AS INTEGER), rc.number, rc.id", [review_id]))
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current_id() is not None
        self.new_button.setEnabled(not self._read_only)
        self.edit_button.setEnabled(chosen)
        self.edit_button.setText("Open review…" if self._read_only else "Edit review…")
        self.details_edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen and not self._read_only)
        milestone = self.milestones.current()
        self.done_button.setEnabled(bool(milestone) and not milestone.get("actual_date") and not self._read_only)
        self.plan_button.setEnabled(chosen and not self._read_only)
        for child in (self.milestones, self.delays, self.proceedings, self.linked, self.recommendations):
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
        review_id = self.current_id()
        if review_id is None:
            return
        try:
            dialog = ReviewDialog(self.store, review_id, self, read_only=self._read_only)
        except ScrdeskError as error:
            show_error(self, error)
            self.refresh()
            return
        if dialog.exec() and not self._read_only:
            self._after_change("reviews")
            self.status_message.emit("Review saved.")

    def delete_selected(self) -> None:
        review = self.current_row()
        if review is None or self._read_only:
            return
        counts = {name: self.store.scalar(f"SELECT count(*) FROM {table} WHERE review_id = ?", [review["id"]])
                  for name, table in (("milestone", "milestones"), ("recommendation", "recommendations"),
                                      ("action", "actions"), ("briefing", "briefings"))}
        going = ", ".join(_plural(n, name) for name, n in counts.items() if n)
        extra = f" Its {going} will be deleted with it." if going else ""
        if confirm(self, "Delete review", f"Delete the review “{review['title']}”?{extra} "
                                          "The audit log keeps a record."):
            self._write(lambda: self.store.delete("reviews", review["id"]), "reviews")

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
            self._write(lambda: self.store.delete("milestones", row["id"]), "milestones")

    def _plan_from_methodology(self) -> None:
        review = self.current_row()
        if review is None or self._read_only:
            return
        profile = profile_for(self.store, review.get("framework"))
        methodology = profile.methodology(review.get("methodology"))
        if methodology is None:
            show_error(self, InvalidValue("Methodology", None, "is not set for this review: edit the review "
                                          "and choose its methodology first"), "Plan from methodology")
            return
        taken = {m["kind"] for m in self.timeline.milestones}
        start = (date.fromisoformat(review["initiated_date"] or review["agreed_date"])
                 if (review["initiated_date"] or review["agreed_date"]) else self.today)
        planned = [(kind, when) for kind, _label, when in methodology.planned_dates(start) if kind not in taken]
        if not planned:
            self.status_message.emit(f"Every step of {methodology.label} is already on this review.")
            return
        if not confirm(self, "Plan from methodology",
                       f"Add {_plural(len(planned), 'step')} of {methodology.label} to this review? "
                       "Steps with a fixed timescale get their planned date; give the others theirs.",
                       "Add steps"):
            return

        def add() -> None:
            self.store.insert_many("milestones", [
                {"review_id": review["id"], "kind": kind, "planned_date": when.isoformat() if when else None}
                for kind, when in planned])

        self._write(add, "milestones")

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

        def unlink() -> None:
            link = self.store.scalar("SELECT id FROM review_referrals WHERE review_id = ? AND referral_id = ?",
                                     [review_id, row["id"]])
            if link is not None:
                self.store.delete("review_referrals", link)

        self._write(unlink, "review_referrals")

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


def milestone_progress(planned: date | None, actual: date | None, today: date) -> Rag:
    """Where a milestone stands: done (on time or how late), or its planned date's RAG."""
    if actual is not None:
        if planned is not None and actual > planned:
            return Rag("blue", f"Done, {_plural((actual - planned).days, 'day')} after the plan")
        return Rag("blue", "Done")
    return rag_for_deadline(planned, None, today, amber_working_days=5, what="planned date")


def lcspr_clock_rows(review: dict, clocks: dict) -> list[tuple[str, str]]:
    """An LCSPR's statutory clocks in words: completion, the report to the panel, publication."""
    completion = clocks["completion_due"]
    rows = [("Completion target", f"{format_date(completion)} – {clocks['completion_rag'].reason}"
             if completion else "Not set: the decision date is missing")]
    panel_due, sent = clocks["panel_report_due"], review.get("sent_to_panel_date")
    if panel_due is None:
        report = "Due at least 7 working days before publication; record the publication date to count it"
    elif sent:
        timing = "on time" if clocks["panel_report_on_time"] else "late"
        report = f"Sent {_fmt(sent)}, {timing} (due {format_date(panel_due)}, 7 working days before publication)"
    else:
        report = f"Due {format_date(panel_due)} (7 working days before publication) – {clocks['panel_report_rag'].reason}"
    rows.append(("Report to the national panel", report))
    rows.append(("Publication decision", values.label(values.PUBLICATION_DECISIONS, review.get("publication_decision"))
                 if review.get("publication_decision") else "Not yet decided"))
    rows.append(("Published", _fmt(review.get("published_date"))))
    kept = clocks["kept_online_until"]
    rows.append(("Kept online until", format_date(kept) if kept else ""))
    removal = _fmt(review.get("removal_date"))
    if clocks["removal_too_early"]:
        removal += f" – earlier than the {format_date(kept)} it should stay online until"
    rows.append(("Removal date", removal))
    return rows


def _details_html(review: dict, lcspr_clocks: dict | None = None) -> str:
    """The review's record as a two-column table of labels and values (an LCSPR adds its clocks)."""
    def row(label: str, value) -> str:
        shown = html.escape(str(value)) if value not in (None, "") else "<span style='color:#777'>—</span>"
        return f"<tr><td style='padding:2px 12px 2px 0; color:#444'>{label}</td><td>{shown}</td></tr>"

    yes_no = {1: "Yes", 0: "No"}
    left = [
        ("Title", review["title"]), ("Ref(s)", review["refs"]), ("Type", review["type_label"]),
        ("Methodology", review["methodology_label"]), ("Framework", review["framework_name"]),
        ("Lead reviewer", review.get("lead_reviewer")), ("Panel chair", review.get("panel_chair")),
        ("Status", review["status_label"]), ("Current stage", review["current_stage"]),
        ("Family engagement", review.get("family_engagement")), ("Notes", review.get("notes")),
    ]
    right = [
        ("Agreed", _fmt(review.get("agreed_date"))), ("Terms of reference", _fmt(review.get("tor_date"))),
        ("Initiated", _fmt(review.get("initiated_date"))),
        ("Target completion", f"{_fmt(review['target_date'])} ({review['target_basis']})"
         if review["target_date"] else review["target_basis"]),
        ("RAG", review["rag"].reason),
        ("Completed", _fmt(review.get("completed_date"))),
        ("Sent to national panel", _fmt(review.get("sent_to_panel_date"))),
        ("Panel response", _fmt(review.get("panel_response_date"))),
        ("Panel agreed", yes_no.get(review.get("panel_agreed"), "")),
        ("Publication", review["publication"]),
        ("Legal hold", "Yes" if review.get("legal_hold") else "No"),
    ]
    columns = "".join(
        f"<td style='vertical-align:top; padding-right:32px'><table>{''.join(row(*item) for item in part)}</table></td>"
        for part in (left, right))
    clocks = ""
    if lcspr_clocks is not None:
        clocks = ("<p><b>Statutory clocks (Working Together)</b></p><table>"
                  + "".join(row(*item) for item in lcspr_clock_rows(review, lcspr_clocks)) + "</table>")
    return f"<table><tr>{columns}</tr></table>{clocks}"
