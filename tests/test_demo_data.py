"""The demo data file: what the reference report says is there, the invented parts hold together,
and nothing identifying leaks into a summary, briefing or list."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest

from scrdesk.domain.profiles import get_profile
from scrdesk.store.db import Store
from scrdesk.store.demo import load_demo_data, minimal_pdf, read_sections, write_demo

AS_AT = "2017-06-30"

# As the report prints them: ref -> (summary, location, gender, age columns, status note).
NAMED_CASES = {
    "Ref021": ("Significant non-accidental injury", "Kettering", "female", (None, None, 6, 0), "SCR completed. Published 26th January 2017"),
    "Ref023": ("Death following non-accidental injury", "Deanshanger", "male", (None, 4, None, 0), "SCR completed. Published 6th July 2016"),
    "Ref035": ("Death following dog attack", "Daventry", "female", (None, 6, None, 0), "SCR completed. Published 20th October 2017"),
    "Ref044": ("Sustained non-accidental injuries", "Northampton", "male", (1, 11, None, 0),
               "Review completed September 2016 and 6-step briefing available on NSCB website"),
    "Ref047": ("Neglect", "Northampton", "male", (1, None, None, 0),
               "Review completed February 2016 and 6-step briefing available on NSCB website"),
    "Ref050": ("CSE and grooming", "Kettering", "female", (16, None, None, 0), "Review underway and workshop arranged for June 2017"),
    "Ref051": ("Siblings in repeat PLO processes", "Daventry", "male", (7, None, None, 0), "Review underway and workshop arranged for May 2017"),
    "Ref052": ("CSE involving multiple victims", "Northampton", "male_and_female", (None, None, None, 1), "13th May 2017 – SCR initiated"),
    "Ref053": ("Extreme neglect and cruelty", "Northampton", "male", (12, None, None, 0), "5th February 2017 – SCR agreed and initiated"),
    "Ref054": ("Sibling witnesses of domestic violence", "Wellingborough", "male_and_female", (None, None, None, 1),
               "Review underway and workshop arranged for May 2017"),
    "Ref056": ("Non-accidental injury", "Rushden", "female", (None, 4, None, 0), "Review underway and workshop arranged for May 2017"),
    "Ref057": ("Murder by stabbing", "Northampton", "male", (17, None, None, 0), "2nd April 2017 – SCR initiated"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = write_demo(tmp_path_factory.mktemp("demo") / "demo.db")
    with Store.open(path, readonly=True) as store:
        yield store


def test_settings_make_it_a_june_2017_snapshot(demo):
    settings = demo.settings()
    assert settings.as_at_date == AS_AT
    assert settings.board_name == "Northamptonshire Safeguarding Children Board"
    assert settings.board_short_name == "NSCB"
    assert settings.default_framework == "wt2015"


@pytest.mark.parametrize("ref", sorted(NAMED_CASES))
def test_every_named_case_is_as_the_report_gives_it(demo, ref):
    summary, location, gender, age, status = NAMED_CASES[ref]
    row = demo.row("SELECT * FROM referrals WHERE ref = ?", [ref])
    assert (row["summary"], row["location"], row["gender"], row["status_note"]) == (summary, location, gender, status)
    assert (row["age_years"], row["age_months"], row["age_weeks"], row["age_various"]) == age
    assert row["framework"] == "wt2015"
    assert demo.scalar("SELECT count(*) FROM review_referrals WHERE referral_id = ?", [row["id"]]) == 1


def test_the_years_ten_referrals_and_their_outcomes(demo):
    rows = demo.rows("SELECT ref, decision FROM referrals WHERE decision_date BETWEEN '2016-04-01' AND '2017-03-31' ORDER BY ref")
    assert [r["ref"] for r in rows] == [f"Ref0{n}" for n in range(48, 58)]
    by_ref = {r["ref"]: r["decision"] for r in rows}
    assert [ref for ref, d in by_ref.items() if d == "SCR"] == ["Ref053", "Ref057"]
    assert [ref for ref, d in by_ref.items() if d == "THEMATIC"] == ["Ref052"]
    assert [ref for ref, d in by_ref.items() if d == "CASE_MAPPING"] == ["Ref050", "Ref051", "Ref054", "Ref055", "Ref056"]
    assert [ref for ref, d in by_ref.items() if d == "SINGLE_AGENCY"] == ["Ref048", "Ref049"]
    earlier = demo.rows("SELECT decision_date FROM referrals WHERE ref IN ('Ref021', 'Ref023', 'Ref035', 'Ref044', 'Ref047')")
    assert all(r["decision_date"] < "2016-04-01" for r in earlier)


def test_the_new_scrs_use_the_welsh_methodology(demo):
    methods = {r["ref"]: (r["review_type"], r["methodology"], r["initiated_date"]) for r in demo.rows(
        "SELECT rf.ref, rv.review_type, rv.methodology, rv.initiated_date FROM reviews rv "
        "JOIN review_referrals rr ON rr.review_id = rv.id JOIN referrals rf ON rf.id = rr.referral_id")}
    assert methods["Ref053"] == ("SCR", "welsh_cpr_extended", "2017-02-05")
    assert methods["Ref057"] == ("SCR", "welsh_cpr_concise", "2017-04-02")
    assert methods["Ref052"][0] == "THEMATIC"
    assert {methods[r][1] for r in ("Ref021", "Ref023", "Ref035")} == {"traditional"}
    assert {methods[r][1] for r in ("Ref044", "Ref047", "Ref050", "Ref051", "Ref054", "Ref055", "Ref056")} == {"case_mapping"}


def test_milestones_belong_to_their_methodology_and_workshops_fall_in_may_and_june_2017(demo):
    rows = demo.rows("SELECT m.*, rv.methodology, rv.framework, rv.review_type FROM milestones m JOIN reviews rv ON rv.id = m.review_id")
    for row in rows:
        allowed = {kind for kind, _ in get_profile(row["framework"]).methodology_milestones(row["methodology"])}
        assert row["kind"] in allowed, row
        assert row["actual_date"] is None or row["actual_date"] <= AS_AT
    workshops = sorted(r["actual_date"] for r in rows if r["kind"] == "recall_workshop"
                       and r["actual_date"] and r["actual_date"] >= "2017-05-01")
    assert len(workshops) == 4 and workshops[-1] < "2017-07-01"


def test_delays_and_parallel_proceedings(demo):
    reasons = " ".join(r["reason"] for r in demo.rows("SELECT reason FROM review_delays"))
    assert "sentencing" in reasons and "criminal trial" in reasons
    criminal = demo.row("SELECT p.status, p.notes FROM parallel_proceedings p JOIN review_referrals rr ON rr.review_id = p.review_id "
                        "JOIN referrals r ON r.id = rr.referral_id WHERE r.ref = 'Ref057' AND p.kind = 'criminal'")
    assert "Trial listed" in criminal["notes"]
    published = {r["ref"]: r["published_date"] for r in demo.rows(
        "SELECT rf.ref, rv.published_date FROM reviews rv JOIN review_referrals rr ON rr.review_id = rv.id "
        "JOIN referrals rf ON rf.id = rr.referral_id WHERE rv.published_date IS NOT NULL")}
    assert published == {"Ref021": "2017-01-26", "Ref023": "2016-07-06", "Ref035": "2017-10-20"}


def test_the_composite_action_plan_has_every_state_a_monitor_meets(demo):
    actions = demo.rows("SELECT *, coalesce(revised_target_date, target_date) AS target FROM actions")
    assert 30 <= len(actions) <= 40
    complete = {"complete_awaiting_evidence", "complete_evidenced", "signed_off"}
    open_actions = [a for a in actions if a["status"] not in complete]
    overdue = [a for a in open_actions if a["target"] < AS_AT]
    soon = [a for a in open_actions if AS_AT <= a["target"] <= (date(2017, 6, 30) + timedelta(days=14)).isoformat()]
    assert len(overdue) >= 4 and len(soon) >= 2
    assert {a["status"] for a in actions} >= {"not_started", "on_track", "slipping", "complete_awaiting_evidence",
                                              "complete_evidenced", "signed_off"}
    revised = [a for a in actions if a["revised_target_date"]]
    assert len(revised) >= 3 and all(a["revised_reason"] for a in revised)
    escalated = [a for a in actions if a["escalated_date"]]
    assert len(escalated) == 1 and escalated[0]["escalated_to"]
    assert all(a["signoff_date"] for a in actions if a["status"] == "signed_off")


def test_each_actions_update_log_leads_to_its_status(demo):
    for action in demo.rows("SELECT id, status FROM actions"):
        status = "not_started"
        for update in demo.rows("SELECT * FROM action_updates WHERE action_id = ? ORDER BY date, id", [action["id"]]):
            assert update["date"] <= AS_AT
            if update["status_to"]:
                assert update["status_from"] == status
                status = update["status_to"]
        assert status == action["status"]


def test_evidence_attachments_are_whole_and_match_their_hash(demo):
    rows = demo.rows("SELECT * FROM attachments")
    assert {r["owner_kind"] for r in rows} == {"action", "dissemination"}
    assert any(r["mime_type"] == "application/pdf" for r in rows)
    for row in rows:
        assert hashlib.sha256(row["content"]).hexdigest() == row["sha256"]
        assert len(row["content"]) == row["size"]
    pdf = next(r["content"] for r in rows if r["mime_type"] == "application/pdf")
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")


def test_the_evidence_pdf_opens_in_a_pdf_reader():
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(minimal_pdf("DEMO EVIDENCE (invented)\nsecond line (with brackets)")))
    text = reader.pages[0].extract_text()
    assert "DEMO EVIDENCE" in text and "second line" in text


def test_learning_events_from_the_report(demo):
    events = demo.rows("SELECT * FROM learning_events")
    barnardos = [e for e in events if e["facilitator"] == "Barnardo's" and e["kind"] == "training"]
    assert len(barnardos) == 4
    health = [e for e in events if e["kind"] == "training" and e["date"].startswith("2017-02")]
    assert len(health) == 2 and sum(e["attendance"] for e in health) == 80
    healthwatch = [e for e in events if e["date"].startswith("2016-12") and "Healthwatch" in e["title"]]
    assert len(healthwatch) == 1 and "very moved" in healthwatch[0]["feedback"]
    wider = [e["attendance"] for e in events if e["kind"] == "wider_debrief"]
    assert len(wider) == 3 and round(sum(wider) / len(wider)) == 70


def test_monthly_meetings_and_qa_sub_group(demo):
    months = [r["date"][:7] for r in demo.rows("SELECT date FROM meetings WHERE kind = 'scr_subgroup' ORDER BY date")]
    expected = [f"{y}-{m:02d}" for y, m in [(2016, m) for m in range(4, 13)] + [(2017, m) for m in range(1, 7)]]
    assert months == expected
    assert demo.scalar("SELECT count(*) FROM meetings WHERE kind = 'qa_subgroup'") >= 2


def test_ref021_has_a_complete_six_step_briefing(demo):
    briefing = demo.row("SELECT b.* FROM briefings b JOIN review_referrals rr ON rr.review_id = b.review_id "
                        "JOIN referrals r ON r.id = rr.referral_id WHERE r.ref = 'Ref021'")
    assert (briefing["template"], briefing["status"]) == ("six_step", "issued")
    sections = demo.rows("SELECT * FROM briefing_sections WHERE briefing_id = ? ORDER BY position", [briefing["id"]])
    assert [s["title"] for s in sections] == [
        "The Background", "Safeguarding Concerns", "The Incident", "The Review", "The Findings",
        "Recommendations", "Good practice", "Evidence of changes to practice"]
    assert all(len(s["body"]) > 80 for s in sections)
    assert demo.scalar("SELECT count(*) FROM briefings WHERE status = 'issued'") == 3


def test_dissemination_feedback_due_after_28_days_some_missing(demo):
    rows = demo.rows("SELECT d.*, a.short_name FROM disseminations d JOIN agencies a ON a.id = d.agency_id")
    for row in rows:
        assert date.fromisoformat(row["feedback_due_date"]) - date.fromisoformat(row["sent_date"]) == timedelta(days=28)
    received = [r for r in rows if r["feedback_received_date"]]
    missing = [r for r in rows if not r["feedback_received_date"]]
    assert received and missing
    assert all(r["teams_briefed"] and r["staff_reached"] for r in received)
    assert any("great tool" in (r["note"] or "") and r["short_name"] == "NGH" for r in received)
    assert any("xxxx family embraced" in (r["note"] or "") for r in received)


def test_agencies_have_fictional_contacts(demo):
    agencies = demo.rows("SELECT * FROM agencies")
    assert len(agencies) >= 12
    assert all(a["lead_email"].endswith("@example.org") for a in agencies)
    assert {"police", "la_childrens", "health_commissioner", "health_provider", "education", "probation",
            "voluntary"} <= {a["type"] for a in agencies}


def test_restricted_identifiers_are_fictional_and_appear_in_no_text(demo):
    identifiers = [r["value"] for r in demo.rows("SELECT value FROM restricted_identifiers")]
    assert len({r["referral_id"] for r in demo.rows("SELECT referral_id FROM restricted_identifiers")}) >= 3
    assert "Test-Child Alpha" in identifiers and "DEMO-0001" in identifiers
    texts = []
    for table in ("referrals", "reviews", "briefing_sections", "briefings", "recommendations", "actions",
                  "action_updates", "learning_events", "disseminations", "milestones", "meetings"):
        for row in demo.rows(f"SELECT * FROM {table}"):
            texts += [v for v in row.values() if isinstance(v, str)]
    joined = "\n".join(texts)
    for value in identifiers:
        assert value not in joined, value


def test_the_demo_is_audited_and_sound(demo):
    from scrdesk.store.check import run_checks

    assert demo.scalar("SELECT count(*) FROM audit_log") > 400
    assert {r["who"] for r in demo.rows("SELECT DISTINCT who FROM audit_log")} == {"scrdesk-demo"}
    assert all(r.ok for r in run_checks(demo) if r.fatal)


def test_write_demo_replaces_a_file_and_leaves_nothing_half_built(tmp_path):
    path = tmp_path / "demo.db"
    path.write_bytes(b"an old file")
    assert write_demo(path) == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]
    with Store.open(path, readonly=True) as store:
        assert store.scalar("SELECT count(*) FROM referrals") == len(load_demo_data()["referrals"])


def test_briefing_texts_follow_their_template():
    sections = read_sections("# comment line\n## One\nfirst\n\nsecond\n## Two\n")
    assert sections == [("One", "first\n\nsecond"), ("Two", "")]
