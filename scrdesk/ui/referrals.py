"""The Referrals tab: the register of cases brought to the sub group, and the referral dialog.

The register filters, sorts and pages in SQL (it may hold thousands of rows; `store.referrals`
builds the query). The dialog validates every field where it is typed and shows the referral rules
(`domain.rules.referrals`) beside the fields; a decision fixes the framework in force for it, and
that stamp is kept afterwards. Restricted identifiers (names, dates of birth, addresses, case
numbers) live in their own table, are masked until "Show" is pressed, and never feed a document.
Every read and write goes through `store.referrals`.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scrdesk.domain import values
from scrdesk.domain.ages import Age, format_age
from scrdesk.domain.clocks import clocks_for
from scrdesk.domain.dates import format_date, format_stored, reporting_year
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.profiles import framework_for
from scrdesk.domain.refs import normalise_ref
from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import referrals as rules
from scrdesk.domain.rules import statutory as statutory_rules
from scrdesk.store import referrals as store_referrals
from scrdesk.store import reviews as store_reviews
from scrdesk.store import statutory
from scrdesk.store.agencies import agency_choices
from scrdesk.store.clocks import profile_of
from scrdesk.store.queries import profile_for, today_for
from scrdesk.store.referrals import STATUS_LABELS, register_rows
from scrdesk.store.statutory import notification_clock
from scrdesk.ui.base import Column, FilterBox, PagedQueryModel, RowRole, Tab, confirm, show_error
from scrdesk.ui.forms import (
    AgeField,
    CheckField,
    ChoiceField,
    DateField,
    NoteField,
    RecordDialog,
    TextField,
)
from scrdesk.ui.rapid_review import rapid_review_possible, start_rapid_review_for

MASK = "••••••"

def _date_text(key: str):
    def show(row: dict) -> str:
        value = row.get(key)
        return format_date(date.fromisoformat(value)) if value else ""
    return show


class ReferralsTab(Tab):
    """The referral register with add, edit and delete."""

    title = "Referrals"

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(store, parent)
        self._read_only = False
        self._sized = False
        columns = [
            Column("ref", "Ref"),
            Column("received_date", "Received", display=_date_text("received_date")),
            Column("summary", "Summary"),
            Column("location", "Location"),
            Column("gender", "Gender", display=lambda r: values.label(values.GENDERS, r.get("gender"))),
            Column("age_days", "Age", display=lambda r: format_age(Age.from_columns(r))),
            Column("decision", "Decision", display=self._decision_label,
                   tooltip=lambda r: profile_for(self.store, r.get("framework")).name if r.get("decision") else ""),
            Column("decision_date", "Decision date", display=_date_text("decision_date")),
            Column("status", "Status", display=lambda r: STATUS_LABELS.get(r.get("status"), r.get("status") or "")),
        ]
        self.model = PagedQueryModel(columns, lambda *a: register_rows(self.store, *a), self)
        self.filter_box = FilterBox("Filter referrals: ref, summary, location, decision…")
        self.filter_box.filter_settled.connect(self._on_filter_box_filter_settled)
        self.filter_box.returnPressed.connect(self.filter_box.settle_now)
        self.new_button = QPushButton("New referral…")
        self.new_button.setToolTip("Add a referral (Ctrl+N)")
        self.edit_button = QPushButton("Open…")
        self.edit_button.setToolTip("Open the selected referral (Enter or F2)")
        self.delete_button = QPushButton("Delete…")
        for button in (self.new_button, self.edit_button, self.delete_button):
            button.setAccessibleName(button.text().rstrip("…"))
        self.new_button.clicked.connect(self.new_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of referrals")

        self.view = QTableView()
        self.view.setObjectName("referral_register")
        self.view.setAccessibleName("Referral register")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.activated.connect(self._on_view_activated)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self.refresh()

    def _decision_label(self, row: dict) -> str:
        if not row.get("decision"):
            return ""
        return profile_for(self.store, row.get("framework")).label(row["decision"])

    # -- Tab API -----------------------------------------------------------------------------

    def refresh(self) -> None:
        selected = self.current_id()
        self.model.reload()
        total = store_referrals.referral_count(self.store)
        shown = len(self.model.rows())
        more = "+" if self.model.canFetchMore() else ""
        self.count_label.setText(
            f"{total} referral{'s' if total != 1 else ''}" if not self.filter_box.text()
            else f"{shown}{more} of {total} shown")
        if not self._sized and self.model.rows():
            # Once only: after that the widths are the person's (and remembered by the window).
            self.view.resizeColumnsToContents()
            self._sized = True
        if selected is not None:
            self.select_id(selected)
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.new_button.setEnabled(not read_only)
        self._update_buttons()

    def show_record(self, kind: str, row_id: int) -> bool:
        if kind != "referral":
            return False
        if not self.select_id(row_id) and self.filter_box.text():
            self.filter_box.clear()
            self.filter_box.settle_now()
            self.select_id(row_id)
        return True

    def document(self) -> tuple[str, dict]:
        """What Ctrl+P previews here: the annual report tables (referrals by outcome first)."""
        settings = self.store.settings()
        year = reporting_year(today_for(self.store), settings.year_start_month,
                              settings.year_start_day)
        return "annual", {"year": year}

    def current_record(self) -> tuple[str, int] | None:
        row_id = self.current_id()
        return ("referrals", row_id) if row_id is not None else None

    def focus_filter(self) -> None:
        self.filter_box.setFocus()
        self.filter_box.selectAll()

    # -- selection ---------------------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        row = self.model.data(index, RowRole) if index.isValid() else None
        return row["id"] if row else None

    def select_id(self, row_id: int) -> bool:
        while True:
            for number, row in enumerate(self.model.rows()):
                if row["id"] == row_id:
                    self.view.selectRow(number)
                    self.view.scrollTo(self.model.index(number, 0))
                    return True
            if not self.model.canFetchMore():
                return False
            self.model.fetchMore()

    def _update_buttons(self) -> None:
        chosen = self.current_id() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen and not self._read_only)

    # -- actions -----------------------------------------------------------------------------

    def _on_filter_box_filter_settled(self, text: str) -> None:
        self.model.reload(text)
        self.refresh()

    def _on_view_activated(self) -> None:
        self.edit_selected()

    def new_record(self) -> None:
        if self._read_only:
            return
        dialog = ReferralDialog(self.store, None, self)
        if dialog.exec():
            self.refresh()
            self.select_id(dialog.record_id)
            self.records_changed.emit("referrals")
            self.status_message.emit(f"Added referral {dialog.saved_ref}.")

    def edit_selected(self) -> None:
        row_id = self.current_id()
        if row_id is None:
            return
        dialog = ReferralDialog(self.store, row_id, self, read_only=self._read_only)
        if dialog.exec() and not self._read_only:
            self.refresh()
            self.records_changed.emit("referrals")
            if dialog.started_review_id is not None:
                self.records_changed.emit("reviews")
                self.status_message.emit(f"Rapid review started for {dialog.saved_ref}.")
                self.record_requested.emit("review", dialog.started_review_id)
            else:
                self.status_message.emit(f"Saved referral {dialog.saved_ref}.")

    def delete_selected(self) -> None:
        row_id = self.current_id()
        if row_id is None or self._read_only:
            return
        referral = store_referrals.get_referral(self.store, row_id)
        if referral is None:
            self.refresh()
            return
        linked = store_referrals.linked_review_count(self.store, row_id)
        extra = (f" It is linked to {linked} review{'s' if linked != 1 else ''}; the link will be removed,"
                 " the review kept.") if linked else ""
        if not confirm(self, "Delete referral",
                       f"Delete referral {referral['ref']} and its restricted identifiers?{extra} "
                       "The audit log keeps a record of the deletion."):
            return
        try:
            store_referrals.delete_referral(self.store, row_id)
        except ScrdeskError as error:
            show_error(self, error)
            return
        self.refresh()
        self.records_changed.emit("referrals")
        self.status_message.emit(f"Deleted referral {referral['ref']}.")


def _yes_no() -> dict[str, str]:
    return {"1": "Yes", "0": "No"}


def _yes_no_code(stored: object) -> str | None:
    return None if stored is None or stored == "" else str(int(stored))


def _yes_no_value(code: str | None) -> int | None:
    return None if code is None else int(code)


def _narrow(field: ChoiceField, characters: int = 22) -> None:
    """A choice with long labels shown narrower (the list still opens full width), so three
    columns fit a 1366-pixel laptop screen without a sideways scroll bar."""
    field.editor.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    field.editor.setMinimumContentsLength(characters)
    field.editor.view().setMinimumWidth(field.editor.view().sizeHintForColumn(0) + 24)


# Ethnicity is kept as the office records it (the national form's own wording varies by year).


def _no_rapid_review(profile) -> str:
    """The rapid review clock's line under a framework without one."""
    if profile.jurisdiction == "england":
        return f"None under {profile.name}: rapid reviews began with Working Together 2018"
    return f"None under {profile.name}: it has no rapid review"


