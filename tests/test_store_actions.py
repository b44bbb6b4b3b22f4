"""The action plan's store API (store/actions.py) without Qt: every write one transaction, the
action rules first, refused in the rules' words; the reads the tab makes."""

from __future__ import annotations

from datetime import date

import pytest

from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import actions as rules
from scrdesk.store import actions as api
from scrdesk.store.actions import ActionFilters

TODAY = date(2017, 6, 15)
FILE = {"file_name": "register.pdf", "mime_type": "application/pdf", "size": 4, "sha256": "0" * 64,
        "content": b"%PDF"}


@pytest.fixture
def plan(store):
    store.set_settings({"as_at_date": TODAY.isoformat()})
    review = store.insert("reviews", {"title": "Ref044 Child D", "review_type": "SCR"})
    agency = store.insert("agencies", {"name": "Northshire Police", "short_name": "Police"})
    action = api.create_action(store, {"review_id": review, "agency_id": agency, "text": "Brief PPU officers",
                                       "status": "on_track", "agreed_date": "2017-01-10",
                                       "target_date": "2017-05-31"})
    return {"review": review, "agency": agency, "action": action}


def counts(store) -> tuple[int, int, int]:
    return (store.scalar("SELECT count(*) FROM actions"), store.scalar("SELECT count(*) FROM action_updates"),
            store.scalar("SELECT count(*) FROM attachments"))


def test_create_refuses_in_the_rules_words_and_writes_nothing(store, plan):
    before = counts(store)
    bare = {"review_id": plan["review"], "text": "Share learning", "status": "signed_off"}
    with pytest.raises(RuleBroken) as refused:
        api.create_action(store, bare)
    assert refused.value.problems == rules.problems(dict(bare, signoff_date="2017-06-15"), evidence_files=0)
    assert refused.value.problems == {"status": rules.completion_problem("signed_off", 0)}
    assert "Status: cannot be \u201cSigned off\u201d yet" in str(refused.value)
    assert counts(store) == before


def test_closing_with_a_file_or_a_note_sets_the_sign_off_date(store, plan):
    with_file = api.create_action(store, {"review_id": plan["review"], "text": "Audit", "status": "signed_off"},
                                  files=[FILE])
    assert store.get("actions", with_file)["signoff_date"] == "2017-06-15"
    assert api.evidence_count(store, with_file) == 1
    api.update_action(store, plan["action"], {"status": "complete_evidenced", "evidence_note": "Briefing log"})
    assert store.get("actions", plan["action"])["signoff_date"] == "2017-06-15"


def test_update_refuses_a_broken_rule_but_not_an_old_fault_it_leaves_alone(store, plan):
    with pytest.raises(RuleBroken) as refused:
        api.update_action(store, plan["action"], {"target_date": "2016-12-31"})
    assert refused.value.problems == {"target_date": "is before the date the action was agreed"}
    # A file written before the rules: signed off with nothing to show for it.
    store.update("actions", plan["action"], {"status": "signed_off", "signoff_date": "2017-05-01"})
    api.update_action(store, plan["action"], {"lead_officer": "DI Jones"})
    assert store.get("actions", plan["action"])["lead_officer"] == "DI Jones"


def test_an_update_logs_and_changes_status_in_one_write(store, plan):
    api.add_update(store, plan["action"], on=date(2017, 6, 1), author="PO", note="Slipping", status_to="slipping")
    assert store.get("actions", plan["action"])["status"] == "slipping"
    [logged] = api.update_rows(store, plan["action"])
    assert logged["change"] == "On track \u2192 Slipping"
    before = counts(store)
    with pytest.raises(RuleBroken, match="attach the evidence"):
        api.add_update(store, plan["action"], on=date(2017, 6, 2), author="PO", note="Done",
                       status_to="signed_off")
    assert counts(store) == before
    with pytest.raises(RuleBroken, match="Update: is required"):
        api.add_update(store, plan["action"], on=date(2017, 6, 2), author="PO", note=" ")
    api.add_update(store, plan["action"], on=date(2017, 6, 3), author="PO", note="Done",
                   status_to="signed_off", evidence_note="Briefing register held by the PPU")
    action = store.get("actions", plan["action"])
    assert (action["status"], action["signoff_date"]) == ("signed_off", "2017-06-03")
    api.add_update(store, plan["action"], on=date(2017, 6, 4), author="PO", note="Reopened", status_to="on_track")
    assert store.get("actions", plan["action"])["signoff_date"] is None


def test_delete_takes_the_updates_and_the_evidence(store, plan):
    api.add_update(store, plan["action"], on=date(2017, 6, 1), author="PO", note="Note", files=[FILE])
    assert counts(store) == (1, 1, 1)
    api.delete_action(store, plan["action"])
    assert counts(store) == (0, 0, 0)
    with pytest.raises(api.StoreError, match="no longer in the data file"):
        api.delete_action(store, plan["action"])


def test_save_needs_a_review_first(tmp_path):
    from scrdesk.store.db import Store

    empty = Store.open(tmp_path / "empty.db", user="tester")
    try:
        with pytest.raises(api.StoreError, match="add the review first"):
            api.save_action(empty, None, {"text": "x", "status": "on_track"})
    finally:
        empty.close()


def test_the_reads_the_tab_makes(store, plan):
    other = api.create_action(store, {"review_id": plan["review"], "text": "Audit custody records",
                                      "status": "not_started", "target_date": "2017-09-30"})
    everything = ActionFilters()
    assert api.count_actions(store, TODAY, everything) == (2, 1)
    assert api.count_actions(store, TODAY, ActionFilters(overdue=True)) == (1, 1)
    rows, total, overdue = api.fetch_by_target(store, TODAY, everything, 0, 10)
    assert [r["id"] for r in rows] == [plan["action"], other] and (total, overdue) == (2, 1)
    assert rows[0]["rag"].colour == "red" and rows[0]["status_label"] == "On track"
    assert [g[:4] for g in api.top_groups(store, TODAY, everything, "plan")] == [(plan["review"], "Ref044 Child D", 2, 1)]
    assert [g[:4] for g in api.top_groups(store, TODAY, everything, "agency")] == [
        (plan["agency"], "Northshire Police", 1, 1), (None, None, 1, 0)]
    counts_ = api.GroupCounts(store, TODAY)
    assert counts_.for_filters(everything, "agency") == api.top_groups(store, TODAY, everything, "agency")
    assert [r["id"] for r in api.group_actions(store, TODAY, everything, "agency", {"id": None}, 0, 10)] == [other]
    assert [r["id"] for r in api.actions_by_id(store, TODAY, [other, 999, plan["action"]])] == [other, plan["action"]]
    assert api.evidence_counts(store) == {}
