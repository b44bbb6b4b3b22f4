"""Audit history: what changed in a record, and the whole log filtered, in plain words.

Every insert, update and delete is in `audit_log` with the row's old and new values as JSON
(written by triggers: the whole row for an insert or a delete, only the changed columns for an
update). Here they become `HistoryEntry`s listing only the fields that changed.
The value of a restricted identifier (a child's name, date of birth, address, case number) is
shown as "••••" unless `reveal=True`, and the global log's text search never looks inside those
rows unless revealing, so searching for a name cannot betray that it is on file.
All filtering and paging happens in SQL: the audit log of a busy file is large.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from scrdesk.domain.dates import format_date
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.fields import PROFILE_FIELDS, YES_NO_FIELDS, field_label, list_label
from scrdesk.domain.profiles import get_profile
from scrdesk.store.db import Store

MASK = "••••"

#: Fields whose values are never shown without `reveal` (table -> fields).
RESTRICTED_FIELDS = {"restricted_identifiers": frozenset({"value"})}

#: Bookkeeping columns that change on every save and say nothing to a person.
QUIET_FIELDS = frozenset({"id", "created_at", "updated_at"})

TABLE_LABELS = {
    "settings": "Setting",
    "agencies": "Agency",
    "referrals": "Referral",
    "restricted_identifiers": "Restricted identifier",
    "reviews": "Review",
    "review_referrals": "Review link",
    "parallel_proceedings": "Parallel proceeding",
    "review_delays": "Review delay",
    "milestones": "Milestone",
    "agency_returns": "Agency return",
    "recommendations": "Recommendation",
    "actions": "Action",
    "action_updates": "Action update",
    "attachments": "Attachment",
    "briefings": "Briefing",
    "briefing_sections": "Briefing section",
    "disseminations": "Dissemination",
    "learning_events": "Learning event",
    "meetings": "Meeting",
    "document_log": "Document issued",
}

ACTION_LABELS = {"insert": "Created", "update": "Changed", "delete": "Deleted"}

#: The field that names a record best, tried in order (kinds and dates are added after).
_NAMING_FIELDS = ("ref", "title", "name", "key", "file_name", "number")

#: Columns that point at another record, and the field that names it.
LINKS = {
    "agency_id": ("agencies", "name"),
    "referring_agency_id": ("agencies", "name"),
    "review_id": ("reviews", "title"),
    "referral_id": ("referrals", "ref"),
    "recommendation_id": ("recommendations", "number"),
    "briefing_id": ("briefings", "title"),
}

_SHOWN_TEXT = 80


@dataclass(frozen=True)
class HistoryEntry:
    at: str  # ISO UTC, as stored
    who: str
    action: str  # "insert" | "update" | "delete"
    changes: list[tuple[str, object, object]] = field(default_factory=list)  # (field, old, new)
    table: str = ""
    row_id: int | None = None
    audit_id: int = 0
    record: str = ""  # "Referral Ref053"
    #: The same changes as a person reads them: (field label, before, after), codes as labels,
    #: linked records by name, dates as "31 Mar 2017".
    shown: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def when(self) -> datetime:
        """Local time of the change."""
        return datetime.fromisoformat(self.at.replace("Z", "+00:00")).astimezone()

    def when_text(self) -> str:
        moment = self.when
        return f"{format_date(moment.date())} {moment.strftime('%H:%M')}"

    def summary(self) -> str:
        """'Created' / 'Deleted' / 'Status: Agreed → Underway; Target date: blank → 31 Mar 2017'."""
        if self.action != "update":
            return self.action_label
        if not self.shown:
            return "Saved with no change"
        return "; ".join(f"{label}: {before} → {after}" for label, before, after in self.shown)

    def details(self) -> list[str]:
        """One line per field: 'Status: Agreed → Underway', or 'Summary: Neglect' for a record
        created or deleted (its values then, blanks left out)."""
        if self.action == "update":
            return [f"{label}: {before} → {after}" for label, before, after in self.shown]
        return [f"{label}: {after if self.action == 'insert' else before}"
                for label, before, after in self.shown]


def format_value(value: object) -> str:
    if value is None or value == "":
        return "blank"
    if isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            pass
        return value if len(value) <= _SHOWN_TEXT else value[: _SHOWN_TEXT - 1] + "…"
    return str(value)


def _loads(text: str | None) -> dict:
    if not text:
        return {}
    try:
        loaded = json.loads(text)
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _mask(table: str, name: str, value: object, reveal: bool) -> object:
    if not reveal and value not in (None, "") and name in RESTRICTED_FIELDS.get(table, ()):
        return MASK
    return value


def changes_between(table: str, old: dict, new: dict, *,
                    reveal: bool = False) -> list[tuple[str, object, object]]:
    """Only the fields that differ; for a created or deleted record, every field with a value."""
    names = list(new) + [n for n in old if n not in new]
    found = []
    for name in names:
        if name in QUIET_FIELDS:
            continue
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        found.append((name, _mask(table, name, before, reveal), _mask(table, name, after, reveal)))
    return found


def record_label(table: str, row: dict, row_id: int | None) -> str:
    """'Referral Ref053', 'Meeting SCR sub group 12 Jan 2017', 'Restricted identifier (name)'."""
    kind = TABLE_LABELS.get(table, field_label(table))
    if table == "restricted_identifiers":
        return f"{kind} ({(list_label(table, 'kind', row.get('kind') or 'other') or '').lower()})"
    for name in _NAMING_FIELDS:
        if row.get(name) not in (None, ""):
            return f"{kind} {format_value(str(row[name]))}"
    parts = []
    if row.get("kind"):
        parts.append(list_label(table, "kind", row["kind"]) or str(row["kind"]))
    for name in ("date", "planned_date", "actual_date"):
        if row.get(name):
            parts.append(format_value(str(row[name])))
            break
    if not parts and row.get("text"):
        parts.append(f"“{format_value(str(row['text']))[:60]}”")
    return " ".join([kind, *parts]) if parts else (f"{kind} {row_id}" if row_id is not None else kind)


class _Reader:
    """Turns stored values into words, looking linked records up once per listing."""

    def __init__(self, store: Store):
        self.store = store
        self._names: dict[tuple[str, int], str] = {}
        self._records: dict[tuple[str, int], dict] = {}
        self._profile = None

    def profile(self):
        if self._profile is None:
            try:
                self._profile = get_profile(str(self.store.settings().default_framework))
            except ScrdeskError:
                self._profile = False  # an unknown profile: show the codes themselves
        return self._profile

    def whole_record(self, table: str, row_id: int | None) -> dict:
        """The record as it is now, or as last written whole (inserted or deleted): an update's
        entry holds only what changed, and its record is named by the rest."""
        if row_id is None:
            return {}
        key = (table, int(row_id))
        if key not in self._records:
            found = self.store.row(f'SELECT * FROM "{table}" WHERE id = ?', [row_id])
            if found is None:
                image = self.store.scalar(
                    "SELECT coalesce(old, new) FROM audit_log WHERE tbl = ? AND row_id = ? AND "
                    "action IN ('insert', 'delete') ORDER BY id DESC LIMIT 1", [table, row_id])
                found = _loads(image)
            self._records[key] = found
        return self._records[key]

    def linked(self, name: str, value: object) -> str:
        table, naming = LINKS[name]
        key = (table, int(value))
        if key not in self._names:
            found = self.store.scalar(f'SELECT "{naming}" FROM "{table}" WHERE id = ?', [value])
            self._names[key] = str(found) if found not in (None, "") else f"{TABLE_LABELS[table]} {value}"
        return self._names[key]

    def value(self, table: str, name: str, value: object) -> str:
        if value is None or value == "" or value == MASK:
            return "blank" if value in (None, "") else MASK
        if name in YES_NO_FIELDS:
            return "Yes" if value in (1, True, "1") else "No"
        if name in LINKS and isinstance(value, int):
            return self.linked(name, value)
        if name in PROFILE_FIELDS and self.profile():
            return self.profile().label(str(value))
        labelled = list_label(table, name, value)
        return labelled if labelled is not None else format_value(value)

    def shown(self, table: str, action: str,
              changes: list[tuple[str, object, object]]) -> list[tuple[str, str, str]]:
        found = []
        for name, before, after in changes:
            if action != "update" and name in YES_NO_FIELDS and not (before or after):
                continue  # "Legal hold: No" on every new record is noise
            found.append((field_label(name), self.value(table, name, before),
                          self.value(table, name, after)))
        return found


def _naming_row(row: dict, old: dict, new: dict, reader: _Reader) -> dict:
    if row["action"] != "update":
        return new or old
    return {**reader.whole_record(row["tbl"], row["row_id"]), **new}


def _entry(row: dict, reveal: bool, reader: _Reader) -> HistoryEntry:
    old, new = _loads(row["old"]), _loads(row["new"])
    changes = changes_between(row["tbl"], old, new, reveal=reveal)
    return HistoryEntry(
        at=row["at"], who=row["who"], action=row["action"], changes=changes,
        table=row["tbl"], row_id=row["row_id"], audit_id=row["id"],
        record=record_label(row["tbl"], _naming_row(row, old, new, reader), row["row_id"]),
        shown=reader.shown(row["tbl"], row["action"], changes),
    )


_COLUMNS = "id, at, who, tbl, row_id, action, old, new"


def record_history(store: Store, table: str, row_id: int, *,
                   reveal: bool = False) -> list[HistoryEntry]:
    """Every change to one record, oldest first (uses the (tbl, row_id) index)."""
    rows = store.rows(f"SELECT {_COLUMNS} FROM audit_log WHERE tbl = ? AND row_id = ? ORDER BY id",
                      [table, row_id])
    reader = _Reader(store)
    return [_entry(row, reveal, reader) for row in rows]


def history_of_rows(store: Store, table: str, row_ids: Iterable[int], *,
                    reveal: bool = False) -> list[HistoryEntry]:
    """Every change to any of several records of one table, oldest first."""
    ids = sorted(set(row_ids))
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    rows = store.rows(f"SELECT {_COLUMNS} FROM audit_log WHERE tbl = ? AND row_id IN ({marks}) "
                      "ORDER BY id", [table, *ids])
    reader = _Reader(store)
    return [_entry(row, reveal, reader) for row in rows]


def rows_ever_linked(store: Store, table: str, column: str, ids: Iterable[int]) -> set[int]:
    """Ids of `table` rows whose audited values ever had `column` in `ids`, deleted ones too."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    marks = ", ".join("?" for _ in wanted)
    return {int(r["row_id"]) for r in store.rows(
        f"SELECT DISTINCT row_id FROM audit_log WHERE tbl = ? AND "
        f"json_extract(coalesce(new, old), '$.{column}') IN ({marks})", [table, *wanted])}


