"""The schema, pragmas, audit triggers and the hash chain."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest

from scrdesk.store import schema
from scrdesk.store.audit import verify_chain
from scrdesk.store.db import ReadOnlyError, Store, StoreError


def trigger_names(store) -> set[str]:
    return {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def test_every_audited_table_has_its_triggers_after_all_migrations(store):
    # sqlite-utils transform() drops triggers silently; this catches a migration that forgot them.
    expected = schema.expected_triggers(store.db)
    assert trigger_names(store) == expected
    for table in ["referrals", "reviews", "actions", "action_updates", "attachments", "agencies",
                  "briefings", "briefing_sections", "disseminations", "learning_events", "meetings",
                  "milestones", "recommendations", "restricted_identifiers", "settings",
                  "review_referrals", "review_delays", "parallel_proceedings", "agency_returns"]:
        assert {f"audit_{table}_insert", f"audit_{table}_update", f"audit_{table}_delete"} <= expected


def test_every_audit_trigger_records_every_current_column(store):
    # A column added by ALTER TABLE after the triggers were made would go unaudited.
    sql = {r["name"]: r["sql"] for r in store.rows("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    for table in schema.audited_tables(store.db):
        for column in schema.columns_of(store.db, table):
            if column in schema.UNAUDITED_COLUMNS:
                continue
            for action in ("insert", "delete"):
                assert f"'{column}', " in sql[f"audit_{table}_{action}"], (table, column, action)
            # An update records the columns it changed: each one is compared and written.
            assert f'OLD."{column}" IS NOT NEW."{column}"' in sql[f"audit_{table}_update"], (table, column)


def test_pragmas_are_read_back(store):
    conn = store.db.conn
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_random_writes_each_leave_one_audit_row(store):
    rng = random.Random(7)
    before = store.scalar("SELECT count(*) FROM audit_log")
    ids: list[int] = []
    operations = 0
    for n in range(150):
        choice = rng.random()
        if choice < 0.5 or not ids:
            ids.append(store.insert("agencies", {"name": f"Agency {n}", "type": "other"}))
        elif choice < 0.8:
            store.update("agencies", rng.choice(ids), {"lead_name": f"Lead {n}"})
        else:
            store.delete("agencies", ids.pop(rng.randrange(len(ids))))
        operations += 1
    assert store.scalar("SELECT count(*) FROM audit_log") - before == operations
    checked, problems = verify_chain(store.db.conn)
    assert checked == operations + before and problems == []


def test_audit_row_records_who_what_and_values(store):
    agency = store.insert("agencies", {"name": "Police", "type": "police"})
    store.update("agencies", agency, {"short_name": "Pol"})
    last = store.row("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1")
    assert (last["who"], last["tbl"], last["row_id"], last["action"]) == ("tester", "agencies", agency, "update")
    assert '"short_name":null' in last["old"] and '"short_name":"Pol"' in last["new"]


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET who = 'x'", "DELETE FROM audit_log"])
def test_audit_log_refuses_changes(store, statement):
    store.insert("agencies", {"name": "Police"})
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute(statement)


def test_tampered_audit_row_is_found(store):
    for n in range(5):
        store.insert("agencies", {"name": f"A{n}"})
    store.db.execute("DROP TRIGGER audit_log_no_update")
    store.db.execute("UPDATE audit_log SET new = replace(new, 'A2', 'A9') WHERE new LIKE '%A2%'")
    _, problems = verify_chain(store.db.conn)
    assert len(problems) == 1 and "do not match their seal" in str(problems[0])


def test_removed_audit_row_breaks_the_chain(store):
    for n in range(5):
        store.insert("agencies", {"name": f"A{n}"})
    store.db.execute("DROP TRIGGER audit_log_no_delete")
    store.db.execute("DELETE FROM audit_log WHERE id = (SELECT max(id) - 2 FROM audit_log)")
    _, problems = verify_chain(store.db.conn)
    assert len(problems) == 1 and "are gone: rows were removed" in str(problems[0])


def test_a_row_removed_from_a_transaction_of_several_breaks_its_seal(store):
    store.insert_many("agencies", ({"name": f"A{n}"} for n in range(5)))
    store.db.execute("DROP TRIGGER audit_log_no_delete")
    store.db.execute("DELETE FROM audit_log WHERE id = (SELECT max(id) - 2 FROM audit_log)")
    _, problems = verify_chain(store.db.conn)
    assert len(problems) == 1 and "do not match their seal" in str(problems[0])


def test_a_row_added_to_the_log_is_unsealed(store):
    # Sealed rows' ids run on without gaps, so an added row can only come after them.
    store.insert_many("agencies", ({"name": f"A{n}"} for n in range(3)))
    store.db.execute("INSERT INTO audit_log (at, who, tbl, row_id, action, new) VALUES "
                     "('2026-01-01T00:00:00.000Z', 'x', 'agencies', 98, 'insert', '{}')")
    _, problems = verify_chain(store.db.conn)
    assert len(problems) == 1 and "is not sealed" in str(problems[0])


def test_failed_batch_leaves_nothing(store):
    before = store.scalar("SELECT count(*) FROM agencies")
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.insert("agencies", {"name": "One"})
        store.insert("agencies", {"name": "One"})  # UNIQUE name
    assert store.scalar("SELECT count(*) FROM agencies") == before


def test_read_only_store_refuses_writes(tmp_path):
    Store.open(tmp_path / "f.db").close()
    with Store.open(tmp_path / "f.db", readonly=True) as ro:
        assert ro.readonly
        with pytest.raises(ReadOnlyError):
            ro.insert("agencies", {"name": "X"})


def test_newer_schema_opens_read_only(tmp_path):
    path = tmp_path / "newer.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('scrdesk', '9999_from_the_future', 'x')")
    conn.commit()
    conn.close()
    with Store.open(path) as opened:
        assert opened.readonly and "newer scrdesk" in opened.readonly_reason


def test_a_foreign_file_is_refused_with_a_message(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"This is not a database, just some text someone saved. " * 100)
    with pytest.raises(StoreError, match="is not a scrdesk data file"):
        Store.open(path)


def test_settings_round_trip(store):
    store.set_setting("board_name", "Northshire Safeguarding Children Partnership")
    assert store.settings().board_name == "Northshire Safeguarding Children Partnership"
    assert store.settings().monitoring_cadence_days == 14


def test_a_batch_gets_the_same_audit_entries_as_rows_inserted_one_by_one(store):
    store.insert_many("agencies", [{"name": "One", "short_name": "1"}, {"name": "Two"}])
    store.insert_batch("agencies", ["name", "short_name"], [("Three", "3"), ("Four", None)])
    entries = store.rows("SELECT row_id, action, who, new FROM audit_log WHERE tbl = 'agencies' ORDER BY id")
    shapes = [json.loads(e["new"]).keys() for e in entries]
    assert [e["action"] for e in entries] == ["insert"] * 4 and len({tuple(k) for k in shapes}) == 1
    assert [json.loads(e["new"])["name"] for e in entries] == ["One", "Two", "Three", "Four"]
    assert {e["who"] for e in entries} == {store.user}
    assert verify_chain(store.db.conn)[1] == []
    from scrdesk.store.anchor import unaudited_changes

    assert unaudited_changes(store.db.conn) == []


def test_a_batch_that_fails_part_way_leaves_no_row_without_its_entry(store):
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.insert_batch("agencies", ["name"], [("Same",), ("Other",), ("Same",)])  # name is unique
    assert store.scalar("SELECT count(*) FROM agencies WHERE name IN ('Same', 'Other')") == 0
    # Caught inside the transaction and committed anyway: what went in is audited.
    with store.transaction(), pytest.raises(sqlite3.IntegrityError):
        store.insert_batch("agencies", ["name"], [("Kept",), ("Kept",)])
    assert store.scalar("SELECT count(*) FROM agencies WHERE name = 'Kept'") == 1
    from scrdesk.store.anchor import unaudited_changes

    assert unaudited_changes(store.db.conn) == [] and verify_chain(store.db.conn)[1] == []


def test_the_batch_switch_covers_only_its_own_table(store):
    # The insert trigger of every other table still writes its own entries during a batch.
    store._row_audit.batch_table = "agencies"
    try:
        assert store.scalar("SELECT scrdesk_row_audit('referrals')") == 1
        assert store.scalar("SELECT scrdesk_row_audit('agencies')") == 0
    finally:
        store._row_audit.batch_table = None
