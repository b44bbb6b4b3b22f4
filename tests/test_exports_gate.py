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


def test_a_read_only_file_exports_unlogged_with_a_warning_but_never_overrides(store, tmp_path):
    from scrdesk.domain.errors import ScrdeskError
    from scrdesk.store.db import Store

    ids = make_sample(store)
    reader = Store.open(store.path, readonly=True, user="reader")
    try:
        result = exports.export_paper(reader, tmp_path / "p.pdf")
        assert any("not recorded in the document log" in w for w in result.warnings)
        _plant_name_in_findings(store, ids["briefing"])
        with pytest.raises(ScrdeskError, match="read-only"):
            exports.export_briefing(reader, "Ref021", tmp_path / "b.pdf", override_reason="a reason")
        assert not (tmp_path / "b.pdf").exists()
    finally:
        reader.close()
