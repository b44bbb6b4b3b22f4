"""The learning store without Qt: publication, channels, impact and themes, each write one
transaction refused in the rules' words, and the annual report's learning section."""

from __future__ import annotations

import pytest

from scrdesk.domain.rules import RuleBroken
from scrdesk.store import channels, impact, learning_annual, publication, reviews, themes
from scrdesk.store.attachments import read_attachment_file
from scrdesk.store.db import Store
from scrdesk.store.demo import write_demo


@pytest.fixture
def demo(tmp_path):
    opened = Store.open(write_demo(tmp_path / "demo.db"), user="tester")
    yield opened
    opened.close()


def review_id(store, ref: str) -> int:
    return store.scalar("SELECT rr.review_id FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id "
                        "WHERE r.ref = ?", [ref])


def briefing_of(store, ref: str) -> int:
    return store.scalar("SELECT id FROM briefings WHERE review_id = ?", [review_id(store, ref)])


def recommendation_of(store, ref: str, number: str) -> int:
    return store.scalar("SELECT id FROM recommendations WHERE review_id = ? AND number = ?",
                        [review_id(store, ref), number])


def audit_rows(store) -> int:
    return store.scalar("SELECT count(*) FROM audit_log")


# -- the seed demo holds what the report states --------------------------------------------------

def test_the_seed_year_learning_section_counts_what_the_report_states(demo):
    section = learning_annual.learning_section(demo, 2016)
    # Ref023 (Jul 2016) and Ref021 (Jan 2017); Ref035's "20 October 2017" is the report's slip.
    assert section["publications"] == 2
    # Bi-monthly: six issues; the three briefings issued that year each in one and on the website.
    assert section["channels"] == {"newsletter_issues": 6, "briefings_in_newsletters": 3, "briefings_on_website": 3}
    assert section["recommendations"]["closed_with_impact"] == 0
    assert section["recommendations"]["closed"] == section["recommendations"]["closed_on_actions_only"] > 0
    assert section["themes"]["non_mobile_bruising"] >= 2


def test_ref021_was_published_with_one_to_one_media_interviews(demo):
    record = publication.publication(demo, review_id(demo, "Ref021"))
    assert record["media_approach"] == "one_to_one"
    assert "1:1 interviews" in record["notes"]
    assert record["removal_date"] == "2018-01-26"  # published 26 Jan 2017 + 12 months
    assert record["done"] == record["total"] == 8


def test_each_briefing_issued_in_2016_17_is_on_the_website_and_in_a_newsletter(demo):
    found = channels.channels_by_briefing(demo)
    for ref, issue, posted in (("Ref023", "33", "2016-07-13"), ("Ref044", "34", "2016-10-06"),
                               ("Ref021", "36", "2017-01-26")):
        entry = found[briefing_of(demo, ref)]
        assert [n["number"] for n in entry["newsletters"]] == [issue]
        assert [w["posted_date"] for w in entry["website"]] == [posted]


def test_a_theme_is_shared_by_reviews_across_years(demo):
    usage = {t["code"]: t for t in themes.theme_usage(demo)}
    bruising = usage["non_mobile_bruising"]
    assert {"Ref021", "Ref044"} <= {r["ref"] for r in bruising["reviews"]}
    assert len(bruising["years"]) >= 2
    assert bruising["open_actions"] > 0


# -- publication ---------------------------------------------------------------------------------

def test_the_removal_date_follows_the_setting(demo):
    demo.set_settings({"report_online_months": 18})
    rid = review_id(demo, "Ref023")
    publication.save_publication(demo, rid, web_address="https://example.org/r", published_date="2016-07-06")
    assert reviews.get_review(demo, rid)["removal_date"] == "2018-01-06"


def test_a_completed_review_given_a_date_published_becomes_published(demo):
    rid = review_id(demo, "Ref044")
    assert reviews.get_review(demo, rid)["status"] == "completed"
    publication.save_publication(demo, rid, published_date="2016-11-01", media_approach="none")
    review = reviews.get_review(demo, rid)
    assert (review["status"], review["published_date"], review["removal_date"]) == \
        ("published", "2016-11-01", "2017-11-01")


