"""The Referrals tab: the register of cases brought to the sub group, and the referral dialog.

The register filters, sorts and pages in SQL (it may hold thousands of rows). The dialog validates
every field where it is typed; a decision fixes the framework in force on its date, and that stamp
is kept afterwards. Restricted identifiers (names, dates of birth, addresses, case numbers) live in
their own table, are masked until "Show" is pressed, and never feed a document.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from scrdesk.domain.dates import format_date, reporting_year
from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.domain.profiles import load_profiles, profile_in_force
from scrdesk.domain.refs import next_ref, normalise_ref
from scrdesk.store import statutory
from scrdesk.store.queries import profile_for, today_for
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

# What a referral's register line says about where it has got to.
_STATUS_SQL = """
    CASE
        WHEN rv.status IS NOT NULL THEN rv.status
        WHEN r.decision IS NOT NULL THEN 'decided'
        ELSE 'awaiting_decision'
    END"""

STATUS_LABELS = {
    **values.REVIEW_STATUSES,
    "decided": "Decided",
    "awaiting_decision": "Awaiting decision",
}

_REGISTER_SELECT = f"""
SELECT r.id, r.ref, r.received_date, r.summary, r.location, r.gender, r.age_years, r.age_months,
       r.age_weeks, r.age_various, r.decision, r.decision_date, r.framework, r.pseudonym,
       CASE WHEN r.age_various THEN 100000
            ELSE coalesce(r.age_weeks * 7, coalesce(r.age_years, 0) * 365 + coalesce(r.age_months, 0) * 30)
       END AS age_days,
       {_STATUS_SQL} AS status
