"""Retention review dates, legal hold, and the subject-access export of one case."""

from __future__ import annotations

import json
from datetime import date

import pytest

from scrdesk.domain.errors import InvalidValue
from scrdesk.store import retention
from scrdesk.store.db import StoreError


@pytest.fixture
def case(store):
    store.set_setting("retention_years", {"referrals": 25, "reviews": 25, "actions": 10,
                                          "attachments": 10})
    police = store.insert("agencies", {"name": "Northshire Police"})
    nfa = store.insert("referrals", {"ref": "Ref001", "decision": "NFA", "decision_date": "1990-05-01"})
    open_ref = store.insert("referrals", {"ref": "Ref002"})
    scr = store.insert("referrals", {"ref": "Ref053", "decision": "SCR", "decision_date": "1990-06-01",
                                     "referring_agency_id": police})
    review = store.insert("reviews", {"title": "SCR Child A", "review_type": "SCR",
                                      "status": "published", "completed_date": "1991-01-10",
                                      "published_date": "1991-03-01"})
    store.insert("review_referrals", {"review_id": review, "referral_id": scr})
    action = store.insert("actions", {"review_id": review, "agency_id": police, "text": "Audit",
                                      "status": "signed_off", "signoff_date": "1992-02-01"})
    store.insert("action_updates", {"action_id": action, "date": "1991-06-01", "note": "Started"})
    store.insert("milestones", {"review_id": review, "kind": "published", "actual_date": "1991-03-01"})
    evidence = store.insert("attachments", {"owner_kind": "action", "owner_id": action,
                                            "file_name": "audit.pdf", "size": 3, "sha256": "x",
                                            "content": b"pdf"})
    store.insert("restricted_identifiers", {"referral_id": scr, "kind": "name",
                                            "value": "Fictional Child"})
    return {"nfa": nfa, "open": open_ref, "scr": scr, "review": review, "action": action,
            "evidence": evidence, "police": police}


def due(store, today):
    return {(i.table, i.row_id): i for i in retention.due_for_retention_review(store, today)}


def test_closing_date_plus_years_makes_a_record_due(store, case):
    found = due(store, date(2017, 6, 1))
    assert ("referrals", case["nfa"]) in found
    assert found[("referrals", case["nfa"])].review_due == date(2015, 5, 1)
    assert found[("actions", case["action"])].label == "Action “Audit” (SCR Child A)"  # signed off 1992 + 10 years
    assert ("attachments", case["evidence"]) in found  # follows its action
    assert ("referrals", case["open"]) not in found  # no decision: still open
    # The review closed at its last action's sign-off (1 Feb 1992): due 1 Feb 2017.
    assert found[("reviews", case["review"])].closed_on == date(1992, 2, 1)
    assert found[("referrals", case["scr"])].closed_on == date(1992, 2, 1)
    assert ("reviews", case["review"]) not in due(store, date(2017, 1, 31))


def test_an_open_action_keeps_its_review_and_referral_open(store, case):
    store.insert("actions", {"review_id": case["review"], "text": "Still going", "status": "on_track"})
    found = due(store, date(2030, 1, 1))
    assert ("reviews", case["review"]) not in found and ("referrals", case["scr"]) not in found


def test_legal_hold_on_a_referral_holds_the_whole_case(store, case):
    retention.set_legal_hold(store, "referrals", case["scr"], True, "Inquest pending")
    found = due(store, date(2030, 1, 1))
    for key in (("referrals", case["scr"]), ("reviews", case["review"]),
                ("actions", case["action"]), ("attachments", case["evidence"])):
        assert key not in found
    assert ("referrals", case["nfa"]) in found
    held = {(i.table, i.row_id): i for i in
            retention.due_for_retention_review(store, date(2030, 1, 1), include_held=True)}
    assert held[("reviews", case["review"])].hold_note == "held with Referral Ref053"
    assert held[("referrals", case["scr"])].legal_hold
    assert retention.legal_hold_reason(store, "referrals", case["scr"]) == "Inquest pending"
    retention.set_legal_hold(store, "referrals", case["scr"], False)
    assert ("actions", case["action"]) in due(store, date(2030, 1, 1))
    assert retention.legal_hold_reason(store, "referrals", case["scr"]) is None


