"""`run_checks`: a sound file passes; a damaged chain, file, link or trigger fails with the reason;
data-quality findings are listed but never fatal."""

from __future__ import annotations

import shutil

import pytest

from scrdesk.store import schema
from scrdesk.store.check import data_quality_issues, mentioned_decisions, run_checks
from scrdesk.store.db import Store, StoreError
from scrdesk.store.demo import write_demo


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture
def demo_path(demo_template, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return path


def results_of(path) -> dict:
    with Store.open(path, readonly=True) as store:
        return {r.name: r for r in run_checks(store)}


def test_the_demo_file_passes_every_fatal_check(demo_path):
    results = results_of(demo_path)
    assert list(results) == ["integrity", "foreign keys", "audit chain", "schema version",
                             "audit triggers", "audit anchor", "data quality"]
    assert all(r.ok for r in results.values() if r.fatal)
    assert not results["data quality"].fatal


def test_the_demo_files_known_slips_are_notes_not_warnings(demo_path):
    with Store.open(demo_path, readonly=True) as store:
        issues = data_quality_issues(store)
        quality = {r.name: r for r in run_checks(store)}["data quality"]
    notes = [i for i in issues if i.note]
    # The 2016-17 report's own slips: a publication after the snapshot's day, an older word.
    assert [(i.table, i.ref, i.field) for i in notes] == [
        ("reviews", "Ref035", "published_date"),
        ("referrals", "Ref052", "status_note"),
    ]
    assert "20 Oct 2017" in notes[0].message and "as-at date (30 Jun 2017)" in notes[0].message
    assert "SCR" in notes[1].message and "THEMATIC" in notes[1].message
    assert not any(i.field in ("published_date", "status_note") for i in issues if not i.note)
    assert "2 notes, kept as recorded:" in quality.detail
    assert "note: Ref052" in quality.detail


def test_a_snapshot_without_slips_is_quiet(store):
    store.set_settings({"as_at_date": "2017-06-30"})
    store.insert("referrals", {"ref": "Ref001", "received_date": "2017-02-01", "decision": "SCR",
                               "decision_date": "2017-03-01", "framework": "wt2015"})
    quality = {r.name: r for r in run_checks(store)}["data quality"]
    assert quality.ok and quality.detail == "every record keeps its rules"


def test_an_edited_audit_row_breaks_the_chain(demo_path):
    with Store.open(demo_path) as store:
        store.db.execute("DROP TRIGGER audit_log_no_update")
        store.db.execute("UPDATE audit_log SET new = replace(new, 'Kettering', 'Corby') "
                         "WHERE id = (SELECT min(id) FROM audit_log WHERE new LIKE '%Kettering%')")
    results = results_of(demo_path)
    chain = results["audit chain"]
    assert not chain.ok and chain.fatal
    assert "do not match their seal" in chain.detail
    triggers = results["audit triggers"]
    assert not triggers.ok and "audit_log_no_update" in triggers.detail


def test_a_removed_audit_row_breaks_the_chain(demo_path):
    with Store.open(demo_path) as store:
        store.db.execute("DROP TRIGGER audit_log_no_delete")
        store.db.execute("DELETE FROM audit_log WHERE id = 10")
    chain = results_of(demo_path)["audit chain"]
    assert not chain.ok and "does not follow the row before it" in chain.detail


def test_a_dropped_table_trigger_means_unrecorded_changes(demo_path):
    with Store.open(demo_path) as store:
        store.db.execute("DROP TRIGGER audit_referrals_update")
    result = results_of(demo_path)["audit triggers"]
    assert not result.ok and "audit_referrals_update" in result.detail


def test_a_broken_link_fails_the_foreign_key_check(demo_path):
    with Store.open(demo_path) as store:
        store.db.execute("PRAGMA foreign_keys = OFF")
        store.db.execute("UPDATE actions SET agency_id = 999 WHERE id = 1")
    result = results_of(demo_path)["foreign keys"]
    assert not result.ok and "actions row 1 points at a missing agencies record" in result.detail


def test_a_newer_schema_is_reported(demo_path):
    with Store.open(demo_path) as store:
        store.db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                         "VALUES (?, 'from the future', '2030-01-01')", [schema.MIGRATION_SET])
    result = results_of(demo_path)["schema version"]
    assert not result.ok and "newer scrdesk" in result.detail


def overwrite_middle(path, size=4096):
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + size] = bytes([0xA5]) * size
    path.write_bytes(bytes(data))