def test_a_refused_publication_changes_nothing(demo):
    rid = review_id(demo, "Ref044")
    before = audit_rows(demo)
    with pytest.raises(RuleBroken) as refused:
        publication.save_publication(demo, rid, web_address="not an address", published_date="2016-11-01")
    assert refused.value.problems == {"web_address": "does not look like a web address "
                                                     "(for example https://www.example.org.uk/reviews)"}
    assert "Web address" in str(refused.value)
    assert audit_rows(demo) == before
    assert reviews.get_review(demo, rid)["published_date"] is None


def test_a_review_rule_refuses_the_publication_too(demo):
    # Ref035 was sent to the national panel on 6 Oct 2016: it cannot have been published before.
    with pytest.raises(RuleBroken) as refused:
        publication.save_publication(demo, review_id(demo, "Ref035"), published_date="2016-09-01")
    assert refused.value.problems == {"published_date": "is before the date sent to the national panel (6 Oct 2016)"}


def test_a_date_published_before_a_step_done_is_refused(demo):
    with pytest.raises(RuleBroken) as refused:
        publication.save_publication(demo, review_id(demo, "Ref021"), published_date="2017-01-10")
    assert refused.value.problems == {
        "published_date": "is before \u201cFamily told and offered a reading\u201d was done (12 Jan 2017)"}


def test_a_step_is_recorded_and_cleared(demo):
    rid = review_id(demo, "Ref044")
    step_id = publication.save_step(demo, rid, "family_told", done_date="2016-10-01", done_by="Project officer")
    assert step_id and publication.progress(demo)[rid] == (1, 8)
    assert publication.save_step(demo, rid, "family_told") == 0
    assert rid not in publication.progress(demo)
    with pytest.raises(RuleBroken) as refused:
        publication.save_step(demo, rid, "coroner_cleared", not_needed=True)
    assert refused.value.problems == {"note": "say why this step is not needed"}


# -- channels ------------------------------------------------------------------------------------

def test_a_newsletter_cannot_promote_a_briefing_before_it_was_issued(demo):
    before = audit_rows(demo)
    with pytest.raises(RuleBroken) as refused:
        channels.save_issue(demo, None, {"number": "40", "issue_date": "2016-12-01"},
                            briefing_ids=[briefing_of(demo, "Ref021")])
    assert refused.value.problems["briefing_ids"].endswith("is dated before the briefing was issued (26 Jan 2017)")
    with pytest.raises(RuleBroken) as taken:
        channels.save_issue(demo, None, {"number": "36", "issue_date": "2017-03-01"})
    assert taken.value.problems == {"number": "is already the number of another issue"}
    assert audit_rows(demo) == before


def test_an_issue_s_promotions_are_replaced_and_deleting_it_keeps_the_briefing(demo):
    bid = briefing_of(demo, "Ref021")
    issue_id = channels.save_issue(demo, None, {"number": "37", "issue_date": "2017-04-07"}, briefing_ids=[bid])
    assert channels.get_issue(demo, issue_id)["briefing_ids"] == [bid]
    channels.save_issue(demo, issue_id, {"number": "37", "issue_date": "2017-04-07"}, briefing_ids=[])
    assert channels.get_issue(demo, issue_id)["briefing_ids"] == []
    channels.delete_issue(demo, issue_id)
    assert channels.get_issue(demo, issue_id) is None
    assert demo.get("briefings", bid) is not None


def test_a_web_page_before_the_briefing_was_issued_is_refused(demo):
    with pytest.raises(RuleBroken) as refused:
        channels.save_web_post(demo, briefing_of(demo, "Ref021"), None,
                               {"web_address": "https://example.org/b", "posted_date": "2017-01-01"})
    assert refused.value.problems == {"posted_date": "is before the briefing was issued (26 Jan 2017)"}


def test_deleting_a_briefing_takes_its_channels_with_it(demo):
    from scrdesk.store import briefings

    bid = briefing_of(demo, "Ref044")
    briefings.delete_briefing(demo, bid)
    assert bid not in channels.channels_by_briefing(demo)
    assert demo.scalar("SELECT count(*) FROM newsletter_items WHERE briefing_id = ?", [bid]) == 0