def test_legal_hold_needs_a_reason_and_a_holdable_record(store, case):
    with pytest.raises(InvalidValue, match="Reason for legal hold"):
        retention.set_legal_hold(store, "reviews", case["review"], True, "  ")
    with pytest.raises(StoreError, match="referral or a review"):
        retention.set_legal_hold(store, "actions", case["action"], True, "x")
    assert store.get("reviews", case["review"])["legal_hold"] == 0


def test_legal_hold_is_audited_with_its_reason(store, case):
    before = store.scalar("SELECT count(*) FROM audit_log")
    retention.set_legal_hold(store, "reviews", case["review"], True, "Criminal trial")
    rows = store.rows("SELECT tbl, new FROM audit_log WHERE id > ?", [before])
    # One audited change of the review itself carries the flag, the reason and the date.
    assert [r["tbl"] for r in rows] == ["reviews"]
    assert '"legal_hold":1' in rows[0]["new"] and '"legal_hold_reason":"Criminal trial"' in rows[0]["new"]


def test_retention_follows_the_years_setting(store, case):
    store.set_setting("retention_years", {"referrals": 50})
    found = due(store, date(2030, 1, 1))
    assert found == {}
    store.set_setting("retention_years", {"actions": 1})
    assert set(due(store, date(1993, 3, 1))) == {("actions", case["action"])}


def test_subject_access_data_holds_the_case_and_its_history(store, case):
    store.update("reviews", case["review"], {"notes": "Panel agreed"})
    deleted = store.insert("milestones", {"review_id": case["review"], "kind": "draft_report"})
    store.delete("milestones", deleted)
    data = retention.subject_access_data(store, case["scr"])
    assert data["referral"]["ref"] == "Ref053"
    assert [r["value"] for r in data["restricted_identifiers"]] == ["Fictional Child"]
    assert [r["title"] for r in data["reviews"]] == ["SCR Child A"]
    assert len(data["actions"]) == 1 and len(data["action_updates"]) == 1
    assert len(data["milestones"]) == 1
    assert data["attachments"][0]["file_name"] == "audit.pdf"
    assert "content" not in data["attachments"][0]
    assert data["agencies"] == {str(case["police"]): "Northshire Police"}
    assert data["marking"] == "OFFICIAL-SENSITIVE" and data["shared_reviews"] == []
    tables = {h["table"] for h in data["history"]}
    assert {"referrals", "restricted_identifiers", "reviews", "review_referrals", "actions",
            "action_updates", "milestones", "attachments"} <= tables
    deleted_history = [h for h in data["history"] if h["table"] == "milestones" and h["row_id"] == deleted]
    assert [h["action"] for h in deleted_history] == ["insert", "delete"]
    # The subject's own identifiers are revealed in their export.
    assert any(c["new"] == "Fictional Child" for h in data["history"] for c in h["changes"])
    # Nothing about the other referrals.
    assert "Ref001" not in json.dumps(data, default=str)


def test_a_shared_review_is_flagged_for_checking(store, case):
    store.insert("review_referrals", {"review_id": case["review"], "referral_id": case["nfa"]})
    assert retention.subject_access_data(store, case["scr"])["shared_reviews"] == [case["review"]]


def test_subject_access_json_file(store, case, tmp_path):
    name = retention.suggested_subject_access_name(store, case["scr"], date(2017, 6, 30))
    assert name == "subject-access-Ref053-20170630.json"
    out = retention.write_subject_access_json(store, case["scr"], tmp_path / name)
    loaded = json.loads(out.read_text(encoding="utf-8"))
    assert loaded["referral"]["ref"] == "Ref053" and loaded["history"]
    assert not list(tmp_path.glob("*.part"))


def test_subject_access_of_a_missing_referral(store):
    with pytest.raises(StoreError, match="no referral 99"):
        retention.subject_access_data(store, 99)


def attach(store, kind, owner_id, name):
    return store.insert("attachments", {"owner_kind": kind, "owner_id": owner_id, "file_name": name,
                                        "size": 3, "sha256": "x", "content": b"pdf"})


