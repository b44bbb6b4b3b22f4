"""The rules of learning that lands: publication, checklist steps, newsletters and web pages,
a recommendation's impact, themes — each record -> {column: message}."""

from __future__ import annotations

import pytest

from scrdesk.domain.rules import learning as rules


@pytest.mark.parametrize("address", ["https://www.nscb.example.org.uk/scr/ref021", "www.example.org",
                                     "http://example.org.uk:8080/a?b=1", "example.org/briefings"])
def test_web_addresses_people_paste_are_taken(address):
    assert rules.looks_like_web_address(address)
    assert rules.publication_problems({"web_address": address}, published_date="2017-01-26") == {}


@pytest.mark.parametrize("address", ["not a url", "ref021", "https://", "www.example .org", "mailto:x@y"])
def test_text_that_is_not_a_web_address_is_refused(address):
    found = rules.publication_problems({"web_address": address}, published_date="2017-01-26")
    assert found["web_address"] == rules.NOT_A_WEB_ADDRESS


def test_a_removal_date_comes_after_publication_and_at_least_a_year_on():
    assert rules.publication_problems({}, published_date="2017-01-26", removal_date="2018-01-26") == {}
    assert "before the date published" in rules.publication_problems(
        {}, published_date="2017-01-26", removal_date="2017-01-01")["removal_date"]
    assert "less than 12 months" in rules.publication_problems(
        {}, published_date="2017-01-26", removal_date="2017-12-31")["removal_date"]
    assert "date published first" in rules.publication_problems({}, removal_date="2018-01-01")["removal_date"]


def test_a_web_address_needs_the_date_published_and_media_handling_is_from_the_list():
    found = rules.publication_problems({"web_address": "https://example.org/r", "media_approach": "tv"})
    assert found["published_date"] == "is required when the report has a web address"
    assert found["media_approach"].startswith("is not a way of handling the media")


def test_a_checklist_step_not_needed_says_why_and_who_did_it_says_when():
    assert rules.step_problems({"item": "coroner_cleared", "not_needed": True})["note"] == \
        "say why this step is not needed"
    assert rules.step_problems({"item": "coroner_cleared", "not_needed": True, "note": "No inquest"}) == {}
    assert rules.step_problems({"item": "police_cleared", "done_by": "SIO"})["done_date"] == \
        "is required when you say who did it"
    assert rules.step_problems({"item": "nonsense"})["item"] == "is not an item of the publication checklist"


def test_a_step_before_publication_cannot_be_done_after_it_but_copies_may_follow():
    late = rules.step_problems({"item": "family_told", "done_date": "2017-02-01"}, published_date="2017-01-26")
    assert late["done_date"] == "is after the date published (26 Jan 2017)"
    assert rules.step_problems({"item": "copies_sent", "done_date": "2017-02-01"}, published_date="2017-01-26") == {}


def test_a_newsletter_issue_has_number_and_date_and_promotes_only_issued_briefings():
    assert set(rules.issue_problems({})) == {"number", "issue_date"}
    assert rules.issue_problems({"number": "36", "issue_date": "2017-02-03"}) == {}
    assert rules.promoted_problem("2017-02-03", "2017-01-26") == ""
    assert rules.promoted_problem("2017-01-20", "2017-01-26") == "is dated before the briefing was issued (26 Jan 2017)"
    assert rules.promoted_problem("2017-01-20", None) == "promotes a briefing that has not been issued"


def test_a_web_page_goes_up_once_the_briefing_is_issued_and_comes_down_after():
    good = {"web_address": "https://example.org/b", "posted_date": "2017-01-26"}
    assert rules.web_post_problems(good, briefing_issued="2017-01-26") == {}
    assert rules.web_post_problems(good, briefing_issued="2017-02-01")["posted_date"].startswith("is before the briefing")
    assert rules.web_post_problems(good, briefing_issued=None)["posted_date"].startswith("is for an issued briefing")
    assert rules.web_post_problems({**good, "removed_date": "2017-01-01"}, briefing_issued="2017-01-26")[
        "removed_date"] == "is before the date it was put on the website"


@pytest.mark.parametrize(("acceptance", "words"), [("partly", "accepted in part"), ("not_accepted", "not accepted")])
def test_a_partly_or_not_accepted_recommendation_has_its_reason(acceptance, words):
    assert rules.impact_problems({"acceptance": acceptance})["acceptance_reason"] == \
        f"is required when a recommendation is {words}"
    assert rules.impact_problems({"acceptance": acceptance, "acceptance_reason": "Resources"}) == {}


def test_closing_with_impact_needs_an_impact_statement():
    closing = {"acceptance": "fully", "closure_basis": "impact", "closed_date": "2017-06-15"}
    assert rules.impact_problems(closing)["impact_statement"] == \
        "is required to close a recommendation with evidence of impact"
    assert rules.impact_problems({**closing, "impact_statement": "Audit: 18 of 20 records"}) == {}
    assert rules.impact_problems({**closing, "closure_basis": "actions"}) == {}


def test_closure_needs_acceptance_a_date_and_a_basis_in_order():
    assert rules.impact_problems({"closed_date": "2017-06-15"})["closure_basis"] == \
        "is required when the recommendation is closed"
    assert rules.impact_problems({"closure_basis": "actions", "acceptance": "fully"})["closed_date"] == \
        "is required when the recommendation is closed"
    assert rules.impact_problems({"closure_basis": "actions", "closed_date": "2017-06-15"})["acceptance"] == \
        "is required before the recommendation is closed"
    early = rules.impact_problems({"acceptance": "fully", "accepted_date": "2017-01-19", "closure_basis": "actions",
                                   "closed_date": "2017-01-01"})
    assert early["closed_date"] == "is before the recommendation was accepted (19 Jan 2017)"


def test_assurance_methods_are_from_the_list_and_kept_as_codes():
    assert rules.join_methods(["survey", "audit", "audit"]) == "audit,survey"
    assert rules.split_methods("audit,survey") == ["audit", "survey"]
    assert rules.impact_problems({"assurance_methods": "audit,guesswork"})["assurance_methods"].startswith(
        "has guesswork, not a way of seeking assurance")


def test_texts_longer_than_the_dialog_takes_are_refused():
    found = rules.impact_problems({"closed_by": "x" * 201})
    assert found["closed_by"].startswith("is too long (201 characters; at most 200)")


def test_a_theme_has_a_new_name():
    assert rules.theme_problems({"label": ""})["label"] == "is required"
    assert rules.theme_problems({"label": "Neglect"}, taken_labels=["neglect"])["label"] == "is already a theme"
    assert rules.theme_problems({"label": "!!!"})["label"] == "needs a letter or a digit"
    assert rules.theme_problems({"label": "Safe sleeping"}, taken_labels=["Neglect"]) == {}
    assert rules.theme_code("The child's voice") == "the_child_s_voice"
