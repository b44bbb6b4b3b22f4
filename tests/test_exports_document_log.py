"""Exports from a read-only open are recorded (issue 12, item 10): queued beside the data file and
moved into the audited document log by the next writer, never silently unrecorded."""

from __future__ import annotations

import json

from test_exports_sample import make_sample

from scrdesk import exports
from scrdesk.store import document_log
from scrdesk.store.db import Store


def _reader(store):
    return Store.open(store.path, readonly=True, user="reader")


def test_two_read_only_exports_queue_two_rows_and_one_flush_records_both(store, tmp_path):
    make_sample(store)
    reader = _reader(store)
    try:
        exports.export_paper(reader, tmp_path / "p.pdf")
        exports.export_actions(reader, tmp_path / "a.xlsx")
    finally:
        reader.close()
    queued = [json.loads(line) for line in document_log.pending_path(store.path).read_text().splitlines() if line]
    assert [q["file_name"] for q in queued] == ["p.pdf", "a.xlsx"] and all(q["queued_at"] for q in queued)
    assert document_log.flush_pending(store) == 2
    rows = store.rows("SELECT kind, file_name, produced_by, created_at, sha256 FROM document_log ORDER BY id")
    assert [(r["kind"], r["file_name"], r["produced_by"]) for r in rows] == [
        ("paper", "p.pdf", "reader"), ("actions", "a.xlsx", "reader")]
    # Kept as released: the time it left, and the fingerprint of what left.
    assert [r["created_at"] for r in rows] == [q["queued_at"] for q in queued]
    assert rows[0]["sha256"] == __import__("hashlib").sha256((tmp_path / "p.pdf").read_bytes()).hexdigest()
    assert document_log.flush_pending(store) == 0


def test_a_flush_cut_short_is_finished_by_the_next_one_and_nothing_is_lost(store, tmp_path):
    make_sample(store)
    path = document_log.pending_path(store.path)
    moving = path.with_name(path.name + ".moving")
    document_log.queue(store.path, {"kind": "paper", "file_name": "earlier.pdf", "produced_by": "reader"})
    path.rename(moving)  # as a flush leaves it when it stops after renaming
    document_log.queue(store.path, {"kind": "briefing", "file_name": "later.pdf", "produced_by": "reader"})
    with moving.open("ab") as handle:
        handle.write(b'{"kind": "annual", "file_na')  # a line cut short by a full disk
    assert document_log.flush_pending(store) == 3
    names = [r["file_name"] for r in store.rows("SELECT file_name FROM document_log ORDER BY id")]
    assert names[0] == "earlier.pdf" and names[1].startswith("(unreadable queued entry") and names[2] == "later.pdf"
    assert not path.exists() and not moving.exists()


def test_a_writable_open_records_a_read_only_print_queue_before_its_own_print(store, tmp_path):
    make_sample(store)
    reader = _reader(store)
    try:
        exports.record_printing(reader, exports.render_paper(reader), "Office printer")
    finally:
        reader.close()
    assert store.rows("SELECT * FROM document_log") == []
    exports.record_printing(store, exports.render_paper(store), "Office printer")
    assert [r["produced_by"] for r in store.rows("SELECT produced_by FROM document_log ORDER BY id")] == [
        "reader", "tester"]


def test_a_read_only_store_never_flushes(store):
    make_sample(store)
    document_log.queue(store.path, {"kind": "paper", "file_name": "p.pdf"})
    reader = _reader(store)
    try:
        assert document_log.flush_pending(reader) == 0
    finally:
        reader.close()
    assert document_log.pending_path(store.path).exists()


def test_the_next_writer_to_open_the_file_records_the_queue(store, tmp_path):
    make_sample(store)
    reader = _reader(store)
    try:
        exports.export_paper(reader, tmp_path / "p.pdf")
    finally:
        reader.close()
    path = store.path
    store.close()
    with Store.open(path) as writer:
        assert [r["file_name"] for r in writer.rows("SELECT file_name FROM document_log")] == ["p.pdf"]
    assert not document_log.pending_path(path).exists()
