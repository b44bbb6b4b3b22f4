"""The referrals store: reads and writes of a referral and its restricted identifiers, without Qt."""

import pytest

from scrdesk.domain.rules import RuleBroken
from scrdesk.store import referrals

REFERRAL = {"ref": "Ref053", "source": "agency_referral", "received_date": "2017-02-05",
            "summary": "Neglect"}


def test_create_with_identifiers_in_one_write(store):
    referral_id = referrals.create_referral(store, REFERRAL, [{"kind": "name", "value": " Jo Bloggs "}])
    assert referrals.get_referral(store, referral_id)["ref"] == "Ref053"
    assert [(i["kind"], i["value"]) for i in referrals.identifiers(store, referral_id)] == [("name", "Jo Bloggs")]
    assert referrals.referral_count(store) == 1
    assert referrals.suggested_ref(store) == "Ref054"


def test_a_decision_without_its_date_is_refused_in_the_dialogs_words(store):
    with pytest.raises(RuleBroken) as refused:
        referrals.create_referral(store, {**REFERRAL, "decision": "SCR"})
    assert refused.value.problems == {"decision_date": "is required when a decision is recorded"}
    assert "Decision date: is required when a decision is recorded" in str(refused.value)
    assert referrals.referral_count(store) == 0


def test_a_bad_identifier_writes_nothing(store):
    with pytest.raises(RuleBroken):
        referrals.create_referral(store, REFERRAL, [{"kind": "name", "value": ""}])
    assert referrals.referral_count(store) == 0


def test_the_framework_is_stamped_when_decided_and_kept(store):
    referral_id = referrals.create_referral(store, REFERRAL)
    assert referrals.get_referral(store, referral_id)["framework"] is None
    referrals.update_referral(store, referral_id, {"decision": "SCR", "decision_date": "2017-03-01"})
    assert referrals.get_referral(store, referral_id)["framework"] == "wt2015"
    # A later decision date does not restamp a decided referral.
    referrals.update_referral(store, referral_id, {"decision_date": "2021-03-01"})
    assert referrals.get_referral(store, referral_id)["framework"] == "wt2015"


def test_a_ref_already_used_is_refused(store):
    referrals.create_referral(store, REFERRAL)
    other = referrals.create_referral(store, {**REFERRAL, "ref": "Ref054"})
    with pytest.raises(RuleBroken) as refused:
        referrals.create_referral(store, REFERRAL)
    assert refused.value.problems == {"ref": "Ref053 is already used by another referral"}
    with pytest.raises(RuleBroken):
        referrals.update_referral(store, other, {"ref": "Ref053"})
    assert referrals.ref_clash(store, "Ref054", other) is None


def test_an_old_fault_does_not_block_an_unrelated_change(store):
    referral_id = store.insert("referrals", {**REFERRAL, "decision_date": "2017-01-01", "decision": "SCR",
                                             "framework": "wt2015"})
    referrals.update_referral(store, referral_id, {"summary": "Neglect and cruelty"})
    assert referrals.get_referral(store, referral_id)["summary"] == "Neglect and cruelty"
    with pytest.raises(RuleBroken):
        referrals.update_referral(store, referral_id, {"decision_date": "2017-01-02"})


def test_identifiers_added_and_removed_with_the_update(store):
    referral_id = referrals.create_referral(store, REFERRAL, [{"kind": "name", "value": "Jo"}])
    old = referrals.identifiers(store, referral_id)[0]["id"]
    added = referrals.update_referral(store, referral_id, {}, new_identifiers=[{"kind": "case_number",
                                                                               "value": "LA123"}],
                                      removed_identifiers=[old])
    assert [i["id"] for i in referrals.identifiers(store, referral_id)] == added


def test_delete_takes_identifiers_and_links_but_keeps_the_review(store):
    referral_id = referrals.create_referral(store, REFERRAL, [{"kind": "name", "value": "Jo"}])
    review_id = store.insert("reviews", {"title": "SCR", "review_type": "SCR"})
    store.insert("review_referrals", {"review_id": review_id, "referral_id": referral_id})
    assert referrals.linked_review_count(store, referral_id) == 1
    assert referrals.latest_review_of_type(store, referral_id, "SCR")["id"] == review_id
    referrals.delete_referral(store, referral_id)
    assert referrals.referral_count(store) == 0
    assert store.scalar("SELECT count(*) FROM restricted_identifiers") == 0
    assert store.scalar("SELECT count(*) FROM reviews") == 1


def test_register_filters_by_label_and_pages(store):
    for number in range(1, 6):
        referrals.create_referral(store, {**REFERRAL, "ref": f"Ref{number:03}",
                                          "received_date": f"2017-02-0{number}"})
    referrals.update_referral(store, 3, {"decision": "CASE_MAPPING", "decision_date": "2017-03-01"})
    assert [r["ref"] for r in referrals.register_rows(store, "", "", 0, 2)] == ["Ref005", "Ref004"]
    assert [r["ref"] for r in referrals.register_rows(store, "case mapping", "", 0, 10)] == ["Ref003"]
    assert [r["ref"] for r in referrals.register_rows(store, "awaiting", "ref", 0, 10)] == [
        "Ref001", "Ref002", "Ref004", "Ref005"]