def test_impact_evidence_is_kept_with_its_review_until_the_recommendation_is_closed(store, case):
    recommendation = store.insert("recommendations", {"review_id": case["review"], "number": "1",
                                                      "text": "Audit neglect referrals"})
    evidence = attach(store, "recommendation", recommendation, "audit-findings.pdf")
    # No impact record: the evidence closes with its review (last sign-off 1 Feb 1992).
    assert due(store, date(2017, 6, 1))[("attachments", evidence)].closed_on == date(1992, 2, 1)
    # An impact record the sub group has not closed keeps it out of the list ...
    impact = store.insert("recommendation_impact", {"recommendation_id": recommendation, "acceptance": "fully"})
    assert ("attachments", evidence) not in due(store, date(2030, 1, 1))
    # ... and closing the recommendation later than the review sets the date.
    store.update("recommendation_impact", impact, {"closed_date": "1995-03-01", "closure_basis": "impact",
                                                   "impact_statement": "Referrals audited"})
    found = due(store, date(2030, 1, 1))[("attachments", evidence)]
    assert (found.closed_on, found.review_due) == (date(1995, 3, 1), date(2005, 3, 1))
    # A hold on the case holds the evidence too, saying through which review.
    retention.set_legal_hold(store, "referrals", case["scr"], True, "Inquest pending")
    assert ("attachments", evidence) not in due(store, date(2030, 1, 1))
    held = {(i.table, i.row_id): i for i in
            retention.due_for_retention_review(store, date(2030, 1, 1), include_held=True)}
    assert held[("attachments", evidence)].hold_note == "held with Review SCR Child A"


def test_a_terms_of_reference_document_closes_when_a_later_version_replaces_it(store, case):
    first = store.insert("terms_of_reference", {"version": "1", "approved_date": "1990-01-01"})
    second = store.insert("terms_of_reference", {"version": "2", "approved_date": "1995-01-01"})
    old_document = attach(store, "terms_of_reference", first, "tor-v1.pdf")
    current_document = attach(store, "terms_of_reference", second, "tor-v2.pdf")
    found = due(store, date(2030, 1, 1))
    assert found[("attachments", old_document)].closed_on == date(1995, 1, 1)
    assert found[("attachments", old_document)].label == "Attachment tor-v1.pdf"
    assert ("attachments", current_document) not in found  # still in force


def test_a_referrals_own_file_follows_the_referral_and_its_hold(store, case):
    note = attach(store, "referral", case["nfa"], "notification.pdf")
    held_note = attach(store, "referral", case["scr"], "scr-notification.pdf")
    found = due(store, date(2030, 1, 1))
    assert found[("attachments", note)].closed_on == date(1990, 5, 1)
    assert found[("attachments", held_note)].closed_on == date(1992, 2, 1)
    retention.set_legal_hold(store, "reviews", case["review"], True, "Civil claim")
    assert ("attachments", held_note) not in due(store, date(2030, 1, 1))
    held = {(i.table, i.row_id): i for i in
            retention.due_for_retention_review(store, date(2030, 1, 1), include_held=True)}
    assert held[("attachments", held_note)].hold_note == "held with Referral Ref053"


def test_the_sub_groups_own_plan_action_and_its_evidence_are_placed(store, case):
    action = store.insert("actions", {"source_kind": "health_check", "source_text": "Health check of March",
                                      "text": "Refresh the escalation route", "status": "signed_off",
                                      "signoff_date": "1993-04-01"})
    evidence = attach(store, "action", action, "route.pdf")
    found = due(store, date(2030, 1, 1))
    assert found[("actions", action)].label == "Action “Refresh the escalation route”"
    assert found[("attachments", evidence)].closed_on == date(1993, 4, 1)


def test_subject_access_lists_the_files_of_the_referral_and_its_recommendations(store, case):
    recommendation = store.insert("recommendations", {"review_id": case["review"], "number": "1",
                                                      "text": "Audit neglect referrals"})
    attach(store, "recommendation", recommendation, "audit-findings.pdf")
    attach(store, "referral", case["scr"], "scr-notification.pdf")
    attach(store, "referral", case["nfa"], "someone-else.pdf")
    data = retention.subject_access_data(store, case["scr"])
    assert sorted(a["file_name"] for a in data["attachments"]) == [
        "audit-findings.pdf", "audit.pdf", "scr-notification.pdf"]
    # Their history too (the audit rows of exactly these three files).
    ids = {a["id"] for a in data["attachments"]}
    assert {h["row_id"] for h in data["history"] if h["table"] == "attachments"} == ids