def test_overwritten_bytes_in_a_copy_are_found(demo_path, tmp_path):
    damaged = tmp_path / "damaged.db"
    shutil.copy(demo_path, damaged)
    overwrite_middle(damaged)
    # Either the file no longer opens at all, or the checks find the damage: never "all ok".
    try:
        results = results_of(damaged)
    except StoreError as error:
        assert "damaged" in str(error).lower() or "malformed" in str(error).lower()
        return
    failed = [r for r in results.values() if r.fatal and not r.ok]
    assert failed, results


def test_data_quality_finds_dates_out_of_order_and_after_today(store):
    store.set_settings({"as_at_date": "2017-06-30"})
    referral = store.insert("referrals", {"ref": "Ref001", "received_date": "2017-02-01",
                                          "decision_date": "2017-01-15", "decision": "SCR"})
    review = store.insert("reviews", {"title": "Ref001 review", "review_type": "SCR",
                                      "initiated_date": "2017-03-01", "completed_date": "2017-02-01",
                                      "published_date": "2017-01-20"})
    store.insert("review_referrals", {"review_id": review, "referral_id": referral})
    store.insert("milestones", {"review_id": review, "kind": "draft_report",
                                "planned_date": "2017-09-01", "actual_date": "2017-07-01"})
    issues = {(i.table, i.field, i.note): i for i in data_quality_issues(store)}
    assert set(issues) == {("referrals", "decision_date", False), ("reviews", "completed_date", False),
                           ("reviews", "published_date", False), ("milestones", "actual_date", True)}
    assert issues[("referrals", "decision_date", False)].message == (
        "the referral's decision date (15 Jan 2017): is before the referral was received (1 Feb 2017)")
    assert issues[("reviews", "completed_date", False)].message == (
        "the review's date completed (1 Feb 2017): is before the date initiated (1 Mar 2017)")
    milestone = issues[("milestones", "actual_date", True)]
    assert milestone.ref == "Ref001"
    assert "after the as-at date (30 Jun 2017)" in milestone.message
    # A planned date in the future is no problem; only dates of things done are checked.
    assert all(i.field != "planned_date" for i in issues.values())


def test_data_quality_is_reported_but_not_fatal(store):
    store.insert("referrals", {"ref": "Ref001", "decision": "THEMATIC", "status_note": "SCR initiated"})
    quality = {r.name: r for r in run_checks(store)}["data quality"]
    assert not quality.ok and not quality.fatal
    assert "Ref001: the referral's decision date: is required when a decision is recorded" in quality.detail


def test_check_gives_the_windows_words_for_a_record_an_old_import_let_in(store):
    # What import accepted before the rules: a decision date with no decision.
    store.insert("referrals", {"ref": "Ref001", "received_date": "2017-02-01", "decision_date": "2017-03-01"})
    (issue,) = data_quality_issues(store)
    assert (issue.field, issue.message) == ("decision", "the referral's decision: choose the decision made on that date")


def test_many_broken_records_are_grouped_by_rule_counted_and_named_in_short(store):
    for number in range(1, 701):
        store.insert("referrals", {"ref": f"Ref{number:03}", "received_date": "2017-02-01",
                                   "decision_date": "2017-01-01", "decision": "SCR", "framework": "wt2015"})
    store.insert("referrals", {"ref": "Ref999", "summary": "x" * 600})
    quality = {r.name: r for r in run_checks(store)}["data quality"]
    lines = quality.detail.splitlines()
    assert lines[0] == "701 records break a rule (2 rules):"
    assert lines[1].strip() == ("700 × the referral's decision date: is before the referral was received: "
                                "Ref001, Ref002, Ref003, Ref004, Ref005 and 695 more")
    assert lines[2].strip() == "Ref999: the referral's summary: is too long (600 characters; at most 500)"
    assert max(len(line) for line in lines) < 200


@pytest.mark.parametrize("note, decision, flagged", [
    ("13th May 2017 – SCR initiated", "THEMATIC", True),
    ("5th February 2017 – SCR agreed and initiated", "SCR", False),
    ("Review underway and workshop arranged for May 2017", "CASE_MAPPING", False),
    ("Case mapping workshop held", "SCR", True),
    ("Thematic review linked to SCR Ref053", "THEMATIC", False),
    ("No further action; panel informed", "NFA", False),
    ("Single agency review completed", "CASE_MAPPING", True),
])
def test_status_notes_that_contradict_the_decision(store, note, decision, flagged):
    store.insert("referrals", {"ref": "Ref001", "decision": decision, "status_note": note,
                               "decision_date": "2017-03-01"})
    found = data_quality_issues(store)
    assert [i.field for i in found if i.note] == (["status_note"] if flagged else [])


def test_scr_is_found_only_as_a_word():
    assert mentioned_decisions("SCRs published") == {"SCR"}
    assert mentioned_decisions("Described as a scrape") == set()


