"""Checks of a data file: is it sound (integrity, foreign keys, audit chain, schema, triggers), and
does its data keep the rules (every record against its rules in `domain/rules`, nothing done dated
after "today", status notes that match decisions).

Soundness failures are fatal: the file cannot be trusted. Data-quality findings are not: they are
listed for a person to look at, grouped by rule with a count and the first few refs, and the window
shows the same list (`data_quality_issues`). Some findings are notes rather than warnings: a status
note's free text naming another decision, and a date after a snapshot's as-at date (the reference
report a demo file is built from was written later) are kept as recorded and only pointed out.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from scrdesk.domain.dates import format_date, format_stored, plural
from scrdesk.domain.rules import Problems
from scrdesk.domain.rules import actions as action_rules
from scrdesk.domain.rules import agencies as agency_rules
from scrdesk.domain.rules import briefings as briefing_rules
from scrdesk.domain.rules import events as event_rules
from scrdesk.domain.rules import governance as governance_rules
from scrdesk.domain.rules import learning as learning_rules
from scrdesk.domain.rules import referrals as referral_rules
from scrdesk.domain.rules import reviews as review_rules
from scrdesk.domain.rules import statutory as statutory_rules
from scrdesk.domain.rules import yearly_report as yearly_rules
from scrdesk.store import channels as channel_store
from scrdesk.store import governance as governance_store
from scrdesk.store import impact as impact_store
from scrdesk.store import publication as publication_store
from scrdesk.store import referrals as referral_store
from scrdesk.store import reviewers as reviewer_store
from scrdesk.store import reviews as review_store
from scrdesk.store import schema
from scrdesk.store import themes as theme_store
from scrdesk.store.anchor import check_anchor
from scrdesk.store.audit import verify_chain
from scrdesk.store.db import Store, schema_version

# Enough to point at the trouble without flooding a terminal; the count is always given in full.
SHOWN_PROBLEMS = 10
# Refs shown for each broken rule (the count is always in full), and rules listed before "… more".
SHOWN_REFS = 5
SHOWN_RULES = 12
# The data-quality lines under the check's first line, indented to its text.
_INDENT = " " * 11


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    fatal: bool = True


@dataclass(frozen=True)
class QualityIssue:
    """One record that breaks one rule. `rule` is the rule in words without this record's values
    (issues are grouped by it); a `note` is pointed out, not warned about."""

    table: str
    row_id: int
    ref: str
    field: str
    message: str
    rule: str = ""
    note: bool = False

    def __str__(self) -> str:
        return f"{self.ref}: {self.message}"


def _guarded(name: str, run: Callable[[], CheckResult]) -> CheckResult:
    # A badly damaged file can fail any query; that is itself the finding, not a crash.
    try:
        return run()
    except sqlite3.DatabaseError as error:
        return CheckResult(name, False, f"could not be run, the file is damaged ({error})")


def _listing(lines: list[str], total: int) -> str:
    shown = "; ".join(lines[:SHOWN_PROBLEMS])
    more = total - min(len(lines), SHOWN_PROBLEMS)
    return shown + (f"; and {more} more" if more > 0 else "")


def check_integrity(store: Store) -> CheckResult:
    rows = [r[0] for r in store.db.execute("PRAGMA integrity_check").fetchall()]
    if rows == ["ok"]:
        return CheckResult("integrity", True, "the file's structure is sound")
    return CheckResult("integrity", False, "the file is damaged: " + _listing(rows, len(rows)))


def check_foreign_keys(store: Store) -> CheckResult:
    rows = store.db.execute("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return CheckResult("foreign keys", True, "every link points at a record that exists")
    lines = [f"{table} row {rowid} points at a missing {parent} record" for table, rowid, parent, _ in rows]
    return CheckResult("foreign keys", False, f"{len(rows)} broken links: " + _listing(lines, len(rows)))


def check_audit_chain(store: Store) -> CheckResult:
    checked, problems = verify_chain(store.db.conn)
    if not problems:
        return CheckResult("audit chain", True, f"{checked:,} audit rows, every one matching the seal "
                                                "of the save that wrote it, each seal following the one before")
    lines = [str(p) for p in problems]
    return CheckResult("audit chain", False,
                       "the audit log has been altered: " + _listing(lines, len(lines)))


def check_schema_version(store: Store) -> CheckResult:
    version = schema_version(store.db)
    known = schema.SCHEMA_VERSION
    if version == known:
        return CheckResult("schema version", True, f"schema {version}, as this build expects")
    if version > known:
        return CheckResult("schema version", False,
                           f"schema {version} was written by a newer scrdesk (this build knows "
                           f"{known}); update scrdesk before changing this file")
    return CheckResult("schema version", False,
                       f"schema {version} is older than this build's {known}; open the file once "
                       "with write access to upgrade it")


def check_triggers(store: Store) -> CheckResult:
    present = {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = sorted(schema.expected_triggers(store.db) - present)
    if not missing:
        return CheckResult("audit triggers", True, "every table's changes are recorded")
    return CheckResult("audit triggers", False,
                       f"{len(missing)} missing, so changes may go unrecorded: "
                       + _listing(missing, len(missing)))


def grouped(issues: list[QualityIssue]) -> list[str]:
    """One line per broken rule, most often broken first: its count, the rule, the first few refs."""
    groups: dict[str, list[QualityIssue]] = {}
    for issue in issues:
        groups.setdefault(issue.rule or issue.message, []).append(issue)
    ordered = sorted(groups.items(), key=lambda item: -len(item[1]))
    lines = []
    for rule, found in ordered[:SHOWN_RULES]:
        if len(found) == 1:
            lines.append(str(found[0]))
            continue
        refs = list(dict.fromkeys(i.ref for i in found))
        shown = ", ".join(refs[:SHOWN_REFS]) + (f" and {len(refs) - SHOWN_REFS} more" if len(refs) > SHOWN_REFS else "")
        lines.append(f"{len(found):,} × {rule}: {shown}")
    if len(ordered) > SHOWN_RULES:
        rest = sum(len(found) for _, found in ordered[SHOWN_RULES:])
        lines.append(f"and {rest:,} more under {plural(len(ordered) - SHOWN_RULES, 'other rule')}")
    return lines


def check_data_quality(store: Store) -> CheckResult:
    issues = data_quality_issues(store)
    warnings = [i for i in issues if not i.note]
    notes = [i for i in issues if i.note]
    lines = [f"{_INDENT}{line}" for line in grouped(warnings)]
    if notes:
        lines.append(f"{_INDENT}{plural(len(notes), 'note')}, kept as recorded:")
        lines += [f"{_INDENT}  note: {line}" for line in grouped(notes)]
    if not warnings:
        first = "every record keeps its rules" + (f"; {plural(len(notes), 'note')}" if notes else "")
        return CheckResult("data quality", True, "\n".join([first, *lines]), fatal=False)
    first = (f"{len(warnings):,} record{' breaks a rule' if len(warnings) == 1 else 's break a rule'} "
             f"({plural(len({i.rule or i.message for i in warnings}), 'rule')}):")
    return CheckResult("data quality", False, "\n".join([first, *lines]), fatal=False)


FATAL_CHECKS: tuple[tuple[str, Callable[[Store], CheckResult]], ...] = (
    ("integrity", check_integrity),
    ("foreign keys", check_foreign_keys),
    ("audit chain", check_audit_chain),
    ("schema version", check_schema_version),
    ("audit triggers", check_triggers),
    ("audit anchor", check_anchor),
)


def run_checks(store: Store) -> list[CheckResult]:
    """Every check, fatal ones first; a data-quality finding is reported but not fatal."""
    results = [_guarded(name, lambda check=check: check(store)) for name, check in FATAL_CHECKS]
    quality = _guarded("data quality", lambda: check_data_quality(store))
    results.append(CheckResult(quality.name, quality.ok, quality.detail, fatal=False))
    return results


# -- data quality ------------------------------------------------------------------------------

def _agency_problems(agency: Mapping, context: dict) -> Problems:
    others = [name for row_id, name in context["agency_names"] if row_id != agency["id"]]
    return agency_rules.problems(agency, others)


def _referral_problems(referral: Mapping, context: dict) -> Problems:
    found = referral_rules.problems(referral, context["settings"])
    for column, message in statutory_rules.referral_problems(referral).items():
        found.setdefault(column, message)
    return found


def _review_problems(review: Mapping, context: dict) -> Problems:
    found = review_rules.problems(review)
    for column, message in statutory_rules.publication_problems(review).items():
        found.setdefault(column, message)
    return found


def _action_problems(action: Mapping, context: dict) -> Problems:
    return action_rules.problems(action, evidence_files=context["evidence_files"].get(action["id"], 0))


def _chair_problems(chair: Mapping, context: dict) -> Problems:
    found = governance_rules.chair_problems(chair)
    if chair["id"] in context["chair_overlaps"]:
        found.setdefault("from_date", context["chair_overlaps"][chair["id"]])
    return found


def _chair_overlaps(store: Store) -> dict[int, str]:
    """{chair id: why its term overlaps the one before}, each term set against the term before it
    in date order, as a save sets a new term against the history."""
    ordered = store.rows("SELECT id, name, from_date, to_date FROM chairs ORDER BY from_date, id")
    found = {}
    for before, after in zip(ordered, ordered[1:], strict=False):
        overlap = governance_rules.chairs_overlap([before, after])
        if overlap:
            found[after["id"]] = overlap
    return found


def _publication_problems(publication: Mapping, context: dict) -> Problems:
    published, removal = context["review_dates"].get(publication["review_id"], (None, None))
    return learning_rules.publication_problems(publication, published_date=published, removal_date=removal)


def _step_problems(step: Mapping, context: dict) -> Problems:
    published, _ = context["review_dates"].get(step["review_id"], (None, None))
    return learning_rules.step_problems(step, published_date=published)


def _promoted_problems(item: Mapping, context: dict) -> Problems:
    # Only a briefing has an issue date to keep to; an event may be promoted before it is held.
    if item["briefing_id"] is None:
        return {}
    problem = learning_rules.promoted_problem(context["issue_dates"].get(item["issue_id"]),
                                              context["briefing_issued"].get(item["briefing_id"]))
    return {"briefing_ids": f"this issue {problem}"} if problem else {}


def _web_post_problems(post: Mapping, context: dict) -> Problems:
    return learning_rules.web_post_problems(post, briefing_issued=context["briefing_issued"].get(post["briefing_id"]))


def _theme_problems(theme: Mapping, context: dict) -> Problems:
    others = [label for row_id, label in context["theme_labels"] if row_id != theme["id"]]
    return learning_rules.theme_problems(theme, taken_labels=others)


def _yearly_section_problems(row: Mapping, context: dict) -> Problems:
    # The rule takes {section: text}: a key it does not know is the section's fault, else the text's.
    found = yearly_rules.problems({row["section"]: row["body"]})
    return {("body" if key in yearly_rules.SECTION_TITLES else "section"): message for key, message in found.items()}


def _plain(rule: Callable[[Mapping], Problems]) -> Callable[[Mapping, dict], Problems]:
    return lambda record, context: rule(record)


# Every kind of stored record with the rules the window and the store hold it to:
# table -> (what a person calls one, its rules). The rules live in domain/rules; nothing here
# restates them, so a file written by an older version is held to today's rules. (Tags, a
# newsletter's events and a review's links have no rule beyond the schema's own.)
_RECORD_RULES: dict[str, tuple[str, Callable[[Mapping, dict], Problems]]] = {
    "agencies": ("agency", _agency_problems),
    "referrals": ("referral", _referral_problems),
    "restricted_identifiers": ("restricted identifier", _plain(referral_rules.identifier_problems)),
    "reviews": ("review", _review_problems),
    "milestones": ("milestone", _plain(review_rules.milestone_problems)),
    "review_delays": ("delay", _plain(review_rules.delay_problems)),
    "parallel_proceedings": ("parallel proceeding", _plain(review_rules.proceeding_problems)),
    "recommendations": ("recommendation", _plain(review_rules.recommendation_problems)),
    "agency_returns": ("agency return", _plain(review_rules.agency_return_problems)),
    "actions": ("action", _action_problems),
    "action_updates": ("update", _plain(action_rules.update_problems)),
    "briefings": ("briefing", _plain(briefing_rules.problems)),
    "briefing_sections": ("briefing section", _plain(briefing_rules.section_problems)),
    "disseminations": ("dissemination", _plain(briefing_rules.dissemination_problems)),
    "learning_events": ("learning event", _plain(event_rules.event_problems)),
    "meetings": ("meeting", _plain(event_rules.meeting_problems)),
    # The sub group's own business (migration 0011).
    "members": ("member", _plain(governance_rules.member_problems)),
    "chairs": ("chair", _chair_problems),
    "terms_of_reference": ("terms of reference", _plain(governance_rules.terms_of_reference_problems)),
    "meeting_attendance": ("meeting attendance", _plain(governance_rules.attendance_problems)),
    "health_checks": ("health check", _plain(governance_rules.health_check_problems)),
    "health_check_answers": ("health check answer", _plain(governance_rules.answer_problems)),
    "escalations": ("escalation", _plain(governance_rules.escalation_problems)),
    "reviewers": ("reviewer", _plain(governance_rules.reviewer_problems)),
    "commissions": ("commission", _plain(governance_rules.commission_problems)),
    "review_costs": ("cost", _plain(governance_rules.cost_problems)),
    "budgets": ("budget", _plain(governance_rules.budget_problems)),
    "budget_contributions": ("contribution", _plain(governance_rules.contribution_problems)),
    # Learning that lands (migration 0012).
    "publications": ("publication", _publication_problems),
    "publication_steps": ("publication checklist item", _step_problems),
    "newsletter_issues": ("newsletter issue", _plain(learning_rules.issue_problems)),
    "newsletter_items": ("newsletter issue", _promoted_problems),
    "briefing_web_posts": ("briefing web page", _web_post_problems),
    "recommendation_impact": ("impact record", _plain(learning_rules.impact_problems)),
    "themes": ("theme", _theme_problems),
    # The yearly report's narrative (migration 0013).
    "yearly_report_sections": ("yearly report section", _yearly_section_problems),
}

# Dates of things that have happened, so none can be later than "today" (the as-at date).
# Planned dates (milestones' planned dates, targets, meeting dates) may of course be later.
_PAST_DATES = {
    "referrals": ("incident_date", "la_aware_date", "received_date", "sin_submitted_date",
                  "decision_date", "panel_informed_date", "panel_response_date"),
    "reviews": ("agreed_date", "tor_date", "initiated_date", "completed_date",
                "sent_to_panel_date", "published_date", "panel_response_date"),
    "milestones": ("actual_date",),
    "actions": ("agreed_date", "signoff_date", "escalated_date"),
    "action_updates": ("date",),
    "review_delays": ("date",),
    "briefings": ("approved_date", "issued_date"),
    "disseminations": ("sent_date", "feedback_received_date"),
    "terms_of_reference": ("approved_date",),
    "escalations": ("raised_date", "closed_date"),
    "commissions": ("agreed_date",),
    "publication_steps": ("done_date",),
    "briefing_web_posts": ("posted_date",),
    "recommendation_impact": ("accepted_date", "closed_date"),
}

# Column names as people say them, where the store's own labels do not say it better.
_FIELD_LABELS = {
    "incident_date": "incident date", "la_aware_date": "date the LA became aware",
    "received_date": "date received", "sin_submitted_date": "notification submitted",
    "decision_date": "decision date", "panel_informed_date": "national panel informed",
    "panel_response_date": "national panel response", "agreed_date": "date agreed",
    "tor_date": "terms of reference date", "initiated_date": "date initiated",
    "completed_date": "date completed", "sent_to_panel_date": "sent to national panel",
    "published_date": "date published", "actual_date": "date done", "signoff_date": "sign-off date",
    "escalated_date": "escalation date", "date": "date", "approved_date": "date approved",
    "issued_date": "date issued", "sent_date": "date sent",
    "feedback_received_date": "feedback received", "feedback_due_date": "feedback due",
    "target_date": "target date", "sin_reference": "SIN reference", "lead_email": "email",
    "target_override_reason": "reason for the target", "status_note": "status note",
    "raised_date": "date raised", "closed_date": "date closed", "done_date": "date done",
    "posted_date": "date put on the website", "removed_date": "date taken down", "issue_date": "date of issue",
    "accepted_date": "date accepted", "next_review_date": "next review date", "from_date": "from date",
    "to_date": "to date",
}

# The words each newer table's dialog shows beside a field (the store's labels, which name the
# same fields its refusals name), for the columns not named above.
_STORE_LABELS = {
    **dict.fromkeys(("members", "chairs", "terms_of_reference", "meeting_attendance", "health_checks",
                     "health_check_answers", "escalations"), governance_store.LABELS),
    **dict.fromkeys(("reviewers", "commissions", "review_costs", "budgets", "budget_contributions"),
                    reviewer_store.LABELS),
    **dict.fromkeys(("publications", "publication_steps"), publication_store.LABELS),
    **dict.fromkeys(("newsletter_issues", "newsletter_items", "briefing_web_posts"), channel_store.LABELS),
    "recommendation_impact": impact_store.LABELS,
    "themes": theme_store.LABELS,
    "yearly_report_sections": {"section": "section", "body": "text"},
}
# Where a label reads badly after "the <record>'s" ("the theme's theme", "the action's which source").
_TABLE_FIELD_LABELS = {("meeting_attendance", "status"): "status", ("themes", "label"): "name",
                       ("recommendation_impact", "closure_basis"): "closure basis",
                       ("recommendation_impact", "acceptance"): "acceptance",
                       ("actions", "source_kind"): "kind of source", ("actions", "source_text"): "source"}

# How a status note names a decision, in the words a project officer types.
_DECISION_WORDS = {
    "NFA": r"\bNFA\b|no further action",
    "SINGLE_AGENCY": r"single[\s-]agency",
    "CASE_MAPPING": r"case[\s-]mapping",
    "THEMATIC": r"\bthematic\b",
    "SCR": r"\bSCRs?\b|serious case review",
    "RAPID_REVIEW": r"rapid review",
    "LCSPR": r"\bLCSPR\b|local child safeguarding practice review",
    "NATIONAL": r"national review",
    "LOCAL_LEARNING": r"local learning review",
}
_DECISION_PATTERNS = {code: re.compile(words, re.IGNORECASE) for code, words in _DECISION_WORDS.items()}

def _case_sql(column: str, labels: Mapping[str, str]) -> str:
    """SQL naming a stored code by its label (the code itself when it has none)."""
    whens = " ".join(f"WHEN '{code}' THEN '{label.replace(chr(39), chr(39) * 2)}'" for code, label in labels.items())
    return f"CASE {column} {whens} ELSE {column} END"


def _named(what: str, column: str) -> str:
    """SQL for "<what> <column>", or "<what> <id>" when the column is empty."""
    return f"'{what} ' || COALESCE(NULLIF(t.{column}, ''), t.id)"


# How each table's rows are named to a person: the referral ref, or the review's ref(s); a row
# of the sub group's own business by what it is and its date, version or name.
_REVIEW_REF = ("COALESCE((SELECT group_concat(rf.ref, ', ') FROM review_referrals rr "
               "JOIN referrals rf ON rf.id = rr.referral_id WHERE rr.review_id = {review}), "
               "(SELECT title FROM reviews WHERE id = {review}))")
# A review's action by its review's refs; the sub group's own plan action (no review) as such.
_ACTION_REF = ("(SELECT COALESCE(" + _REVIEW_REF.format(review="a.review_id") + " || ' action ', "
               "'sub group plan action ') || a.id FROM actions a WHERE a.id = {action})")
_BRIEFING_REF = ("(SELECT " + _REVIEW_REF.format(review="b.review_id")
                 + " || ' briefing' FROM briefings b WHERE b.id = {briefing})")
_RECOMMENDATION_REF = ("(SELECT " + _REVIEW_REF.format(review="r.review_id") + " || ' recommendation ' || "
                       "COALESCE(r.number, r.id) FROM recommendations r WHERE r.id = {recommendation})")
_AGENCY_NAME = "(SELECT COALESCE(short_name, name) FROM agencies WHERE id = {agency})"

_REF_SQL = {
    "agencies": "t.name",
    "referrals": "t.ref",
    "restricted_identifiers": "(SELECT ref FROM referrals WHERE id = t.referral_id)",
    "reviews": _REVIEW_REF.format(review="t.id"),
    "milestones": _REVIEW_REF.format(review="t.review_id"),
    "review_delays": _REVIEW_REF.format(review="t.review_id"),
    "parallel_proceedings": _REVIEW_REF.format(review="t.review_id"),
    "recommendations": _REVIEW_REF.format(review="t.review_id") + " || ' recommendation ' || COALESCE(t.number, t.id)",
    "agency_returns": _REVIEW_REF.format(review="t.review_id"),
    "actions": _ACTION_REF.format(action="t.id"),
    "action_updates": _ACTION_REF.format(action="t.action_id"),
    "briefings": _REVIEW_REF.format(review="t.review_id") + " || ' briefing'",
    "briefing_sections": _BRIEFING_REF.format(briefing="t.briefing_id"),
    "disseminations": (_BRIEFING_REF.format(briefing="t.briefing_id") + " || ' to ' || "
                       + _AGENCY_NAME.format(agency="t.agency_id")),
    "learning_events": "COALESCE(" + _REVIEW_REF.format(review="t.review_id") + " || ' event', 'event on ' || t.date)",
    "meetings": "'meeting on ' || t.date",
    "members": (_named("member", "name") + " || COALESCE(' of ' || "
                + _AGENCY_NAME.format(agency="t.agency_id") + ", '')"),
    "chairs": _named("chair", "name") + " || COALESCE(' from ' || NULLIF(t.from_date, ''), '')",
    "terms_of_reference": _named("terms of reference", "version"),
    "meeting_attendance": ("COALESCE((SELECT 'meeting on ' || date FROM meetings WHERE id = t.meeting_id), "
                           "'a meeting') || ': ' || COALESCE(" + _AGENCY_NAME.format(agency="t.agency_id")
                           + ", 'an agency')"),
    "health_checks": _named("health check of", "date"),
    "health_check_answers": ("COALESCE((SELECT 'health check of ' || date FROM health_checks "
                             "WHERE id = t.health_check_id), 'a health check') || ' question ' || t.code"),
    "escalations": ("COALESCE(" + _ACTION_REF.format(action="t.action_id") + " || ' ', "
                    + _REVIEW_REF.format(review="t.review_id") + " || ' ', "
                    "(SELECT ref FROM referrals WHERE id = t.referral_id) || ' ', '') || "
                    + _named("escalation raised", "raised_date")),
    "reviewers": _named("reviewer", "name"),
    "commissions": (_REVIEW_REF.format(review="t.review_id") + " || ' commission of ' || "
                    "COALESCE((SELECT name FROM reviewers WHERE id = t.reviewer_id), 'a reviewer')"),
    "review_costs": _REVIEW_REF.format(review="t.review_id") + " || ' cost of ' || t.date",
    "budgets": _named("budget for", "year"),
    "budget_contributions": ("COALESCE((SELECT 'budget for ' || year FROM budgets WHERE id = t.budget_id), "
                             "'a budget') || ': ' || COALESCE(" + _AGENCY_NAME.format(agency="t.agency_id")
                             + ", 'an agency')"),
    "publications": _REVIEW_REF.format(review="t.review_id") + " || ' publication'",
    "publication_steps": (_REVIEW_REF.format(review="t.review_id") + " || ' publication checklist: ' || "
                          + _case_sql("t.item", learning_rules.PUBLICATION_ITEMS)),
    "newsletter_issues": _named("newsletter issue", "number"),
    "newsletter_items": ("(SELECT 'newsletter issue ' || number FROM newsletter_issues WHERE id = t.issue_id) "
                         "|| COALESCE(' promoting ' || " + _BRIEFING_REF.format(briefing="t.briefing_id") + ", '')"),
    "briefing_web_posts": _BRIEFING_REF.format(briefing="t.briefing_id") + " || ' web page'",
    "recommendation_impact": _RECOMMENDATION_REF.format(recommendation="t.recommendation_id") + " || ' impact'",
    "themes": _named("theme", "label"),
    "yearly_report_sections": ("'yearly report ' || t.year || ': ' || "
                               + _case_sql("t.section", yearly_rules.SECTION_TITLES)),
}


def _label(table: str, column: str) -> str:
    label = _TABLE_FIELD_LABELS.get((table, column)) or _FIELD_LABELS.get(column)
    if label is None:
        labels = _STORE_LABELS.get(table) or (referral_store.LABELS if table in ("referrals", "restricted_identifiers")
                                              else review_store.LABELS)
        label = labels.get(column, column.replace("_", " "))
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _refs(store: Store, table: str, ids: list[int]) -> dict[int, str]:
    """How a person names each of `ids` (only the rows found wanting are named: naming a review's
    action takes a join, and a large file has tens of thousands of rows)."""
    named: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in store.rows(f"SELECT t.id, {_REF_SQL[table]} AS ref FROM {table} t WHERE t.id IN ({marks})",
                              chunk):
            named[row["id"]] = row["ref"] or f"{_RECORD_RULES.get(table, (table,))[0]} {row['id']}"
    return named


def _without_values(message: str) -> str:
    """A rule's words without this record's dates and counts, so records breaking it group together."""
    return re.sub(r" \([^()]*\)", "", message)


def _context(store: Store) -> dict:
    """What some rules need beyond the record itself, each read once for the whole file (a rule
    never queries per row: a large file has tens of thousands of rows)."""
    return {"settings": store.settings(),
            "agency_names": [(r["id"], r["name"]) for r in store.rows("SELECT id, name FROM agencies")],
            "evidence_files": {r["owner_id"]: r["files"] for r in store.rows(
                "SELECT owner_id, count(*) AS files FROM attachments WHERE owner_kind = 'action' "
                "GROUP BY owner_id")},
            "chair_overlaps": _chair_overlaps(store),
            "review_dates": {r["id"]: (r["published_date"], r["removal_date"]) for r in store.rows(
                "SELECT id, published_date, removal_date FROM reviews WHERE id IN "
                "(SELECT review_id FROM publications UNION SELECT review_id FROM publication_steps)")},
            "briefing_issued": {r["id"]: r["issued_date"] for r in store.rows(
                "SELECT id, issued_date FROM briefings WHERE id IN "
                "(SELECT briefing_id FROM newsletter_items UNION SELECT briefing_id FROM briefing_web_posts)")},
            "issue_dates": {r["id"]: r["issue_date"] for r in store.rows("SELECT id, issue_date FROM newsletter_issues")},
            "theme_labels": [(r["id"], r["label"]) for r in store.rows("SELECT id, label FROM themes")]}


def _broken_rules(store: Store) -> list[QualityIssue]:
    context = _context(store)
    issues = []
    for table, (word, rules) in _RECORD_RULES.items():
        found = []
        for record in store.rows(f"SELECT * FROM {table} ORDER BY id"):
            for column, message in rules(record, context).items():
                found.append((record, column, message))
        names = _refs(store, table, sorted({record["id"] for record, _, _ in found}))
        for record, column, message in found:
            label = _label(table, column)
            value = record.get(column)
            shown = f" ({format_stored(value)})" if column.endswith("date") and value and _is_date(value) else ""
            issues.append(QualityIssue(
                table, record["id"], names.get(record["id"], f"{word} {record['id']}"), column,
                f"the {word}'s {label}{shown}: {message}",
                rule=f"the {word}'s {label}: {_without_values(message)}"))
    return issues


def _is_date(value: object) -> bool:
    try:
        date.fromisoformat(str(value)[:10])
    except ValueError:
        return False
    return True


def _shown(value: str) -> str:
    try:
        return format_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return repr(value)


def _after_today(store: Store, today: date, as_at_set: bool) -> list[QualityIssue]:
    """Dates of things done that come after today. With an as-at date (a snapshot, like the demo)
    they are notes: the record was made later than the snapshot's day, not wrongly."""
    issues = []
    cutoff = today.isoformat()
    limit = f"the as-at date ({format_date(today)})" if as_at_set else f"today ({format_date(today)})"
    for table, fields in _PAST_DATES.items():
        for field in fields:
            sql = (f"SELECT t.id, {_REF_SQL[table]} AS ref, t.{field} AS d FROM {table} t "
                   f"WHERE t.{field} > ? ORDER BY t.id")
            for row in store.rows(sql, [cutoff]):
                words = f"the {_RECORD_RULES[table][0]}'s {_FIELD_LABELS[field]}"
                issues.append(QualityIssue(
                    table, row["id"], row["ref"] or f"{table} {row['id']}", field,
                    f"{words} ({_shown(row['d'])}) is after {limit}: something already done cannot be dated later",
                    rule=f"{words} is after {limit}", note=as_at_set,
                ))
    return issues


