"""Checks of a data file: is it sound (integrity, foreign keys, audit chain, schema, triggers), and
does its data make sense (dates in order, nothing dated after "today", notes that match decisions).

Soundness failures are fatal: the file cannot be trusted. Data-quality findings are not: they are
listed for a person to look at, and the window shows the same list (`data_quality_issues`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from scrdesk.domain.dates import format_date
from scrdesk.store import schema
from scrdesk.store.audit import verify_chain
from scrdesk.store.db import Store, schema_version

# Enough to point at the trouble without flooding a terminal; the count is always given in full.
SHOWN_PROBLEMS = 10


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    fatal: bool = True


@dataclass(frozen=True)
class QualityIssue:
    table: str
    row_id: int
    ref: str
    field: str
    message: str

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
        return CheckResult("audit chain", True, f"{checked} audit rows, each follows the one before")
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


def check_data_quality(store: Store) -> CheckResult:
    issues = data_quality_issues(store)
    if not issues:
        return CheckResult("data quality", True, "no dates out of order or notes at odds", fatal=False)
    lines = [str(i) for i in issues]
    return CheckResult("data quality", False,
                       f"{len(issues)} to look at: " + _listing(lines, len(lines)), fatal=False)


FATAL_CHECKS: tuple[tuple[str, Callable[[Store], CheckResult]], ...] = (
    ("integrity", check_integrity),
    ("foreign keys", check_foreign_keys),
    ("audit chain", check_audit_chain),
    ("schema version", check_schema_version),
    ("audit triggers", check_triggers),
)


def run_checks(store: Store) -> list[CheckResult]:
    """Every check, fatal ones first; a data-quality finding is reported but not fatal."""
    results = [_guarded(name, lambda check=check: check(store)) for name, check in FATAL_CHECKS]
    quality = _guarded("data quality", lambda: check_data_quality(store))
    results.append(CheckResult(quality.name, quality.ok, quality.detail, fatal=False))
    return results


# -- data quality ------------------------------------------------------------------------------

# (earlier field, later field): the second cannot come before the first.
_ORDERED_DATES = {
    "referrals": (("incident_date", "received_date"), ("received_date", "decision_date")),
    "reviews": (("agreed_date", "initiated_date"), ("initiated_date", "completed_date"),
                ("completed_date", "published_date")),
    "actions": (("agreed_date", "target_date"),),
    "disseminations": (("sent_date", "feedback_received_date"),),
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
}

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
    "feedback_received_date": "feedback received", "target_date": "target date",
}

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

# How each table's rows are named to a person: the referral ref, or the review's ref(s).
_REVIEW_REF = ("COALESCE((SELECT group_concat(rf.ref, ', ') FROM review_referrals rr "
               "JOIN referrals rf ON rf.id = rr.referral_id WHERE rr.review_id = {review}), "
               "(SELECT title FROM reviews WHERE id = {review}))")
_REF_SQL = {
    "referrals": "t.ref",
    "reviews": _REVIEW_REF.format(review="t.id"),
    "milestones": _REVIEW_REF.format(review="t.review_id"),
    "actions": _REVIEW_REF.format(review="t.review_id") + " || ' action ' || t.id",
    "review_delays": _REVIEW_REF.format(review="t.review_id"),
    "action_updates": ("(SELECT " + _REVIEW_REF.format(review="a.review_id")
                       + " || ' action ' || a.id FROM actions a WHERE a.id = t.action_id)"),
    "briefings": _REVIEW_REF.format(review="t.review_id") + " || ' briefing'",
    "disseminations": ("(SELECT " + _REVIEW_REF.format(review="b.review_id")
                       + " || ' briefing to ' || (SELECT COALESCE(short_name, name) FROM agencies "
                       "WHERE id = t.agency_id) FROM briefings b WHERE b.id = t.briefing_id)"),
}

_TABLE_WORDS = {"milestones": "milestone", "action_updates": "update", "review_delays": "delay",
                "reviews": "review", "referrals": "referral", "actions": "action",
                "briefings": "briefing", "disseminations": "dissemination"}


def _shown(value: str) -> str:
    try:
        return format_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return repr(value)


def _out_of_order(store: Store) -> list[QualityIssue]:
    issues = []
    for table, pairs in _ORDERED_DATES.items():
        for earlier, later in pairs:
            sql = (f"SELECT t.id, {_REF_SQL[table]} AS ref, t.{earlier} AS a, t.{later} AS b "
                   f"FROM {table} t WHERE t.{earlier} IS NOT NULL AND t.{later} IS NOT NULL "
                   f"AND t.{later} < t.{earlier} ORDER BY t.id")
            for row in store.rows(sql):
                issues.append(QualityIssue(
                    table, row["id"], row["ref"] or f"{table} {row['id']}", later,
                    f"the {_TABLE_WORDS[table]}'s {_FIELD_LABELS[later]} ({_shown(row['b'])}) is "
                    f"before its {_FIELD_LABELS[earlier]} ({_shown(row['a'])})",
                ))
    return issues


def _after_today(store: Store, today: date, as_at_set: bool) -> list[QualityIssue]:
    issues = []
    cutoff = today.isoformat()
    limit = f"the as-at date ({format_date(today)})" if as_at_set else f"today ({format_date(today)})"
    for table, fields in _PAST_DATES.items():
        for field in fields:
            sql = (f"SELECT t.id, {_REF_SQL[table]} AS ref, t.{field} AS d FROM {table} t "
                   f"WHERE t.{field} > ? ORDER BY t.id")
            for row in store.rows(sql, [cutoff]):
                issues.append(QualityIssue(
                    table, row["id"], row["ref"] or f"{table} {row['id']}", field,
                    f"the {_TABLE_WORDS[table]}'s {_FIELD_LABELS[field]} ({_shown(row['d'])}) is "
                    f"after {limit}: something already done cannot be dated later",
                ))
    return issues


def mentioned_decisions(note: str) -> set[str]:
    """The decision codes a free-text status note names ("SCR initiated" -> {"SCR"})."""
    return {code for code, pattern in _DECISION_PATTERNS.items() if pattern.search(note)}


def _notes_at_odds(store: Store) -> list[QualityIssue]:
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
            ))
    return issues


def data_quality_issues(store: Store) -> list[QualityIssue]:
    """Everything in the data a person should look at, in table order."""
    settings = store.settings()
    today = settings.today()
    return (_out_of_order(store) + _after_today(store, today, bool(settings.as_at_date))
            + _notes_at_odds(store))