def test_a_signed_off_action_without_evidence_gets_the_windows_words(store):
    # What import let in before the rules: signed off with no evidence, reason or sign-off date.
    referral = store.insert("referrals", {"ref": "Ref001", "received_date": "2017-02-01"})
    review = store.insert("reviews", {"title": "SCR", "review_type": "SCR"})
    store.insert("review_referrals", {"review_id": review, "referral_id": referral})
    agency = store.insert("agencies", {"name": "Police", "type": "police"})
    store.insert("actions", {"review_id": review, "agency_id": agency, "text": "Train staff",
                             "status": "signed_off"})
    found = [i for i in data_quality_issues(store) if i.table == "actions"]
    assert found and all(i.ref.startswith("Ref001 action ") for i in found)
    assert any("attach the evidence, note it, or record a reason" in i.message for i in found)


# -- every kind of record: one broken row, written past the window as a hand edit or an older
# version would, is named by its ref in the window's words ------------------------------------

def _first(table: str) -> str:
    return f"(SELECT min(id) FROM {table})"


BROKEN_ROWS = {
    "members": (f"UPDATE members SET from_date = '2017-05-01', to_date = '2017-01-01' WHERE id = {_first('members')}",
                "to_date", "member ", "the member's to date (1 Jan 2017): is before the from date"),
    # The earliest chair's term left open overlaps the next chair's.
    "chairs": ("UPDATE chairs SET to_date = NULL WHERE id = (SELECT id FROM chairs ORDER BY from_date LIMIT 1)",
               "from_date", "chair ", "the chair's from date (1 Jan 2017): overlaps "),
    "terms_of_reference": ("UPDATE terms_of_reference SET next_review_date = approved_date "
                           f"WHERE id = {_first('terms_of_reference')}",
                           "next_review_date", "terms of reference ",
                           "the terms of reference's next review date (19 Mar 2015): is not after the date approved"),
    "meeting_attendance": (f"UPDATE meeting_attendance SET status = 'late' WHERE id = {_first('meeting_attendance')}",
                           "status", "meeting on 2016-04-21: ",
                           "the meeting attendance's status: is not an attendance (Present, Deputy sent, "
                           "Apologies, Absent)"),
    "health_checks": (f"UPDATE health_checks SET notes = printf('%.20001c', 'x') WHERE id = {_first('health_checks')}",
                      "notes", "health check of 2016-09-15",
                      "the health check's notes: is too long (20,001 characters; at most 20,000)"),
    "health_check_answers": ("UPDATE health_check_answers SET rag = 'red', comment = NULL "
                             f"WHERE id = {_first('health_check_answers')}",
                             "comment", "health check of 2016-09-15 question ",
                             "the health check answer's comment: is required for a Red or Amber rating: say why"),
    "escalations": (f"UPDATE escalations SET closed_date = raised_date, outcome = NULL WHERE id = {_first('escalations')}",
                    "outcome", "Ref053 escalation raised ",
                    "the escalation's outcome: is required when the escalation is closed"),
    "reviewers": (f"UPDATE reviewers SET name = '' WHERE id = {_first('reviewers')}",
                  "name", "reviewer ", "the reviewer's name: is required"),
    "commissions": ("UPDATE commissions SET agreed_days = 10, day_rate = 500, fee = 4000 "
                    f"WHERE id = {_first('commissions')}",
                    "fee", "Ref053 commission of ",
                    "the commission's fee: is not the agreed days times the day rate (£5,000.00)"),
    "review_costs": (f"UPDATE review_costs SET amount = -5 WHERE id = {_first('review_costs')}",
                     "amount", "Ref053 cost of ", "the cost's amount: cannot be negative"),
    "budgets": (f"UPDATE budgets SET year = 3000 WHERE id = {_first('budgets')}",
                "year", "budget for 3000", "the budget's year: is not a reporting year"),
    "budget_contributions": (f"UPDATE budget_contributions SET amount = -1 WHERE id = {_first('budget_contributions')}",
                             "amount", "budget for ", "the contribution's amount: cannot be negative"),
    "publications": (f"UPDATE publications SET web_address = 'not a web address' WHERE id = {_first('publications')}",
                     "web_address", "Ref023 publication",
                     "the publication's web address: does not look like a web address"),
    "publication_steps": ("UPDATE publication_steps SET not_needed = 1, note = NULL, done_date = NULL, done_by = NULL "
                          f"WHERE id = {_first('publication_steps')}",
                          "note", "Ref023 publication checklist: ",
                          "the publication checklist item's note: say why this step is not needed"),
    "newsletter_issues": (f"UPDATE newsletter_issues SET web_address = 'nope' WHERE id = {_first('newsletter_issues')}",
                          "web_address", "newsletter issue ",
                          "the newsletter issue's web address: does not look like a web address"),
    # An issue dated before a briefing it promoted was issued.
    "newsletter_items": ("UPDATE newsletter_issues SET issue_date = '2000-01-01' WHERE id = "
                         "(SELECT issue_id FROM newsletter_items WHERE briefing_id IS NOT NULL LIMIT 1)",
                         "briefing_ids", "newsletter issue ",
                         "the newsletter issue's briefings promoted: this issue is dated before the briefing "
                         "was issued"),
    "briefing_web_posts": (f"UPDATE briefing_web_posts SET posted_date = '2000-01-01' WHERE id = {_first('briefing_web_posts')}",
                           "posted_date", "Ref023 briefing web page",
                           "the briefing web page's date put on the website (1 Jan 2000): is before the briefing "
                           "was issued"),
    "recommendation_impact": ("UPDATE recommendation_impact SET closed_date = '2017-01-01', closure_basis = NULL "
                              f"WHERE id = {_first('recommendation_impact')}",
                              "closure_basis", "Ref023 recommendation 1 impact",
                              "the impact record's closure basis: is required when the recommendation is closed"),
    "themes": ("UPDATE themes SET label = (SELECT label FROM themes WHERE id = 2) WHERE id = 1",
               "label", "theme ", "the theme's name: is already a theme"),
    "yearly_report_sections": ("INSERT INTO yearly_report_sections (year, section, body) VALUES (2016, 'gossip', 'x')",
                               "section", "yearly report 2016: gossip",
                               "the yearly report section's section: is not a section of the yearly report"),
    # The sub group's own plan action, which has a source instead of a review.
    "actions": ("UPDATE actions SET source_text = NULL WHERE id = (SELECT min(id) FROM actions WHERE review_id IS NULL)",
                "source_text", "sub group plan action ",
                "the action's source: is required: say which priority, recommendation, check or audit"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_ROWS))
