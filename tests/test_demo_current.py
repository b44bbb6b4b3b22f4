"""The current-process demo (`scrdesk demo --current`): its last full year's funnel, every
notification's rapid review clock without a button pressed, the pre-publication deadline shown
ahead of a planned date, the sub group's own business and costs and the learning that landed in
2025-26, the chair's report for a 2026 period, fictional names only, and the checks quiet."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from scrdesk.cli import main
from scrdesk.store import clocks, governance, impact, publication, reviewers, statutory, themes
from scrdesk.store.annual import annual_report
from scrdesk.store.check import run_checks
from scrdesk.store.db import Store
from scrdesk.store.demo_current import AS_AT, LAST_FULL_YEAR, write_current_demo
from scrdesk.store.governance_reports import chair_report_data, health_check_data
from scrdesk.store.queries import dashboard


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    path = write_current_demo(tmp_path_factory.mktemp("current") / "current.db")
    with Store.open(path, readonly=True) as store:
        yield store


def test_it_is_a_current_partnership_as_at_a_date_in_2026(current):
    settings = current.settings()
    assert settings.today() == AS_AT == date(2026, 9, 30)
    assert "fictional" in settings.board_name
    assert {r["framework"] for r in current.rows("SELECT framework FROM referrals WHERE decision IS NOT NULL")} \
        == {"wt2018"}


def test_the_last_full_year_funnel(current):
    report = json.loads(json.dumps(annual_report(current, LAST_FULL_YEAR)))
    assert report["label"] == "2025-26"
    funnel = report["funnel"]
    assert funnel["considered"] == 5
    assert funnel["notifications"] == {"total": 3, "on_time": 3, "withdrawn": 1,
                                       "by_harm": {"physical_abuse": 2, "self_harm": 1}}
    rapid = funnel["rapid_reviews"]
    assert (rapid["total"], rapid["submitted"], rapid["on_time"]) == (2, 2, 2)
    assert rapid["by_sex"] == {"male": 1, "female": 1} and rapid["by_age_band"] == {"under_1": 1, "11_15": 1}
    assert funnel["decisions"] == {"LCSPR": 2, "NFA": 0, "LOCAL_LEARNING": 0, "NATIONAL": 0}
    assert funnel["lcsprs"] == {"initiated": 1, "completed": 0, "published": 1}
    assert funnel["panel"] == {"responses": 2, "agreed": 2, "agreement_rate": 1.0}
    # Characteristics are counted, never listed per child: no list in the funnel.
    assert not any(isinstance(v, list) for part in funnel.values() if isinstance(part, dict) for v in part.values())


def test_across_its_years_the_process_shows_each_turn(current):
    earlier = annual_report(current, LAST_FULL_YEAR - 1)["funnel"]
    # 2024-25: one rapid review submitted late, and a no-further-review decision the Panel agreed with.
    assert (earlier["rapid_reviews"]["submitted"], earlier["rapid_reviews"]["on_time"]) == (2, 1)
    assert earlier["decisions"]["NFA"] == 1 and earlier["panel"]["agreed"] == 2
    assert earlier["considered"] > earlier["notifications"]["total"]  # considered but not notified
    lcsprs = current.rows("SELECT title, status, published_date, completed_date FROM reviews "
                          "WHERE review_type = 'LCSPR' ORDER BY title")
    assert [(r["title"], r["status"]) for r in lcsprs] == [
        ("Ref001 LCSPR", "published"), ("Ref004 LCSPR", "completed"), ("Ref006 LCSPR", "underway")]
    rapid = current.scalar("SELECT id FROM reviews WHERE review_type = 'RAPID_REVIEW'")
    plan = statutory.rapid_review_plan(current, rapid)
    assert [r["agency_name"] for r in plan["returns"] if r["late"]] == ["Fernhallow Police"]
    assert plan["submitted_on_time"] is True
    assert current.scalar("SELECT count(*) FROM actions") >= 5
    assert current.scalar("SELECT count(*) FROM briefings WHERE status = 'issued'") == 2
    assert current.scalar("SELECT count(*) FROM disseminations WHERE feedback_received_date IS NOT NULL") == 9


def test_every_notification_has_its_rapid_review_clock_without_a_button(current):
    notified = {r["ref"] for r in current.rows(
        "SELECT ref FROM referrals WHERE sin_submitted_date IS NOT NULL AND notification_withdrawn_date IS NULL")}
    assert len(notified) == 5
    with_clock = {c.ref for c in clocks.all_clocks(current) if c.clock == "RAPID_REVIEW"}
    assert with_clock == notified
    # The withdrawn one owes none.
    assert "Ref005" not in with_clock
    # The one still running is on the dashboard's statutory deadlines, though no one has opened a
    # rapid review workspace for it.
    assert current.scalar("SELECT count(*) FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
                          "WHERE r.ref = 'Ref009'") == 0
    deadlines = dashboard(current)["deadlines"]
    assert ("RAPID_REVIEW", "2026-10-12") in {(line["clock"], line["due"]) for line in deadlines
                                              if line["title"].startswith("Ref009")}


def test_a_planned_publication_shows_the_pre_publication_deadline_ahead(current):
    due = {(c["ref"], c["clock"]): c for c in clocks.open_clocks(current)}
    copy = due[("Ref004", "PRE_PUBLICATION")]
    # Publication planned for Thu 22 Oct 2026: the copy to the Panel and the Secretary of State is
    # due 7 working days before, Tue 13 Oct, and shows a fortnight ahead.
    assert copy["due"] == "2026-10-13" and copy["done"] is None
    assert copy["rag"] == "amber" and "due in 9 working days" in copy["reason"]
    assert any(line["clock"] == "PRE_PUBLICATION" for line in dashboard(current)["deadlines"])


def test_local_reviews_are_measured_against_the_partnerships_own_target(current):
    due = {(c["ref"], c["clock"]): c for c in clocks.open_clocks(current)}
    assert "partnership's own target" in due[("Ref011", "REVIEW_TARGET")]["reason"]
    local = annual_report(current, LAST_FULL_YEAR)["reviews"]["timeliness"]["local"]
    assert (local["completed"], local["on_time"]) == (2, 2)


def test_only_fictional_names_and_identifiers(current):
    identifiers = [r["value"] for r in current.rows("SELECT value FROM restricted_identifiers")]
    assert identifiers and all("Fictional" in v or "FICTIONAL" in v for v in identifiers)
    assert all(re.fullmatch(r"Child F[A-Z]", r["pseudonym"]) for r in current.rows("SELECT pseudonym FROM referrals"))
    assert all("Fernhallow" in r["name"] for r in current.rows("SELECT name FROM agencies"))
    text = json.dumps(annual_report(current, LAST_FULL_YEAR))
    assert not any(v in text for v in identifiers)


def test_the_last_full_years_governance(current):
    governance_ = annual_report(current, LAST_FULL_YEAR)["governance"]
    # Nine six-weekly meetings in 2025-26; the August one was inquorate (two agencies came).
    assert (governance_["meetings_held"], governance_["meetings_quorate"]) == (9, 8)
    rates = governance_["attendance_by_agency"]
    assert len(rates) == 7 and rates["Fernhallow Council Children's Services"] == 1.0
    assert rates["Fernhallow Police"] == 0.89 and rates["Fernhallow Probation Delivery Unit"] == 0.44
    assert governance_["health_checks"] == ["2025-09-18", "2026-03-04"]
    assert governance_["terms_of_reference_reviewed"] == ["2025-07-02"]
    assert governance_["escalations"] == 1
    inquorate = [m for m in governance.meetings_with_attendance(current) if m["recorded"] and not m["quorate"]]
    assert [m["date"] for m in inquorate] == ["2025-08-13"] and "Inquorate" in inquorate[0]["notes"]


def test_membership_chairs_and_terms_of_reference(current):
    serving = governance.members(current, on=AS_AT)
    assert len(serving) == 7 and len({m["agency_id"] for m in serving}) == 7
    assert all(m["deputy_name"] for m in serving)
    # Probation's member changed in January 2026; the one before is kept with their dates.
    assert len(governance.members(current)) == 8
    chairs = governance.chairs(current)
    assert [(c["from_date"], c["to_date"], c["interim"]) for c in chairs] == [
        ("2023-04-01", "2025-08-31", 0), ("2025-09-01", "2025-12-31", 1), ("2026-01-01", None, 0)]
    assert governance.chair_on(current, AS_AT)["role"] == "Assistant Director"
    tor = governance.terms_of_reference_due(current)
    assert (tor["version"], tor["approved_date"], tor["next_review_date"], tor["documents"]) == \
        ("4", "2025-07-02", "2026-10-14", 1)
    assert tor["days"] == 14 and not tor["due"]
    lines = {line["title"]: line["rag"].colour for line in dashboard(current)["sub_group"]}
    assert lines["Terms of reference (version 4) due for review"] == "amber"


def test_two_health_checks_and_the_action_arising_in_the_sub_groups_plan(current):
    latest = health_check_data(current)
    assert (latest["date"], latest["previous_date"]) == ("2026-03-04", "2025-09-18")
    assert latest["counts"] == {"red": 0, "amber": 3, "green": 6}
    assert latest["previous_counts"] == {"red": 0, "amber": 5, "green": 4}
    arising = health_check_data(current, "2025-09-18")["actions"]
    assert [a["status"] for a in arising] == ["Complete \u2013 evidenced"]
    plan = current.rows("SELECT source_kind, source_text FROM actions WHERE review_id IS NULL")
    assert plan == [{"source_kind": "health_check", "source_text": "Health check of 18 Sep 2025"}]


def test_escalations_one_closed_one_open(current):
    log = governance.escalations(current)
    assert [(x["raised_date"], x["to_whom"], x["open"]) for x in log] == [
        ("2026-04-08", "business_manager", True), ("2025-11-05", "board_chair", False)]
    assert log[0]["concerns"].startswith("Action (Fernhallow Police)") and log[1]["concerns"] == "Review Ref004"
    escalated = current.row("SELECT escalated_date, escalated_to FROM actions WHERE id = ?", [log[0]["action_id"]])
    assert escalated == {"escalated_date": "2026-04-08", "escalated_to": "Business manager"}


def test_the_last_full_years_costs_are_fictional_and_add_up(current):
    costs = annual_report(current, LAST_FULL_YEAR)["costs"]
    assert (costs["budget"], costs["contributed"], costs["spent"], costs["committed"]) == \
        (33000.0, 33000.0, 13355.0, 11550.0)
    assert costs["by_review"] == {"Ref001": 7180.0, "Ref004": 6175.0}
    assert costs["by_type"] == {"LCSPR": {"reviews": 2, "spent": 13355.0, "per_review": 6677.5}}
    # One reviewer is author and panel chair for the LCSPRs (panel chair alone where another writes).
    roles = {(c["review_refs"], c["role"]): c["reviewer_name"] for c in reviewers.commissions(current)}
    quill = "R. Quillfeather (fictional independent reviewer)"
    assert roles[("Ref001", "both")] == roles[("Ref006", "both")] == roles[("Ref004", "panel_chair")] == quill
    assert all("Fictional" in c["notes"] for c in reviewers.commissions(current))
    assert all(c["note"].startswith("Fictional figure") for c in reviewers.review_costs(current))
    assert all("Fictional" in b["notes"] for b in reviewers.budgets(current))


def test_the_last_full_years_learning(current):
    report = annual_report(current, LAST_FULL_YEAR)
    learning = report["learning"]
    assert learning["publications"] == 1
    assert learning["channels"] == {"newsletter_issues": 5, "briefings_in_newsletters": 2, "briefings_on_website": 2}
    assert learning["recommendations"] == {"closed": 1, "closed_with_impact": 1, "closed_on_actions_only": 0}
    assert learning["themes"] == {"information_sharing": 2, "neglect": 2, "non_mobile_bruising": 2,
                                  "hidden_men": 1, "professional_curiosity": 1}
    assert report["theme_labels"]["non_mobile_bruising"] == "Bruising in non-mobile babies"


def test_the_published_lcspr_has_its_checklist_and_web_address(current):
    review = current.scalar("SELECT id FROM reviews WHERE title = 'Ref001 LCSPR'")
    published = publication.publication(current, review)
    assert (published["done"], published["total"]) == (8, 8)
    assert published["web_address"].startswith("https://www.fernhallow-scp.example.org.uk/")
    assert (published["published_date"], published["removal_date"]) == ("2025-05-15", "2028-05-15")
    assert next(s for s in published["steps"] if s["item"] == "coroner_cleared")["not_needed"]


def test_a_recommendation_closed_with_impact_evidence_and_themes_in_two_reviews(current):
    closed = [r for r in impact.impact_rows(current) if r["closed_date"]]
    assert [(r["ref"], r["number"], r["closure_basis"], r["evidence_files"]) for r in closed] == \
        [("Ref001", "1", "impact", 1)]
    assert closed[0]["impact_statement"]
    assert any(r["acceptance"] == "partly" and r["acceptance_reason"] for r in impact.impact_rows(current))
    shared = {t["code"]: [r["ref"] for r in t["reviews"]] for t in themes.theme_usage(current)
              if len(t["reviews"]) >= 2}
    assert shared["non_mobile_bruising"] == ["Ref001", "Ref004"] and shared["neglect"] == ["Ref003", "Ref007"]
    assert current.scalar("SELECT count(*) FROM theme_tags WHERE briefing_id IS NOT NULL") == 3
    assert current.scalar("SELECT count(*) FROM theme_tags WHERE recommendation_id IS NOT NULL") == 7


def test_the_chairs_report_for_april_and_may_2026(current):
    report = chair_report_data(current, date(2026, 4, 1), date(2026, 5, 31))
    assert [(r["ref"], r["initiated_date"]) for r in report["initiated"]] == [("Ref006", "2026-04-20")]
    assert [r["ref"] for r in report["referrals"]] == ["Ref006"]
    assert [(g["agency"], len(g["actions"])) for g in report["overdue_by_agency"]] == [("Fernhallow Police", 1)]
    assert [x["raised_date"] for x in report["escalations"]] == ["2026-04-08"]
    assert report["feedback_outstanding"]


def test_the_chairs_report_prints_for_a_2026_period(tmp_path):
    path = tmp_path / "chair.db"
    write_current_demo(path)
    out = tmp_path / "chair.pdf"
    assert main(["--db", str(path), "export", "chair-report", "--from", "2025-11-01", "--to", "2025-12-31",
                 "--out", str(out)]) == 0
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text() for page in PdfReader(str(out)).pages).split())
    escalations = text[text.index("6. Escalations"):text.index("7. Items for the board chair")]
    assert "Ref004 LCSPR: the criminal trial" in escalations
    assert "The board chair wrote to the CPS" in text[text.index("7. Items for the board chair"):]


def test_the_checks_are_quiet_on_it(current):
    failed = [f"{r.name}: {r.detail}" for r in run_checks(current) if not r.ok]
    assert not failed, failed


def test_every_write_is_audited(current):
    # Loaded through the store's write functions: each record has its audit row.
    referrals = current.scalar("SELECT count(*) FROM referrals")
    inserts = current.scalar("SELECT count(*) FROM audit_log WHERE tbl = 'referrals' AND action = 'insert'")
    assert referrals == inserts == 11


def test_the_command_line_writes_it(tmp_path, capsys):
    path = tmp_path / "now.db"
    assert main(["demo", "--current", str(path)]) == 0
    assert "as at 30 Sep 2026" in capsys.readouterr().out
    with Store.open(path, readonly=True) as store:
        assert store.settings().as_at_date == "2026-09-30"
    assert main(["demo", "--current", str(path)]) != 0  # never replaced without --force
    assert main(["demo", "--current", "--force", str(path)]) == 0


def test_the_window_flag_takes_current(monkeypatch):
    import scrdesk.app

    seen = []
    monkeypatch.setattr(scrdesk.app, "run_gui", lambda db=None, demo=False: seen.append(demo) or 0)
    assert main(["--demo", "current"]) == 0 and main(["--demo"]) == 0
    assert seen == ["current", True]
    assert main(["--demo", "latest"]) == 2
