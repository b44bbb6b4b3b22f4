"""The current-process demo (`scrdesk demo --current`): its last full year's funnel, every
notification's rapid review clock without a button pressed, the pre-publication deadline shown
ahead of a planned date, fictional names only, and the checks quiet."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from scrdesk.cli import main
from scrdesk.store import clocks, statutory
from scrdesk.store.annual import annual_report
from scrdesk.store.check import run_checks
from scrdesk.store.db import Store
from scrdesk.store.demo_current import AS_AT, LAST_FULL_YEAR, write_current_demo
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
