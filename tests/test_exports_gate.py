"""The anonymisation gate: restricted identifiers block every export, saying where; an override
needs a reason, which the document log (an audited table) keeps."""

from __future__ import annotations

import json

import pytest
from test_exports_sample import make_sample

from scrdesk import exports
from scrdesk.documents.anonymise import IdentifiersFound


def _plant_name_in_findings(store, briefing_id: int, text: str = "Bethan  ZYX was seen by the GP.") -> None:
    section = store.row("SELECT id FROM briefing_sections WHERE briefing_id = ? AND key = 'findings'", [briefing_id])
    store.update("briefing_sections", section["id"], {"body": text})


def test_a_clean_briefing_is_released_and_logged_by_ref(store, tmp_path):
    make_sample(store)
    result = exports.export_briefing(store, "Ref021", tmp_path / "b.pdf")
    assert result.identifier_hits == [] and result.path.exists()
    [row] = store.rows("SELECT * FROM document_log")
    assert row["kind"] == "briefing" and row["subject"] == "Ref021" and row["file_name"] == "b.pdf"
    assert row["identifier_hits"] == 0 and row["override_reason"] is None and row["produced_by"] == "tester"
    assert row["pages"] == result.pages and len(row["sha256"]) == 64


def test_a_name_in_a_section_blocks_the_export_and_says_where(store, tmp_path):
    ids = make_sample(store)
    _plant_name_in_findings(store, ids["briefing"])
    with pytest.raises(IdentifiersFound) as caught:
        exports.export_briefing(store, "Ref021", tmp_path / "b.pdf")
    assert [h.describe() for h in caught.value.hits] == ["a name in The Findings"]
    assert not (tmp_path / "b.pdf").exists()
    assert store.rows("SELECT * FROM document_log") == []


def test_a_blank_reason_does_not_override(store, tmp_path):
    ids = make_sample(store)
    _plant_name_in_findings(store, ids["briefing"])
    with pytest.raises(IdentifiersFound):
        exports.export_briefing(store, "Ref021", tmp_path / "b.pdf", override_reason="   ")


def test_an_override_with_a_reason_is_released_and_audited(store, tmp_path):
    ids = make_sample(store)
    _plant_name_in_findings(store, ids["briefing"])
    result = exports.export_briefing(store, "Ref021", tmp_path / "b.pdf",
                                     override_reason="Name is the parent's, published by the court")
    assert len(result.identifier_hits) == 1 and result.path.exists()
    [row] = store.rows("SELECT * FROM document_log")
    assert row["identifier_hits"] == 1
    assert row["override_reason"] == "Name is the parent's, published by the court"
    audit = store.row("SELECT * FROM audit_log WHERE tbl = 'document_log' AND action = 'insert'")
    assert json.loads(audit["new"])["override_reason"] == "Name is the parent's, published by the court"


def test_a_date_of_birth_written_another_way_in_the_paper_blocks_it_naming_the_row(store, tmp_path):
    ids = make_sample(store)
    store.update("referrals", ids["r58"], {"summary": "Born 1st December 2014 – neglect"})
    with pytest.raises(IdentifiersFound) as caught:
        exports.export_paper(store, tmp_path / "p.pdf")
    assert caught.value.hits[0].describe() == "a date of birth in New referrals, row 1 (Ref058), Summary"


def test_the_file_name_is_checked_too(store, tmp_path):
    make_sample(store)
    with pytest.raises(IdentifiersFound, match="the file name"):
        exports.export_paper(store, tmp_path / "bethan-zyx.pdf")