def mentioned_decisions(note: str) -> set[str]:
    """The decision codes a free-text status note names ("SCR initiated" -> {"SCR"})."""
    return {code for code, pattern in _DECISION_PATTERNS.items() if pattern.search(note)}


def _notes_at_odds(store: Store) -> list[QualityIssue]:
    """Status notes naming another decision than the one recorded: a note, since the free text may
    be the older word (the 2016-17 report's own "SCR initiated" for a thematic review)."""
    issues = []
    rows = store.rows("SELECT id, ref, decision, status_note FROM referrals "
                      "WHERE decision IS NOT NULL AND status_note IS NOT NULL ORDER BY id")
    for row in rows:
        named = mentioned_decisions(row["status_note"])
        if named and row["decision"] not in named:
            words = " or ".join(sorted(named))
            issues.append(QualityIssue(
                "referrals", row["id"], row["ref"], "status_note",
                f"the status note ({row['status_note']!r}) speaks of {words} but the decision "
                f"recorded is {row['decision']}; correct whichever is wrong",
                rule="the referral's status note speaks of another decision than the one recorded",
                note=True,
            ))
    return issues


def data_quality_issues(store: Store) -> list[QualityIssue]:
    """Every stored record that breaks a rule, every date of a thing done after today, and every
    status note at odds with its decision, in table order (notes flagged `note`)."""
    settings = store.settings()
    today = settings.today()
    return (_broken_rules(store) + _after_today(store, today, bool(settings.as_at_date))
            + _notes_at_odds(store))