class ReferralDialog(RecordDialog):
    """Add or edit one referral, its decision and its restricted identifiers."""

    def __init__(self, store, referral_id: int | None, parent: QWidget | None = None, *,
                 read_only: bool = False):
        self.store = store
        self.record_id = referral_id
        self.record = (store_referrals.get_referral(store, referral_id) or {}) if referral_id else {}
        self.saved_ref = ""
        settings = store.settings()
        self._prefix = settings.ref_prefix
        self._width = settings.ref_width
        self._settings = settings
        title = f"Referral {self.record['ref']}" if self.record else "New referral"
        super().__init__(title, parent, read_only=read_only)
        self.resize(1080, 690)
        form = self.form
        agencies = {str(a["id"]): a["name"] for a in agency_choices(
            store, active_only=True, keep_id=self.record.get("referring_agency_id"))}

        form.section("The referral")
        self.ref = form.add(TextField("Ref", required=True, max_length=rules.LIMITS["ref"], validator=self._check_ref,
                                      hint=f"e.g. {self._prefix}053"))
        self.pseudonym = form.add(TextField("Pseudonym", max_length=rules.LIMITS["pseudonym"], placeholder="e.g. Child N (never a real name)"))
        self.source = form.add(ChoiceField("Source", values.REFERRAL_SOURCES, blank=None))
        self.agency = form.add(ChoiceField("Referring agency", agencies))
        self.received = form.add(DateField("Date received", required=True))
        self.incident = form.add(DateField("Incident date"))

        form.section("The case (publishable words only)")
        self.summary = form.add(TextField("Summary", max_length=rules.LIMITS["summary"], placeholder="e.g. Extreme neglect and cruelty"))
        self.location = form.add(TextField("Location", max_length=rules.LIMITS["location"]))
        self.gender = form.add(ChoiceField("Gender", values.GENDERS))
        self.age = form.add(AgeField("Age"))
        self.harm = form.add(ChoiceField("Harm category", values.HARM_CATEGORIES))

        form.section("Restricted identifiers (never printed)")
        form.add_widget("Identifiers", self._build_identifiers())

        # A looked-after child's death is notified to Ofsted and the Secretary of State (Care Planning,
        # Placement and Case Review (England) Regulations 2010, reg. 40; WT2018 ch.4 / WT2023 ch.5).
        form.section("A looked-after child's death")
        self.lac_ofsted = form.add(DateField("Ofsted told"))
        self.lac_sos = form.add(DateField("Secretary of State told"))

        # Today's process (WT2018 ch.4 / WT2023 ch.5): the partners consider whether to notify, the
        # local authority notifies within 5 working days, a rapid review follows every notification
        # within 15 working days unless the notification is withdrawn.
        form = self.add_column()
        form.section("Serious incident notification")
        self.aware = form.add(DateField("Date LA became aware"))
        self.notify_considered = form.add(DateField("Considered for notification"))
        self.notify_considered.setToolTip("The date the partners discussed whether to notify the national panel")
        self.notify_decision = form.add(ChoiceField("Decided to notify", _yes_no()))
        self.notify_reason = form.add(NoteField("Reason", lines=2, max_length=statutory_rules.LIMITS["notify_reason"]))
        self.sin_submitted = form.add(DateField("Date notified", hint="to the national panel"))
        self.sin_reference = form.add(TextField("SIN reference", max_length=rules.LIMITS["sin_reference"]))
        self.notification_clock = QLabel()
        self.notification_clock.setWordWrap(True)
        form.add_widget("Notification clock", self.notification_clock)
        self.withdrawn = form.add(DateField("Date withdrawn"))
        self.withdrawn.setToolTip("Withdrawn when further information showed the case did not meet the "
                                  "notification criteria: then no rapid review is owed")
        self.withdrawn_reason = form.add(NoteField("Withdrawn reason", lines=2,
                                                   max_length=statutory_rules.LIMITS["notification_withdrawn_reason"]))

        form.section("Rapid review")
        self.rapid_review_clock = QLabel()
        self.rapid_review_clock.setWordWrap(True)
        self.rapid_review_clock.setTextFormat(Qt.TextFormat.PlainText)
        form.add_widget("Rapid review clock", self.rapid_review_clock)
        self.rr_meeting = form.add(DateField("Rapid review meeting"))
        self.rr_submitted = form.add(DateField("Rapid review submitted"))
        self.rr_submitted.setToolTip("The date the rapid review went to the national panel")
        self.rr_outcome = form.add(ChoiceField("Rapid review outcome", statutory_rules.RAPID_REVIEW_OUTCOMES))
        form.add_widget("Workspace", self._build_rapid_review_row())

        form = self.add_column()
        form.section("Decision")
        self.meeting = form.add(DateField("Meeting considered"))
        self.recommendation = form.add(ChoiceField("Sub group recommendation", {}))
        self.decision = form.add(ChoiceField("Decision", {}))
        self.decision_date = form.add(DateField("Decision date"))
        self.decision_maker = form.add(TextField("Decision maker", max_length=rules.LIMITS["decision_maker"], placeholder="e.g. Independent Chair"))
        self.rationale = form.add(NoteField("Rationale", lines=3, max_length=rules.LIMITS["rationale"]))
        self.framework_label = QLabel()
        self.framework_label.setWordWrap(True)
        form.add_widget("Framework", self.framework_label)
        self.panel_informed = form.add(DateField("National panel informed"))
        self.panel_response = form.add(DateField("Panel response"))
        self.panel_agreed = form.add(ChoiceField("Panel agreed", _yes_no()))
        self.status_note = form.add(TextField("Status note", max_length=rules.LIMITS["status_note"]))
        self.legal_hold = form.add(CheckField("Legal hold", "Keep beyond the retention period"))

        # The notification's characteristics for the national data: counted in the yearly report,
        # never listed per child.
        form.section("National data (counted, never listed)")
        self.age_band = form.add(ChoiceField("Age band", statutory_rules.AGE_BANDS))
        self.sex = form.add(ChoiceField("Sex", statutory_rules.SEXES))
        self.ethnicity = form.add(TextField("Ethnicity", max_length=statutory_rules.LIMITS["child_ethnicity"], placeholder="e.g. White British"))
        self.disability = form.add(ChoiceField("Disability", statutory_rules.DISABILITY))
        self.social_care = form.add(ChoiceField("Social care status", statutory_rules.SOCIAL_CARE_STATUSES))
        self.cp_six_months = form.add(ChoiceField("CP register or looked after in the 6 months before",
                                                  _yes_no()))
        # Wales only: the 2015 Regulations (reg. 4) fix concise or extended from it.
        form.set_row_visible(self.cp_six_months, self._settings.jurisdiction == "wales")
        self.harm_type = form.add(ChoiceField("Type of harm", statutory_rules.HARM_TYPES))
        self.harm_outcome = form.add(ChoiceField("Death or serious harm", statutory_rules.HARM_OUTCOMES))
        self.harm_setting = form.add(ChoiceField("Setting", statutory_rules.SETTINGS_OF_HARM))


        for field in (self.decision_date, self.meeting, self.received):
            field.edited.connect(self._refresh_decision_choices)
        # The referring agency too: a partner's full name (the seed demo's county council) made
        # the dialog scroll sideways on a laptop.
        for field in (self.agency, self.rr_outcome, self.recommendation, self.decision, self.age_band,
                      self.social_care, self.harm_type, self.harm_outcome, self.harm_setting):
            _narrow(field)
        for field in (self.aware, self.sin_submitted, self.notify_decision, self.withdrawn, self.rr_submitted,
                      self.decision_date, self.received):
            field.edited.connect(self._show_clocks)
        self._load()
        self.finish_setup()
        self._show_clocks()

    def fit_to_contents(self) -> None:
        """Three columns are wider than they need to be on a laptop: where every field fits at its
        smallest width, the columns share the width and never scroll sideways."""
        super().fit_to_contents()
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right() - self.scroll.verticalScrollBar().sizeHint().width()
        if self.scroll.widget().minimumSizeHint().width() <= room:
            self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    # -- loading -----------------------------------------------------------------------------

    def _load(self) -> None:
        r = self.record
        if not r:
            self.ref.set_value(store_referrals.suggested_ref(self.store))
            self._identifiers: list[dict] = []
        else:
            self.ref.set_value(r["ref"])
            self._identifiers = store_referrals.identifiers(self.store, self.record_id)
        self._removed_identifiers: list[int] = []
        self.pseudonym.set_value(r.get("pseudonym"))
        self.source.set_value(r.get("source") or "agency_referral")
        self.agency.set_value(str(r["referring_agency_id"]) if r.get("referring_agency_id") else None)
        self.received.set_value(r.get("received_date"))
        self.incident.set_value(r.get("incident_date"))
        self.aware.set_value(r.get("la_aware_date"))
        self.sin_reference.set_value(r.get("sin_reference"))
        self.sin_submitted.set_value(r.get("sin_submitted_date"))
        self.summary.set_value(r.get("summary"))
        self.location.set_value(r.get("location"))
        self.gender.set_value(r.get("gender"))
        self.age.set_value(Age.from_columns(r) if r else None)
        self.harm.set_value(r.get("harm_category"))
        self.meeting.set_value(r.get("meeting_date"))
        self.decision_date.set_value(r.get("decision_date"))
        self._refresh_decision_choices()
        self.recommendation.set_value(r.get("recommendation"))
        self.decision.set_value(r.get("decision"))
        self.decision_maker.set_value(r.get("decision_maker"))
        self.rationale.set_value(r.get("rationale"))
        self.panel_informed.set_value(r.get("panel_informed_date"))
        self.panel_response.set_value(r.get("panel_response_date"))
        self.panel_agreed.set_value(_yes_no_code(r.get("panel_agreed")))
        self.status_note.set_value(r.get("status_note"))
        self.legal_hold.set_value(r.get("legal_hold"))
        self.notify_considered.set_value(r.get("notify_considered_date"))
        self.notify_decision.set_value(_yes_no_code(r.get("notify_decision")))
        self.notify_reason.set_value(r.get("notify_reason"))
        self.withdrawn.set_value(r.get("notification_withdrawn_date"))
        self.withdrawn_reason.set_value(r.get("notification_withdrawn_reason"))
        self.rr_meeting.set_value(r.get("rr_meeting_date"))
        self.rr_submitted.set_value(r.get("rr_submitted_date"))
        self.rr_outcome.set_value(r.get("rr_outcome"))
        for column, field in self._national_fields().items():
            field.set_value(r.get(column))
        self.cp_six_months.set_value(_yes_no_code(r.get("cp_or_looked_after_6_months")))
        self.lac_ofsted.set_value(r.get("lac_death_ofsted_date"))
        self.lac_sos.set_value(r.get("lac_death_sos_date"))
        self._show_identifiers()

    # -- the framework -----------------------------------------------------------------------

    def framework(self):
        """The profile this referral's decision belongs to: its stamp once decided, else the one
        `framework_for` gives for the dates typed (decision, else meeting, else received)."""
        if self.record.get("framework"):
            return profile_for(self.store, self.record["framework"])
        draft = {"decision_date": self.decision_date.iso(), "meeting_date": self.meeting.iso(),
                 "received_date": self.received.iso()}
        return profile_for(self.store, framework_for(draft, self._settings))

    def _refresh_decision_choices(self) -> None:
        profile = self.framework()
        choices = profile.decision_labels()
        self.decision.set_choices(choices)
        self.recommendation.set_choices(choices)
        if self.record.get("framework"):
            note = f"{profile.name} — fixed when the decision was recorded"
        else:
            note = f"{profile.name} — in force on the decision date; fixed when a decision is saved"
        self.framework_label.setText(note)

    # -- the notification and the rapid review ---------------------------------------------

    def _build_rapid_review_row(self) -> QWidget:
        box = QWidget()
        self.rapid_review_label = QLabel()
        self.rapid_review_label.setWordWrap(True)
        self.start_rapid_button = QPushButton("Start rapid review…")
        self.start_rapid_button.setAccessibleName("Start rapid review")
        self.start_rapid_button.clicked.connect(self._start_rapid_review)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start_rapid_button)
        row.addWidget(self.rapid_review_label, 1)
        self.started_review_id: int | None = None
        self._workspace_sent: str | None = None
        existing = store_referrals.latest_review_of_type(
            self.store, self.record_id, statutory.RAPID_REVIEW) if self.record_id else None
        if existing:
            workspace = store_reviews.get_review(self.store, existing["id"]) or {}
            self._workspace_sent = workspace.get("sent_to_panel_date")
            started = format_stored(existing["agreed_date"]) or "—"
            self.rapid_review_label.setText(f"Started {started} "
                                            f"({values.label(values.REVIEW_STATUSES, existing['status']).lower()}); "
                                            "see the Reviews tab")
            self.start_rapid_button.hide()
        elif self.read_only:
            self.start_rapid_button.setEnabled(False)
        elif not self.record_id:
            self.start_rapid_button.setEnabled(False)
            self.rapid_review_label.setText("Save the referral first")
        elif not rapid_review_possible(self.store, self.record):
            self.start_rapid_button.setEnabled(False)
            self.rapid_review_label.setText(f"Not under {profile_for(self.store, self.record.get('framework')).name}: "
                                            "rapid reviews began with Working Together 2018")
        else:
            self.rapid_review_label.setText("Plans the steps and asks agencies for returns; "
                                            "the clock keeps the date notified")
        return box

    def _draft(self) -> dict:
        """The referral as typed, with the workspace's submission, for the clocks."""
        return {**self.record, **self.values_for_store(), "id": self.record_id,
                "rapid_review_sent_date": self._workspace_sent}

    def _show_clocks(self) -> None:
        """The notification and rapid review clocks as typed: no button starts them."""
        draft = {"la_aware_date": self.aware.iso(), "sin_submitted_date": self.sin_submitted.iso(),
                 "framework": self.framework().code}
        clock = notification_clock(self.store, draft, today_for(self.store))
        if clock is None:
            self.notification_clock.setText("Give the date the local authority became aware to count the clock"
                                            if not self.aware.value() else "No notification clock in this framework")
        else:
            text = clock["text"]
            if clock["notified"] is None:
                text = f"Not notified yet: due {format_date(clock['due'])}. {text}"
            self.notification_clock.setText(text)
        self.rapid_review_clock.setText(self._rapid_review_text())

    def _rapid_review_text(self) -> str:
        draft = self._draft()
        profile = profile_of(draft, self._settings)
        # Said first: a 2015 referral (or a Welsh one) is owed no rapid review, notified or not.
        if not any(rule.clock == "RAPID_REVIEW" for rule in profile.timescales):
            return _no_rapid_review(profile)
        if self.withdrawn.value():
            return f"None owed: the notification was withdrawn on {format_date(self.withdrawn.value())}"
        if not self.sin_submitted.value():
            return "Starts when the case is notified: 15 working days to reach the national panel"
        today = today_for(self.store)
        clock = next((c for c in clocks_for(draft, "referral", profile, self._settings, today)
                      if c.clock == "RAPID_REVIEW"), None)
        if clock is None:
            return _no_rapid_review(profile)
        if clock.done is not None:
            late = (clock.done - clock.due).days
            when = "on time" if late <= 0 else f"{late} day{'s' if late != 1 else ''} late"
            return f"Submitted {format_date(clock.done)}, {when} (due {format_date(clock.due)})"
        left = clock.working_days_left
        return clock.rag.reason if left is None or left < 0 else \
            f"{clock.rag.reason} ({left} working day{'s' if left != 1 else ''} left)"

    def _start_rapid_review(self) -> None:
        if self.read_only or not self.record_id:
            return
        if self.dirty:
            # The rapid review reads the saved referral: save what was typed first.
            self._apply_cross_check()
            for form in self.forms:
                form.reveal_errors()
            if self.invalid_fields():
                self.invalid_fields()[0].setFocus()
                return
            try:
                self.save()
            except ScrdeskError as error:
                show_error(self, error, self.windowTitle())
                return
            self.dirty = False
            self.record = store_referrals.get_referral(self.store, self.record_id) or {}
        review_id = start_rapid_review_for(self.store, self.record_id, self)
        if review_id is not None:
            self.started_review_id = review_id
            self.saved_ref = self.saved_ref or self.record["ref"]
            self.accept()

    # -- checks ------------------------------------------------------------------------------

    def _check_ref(self, text: object) -> None:
        try:
            ref = normalise_ref(text, self._prefix, self._width)
        except InvalidValue as mistake:
            if text == self.record.get("ref"):
                return  # an older ref in another style is kept as it is
            raise InvalidValue("Ref", text, mistake.message) from None
        if store_referrals.ref_clash(self.store, ref, self.record_id) is not None:
            raise InvalidValue("Ref", text, f"{ref} is already used by another referral")

    def _fields_by_column(self) -> dict:
        return {"ref": self.ref, "pseudonym": self.pseudonym, "source": self.source,
                "received_date": self.received, "incident_date": self.incident, "la_aware_date": self.aware,
                "sin_submitted_date": self.sin_submitted, "sin_reference": self.sin_reference,
                "summary": self.summary, "location": self.location, "gender": self.gender,
                "harm_category": self.harm, "meeting_date": self.meeting,
                "recommendation": self.recommendation, "decision": self.decision,
                "decision_date": self.decision_date, "decision_maker": self.decision_maker,
                "rationale": self.rationale, "panel_informed_date": self.panel_informed,
                "panel_response_date": self.panel_response, "panel_agreed": self.panel_agreed,
                "status_note": self.status_note,
                "notify_considered_date": self.notify_considered, "notify_decision": self.notify_decision,
                "notify_reason": self.notify_reason, "notification_withdrawn_date": self.withdrawn,
                "notification_withdrawn_reason": self.withdrawn_reason, "rr_meeting_date": self.rr_meeting,
                "rr_submitted_date": self.rr_submitted, "rr_outcome": self.rr_outcome,
                **self._national_fields(), "cp_or_looked_after_6_months": self.cp_six_months,
                "lac_death_ofsted_date": self.lac_ofsted, "lac_death_sos_date": self.lac_sos}

    def _national_fields(self) -> dict:
        """The national data's coded and text fields, by column."""
        return {"child_age_band": self.age_band, "child_sex": self.sex, "child_ethnicity": self.ethnicity,
                "child_disability": self.disability, "social_care_status": self.social_care,
                "harm_type": self.harm_type, "harm_outcome": self.harm_outcome, "harm_setting": self.harm_setting}

    def cross_check(self) -> dict:
        """The referral rules, shown beside the fields they concern (the store refuses the same)."""
        record = {**self.values_for_store(), "framework": self.framework().code}
        fields = self._fields_by_column()
        return {fields[column]: message for column, message in rules.problems(record, self._settings).items()
                if column in fields}

    # -- restricted identifiers --------------------------------------------------------------

    def _build_identifiers(self) -> QWidget:
        box = QWidget()
        self.identifier_list = QListWidget()
        self.identifier_list.setAccessibleName("Restricted identifiers")
        self.identifier_list.setMaximumHeight(110)
        self.show_button = QPushButton("Show")
        self.show_button.setCheckable(True)
        self.show_button.setAccessibleName("Show restricted identifiers")
        self.show_button.setToolTip("Identifiers are masked; press to show them while this dialog is open")
        self.show_button.toggled.connect(self._show_identifiers)
        self.add_identifier_button = QPushButton("Add…")
        self.add_identifier_button.setAccessibleName("Add restricted identifier")
        self.add_identifier_button.clicked.connect(self._add_identifier)
        self.remove_identifier_button = QPushButton("Remove")
        self.remove_identifier_button.setAccessibleName("Remove restricted identifier")
        self.remove_identifier_button.clicked.connect(self._remove_identifier)
        buttons = QVBoxLayout()
        for button in (self.show_button, self.add_identifier_button, self.remove_identifier_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.identifier_list, 1)
        layout.addLayout(buttons)
        if self.read_only:
            self.add_identifier_button.setEnabled(False)
            self.remove_identifier_button.setEnabled(False)
        return box

    def _show_identifiers(self) -> None:
        self.identifier_list.clear()
        revealed = self.show_button.isChecked()
        self.show_button.setText("Hide" if revealed else "Show")
        for number, identifier in enumerate(self._identifiers):
            kind = values.label(values.RESTRICTED_KINDS, identifier["kind"])
            item = QListWidgetItem(f"{kind}: {identifier['value'] if revealed else MASK}")
            item.setData(Qt.ItemDataRole.UserRole, number)
            self.identifier_list.addItem(item)
        if not self._identifiers:
            placeholder = QListWidgetItem("None recorded")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.identifier_list.addItem(placeholder)

    def _add_identifier(self) -> None:
        dialog = IdentifierDialog(self)
        if dialog.exec():
            self._identifiers.append({"id": None, "kind": dialog.kind.value(), "value": dialog.value.value()})
            self.dirty = True
            self._show_identifiers()

    def _remove_identifier(self) -> None:
        item = self.identifier_list.currentItem()
        number = item.data(Qt.ItemDataRole.UserRole) if item else None
        if number is None:
            return
        removed = self._identifiers.pop(number)
        if removed.get("id"):
            self._removed_identifiers.append(removed["id"])
        self.dirty = True
        self._show_identifiers()

    # -- saving ------------------------------------------------------------------------------

    def values_for_store(self) -> dict:
        ref_text = self.ref.value()
        try:
            ref = normalise_ref(ref_text, self._prefix, self._width)
        except InvalidValue:
            ref = ref_text
        agency = self.agency.value()
        return {
            "ref": ref,
            "pseudonym": self.pseudonym.value(),
            "source": self.source.value() or "agency_referral",
            "referring_agency_id": int(agency) if agency else None,
            "received_date": self.received.iso(),
            "incident_date": self.incident.iso(),
            "la_aware_date": self.aware.iso(),
            "sin_reference": self.sin_reference.value(),
            "sin_submitted_date": self.sin_submitted.iso(),
            "summary": self.summary.value(),
            "location": self.location.value(),
            "gender": self.gender.value(),
            **self.age.columns(),
            "harm_category": self.harm.value(),
            "meeting_date": self.meeting.iso(),
            "recommendation": self.recommendation.value(),
            "decision": self.decision.value(),
            "decision_date": self.decision_date.iso(),
            "decision_maker": self.decision_maker.value(),
            "rationale": self.rationale.value(),
            "panel_informed_date": self.panel_informed.iso(),
            "panel_response_date": self.panel_response.iso(),
            "panel_agreed": _yes_no_value(self.panel_agreed.value()),
            "status_note": self.status_note.value(),
            "legal_hold": int(bool(self.legal_hold.value())),
            "notify_considered_date": self.notify_considered.iso(),
            "notify_decision": _yes_no_value(self.notify_decision.value()),
            "notify_reason": self.notify_reason.value(),
            "notification_withdrawn_date": self.withdrawn.iso(),
            "notification_withdrawn_reason": self.withdrawn_reason.value(),
            "rr_meeting_date": self.rr_meeting.iso(),
            "rr_submitted_date": self.rr_submitted.iso(),
            "rr_outcome": self.rr_outcome.value(),
            **{column: field.value() for column, field in self._national_fields().items()},
            "cp_or_looked_after_6_months": _yes_no_value(self.cp_six_months.value()),
            "lac_death_ofsted_date": self.lac_ofsted.iso(),
            "lac_death_sos_date": self.lac_sos.iso(),
        }

    def save(self) -> None:
        record = self.values_for_store()
        if not self.record.get("framework") and record["decision"]:
            # The framework the dialog showed the choices from is the one stamped.
            record["framework"] = self.framework().code
        added = [i for i in self._identifiers if i.get("id") is None]
        try:
            if self.record_id is None:
                self.record_id = store_referrals.create_referral(self.store, record, added)
                for identifier, row in zip(added, store_referrals.identifiers(self.store, self.record_id),
                                           strict=True):
                    identifier["id"] = row["id"]
            else:
                ids = store_referrals.update_referral(self.store, self.record_id, record, new_identifiers=added,
                                                      removed_identifiers=self._removed_identifiers)
                for identifier, new_id in zip(added, ids, strict=True):
                    identifier["id"] = new_id
        except RuleBroken as refusal:
            # Shown beside the field, in the same words the rules gave.
            column, message = next(iter(refusal.problems.items()))
            field = self._fields_by_column().get(column)
            if field is None:
                raise
            raise InvalidValue(field.label, None, message) from None
        self._removed_identifiers = []
        self.saved_ref = record["ref"]
        self.saved.emit("referrals", self.record_id)


class IdentifierDialog(RecordDialog):
    """One restricted identifier; kept with the referral when the referral is saved."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Add restricted identifier", parent)
        self.resize(420, 200)
        self.kind = self.form.add(ChoiceField("Kind", values.RESTRICTED_KINDS, blank=None))
        self.value = self.form.add(TextField("Identifier", required=True, max_length=rules.IDENTIFIER_LIMITS["value"]))
        self.finish_setup()

    def save(self) -> None:
        """Nothing to write yet: the referral dialog saves identifiers with the referral."""