@pytest.mark.parametrize("call", [
    lambda s, d: exports.export_actions(s, d / "a.pdf"),
    lambda s, d: exports.export_actions(s, d / "a.xlsx"),
    lambda s, d: exports.export_timeline(s, None, d / "t.pdf"),
    lambda s, d: exports.export_chasers(s, d),
])
def test_every_kind_of_export_is_checked(store, tmp_path, call):
    ids = make_sample(store)
    store.update("actions", ids["a_overdue"], {"text": "Visit Bethan Zyx at home"})
    store.update("reviews", ids["v53"], {"lead_reviewer": "Bethan Zyx"})
    # A review with no linked referral is shown by its title, on the timeline too.
    store.insert("reviews", {"title": "Bethan Zyx learning review", "review_type": "THEMATIC", "status": "underway",
                             "agreed_date": "2017-05-01"})
    with pytest.raises(IdentifiersFound):
        call(store, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("test.db")) == []


def test_the_annual_json_is_checked(store, tmp_path):
    ids = make_sample(store)
    store.update("referrals", ids["r53"], {"summary": "Neglect of Bethan Zyx"})
    with pytest.raises(IdentifiersFound, match="report.referrals.list"):
        exports.export_annual(store, 2016, tmp_path / "a.json")


def test_a_read_only_export_is_queued_then_recorded_by_the_next_writer_but_never_overrides(store, tmp_path):
    from scrdesk.domain.errors import ScrdeskError
    from scrdesk.store import document_log
    from scrdesk.store.db import Store

    ids = make_sample(store)
    reader = Store.open(store.path, readonly=True, user="reader")
    try:
        result = exports.export_paper(reader, tmp_path / "p.pdf")
        assert any("queued for the document log" in w for w in result.warnings)
        assert document_log.pending_path(store.path).exists()
        assert store.rows("SELECT * FROM document_log") == []
        # The next export from a writable open writes the queued row first.
        exports.export_briefing(store, "Ref021", tmp_path / "b0.pdf")
        rows = store.rows("SELECT kind, file_name, produced_by, sha256 FROM document_log ORDER BY id")
        assert [(r["kind"], r["file_name"], r["produced_by"]) for r in rows] == [
            ("paper", "p.pdf", "reader"), ("briefing", "b0.pdf", "tester")]
        assert not document_log.pending_path(store.path).exists()
        assert store.scalar("SELECT count(*) FROM audit_log WHERE tbl = 'document_log'") == 2
        _plant_name_in_findings(store, ids["briefing"])
        with pytest.raises(ScrdeskError, match="read-only"):
            exports.export_briefing(reader, "Ref021", tmp_path / "b.pdf", override_reason="a reason")
        assert not (tmp_path / "b.pdf").exists()
    finally:
        reader.close()


# -- the text as it will print (issue 12, item 2) ------------------------------------------------

@pytest.mark.parametrize("written", [
    "Beth\u00adan Zyx",            # a soft hyphen, as Word puts in
    "Bethan Z\u200byx",            # a zero-width space
    "Bethan\u2060 \ufeffZyx",      # word joiner, byte order mark
    "\u200fBethan\u200e Zyx",      # bidi marks
    "Bethan_Zyx",                  # an underscore joining the names
    "Bethan.Zyx", "bethan-zyx", "Bethan/Zyx", "Bethan\u00a0Zyx", "BETHAN ZYX",
    "B\u0435than Zyx",             # a Cyrillic e
    "Bethan \u0396yx",             # a Greek capital zeta
    "\uff22ethan Zyx",             # a full-width B
    "Béthan Zÿx",                  # accents
    "BethanZyx",                   # run together, as in a file name
])
def test_a_name_written_any_way_it_prints_blocks_the_export(store, tmp_path, written):
    ids = make_sample(store)
    _plant_name_in_findings(store, ids["briefing"], f"{written} was seen by the GP.")
    with pytest.raises(IdentifiersFound):
        exports.export_briefing(store, "Ref021", tmp_path / "b.pdf")
    assert not (tmp_path / "b.pdf").exists()


