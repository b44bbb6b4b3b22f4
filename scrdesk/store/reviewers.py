"""The reviewer register and what reviews cost (issue 13): reviewers (the author pool), commissions
(who was commissioned for which review, as author, panel chair or both, with agreed days, day rate
and fee), costs per review by kind (author, venue, legal, other), a budget per reporting year and
the partners' contributions to it.

A commission is what was agreed; a cost is what was spent (an author's invoice is a cost of kind
"author"), so spend is counted from costs only and fees agreed are reported apart as committed.
Amounts are pounds, two places. Reviewer names are publishable: nothing here is a restricted
identifier. Every write is one transaction, the rules (`scrdesk.domain.rules.governance`) first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from scrdesk.domain.rules import RuleBroken
from scrdesk.domain.rules import governance as rules
from scrdesk.store.db import Store, StoreError

LABELS = {
    "name": "Name", "organisation": "Organisation", "methodologies": "Methodologies", "notes": "Notes",
    "review_id": "Review", "reviewer_id": "Reviewer", "role": "Role", "agreed_date": "Agreed on",
    "agreed_days": "Agreed days", "day_rate": "Day rate", "fee": "Fee", "kind": "Kind", "date": "Date",
    "amount": "Amount", "note": "Note", "year": "Year", "budget_id": "Budget", "agency_id": "Agency",
}

GONE = "That record is no longer in the data file."
IN_USE = "is commissioned for a review: remove the commissions first"


def _clean(record: Mapping[str, object]) -> dict:
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in record.items()}


def _save(store: Store, table: str, row_id: int | None, record: Mapping[str, object], check, what: str) -> int:
    with store.transaction():
        if row_id:
            old = store.get(table, row_id)
            if old is None:
                raise StoreError(GONE)
            merged = {**old, **_clean(record)}
            found = check(merged)
            if found:
                raise RuleBroken(what, found, LABELS)
            store.update(table, row_id, {k: v for k, v in merged.items() if old.get(k) != v})
            return row_id
        new = _clean(record)
        found = check(new)
        if found:
            raise RuleBroken(what, found, LABELS)
        return store.insert(table, new)


def _delete(store: Store, table: str, row_id: int) -> None:
    with store.transaction():
        if store.get(table, row_id) is None:
            raise StoreError(GONE)
        store.delete(table, row_id)


def _review_refs(store: Store, review_ids: list[int] | None = None) -> dict[int, str]:
    """The refs of each review's cases, joined in ref order: of every review, or of those named
    (a year's figures name a few reviews; every link on the file grows with its history)."""
    found: dict[int, list[str]] = defaultdict(list)
    only, params = "", []
    if review_ids is not None:
        only = f" WHERE rr.review_id IN ({', '.join('?' for _ in review_ids) or 'NULL'})"
        params = list(review_ids)
    for row in store.rows("SELECT rr.review_id, r.ref FROM review_referrals rr JOIN referrals r "
                          f"ON r.id = rr.referral_id{only} ORDER BY r.ref", params):
        found[row["review_id"]].append(row["ref"])
    return {k: ", ".join(v) for k, v in found.items()}


# -- reviewers ------------------------------------------------------------------------------------

def reviewers(store: Store, *, active_only: bool = False) -> list[dict]:
    """The register by name, each with `commissions` (how many)."""
    where = " WHERE rw.active = 1" if active_only else ""
    return store.rows("SELECT rw.*, (SELECT count(*) FROM commissions c WHERE c.reviewer_id = rw.id) AS commissions "
                      f"FROM reviewers rw{where} ORDER BY rw.name")


def save_reviewer(store: Store, reviewer_id: int | None, reviewer: Mapping[str, object]) -> int:
    """Create or update a reviewer; a second reviewer of the same name is refused by name."""
    def check(record: Mapping[str, object]) -> dict:
        found = rules.reviewer_problems(record)
        if not found and store.scalar("SELECT 1 FROM reviewers WHERE name = ? AND id IS NOT ?",
                                      [record["name"], record.get("id")]):
            found["name"] = "is already in the register"
        return found

    return _save(store, "reviewers", reviewer_id, reviewer, check, "The reviewer")


def delete_reviewer(store: Store, reviewer_id: int) -> None:
    """Refused while the reviewer holds a commission (the costs history would lose its name)."""
    if store.scalar("SELECT 1 FROM commissions WHERE reviewer_id = ?", [reviewer_id]):
        raise RuleBroken("The reviewer", {"name": IN_USE}, LABELS)
    _delete(store, "reviewers", reviewer_id)


# -- commissions ----------------------------------------------------------------------------------

def commissions(store: Store, review_id: int | None = None) -> list[dict]:
    """Commissions (of one review, or all), with reviewer name, review title and refs, role label
    and `fee_due` (the fee, else days times rate)."""
    where, params = "", []
    if review_id is not None:
        where, params = " WHERE c.review_id = ?", [review_id]
    rows = store.rows("SELECT c.*, rw.name AS reviewer_name, rv.title AS review_title FROM commissions c "
                      "JOIN reviewers rw ON rw.id = c.reviewer_id JOIN reviews rv ON rv.id = c.review_id"
                      f"{where} ORDER BY c.agreed_date, c.id", params)
    refs = _review_refs(store)
    for row in rows:
        row["review_refs"] = refs.get(row["review_id"], "")
        row["role_label"] = rules.COMMISSION_ROLES.get(row["role"], row["role"])
        row["fee_due"] = rules.commission_fee(row)
    return rows


def save_commission(store: Store, commission_id: int | None, commission: Mapping[str, object]) -> int:
    """Create or update a commission (review, reviewer, role, agreed days, day rate, fee)."""
    return _save(store, "commissions", commission_id, commission, rules.commission_problems, "The commission")


def delete_commission(store: Store, commission_id: int) -> None:
    _delete(store, "commissions", commission_id)


def reviewer_for(store: Store, review_id: int, role: str) -> str | None:
    """The name of the reviewer commissioned as `role` ("author" or "panel_chair"; "both" counts
    as either) for a review, or None."""
    return store.scalar("SELECT rw.name FROM commissions c JOIN reviewers rw ON rw.id = c.reviewer_id "
                        "WHERE c.review_id = ? AND c.role IN (?, 'both') ORDER BY c.id LIMIT 1", [review_id, role])


# -- costs ----------------------------------------------------------------------------------------

def review_costs(store: Store, review_id: int | None = None) -> list[dict]:
    """Costs (of one review, or all), by date, with kind label and the review's refs."""
    where, params = "", []
    if review_id is not None:
        where, params = " WHERE c.review_id = ?", [review_id]
    rows = store.rows("SELECT c.*, rv.title AS review_title FROM review_costs c JOIN reviews rv ON rv.id = c.review_id"
                      f"{where} ORDER BY c.date, c.id", params)
    refs = _review_refs(store)
    for row in rows:
        row["review_refs"] = refs.get(row["review_id"], "")
        row["kind_label"] = rules.COST_KINDS.get(row["kind"], row["kind"])
    return rows


def save_cost(store: Store, cost_id: int | None, cost: Mapping[str, object]) -> int:
    """Create or update a cost (review, kind, date, amount, note)."""
    return _save(store, "review_costs", cost_id, cost, rules.cost_problems, "The cost")


def delete_cost(store: Store, cost_id: int) -> None:
    _delete(store, "review_costs", cost_id)


# -- budgets --------------------------------------------------------------------------------------

def budgets(store: Store) -> list[dict]:
    """Every year's budget, latest first, each with `contributed` (the partners' total)."""
    return store.rows("SELECT b.*, coalesce((SELECT sum(amount) FROM budget_contributions c WHERE c.budget_id = b.id), 0) "
                      "AS contributed FROM budgets b ORDER BY b.year DESC")


def budget_for(store: Store, year: int) -> dict | None:
    """The reporting year's budget (the year it starts in) with `contributions` by agency."""
    budget = store.row("SELECT * FROM budgets WHERE year = ?", [year])
    if budget is not None:
        budget["contributions"] = store.rows(
            "SELECT c.*, ag.name AS agency_name FROM budget_contributions c JOIN agencies ag ON ag.id = c.agency_id "
            "WHERE c.budget_id = ? ORDER BY ag.name", [budget["id"]])
    return budget


def save_budget(store: Store, budget_id: int | None, budget: Mapping[str, object]) -> int:
    """Create or update a year's budget; one budget per year."""
    def check(record: Mapping[str, object]) -> dict:
        found = rules.budget_problems(record)
        if not found and store.scalar("SELECT 1 FROM budgets WHERE year = ? AND id IS NOT ?",
                                      [int(record["year"]), record.get("id")]):
            found["year"] = "already has a budget"
        return found

    return _save(store, "budgets", budget_id, budget, check, "The budget")


def save_contribution(store: Store, contribution_id: int | None, contribution: Mapping[str, object]) -> int:
    """Create or update one partner's contribution to a year's budget (one per agency a year)."""
    def check(record: Mapping[str, object]) -> dict:
        found = rules.contribution_problems(record)
        if not found and store.scalar(
                "SELECT 1 FROM budget_contributions WHERE budget_id = ? AND agency_id = ? AND id IS NOT ?",
                [record["budget_id"], record["agency_id"], record.get("id")]):
            found["agency_id"] = "already contributes to this budget"
        return found

    return _save(store, "budget_contributions", contribution_id, contribution, check, "The contribution")


def delete_budget(store: Store, budget_id: int) -> None:
    """A budget and its contributions."""
    _delete(store, "budgets", budget_id)


def delete_contribution(store: Store, contribution_id: int) -> None:
    _delete(store, "budget_contributions", contribution_id)


def cost_summary(store: Store, start: date, end: date) -> dict:
    """Spend in a period against the budget of the reporting year it starts in:
    {"budget": amount (0 when none), "contributed": partners' total, "spent": costs dated in the
    period, "committed": fees of commissions agreed in the period, "by_review": {refs: spent},
    "by_type": {review type code: {"reviews", "spent", "per_review"}}}."""
    s, e = start.isoformat(), end.isoformat()
    budget = store.row("SELECT b.amount, coalesce((SELECT sum(amount) FROM budget_contributions c "
                       "WHERE c.budget_id = b.id), 0) AS contributed FROM budgets b WHERE b.year = ?", [start.year])
    rows = store.rows("SELECT c.review_id, rv.review_type, sum(c.amount) AS spent FROM review_costs c "
                      "JOIN reviews rv ON rv.id = c.review_id WHERE c.date BETWEEN ? AND ? GROUP BY c.review_id",
                      [s, e])
    refs = _review_refs(store, [r["review_id"] for r in rows])
    by_review = {refs.get(r["review_id"], f"Review {r['review_id']}"): round(r["spent"], 2) for r in rows}
    by_type: dict[str, dict] = {}
    for r in rows:
        kind = by_type.setdefault(r["review_type"], {"reviews": 0, "spent": 0.0})
        kind["reviews"] += 1
        kind["spent"] = round(kind["spent"] + r["spent"], 2)
    for kind in by_type.values():
        kind["per_review"] = round(kind["spent"] / kind["reviews"], 2)
    committed = sum(rules.commission_fee(c) or 0.0 for c in store.rows(
        "SELECT agreed_days, day_rate, fee FROM commissions WHERE agreed_date BETWEEN ? AND ?", [s, e]))
    return {
        "budget": round(budget["amount"], 2) if budget else 0.0,
        "contributed": round(budget["contributed"], 2) if budget else 0.0,
        "spent": round(sum(r["spent"] for r in rows), 2),
        "committed": round(committed, 2),
        "by_review": dict(sorted(by_review.items())),
        "by_type": by_type,
    }
