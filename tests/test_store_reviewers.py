"""The reviewer register, commissions, costs and budgets through the store."""

from __future__ import annotations

from datetime import date

import pytest

from scrdesk.domain.rules import RuleBroken
from scrdesk.store import reviewers


def _review(store, ref, review_type="SCR"):
    review = store.insert("reviews", {"title": f"{ref} review", "review_type": review_type})
    referral = store.insert("referrals", {"ref": ref})
    store.insert("review_referrals", {"review_id": review, "referral_id": referral})
    return review


def test_a_reviewer_is_commissioned_as_author_and_panel_chair(store):
    author = reviewers.save_reviewer(store, None, {"name": "A. N. Author (fictional)", "organisation": "Independent",
                                                   "methodologies": "Welsh CPR; SILP"})
    with pytest.raises(RuleBroken, match="Name: is already in the register"):
        reviewers.save_reviewer(store, None, {"name": "A. N. Author (fictional)"})
    review = _review(store, "Ref053")
    with pytest.raises(RuleBroken, match=r"Fee: is not the agreed days times the day rate \(£9,000.00\)"):
        reviewers.save_commission(store, None, {"review_id": review, "reviewer_id": author, "role": "both",
                                                "agreed_days": 20, "day_rate": 450, "fee": 9500})
    reviewers.save_commission(store, None, {"review_id": review, "reviewer_id": author, "role": "both",
                                            "agreed_date": "2017-02-01", "agreed_days": 20, "day_rate": 450})
    (row,) = reviewers.commissions(store, review)
    assert (row["reviewer_name"], row["role_label"], row["fee_due"], row["review_refs"]) == (
        "A. N. Author (fictional)", "Author and panel chair", 9000.0, "Ref053")
    assert reviewers.reviewer_for(store, review, "panel_chair") == "A. N. Author (fictional)"
    assert reviewers.reviewers(store)[0]["commissions"] == 1
    with pytest.raises(RuleBroken, match="is commissioned for a review"):
        reviewers.delete_reviewer(store, author)


def test_spend_against_budget_and_cost_per_review_by_type(store):
    scr_a, scr_b, mapping = _review(store, "Ref053"), _review(store, "Ref054"), _review(store, "Ref050", "CASE_MAPPING")
    budget = reviewers.save_budget(store, None, {"year": 2016, "amount": 40000})
    with pytest.raises(RuleBroken, match="Year: already has a budget"):
        reviewers.save_budget(store, None, {"year": 2016, "amount": 1})
    police = store.insert("agencies", {"name": "Police"})
    reviewers.save_contribution(store, None, {"budget_id": budget, "agency_id": police, "amount": 5000})
    for review, kind, on, amount in ((scr_a, "author", "2016-09-01", 6000), (scr_a, "venue", "2016-10-01", 250.5),
                                     (scr_b, "legal", "2017-01-10", 3000), (mapping, "other", "2016-12-01", 400),
                                     (scr_b, "author", "2017-04-02", 9999)):  # next year: not counted
        reviewers.save_cost(store, None, {"review_id": review, "kind": kind, "date": on, "amount": amount})
    with pytest.raises(RuleBroken, match="Amount: is required"):
        reviewers.save_cost(store, None, {"review_id": scr_a, "kind": "venue", "date": "2016-10-01"})
    summary = reviewers.cost_summary(store, date(2016, 4, 1), date(2017, 3, 31))
    assert summary["budget"] == 40000 and summary["contributed"] == 5000
    assert summary["spent"] == 9650.5
    assert summary["by_review"] == {"Ref050": 400, "Ref053": 6250.5, "Ref054": 3000}
    assert summary["by_type"]["SCR"] == {"reviews": 2, "spent": 9250.5, "per_review": 4625.25}
    assert budget == reviewers.budget_for(store, 2016)["id"]
    assert [c["agency_name"] for c in reviewers.budget_for(store, 2016)["contributions"]] == ["Police"]