@pytest.mark.parametrize("written", ["LA123456", "LA 123456", "LA-123456", "la_123456", "LA 123 456"])
def test_a_case_number_is_found_with_or_without_its_separators(store, tmp_path, written):
    ids = make_sample(store)
    store.insert("restricted_identifiers", {"referral_id": ids["r21"], "kind": "case_number", "value": "LA 123456"})
    _plant_name_in_findings(store, ids["briefing"], f"See file {written} for the chronology.")
    with pytest.raises(IdentifiersFound) as caught:
        exports.export_briefing(store, "Ref021", tmp_path / "b.pdf")
    assert "case number" in str(caught.value)


def test_a_name_in_the_file_name_or_any_folder_of_the_path_blocks_it(store, tmp_path):
    make_sample(store)
    for out in (tmp_path / "Bethan_Zyx.pdf", tmp_path / "Bethan Zyx" / "briefing.pdf",
                tmp_path / "cases" / "bethan.zyx" / "2017" / "briefing.pdf"):
        with pytest.raises(IdentifiersFound) as caught:
            exports.export_briefing(store, "Ref021", out)
        assert caught.value.hits[0].where in ("the file name", "the folder it is written to")
        assert not out.exists()
    assert store.rows("SELECT * FROM document_log") == []


def test_the_log_records_every_hit_the_override_released(store, tmp_path):
    ids = make_sample(store)
    _plant_name_in_findings(store, ids["briefing"], "Beth\u00adan Zyx, born 01/12/2014, seen by the GP.")
    exports.export_briefing(store, "Ref021", tmp_path / "b.pdf", override_reason="court published it")
    assert store.scalar("SELECT identifier_hits FROM document_log") == 2


# -- a failed export leaves the file at --out as it was (item 6) ------------------------------------

def test_a_failed_log_write_leaves_the_old_file_untouched_and_no_temporary_file(store, tmp_path, monkeypatch):
    from scrdesk.store import document_log

    make_sample(store)
    out = tmp_path / "paper.pdf"
    out.write_bytes(b"the paper sent last month")

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(document_log, "record", broken)
    with pytest.raises(OSError):
        exports.export_paper(store, out)
    assert out.read_bytes() == b"the paper sent last month"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".db" and "test.db" not in p.name) == ["paper.pdf"]


def test_a_failed_replace_rolls_the_log_row_back_and_names_the_file_asked_for(store, tmp_path, monkeypatch):
    from scrdesk.domain.errors import ScrdeskError

    make_sample(store)
    out = tmp_path / "paper.pdf"
    out.write_bytes(b"old")

    def refuse(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(exports.os, "replace", refuse)
    with pytest.raises(ScrdeskError) as caught:
        exports.export_paper(store, out)
    assert str(out) in str(caught.value) and ".part" not in str(caught.value)
    assert out.read_bytes() == b"old" and store.rows("SELECT * FROM document_log") == []
    assert not list(tmp_path.glob(".scrdesk-*"))


def test_out_naming_a_folder_is_refused_naming_the_folder(store, tmp_path):
    from scrdesk.domain.errors import ScrdeskError

    make_sample(store)
    folder = tmp_path / "papers"
    folder.mkdir()
    with pytest.raises(ScrdeskError) as caught:
        exports.export_paper(store, folder)
    assert str(folder) in str(caught.value) and "is a folder" in str(caught.value)
    assert ".scrdesk" not in str(caught.value) and list(folder.iterdir()) == []


def test_a_read_only_export_whose_queue_cannot_be_written_is_refused(store, tmp_path, monkeypatch):
    from scrdesk.domain.errors import ScrdeskError
    from scrdesk.store import document_log
    from scrdesk.store.db import Store

    make_sample(store)
    monkeypatch.setattr(document_log, "pending_path", lambda _db: tmp_path / "no-such-folder" / "q")
    reader = Store.open(store.path, readonly=True, user="reader")
    try:
        with pytest.raises(ScrdeskError, match="could not be queued"):
            exports.export_paper(reader, tmp_path / "p.pdf")
        assert not (tmp_path / "p.pdf").exists()
    finally:
        reader.close()
