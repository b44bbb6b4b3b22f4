"""The statutory clocks in the meeting paper, and the notification → rapid review → LCSPR funnel
in the annual report (JSON, PDF and Excel) for a current year."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from test_documents_builders import head
from test_documents_text import pdf_text

from scrdesk.documents.annual import build_annual
from scrdesk.documents.paper import build_paper
from scrdesk.documents.xlsx import annual_xlsx
from scrdesk.store import statutory
from scrdesk.store.annual import annual_report
from scrdesk.store.papers import paper_data


@pytest.fixture
def process(store):
    """One rapid review running (notified 27 Dec 2023) and one decided as an LCSPR in 2023-24."""
    store.set_settings({"as_at_date": "2024-01-15"})
    police = store.insert("agencies", {"name": "Northshire Police", "type": "police"})
    running = store.insert("referrals", {"ref": "Ref101", "source": "sin", "la_aware_date": "2023-12-19",
                                         "received_date": "2023-12-19", "summary": "Head injury to a baby"})
    rapid = statutory.start_rapid_review(store, running, date(2023, 12, 27), [police])
    decided = store.insert("referrals", {"ref": "Ref102", "source": "sin", "la_aware_date": "2023-10-02",
                                         "received_date": "2023-10-02"})
    earlier = statutory.start_rapid_review(store, decided, date(2023, 10, 5), [police])
    statutory.record_submission(store, earlier, date(2023, 10, 25))
    store.update("reviews", earlier, {"panel_response_date": "2023-11-20", "panel_agreed": 1})
    statutory.decide_after_rapid_review(store, earlier, "LCSPR", date(2023, 11, 1))
    return {"rapid": rapid}


def flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_the_meeting_paper_shows_the_rapid_review_clock(store, process):
    paper = paper_data(store, date(2024, 1, 15))
    whats = [(c["ref"], c["what"], c["due"]) for c in paper["statutory_clocks"]]
    assert ("Ref101 rapid review", "Rapid review submission", "2024-01-18") in whats
    assert ("Ref102 LCSPR", "LCSPR completion", "2024-05-01") in whats
    text = flat(build_paper(paper, head(title="Briefing paper 15 Jan 2024")).pdf)
    assert "2. Statutory clocks" in text
    assert "Rapid review submission 18 Jan 2024 Amber due in 3 working days (18 Jan 2024)" in text
    assert "Agency returns overdue: Northshire Police" in text
    # The rapid review is among the live reviews, with its next step.
    assert "Letters to agencies (day 1)" in text


def test_a_paper_with_no_clock_running_says_so(store):
    store.set_settings({"as_at_date": "2024-01-15"})
    text = flat(build_paper(paper_data(store), head()).pdf)
    assert "No rapid review or LCSPR clock is running." in text


def test_the_annual_report_shows_the_funnel_for_a_current_year(store, process):
    report = annual_report(store, 2023)
    funnel = json.loads(json.dumps(report))["funnel"]
    assert funnel["notifications"] == {"total": 2, "on_time": 2, "withdrawn": 0, "by_harm": {}}
    assert funnel["rapid_reviews"] == {"total": 2, "submitted": 1, "on_time": 1, "on_time_rate": 1.0,
                                       "by_sex": {}, "by_age_band": {}}
    assert funnel["lcsprs"]["initiated"] == 1 and funnel["panel"]["agreement_rate"] == 1.0
    assert funnel["decision_labels"]["LCSPR"] == "Local Child Safeguarding Practice Review"
    text = flat(build_annual(report, head(title="Annual report 2023-24")).pdf)
    assert "9. Notifications, rapid reviews and LCSPRs" in text
    assert "Rapid reviews submitted to the national panel 1 within 15 working days: 1 of 1 on time (100%)" in text
    assert "Decision: Local Child Safeguarding Practice Review 1" in text
    assert "National panel responses 1 agreed in 1 (100%)" in text
    book = load_workbook(io.BytesIO(annual_xlsx(report, head()).data))
    rows = list(book["Statutory funnel"].iter_rows(values_only=True))
    assert ("LCSPRs initiated", 1, None) in rows


def test_a_year_without_the_process_says_none_rather_than_print_zeros(store, process):
    report = annual_report(store, 2022)
    assert report["funnel"]["any"] is False
    text = flat(build_annual(report, head()).pdf)
    assert "None in this year: no serious incident was notified" in text
    assert "LCSPRs initiated" not in text