FROM referrals r
LEFT JOIN (
    SELECT rr.referral_id, min(v.status) AS status
    FROM review_referrals rr JOIN reviews v ON v.id = rr.review_id GROUP BY rr.referral_id
) rv ON rv.referral_id = r.id
"""

_TEXT_COLUMNS = ("ref", "summary", "location", "pseudonym", "decision", "status")


def _codes_matching(text: str, lists: list[dict[str, str]]) -> list[str]:
    """Codes whose label contains `text`, so "case mapping" finds CASE_MAPPING in SQL."""
    needle = text.casefold()
    return sorted({code for mapping in lists for code, label in mapping.items()
                   if needle in label.casefold()})


def register_rows(store, filter_text: str, order_by: str, offset: int, limit: int) -> list[dict]:
    """One page of the referral register, filtered and sorted in SQL."""
    sql = f"SELECT * FROM ({_REGISTER_SELECT}) AS reg"
    params: list = []
    text = filter_text.strip()
    if text:
        like = f"%{text}%"
        clauses = [f'"{column}" LIKE ?' for column in _TEXT_COLUMNS]
        params += [like] * len(_TEXT_COLUMNS)
        decision_lists = [p.labels for p in load_profiles().values()]
        for column, lists in (("decision", decision_lists), ("gender", [values.GENDERS]),
                              ("status", [STATUS_LABELS])):
            codes = _codes_matching(text, lists)
            if codes:
                clauses.append(f'"{column}" IN ({", ".join("?" for _ in codes)})')
                params += codes
        sql += " WHERE " + " OR ".join(clauses)
    sql += f" ORDER BY {order_by or 'received_date IS NULL, received_date DESC, ref DESC'}"
    sql += " LIMIT ? OFFSET ?"
    params += [limit, offset]
    return store.rows(sql, params)


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
        total = self.store.scalar("SELECT count(*) FROM referrals")
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
        referral = self.store.get("referrals", row_id)
        linked = self.store.scalar("SELECT count(*) FROM review_referrals WHERE referral_id = ?", [row_id])
        extra = (f" It is linked to {linked} review{'s' if linked != 1 else ''}; the link will be removed,"
                 " the review kept.") if linked else ""
        if not confirm(self, "Delete referral",
                       f"Delete referral {referral['ref']} and its restricted identifiers?{extra} "
                       "The audit log keeps a record of the deletion."):
            return
        try:
            self.store.delete("referrals", row_id)
        except ScrdeskError as error:
            show_error(self, error)
            return
        self.refresh()
        self.records_changed.emit("referrals")
        self.status_message.emit(f"Deleted referral {referral['ref']}.")


def _yes_no() -> dict[str, str]:
    return {"1": "Yes", "0": "No"}


class ReferralDialog(RecordDialog):
    """Add or edit one referral, its decision and its restricted identifiers."""

    def __init__(self, store, referral_id: int | None, parent: QWidget | None = None, *,
                 read_only: bool = False):
        self.store = store
        self.record_id = referral_id
        self.record = store.get("referrals", referral_id) if referral_id else {}
        self.saved_ref = ""
        settings = store.settings()
        self._prefix = settings.ref_prefix
        self._width = settings.ref_width
        self._jurisdiction = settings.jurisdiction
        title = f"Referral {self.record['ref']}" if self.record else "New referral"
        super().__init__(title, parent, read_only=read_only)
        self.resize(1080, 690)
        form = self.form
        agencies = {str(a["id"]): a["name"] for a in store.rows(
            "SELECT id, name FROM agencies WHERE active = 1 OR id = ? ORDER BY name",
            [self.record.get("referring_agency_id")])}

        form.section("The referral")
        self.ref = form.add(TextField("Ref", required=True, validator=self._check_ref,
                                      hint=f"e.g. {self._prefix}053"))
        self.pseudonym = form.add(TextField("Pseudonym", placeholder="e.g. Child N (never a real name)"))
        self.source = form.add(ChoiceField("Source", values.REFERRAL_SOURCES, blank=None))
        self.agency = form.add(ChoiceField("Referring agency", agencies))
        self.received = form.add(DateField("Date received", required=True))
        self.incident = form.add(DateField("Incident date"))

        form.section("Serious incident notification")
        self.aware = form.add(DateField("Date LA became aware"))
        self.sin_submitted = form.add(DateField("Date notified", hint="to the national panel"))
        self.sin_reference = form.add(TextField("SIN reference"))
        self.notification_clock = QLabel()
        self.notification_clock.setWordWrap(True)
        form.add_widget("Notification clock", self.notification_clock)
        form.add_widget("Rapid review", self._build_rapid_review_row())

        form.section("The case (publishable words only)")
        self.summary = form.add(TextField("Summary", placeholder="e.g. Extreme neglect and cruelty"))
        self.location = form.add(TextField("Location"))
        self.gender = form.add(ChoiceField("Gender", values.GENDERS))
        self.age = form.add(AgeField("Age"))
        self.harm = form.add(ChoiceField("Harm category", values.HARM_CATEGORIES))

        form.section("Restricted identifiers (never printed)")
        form.add_widget("Identifiers", self._build_identifiers())

        form = self.add_column()
        form.section("Decision")
        self.meeting = form.add(DateField("Meeting considered"))
        self.recommendation = form.add(ChoiceField("Sub group recommendation", {}))
        self.decision = form.add(ChoiceField("Decision", {}))
        self.decision_date = form.add(DateField("Decision date"))
        self.decision_maker = form.add(TextField("Decision maker", placeholder="e.g. Independent Chair"))
        self.rationale = form.add(NoteField("Rationale", lines=3))
        self.framework_label = QLabel()
        self.framework_label.setWordWrap(True)
        form.add_widget("Framework", self.framework_label)
        self.panel_informed = form.add(DateField("National panel informed"))
        self.panel_response = form.add(DateField("Panel response"))
        self.panel_agreed = form.add(ChoiceField("Panel agreed", _yes_no()))
        self.status_note = form.add(TextField("Status note"))
        self.legal_hold = form.add(CheckField("Legal hold", "Keep beyond the retention period"))


        self.decision_date.edited.connect(self._refresh_decision_choices)
        self.received.edited.connect(self._refresh_decision_choices)
        for field in (self.aware, self.sin_submitted):
            field.edited.connect(self._show_notification_clock)
        self._load()
        self.finish_setup()
        self._show_notification_clock()

    # -- loading -----------------------------------------------------------------------------

    def _load(self) -> None:
        r = self.record
        if not r:
            existing = [row["ref"] for row in self.store.rows("SELECT ref FROM referrals")]
            self.ref.set_value(next_ref(existing, self._prefix, self._width))
            self._identifiers: list[dict] = []
        else:
            self.ref.set_value(r["ref"])
            self._identifiers = self.store.rows(
                "SELECT id, kind, value FROM restricted_identifiers WHERE referral_id = ? ORDER BY id",
                [self.record_id])
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
        agreed = r.get("panel_agreed")
        self.panel_agreed.set_value(None if agreed is None else str(int(agreed)))
        self.status_note.set_value(r.get("status_note"))
        self.legal_hold.set_value(r.get("legal_hold"))
        self._show_identifiers()

    # -- the framework -----------------------------------------------------------------------

    def framework(self):
        """The profile this referral's decision belongs to: its stamp once decided, else the one
        in force on the decision date (or the date received, or today)."""
        if self.record.get("framework"):
            return profile_for(self.store, self.record["framework"])
        when = self.decision_date.value() or self.received.value()
        return profile_in_force(when, self._jurisdiction)

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
        existing = self.store.row(
            "SELECT rv.id, rv.agreed_date, rv.status FROM review_referrals rr JOIN reviews rv ON rv.id = rr.review_id "
            "WHERE rr.referral_id = ? AND rv.review_type = ? ORDER BY rv.id DESC LIMIT 1",
            [self.record_id, statutory.RAPID_REVIEW]) if self.record_id else None
        if existing:
            started = format_date(date.fromisoformat(existing["agreed_date"])) if existing["agreed_date"] else "—"
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
            self.rapid_review_label.setText("Records the notification, plans days 0–15 and asks agencies for returns")
        return box

    def _show_notification_clock(self) -> None:
        draft = {"la_aware_date": self.aware.iso(), "sin_submitted_date": self.sin_submitted.iso(),
                 "framework": self.framework().code}
        clock = notification_clock(self.store, draft, today_for(self.store))
        if clock is None:
            self.notification_clock.setText("Give the date the local authority became aware to count the clock"
                                             if not self.aware.value() else "No notification clock in this framework")
            return
        text = clock["text"]
        if clock["notified"] is None:
            text = f"Not notified yet: due {format_date(clock['due'])}. {text}"
        self.notification_clock.setText(text)

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
            self.record = self.store.get("referrals", self.record_id)
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
        clash = self.store.scalar("SELECT id FROM referrals WHERE ref = ? AND id IS NOT ?",
                                  [ref, self.record_id])
        if clash is not None:
            raise InvalidValue("Ref", text, f"{ref} is already used by another referral")

    def cross_check(self) -> dict:
        found = {}
        decision, decided_on = self.decision.value(), self.decision_date.value()
        if decision and not decided_on:
            found[self.decision_date] = "is required when a decision is recorded"
        if decided_on and not decision:
            found[self.decision] = "choose the decision made on that date"
        received = self.received.value()
        if decided_on and received and decided_on < received:
            found[self.decision_date] = f"is before the referral was received ({format_date(received)})"
        if decision and decision not in self.framework().decision_codes:
            profile = self.framework()
            found[self.decision] = f"is not a decision under {profile.name}"
        aware, submitted = self.aware.value(), self.sin_submitted.value()
        if aware and submitted and submitted < aware:
            found[self.sin_submitted] = f"is before the LA became aware ({format_date(aware)})"
        return found

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
        agreed = self.panel_agreed.value()
        framework = self.record.get("framework")
        if self.decision.value() and not framework:
            framework = self.framework().code
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
            "framework": framework,
            "panel_informed_date": self.panel_informed.iso(),
            "panel_response_date": self.panel_response.iso(),
            "panel_agreed": None if agreed is None else int(agreed),
            "status_note": self.status_note.value(),
            "legal_hold": int(bool(self.legal_hold.value())),
        }

    def save(self) -> None:
        record = self.values_for_store()
        with self.store.transaction():
            if self.record_id is None:
                self.record_id = self.store.insert("referrals", record)
            else:
                changed = {k: v for k, v in record.items() if self.record.get(k) != v}
                self.store.update("referrals", self.record_id, changed)
            for identifier_id in self._removed_identifiers:
                self.store.delete("restricted_identifiers", identifier_id)
            for identifier in self._identifiers:
                if identifier.get("id") is None:
                    identifier["id"] = self.store.insert("restricted_identifiers", {
                        "referral_id": self.record_id, "kind": identifier["kind"],
                        "value": identifier["value"]})
        self._removed_identifiers = []
        self.saved_ref = record["ref"]
        self.saved.emit("referrals", self.record_id)


class IdentifierDialog(RecordDialog):
    """One restricted identifier; kept with the referral when the referral is saved."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Add restricted identifier", parent)
        self.resize(420, 200)
        self.kind = self.form.add(ChoiceField("Kind", values.RESTRICTED_KINDS, blank=None))
        self.value = self.form.add(TextField("Identifier", required=True))
        self.finish_setup()

    def save(self) -> None:
        """Nothing to write yet: the referral dialog saves identifiers with the referral."""