def _local_day_start(day: date | str) -> str:
    if isinstance(day, str):
        day = date.fromisoformat(day)
    moment = datetime.combine(day, time.min).astimezone()  # local midnight, as people mean it
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _where(who: str | None, table: str | None, since: date | str | None,
           until: date | str | None, text: str | None, reveal: bool) -> tuple[str, list]:
    clauses, params = [], []
    if who:
        clauses.append("who = ?")
        params.append(who)
    if table:
        clauses.append("tbl = ?")
        params.append(table)
    # Each bound twice: on the UTC day, which the audit log's day index answers, then exactly.
    if since:
        start = _local_day_start(since)
        clauses.append("substr(at, 1, 10) >= ? AND at >= ?")
        params += [start[:10], start]
    if until:
        end = date.fromisoformat(until) if isinstance(until, str) else until
        stop = _local_day_start(end + timedelta(days=1))
        clauses.append("substr(at, 1, 10) <= ? AND at < ?")
        params += [stop[:10], stop]
    if text and text.strip():
        like = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        searched = "(old LIKE ? ESCAPE '\\' OR new LIKE ? ESCAPE '\\' OR who LIKE ? ESCAPE '\\')"
        if not reveal:
            restricted = ", ".join(f"'{t}'" for t in RESTRICTED_FIELDS)
            searched = f"({searched} AND tbl NOT IN ({restricted}))"
        clauses.append(searched)
        params += [like, like, like]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def audit_entries(store: Store, who: str | None = None, table: str | None = None,
                  since: date | str | None = None, until: date | str | None = None,
                  text: str | None = None, limit: int = 200, offset: int = 0, *,
                  reveal: bool = False) -> list[HistoryEntry]:
    """One page of the audit log, newest first; `since`/`until` are local dates, inclusive."""
    where, params = _where(who, table, since, until, text, reveal)
    rows = store.rows(f"SELECT {_COLUMNS} FROM audit_log{where} ORDER BY id DESC LIMIT ? OFFSET ?",
                      [*params, int(limit), int(offset)])
    reader = _Reader(store)
    return [_entry(row, reveal, reader) for row in rows]


def count_audit_entries(store: Store, who: str | None = None, table: str | None = None,
                        since: date | str | None = None, until: date | str | None = None,
                        text: str | None = None, *, reveal: bool = False) -> int:
    where, params = _where(who, table, since, until, text, reveal)
    return int(store.scalar(f"SELECT count(*) FROM audit_log{where}", params))


def audit_people(store: Store) -> list[str]:
    """Everyone who has changed something, for the "Who" filter."""
    return [r["who"] for r in store.rows("SELECT DISTINCT who FROM audit_log ORDER BY who")]


def audit_tables(store: Store) -> list[tuple[str, str]]:
    """(table, label) of every kind of record in the log, for the "Record" filter."""
    found = [r["tbl"] for r in store.rows("SELECT DISTINCT tbl FROM audit_log")]
    return sorted(((t, TABLE_LABELS.get(t, field_label(t))) for t in found), key=lambda p: p[1])
