"""Audit history of a record and the filtered, paged audit log."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from scrdesk.store import history
from scrdesk.store.db import Store


@pytest.fixture
def case(store):
    referral = store.insert("referrals", {"ref": "Ref053", "summary": "Neglect",
                                          "received_date": "2017-02-05"})
    identifier = store.insert("restricted_identifiers",
                              {"referral_id": referral, "kind": "name", "value": "Fictional Child"})
    store.update("referrals", referral, {"summary": "Extreme neglect", "decision": "SCR"})
    store.update("restricted_identifiers", identifier, {"value": "Fictional Child B"})
    return {"referral": referral, "identifier": identifier}


def test_a_records_history_lists_only_what_changed(store, case):
    entries = history.record_history(store, "referrals", case["referral"])
    assert [e.action_label for e in entries] == ["Created", "Changed"]
    created, changed = entries
    assert ("ref", None, "Ref053") in created.changes
    assert changed.changes == [("summary", "Neglect", "Extreme neglect"), ("decision", None, "SCR")]
    assert changed.who == "tester" and changed.record == "Referral Ref053"
    assert changed.summary() == "Summary: Neglect → Extreme neglect; Decision: blank → Serious Case Review"
    assert changed.changes[-1] == ("decision", None, "SCR")  # stored codes stay codes
    assert all(name not in ("updated_at", "created_at", "id") for e in entries for name, _, _ in e.changes)


def test_dates_read_as_people_write_them(store, case):
    store.update("referrals", case["referral"], {"received_date": "2017-03-31"})
    last = history.record_history(store, "referrals", case["referral"])[-1]
    assert last.summary() == "Received date: 5 Feb 2017 → 31 Mar 2017"


def test_restricted_identifiers_are_masked_unless_revealed(store, case):
    masked = history.record_history(store, "restricted_identifiers", case["identifier"])
    assert masked[-1].changes == [("value", history.MASK, history.MASK)]
    assert "Fictional" not in repr(masked)
    revealed = history.record_history(store, "restricted_identifiers", case["identifier"], reveal=True)
    assert revealed[-1].changes == [("value", "Fictional Child", "Fictional Child B")]
    assert masked[0].record == "Restricted identifier (name)"


def test_searching_the_log_cannot_find_a_restricted_value(store, case):
    assert history.count_audit_entries(store, text="Fictional Child") == 0
    assert history.audit_entries(store, text="Fictional") == []
    assert history.count_audit_entries(store, text="Fictional Child", reveal=True) == 2
    assert history.count_audit_entries(store, text="Extreme") == 1


def test_deleted_records_keep_their_history(store, case):
    agency = store.insert("agencies", {"name": "Northshire Police"})
    store.delete("agencies", agency)
    entries = history.record_history(store, "agencies", agency)
    assert [e.action_label for e in entries] == ["Created", "Deleted"]
    assert entries[-1].record == "Agency Northshire Police"
    assert ("name", "Northshire Police", None) in entries[-1].changes


def test_audit_log_filters_in_sql(tmp_path):
    path = tmp_path / "cases.db"
    with Store.open(path, user="sam") as store:
        store.insert("agencies", {"name": "Police"})
    with Store.open(path, user="alex") as store:
        store.insert("agencies", {"name": "Health"})
        store.insert("referrals", {"ref": "Ref001"})
        assert {e.who for e in history.audit_entries(store, who="alex")} == {"alex"}
        assert [e.record for e in history.audit_entries(store, who="alex", table="agencies")] == [
            "Agency Health"]
        assert history.count_audit_entries(store, table="referrals") == 1
        today = date.today()
        assert history.count_audit_entries(store, since=today, until=today) == \
            history.count_audit_entries(store)
        assert history.count_audit_entries(store, until=today - timedelta(days=1)) == 0
        assert history.count_audit_entries(store, since=today + timedelta(days=1)) == 0
        assert "sam" in history.audit_people(store) and "alex" in history.audit_people(store)
        assert ("referrals", "Referral") in history.audit_tables(store)


def test_audit_log_pages_newest_first(store):
    for n in range(25):
        store.insert("agencies", {"name": f"Agency {n:02d}"})
    first = history.audit_entries(store, table="agencies", limit=10)
    second = history.audit_entries(store, table="agencies", limit=10, offset=10)
    assert [e.record for e in first][:2] == ["Agency Agency 24", "Agency Agency 23"]
    assert first[-1].audit_id > second[0].audit_id
    assert len(history.audit_entries(store, table="agencies", limit=10, offset=20)) == 5


def test_wildcards_in_the_search_text_are_literal(store):
    store.insert("agencies", {"name": "100% Health"})
    store.insert("agencies", {"name": "1000 Health"})
    assert [e.record for e in history.audit_entries(store, text="100%")] == ["Agency 100% Health"]


def test_the_filters_use_the_audit_index(store):
    plan = " ".join(r["detail"] for r in store.rows(
        "EXPLAIN QUERY PLAN SELECT id FROM audit_log WHERE tbl = ? AND row_id = ?", ["agencies", 1]))
    assert "idx_audit_row" in plan
    assert isinstance(store.db.conn, sqlite3.Connection)
