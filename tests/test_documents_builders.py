"""Each builder's PDF says what its data says: text extracted with pypdf, page furniture, metadata."""

from __future__ import annotations

import io

from pypdf import PdfReader
from test_documents_text import briefing_with, pdf_text
from test_exports_sample import SIX_STEPS, UNICODE_SUMMARY, make_sample

from scrdesk.documents.action_plan import build_action_plan
from scrdesk.documents.annual import build_annual
from scrdesk.documents.briefing import build_briefing
from scrdesk.documents.paper import build_paper
from scrdesk.documents.style import Letterhead
from scrdesk.documents.timeline import build_timeline
from scrdesk.store.annual import annual_report
from scrdesk.store.papers import action_plan_data, briefing_data, paper_data, timeline_data


def head(marking="OFFICIAL-SENSITIVE", title="Ref021 6-step briefing") -> Letterhead:
    return Letterhead(board_name="Northshire Safeguarding Children Partnership", kind_label="Test document",
                      title=title, subject="Test – Northshire", marking=marking)


def page_texts(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def test_the_six_step_briefing_prints_every_step_in_order_with_marking_and_page_numbers(store):
    make_sample(store)
    result = build_briefing(briefing_data(store, "Ref021"), head("OFFICIAL"))
    assert 1 <= result.pages <= 2 and result.warnings == []
    text = pdf_text(result.pdf)
    flat = " ".join(text.split())
    positions = [flat.index(t) for t in ("1 The Background", "2 Safeguarding Concerns", "3 The Incident",
                                         "4 The Review", "5 The Findings", "6 Recommendations", "Good practice",
                                         "Evidence of changes to practice")]
    assert positions == sorted(positions)
    for body in SIX_STEPS.values():
        for line in body.splitlines():
            assert " ".join(line.split()) in flat
    for n, page in enumerate(page_texts(result.pdf), 1):
        assert page.count("OFFICIAL") >= 2  # header and footer
        assert f"Page {n} of {result.pages}" in page
        assert "Northshire Safeguarding Children Partnership" in page


def test_metadata_is_ref_and_kind_and_the_board_never_a_name(store):
    make_sample(store)
    result = build_briefing(briefing_data(store, "Ref021"), head())
    info = PdfReader(io.BytesIO(result.pdf)).metadata
    assert info.title == "Ref021 6-step briefing"
    assert info.author == "Northshire Safeguarding Children Partnership"
    assert "Child A" not in f"{info.title}{info.subject}{info.author}"


def test_a_briefing_longer_than_two_pages_is_built_with_a_warning():
    data = briefing_with("A long paragraph of findings that goes on. " * 400)
    result = build_briefing(data, head())
    assert result.pages > 2
    assert "should fit on one or two A4 pages" in result.warnings[0]
    assert "The Background" in result.warnings[0]


def test_a_seven_minute_briefing_prints_its_sections_and_three_questions():
    data = {"ref": "Ref099", "title": "Neglect", "template": "seven_minute", "status": "approved", "version": 1,
            "sections": [{"key": "why_it_matters", "title": "Why it matters", "body": "Because."},
                         {"key": "reflection_questions", "title": "Questions", "body": "Who?\nWhat?\nWhy?"}]}
    text = " ".join(pdf_text(build_briefing(data, head()).pdf).split())
    assert "2 Why it matters Because." in text
    assert "5 Key information" in text and "7 What to do" in text
    assert "Questions for reflection 1. Who? 2. What? 3. Why?" in text


def test_the_meeting_paper_has_reviews_referrals_and_overdue_actions(store):
    make_sample(store)
    result = build_paper(paper_data(store), head(title="Briefing paper 14 Jun 2017"))
    text = pdf_text(result.pdf)
    assert UNICODE_SUMMARY in text
    flat = " ".join(text.split())
    assert "Ref053" in flat and "Independent Reviewer Two" in flat
    assert "Green due 5 Aug 2017, on track" in flat  # RAG printed in words with its reason
    assert "Referrals received since the last meeting on 10 May 2017" in flat
    assert "Northshire Police – 1 overdue action" in flat
    assert "Brief all response officers on the protocol & record attendance." in flat
    assert "Red target 31 Mar 2017 passed 75 days ago, not complete" in flat
    width, height = PdfReader(io.BytesIO(result.pdf)).pages[0].mediabox[2:]
    assert width > height  # landscape


def test_the_qa_paper_adds_learning_and_feedback_awaited(store):
    make_sample(store)
    flat = " ".join(pdf_text(build_paper(paper_data(store, kind="qa"), head()).pdf).split())
    assert "QA sub group" in flat or "QA Sub Group" in flat
    assert "Learning issued and feedback awaited" in flat
    assert "Northshire Police 2 Feb 2017 2 Mar 2017 Red" in flat


def test_the_action_plan_groups_review_recommendation_actions(store):
    make_sample(store)
    plan = action_plan_data(store)
    flat = " ".join(pdf_text(build_action_plan(plan, head()).pdf).split())
    order = [flat.index(t) for t in (
        "Ref021 – Serious Case Review", "Recommendation 1 (Multi-agency): All agencies adopt",
        "Brief all response officers", "Add the protocol to the induction pack",
        "Recommendation 2 (Single agency)", "Change the contact template")]
    assert order == sorted(order)
    assert "2 May 2017: Two of five teams briefed." in flat
    assert plan["totals"] == {**plan["totals"], "total": 3, "complete": 1, "overdue": 1}


def test_the_annual_tables_print_the_referrals_by_outcome_table(store):
    make_sample(store)
    report = annual_report(store, 2016)
    flat = " ".join(pdf_text(build_annual(report, head()).pdf).split())
    assert "considered 1 referral between 01.04.16 – 31.03.17" in flat
    for outcome in report["referrals"]["outcomes"]:
        assert f"{outcome['label']} {outcome['count']}" in flat
    for section in ("2. New reviews agreed", "3. Reviews underway, completed and published", "4. Case mapping",
                    "5. Timeliness", "6. Learning events and de-briefs", "7. Briefings issued",
                    "8. The composite action plan"):
        assert section in flat
    assert "Wider de-briefs averaged an attendance of 72" in flat


def test_the_timeline_shows_live_reviews_and_their_milestones(store):
    ids = make_sample(store)
    flat = " ".join(pdf_text(build_timeline(timeline_data(store), head()).pdf).split())
    assert "Timeline of live reviews" in flat and "Ref053" in flat
    assert "Scoping / terms of reference: planned 1 Mar 2017, done 3 Mar 2017" in flat
    one = " ".join(pdf_text(build_timeline(timeline_data(store, ids["v21"]), head()).pdf).split())
    assert "Timeline: Ref021" in one