def test_a_broken_record_of_every_newer_kind_is_named(demo_path, kind):
    sql, field, ref, words = BROKEN_ROWS[kind]
    with Store.open(demo_path) as store:
        assert not [i for i in data_quality_issues(store) if not i.note]
        store.db.execute(sql)
    with Store.open(demo_path, readonly=True) as store:
        found = [i for i in data_quality_issues(store) if not i.note]
        quality = {r.name: r for r in run_checks(store)}["data quality"]
    assert found, kind
    assert {(i.table, i.field) for i in found} == {(kind, field)}
    issue = found[0]
    assert issue.ref.startswith(ref) and issue.message.startswith(words), (issue.ref, issue.message)
    # Listed in full, or under its rule when more than one row breaks it (a duplicated theme).
    assert not quality.ok and issue.ref in quality.detail
    assert str(issue) in quality.detail or issue.rule in quality.detail


def test_broken_rows_of_a_newer_kind_are_grouped_and_counted(demo_path):
    with Store.open(demo_path) as store:
        store.db.execute("UPDATE meeting_attendance SET status = 'late' WHERE id IN "
                         "(SELECT id FROM meeting_attendance ORDER BY id LIMIT 7)")
    with Store.open(demo_path, readonly=True) as store:
        quality = {r.name: r for r in run_checks(store)}["data quality"]
    lines = quality.detail.splitlines()
    assert lines[0] == "7 records break a rule (1 rule):"
    assert lines[1].strip().startswith("7 × the meeting attendance's status: is not an attendance: meeting on ")
    assert lines[1].strip().endswith("more")


def test_a_newer_record_done_after_today_is_warned_about(store):
    store.insert("escalations", {"raised_date": "2999-01-01", "raised_by": "Business manager",
                                 "to_whom": "board_chair", "subject": "Late reports"})
    (issue,) = data_quality_issues(store)
    assert (issue.table, issue.field, issue.note) == ("escalations", "raised_date", False)
    assert issue.message.startswith("the escalation's date raised (1 Jan 2999) is after today")
    assert issue.ref == "escalation raised 2999-01-01"


# Tables whose rows have no rule beyond the schema's own: links, tags, the file's own workings.
RULE_LESS_TABLES = {"settings", "review_referrals", "attachments", "audit_log", "audit_seal", "lease", "document_log",
                    "theme_tags"}


def test_every_kind_of_record_is_checked_or_known_to_have_no_rule(demo_path):
    from scrdesk.store.check import _RECORD_RULES

    with Store.open(demo_path, readonly=True) as store:
        tables = {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'table' "
                                                "AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'")}
    assert tables - RULE_LESS_TABLES - set(_RECORD_RULES) == set()
    assert set(_RECORD_RULES) <= tables