# -- impact --------------------------------------------------------------------------------------

def test_a_recommendation_closed_with_impact_and_evidence_is_counted(demo, tmp_path):
    evidence = tmp_path / "audit-summary.txt"
    evidence.write_text("Audit of 20 records: 18 show the baby's lived experience.", encoding="utf-8")
    rec = recommendation_of(demo, "Ref021", "1")
    before = learning_annual.learning_section(demo, 2017)["recommendations"]
    impact.save_impact(demo, rec, {"assurance_methods": ["audit"], "impact_statement": "18 of 20 records now show it.",
                                   "closure_basis": "impact", "closed_date": "2017-06-15",
                                   "closed_by": "SCR Sub Group"}, [read_attachment_file(evidence)])
    record = impact.get_impact(demo, rec)
    assert record["acceptance"] == "fully"  # kept from the demo
    assert record["methods"] == ["audit"] and record["evidence_files"] == 1
    after = learning_annual.learning_section(demo, 2017)["recommendations"]
    assert after["closed_with_impact"] == before["closed_with_impact"] + 1
    assert impact.closures(demo)[rec]["state"] == impact.WITH_IMPACT
    rows = {r["recommendation_id"]: r for r in impact.impact_rows(demo, "2017-04-01", "2018-03-31")}
    assert rows[rec]["closure_label"] == "Closed with evidence of impact" and rows[rec]["evidence_files"] == 1


def test_closing_with_impact_without_a_statement_is_refused_and_adds_no_file(demo, tmp_path):
    evidence = tmp_path / "survey.txt"
    evidence.write_text("survey", encoding="utf-8")
    rec = recommendation_of(demo, "Ref021", "2")
    with pytest.raises(RuleBroken) as refused:
        impact.save_impact(demo, rec, {"closure_basis": "impact", "closed_date": "2017-06-15"},
                           [read_attachment_file(evidence)])
    assert refused.value.problems == {
        "impact_statement": "is required to close a recommendation with evidence of impact"}
    assert impact.get_impact(demo, rec)["evidence_files"] == 0


def test_a_recommendation_whose_actions_are_all_done_counts_as_closed_on_actions_alone(demo):
    rec = recommendation_of(demo, "Ref021", "5")  # its one action is signed off
    assert impact.closures(demo)[rec]["state"] == impact.ON_ACTIONS
    open_rec = recommendation_of(demo, "Ref021", "1")  # one action still awaits evidence
    assert impact.closures(demo)[open_rec]["state"] == impact.OPEN


# -- themes --------------------------------------------------------------------------------------

def test_tags_are_set_exactly_and_a_new_theme_joins_the_list(demo):
    rid = review_id(demo, "Ref054")
    theme_id = themes.add_theme(demo, "Sibling groups")
    themes.set_tags(demo, "review", rid, [theme_id])
    assert themes.tag_labels(demo, "review", [rid]) == {rid: "Sibling groups"}
    with pytest.raises(RuleBroken) as refused:
        themes.add_theme(demo, "sibling groups")
    assert refused.value.problems == {"label": "is already a theme"}
    themes.set_theme_active(demo, theme_id, False)
    assert theme_id not in [t["id"] for t in themes.theme_list(demo)]
    assert themes.tag_labels(demo, "review", [rid]) == {rid: "Sibling groups"}  # a retired theme's tags stay


def test_deleting_a_review_takes_its_learning_records_with_it(demo):
    rid = review_id(demo, "Ref021")
    reviews.delete_review(demo, rid)
    for table in ("publications", "publication_steps"):
        assert demo.scalar(f"SELECT count(*) FROM {table} WHERE review_id = ?", [rid]) == 0
    assert demo.scalar("SELECT count(*) FROM theme_tags WHERE review_id = ?", [rid]) == 0
    assert demo.scalar("SELECT count(*) FROM recommendation_impact im LEFT JOIN recommendations rc "
                       "ON rc.id = im.recommendation_id WHERE rc.id IS NULL") == 0
