"""Importing referrals and composite-plan actions from a tracker kept in Excel (.xlsx) or CSV.

Three steps, so the window can show a preview: `read_table` reads the file as it is,
`plan_import` checks every row against the data file and says what would change, and
`apply_import` writes the plan in one transaction (all or nothing). Nothing here knows about Qt.

Headings are matched loosely (case, spaces, underscores and punctuation ignored) against the
spellings people use in their trackers. A blank cell never clears a value already held: a tracker
that lacks a detail must not wipe it from the record.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from scrdesk.domain.errors import InvalidValue, ScrdeskError
from scrdesk.store.db import Store
from scrdesk.store.import_actions import ACTION_FIELDS, ActionPlanner, check_before_writing
from scrdesk.store.import_base import (
    FieldSpec,
    ImportPlan,
    ImportResult,
    PlannedInsert,
    PlannedUpdate,
    Progress,
    normalise_heading,
    tick,
)
from scrdesk.store.import_referrals import REFERRAL_FIELDS, ReferralPlanner
from scrdesk.store.tracker_files import RawTable, read_table

KINDS = ("referrals", "actions")
FIELDS: dict[str, dict[str, FieldSpec]] = {"referrals": REFERRAL_FIELDS, "actions": ACTION_FIELDS}
_PLANNERS = {"referrals": ReferralPlanner, "actions": ActionPlanner}


def _fields(kind: str) -> dict[str, FieldSpec]:
    try:
        return FIELDS[kind]
    except KeyError:
        raise ScrdeskError(f"Cannot import {kind!r}: choose one of {', '.join(KINDS)}.") from None


def guess_mapping(headings: list[str], kind: str) -> dict[str, int]:
    """field -> column index, from the headings; each column is used for one field at most."""
    specs = _fields(kind)
    columns = [normalise_heading(h) for h in headings]
    mapping: dict[str, int] = {}
    for attribute in ("spellings", "fallback"):
        for name, spec in specs.items():
            if name in mapping:
                continue
            for spelling in getattr(spec, attribute):
                wanted = normalise_heading(spelling)
                found = next((i for i, c in enumerate(columns)
                              if c == wanted and i not in mapping.values()), None)
                if found is not None:
                    mapping[name] = found
                    break
    return mapping


def _mapping_errors(raw: RawTable, kind: str, mapping: dict[str, int]) -> list[InvalidValue]:
    specs = _fields(kind)
    errors = []
    for name, column in mapping.items():
        if name not in specs:
            errors.append(InvalidValue("Column choice", name, f"is not a field of {kind}", row=1))
        elif not 0 <= column < len(raw.headings):
            errors.append(InvalidValue(specs[name].label, column, "points past the last column", row=1))
    headings = ", ".join(h for h in raw.headings if h) or "none"
    for name, spec in specs.items():
        if spec.required and name not in mapping:
            errors.append(InvalidValue(spec.label, None, "no column holds it, and it is needed for "
                                       f"every row (the headings found are: {headings})", row=1))
    return errors


def plan_import(store: Store, kind: str, raw: RawTable, mapping: dict[str, int] | None = None,
                progress: Progress | None = None) -> ImportPlan:
    """Check every row and work out what importing `raw` would add and change; write nothing."""
    mapping = dict(guess_mapping(raw.headings, kind) if mapping is None else mapping)
    plan = ImportPlan(kind, raw.file_name, mapping, notes=list(raw.notes), rows_read=len(raw.rows))
    used = set(mapping.values())
    plan.ignored_headings = [h for i, h in enumerate(raw.headings) if h and i not in used]
    plan.errors = _mapping_errors(raw, kind, mapping)
    if plan.errors:
        return plan
    planner = _PLANNERS[kind]
    planner(store, raw, mapping, plan).run(progress)
    return plan


# -- writing ---------------------------------------------------------------------------------

def apply_import(store: Store, plan: ImportPlan, progress: Progress | None = None) -> ImportResult:
    """Write the whole plan in one transaction: either every row goes in, or none does."""
    if plan.errors:
        raise ScrdeskError(f"{plan.file_name} has {len(plan.errors)} problem"
                           f"{'' if len(plan.errors) == 1 else 's'}, so nothing was imported; "
                           "correct the file and try again.")
    table = "referrals" if plan.kind == "referrals" else "actions"
    total = len(plan.inserts) + len(plan.updates)
    today = store.settings().today().isoformat()
    try:
        with store.bulk_pages(), store.transaction():
            if plan.kind == "actions":
                # The file may have changed since the plan was checked: the rules hold at the write.
                check_before_writing(store, plan)
            done = 0
            # Rows with nothing to add beside them go in together: one statement for a batch of
            # rows, and one for their audit entries, rather than a statement and a trigger each.
            for batch in _insert_batches(plan.inserts):
                if len(batch) > 1:
                    store.insert_batch(table, list(batch[0].values), (list(i.values.values()) for i in batch))
                else:
                    insert = batch[0]
                    row_id = store.db.execute(*_insert_sql(table, insert.values)).lastrowid
                    _add_identifiers(store, row_id, insert.identifiers)
                    if insert.update_note:
                        _log_update(store, row_id, today, insert.update_note, None, None)
                done += len(batch)
                tick(progress, done, total)
            for update in plan.updates:
                if update.changes:
                    store.update(table, update.row_id, update.changes)
                _add_identifiers(store, update.row_id, update.identifiers)
                if plan.kind == "actions" and ("status" in update.changes or update.update_note):
                    note = update.update_note or f"Status changed by import from {plan.file_name}"
                    _log_update(store, update.row_id, today, note, update.before.get("status"),
                                update.changes.get("status"))
                done += 1
                tick(progress, done, total)
    except sqlite3.IntegrityError as error:
        raise ScrdeskError(f"The data file changed since {plan.file_name} was checked ({error}); "
                           "nothing was imported. Check the file again and re-import.") from None
    return ImportResult(len(plan.inserts), len(plan.updates))


def _insert_batches(inserts: list, size: int = 5000):
    """The inserts grouped by the columns they fill (a tracker's rows fill different columns:
    an age in weeks or in years, a decision or none), in batches of at most `size`, each group
    in the file's order; an insert with restricted identifiers or an update note (which need
    its row's id) comes alone."""
    groups: dict[tuple, list] = {}
    for insert in inserts:
        if insert.identifiers or insert.update_note:
            yield [insert]
            continue
        group = groups.setdefault(tuple(insert.values), [])
        group.append(insert)
        if len(group) == size:
            yield group
            groups[tuple(insert.values)] = []
    for group in groups.values():
        if group:
            yield group


def _add_identifiers(store: Store, referral_id: int, identifiers: list[dict]) -> None:
    for identifier in identifiers:
        store.db.execute(*_insert_sql("restricted_identifiers", {"referral_id": referral_id, **identifier}))


def _log_update(store: Store, action_id: int, today: str, note: str,
                status_from: str | None, status_to: str | None) -> None:
    store.db.execute(*_insert_sql("action_updates", {
        "action_id": action_id, "date": today, "author": store.user, "note": note,
        "status_from": status_from, "status_to": status_to}))


def _insert_sql(table: str, record: Mapping[str, object]) -> tuple[str, list]:
    columns = ", ".join(f'"{c}"' for c in record)
    marks = ", ".join("?" for _ in record)
    return f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', list(record.values())


__all__ = [
    "FIELDS", "KINDS", "FieldSpec", "ImportPlan", "ImportResult", "PlannedInsert", "PlannedUpdate",
    "RawTable", "apply_import", "guess_mapping", "normalise_heading", "plan_import", "read_table",
]
