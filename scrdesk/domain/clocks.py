"""Which statutory and local clocks a referral or review runs, worked out from its profile's rules.

Pure: a record (a mapping of its columns), its framework profile, the board's settings and the date
"today" in; `Clock`s out. Every rule with a `clock` in the profile JSON runs here the same way, so a
new framework (or Wales) needs a file, not code. The rules, and the guidance each cites, are in
resources/profiles/*.json ("source").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from scrdesk.domain.dates import format_date
from scrdesk.domain.rag import Rag, rag_for_deadline
from scrdesk.domain.timescales import Rule, add_offset, working_days_between

#: What each clock's deadline is called in its RAG reason ("Red: decision 3 Mar 2017 passed …").
DEADLINE_WORDS = {
    "NOTIFICATION": "notification",
    "RAPID_REVIEW": "rapid review submission",
    "DECISION": "decision",
    "PANEL_TOLD": "telling the panel",
    "SCR_INITIATED_TOLD": "telling the panel and Ofsted",
    "REVIEW_TARGET": "target completion",
    "LCSPR_COMPLETION": "LCSPR completion",
    "PRE_PUBLICATION": "copy to the Panel and the Secretary of State",
}

LOCAL_LABEL = "Partnership's own target"
#: The clocks that are a review's completion target.
COMPLETION_CLOCKS = ("REVIEW_TARGET", "LCSPR_COMPLETION")


@dataclass(frozen=True)
class Clock:
    """One deadline of one record, with everything the dashboard and `export clocks` show."""

    ref: str
    clock: str
    framework: str
    label: str
    starts: date
    due: date
    done: date | None
    working_days_left: int | None
    rag: Rag
    source: str
    record: str
    record_id: int | None
    local: bool = False
    # What the window calls the record (a review's title); the ref where that is all there is.
    title: str = ""

    @property
    def is_open(self) -> bool:
        return self.done is None

    @property
    def late(self) -> bool:
        return self.done is not None and self.done > self.due

    def as_dict(self) -> dict:
        """The export shape: ISO dates, the RAG colour and its reason."""
        return {
            "ref": self.ref, "clock": self.clock, "framework": self.framework,
            "starts": self.starts.isoformat(), "due": self.due.isoformat(),
            "done": self.done.isoformat() if self.done else None,
            "working_days_left": self.working_days_left, "rag": self.rag.colour, "reason": self.rag.reason,
        }


def as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None  # a damaged date starts no clock; the data check reports it
    return None


def _first(record: Mapping, columns) -> date | None:
    for column in columns:
        found = as_date(record.get(column))
        if found is not None:
            return found
    return None


def withdrawn(record: Mapping) -> bool:
    return as_date(record.get("notification_withdrawn_date")) is not None


def notified(record: Mapping) -> bool:
    return as_date(record.get("sin_submitted_date")) is not None


def _condition(name: str, record: Mapping) -> bool:
    if name == "notifiable":
        # A serious incident the partners decided not to notify owes no notification.
        if record.get("notify_decision") in (0, "0", False):
            return False
        return (record.get("source") == "sin" or bool(record.get("sin_reference")) or notified(record)
                or record.get("notify_decision") in (1, "1", True))
    if name == "notified":
        return notified(record) and not withdrawn(record)
    if name == "notified_not_scr":
        # WT2015: only a notified incident's "no SCR" decision goes to the panel (issue 11, item 5).
        return notified(record) and not withdrawn(record) and record.get("decision") not in (None, "", "SCR")
    if name == "not_withdrawn":
        return notified(record) and not withdrawn(record)
    if name == "publishing":
        return (as_date(record.get("no_publication_date")) is None
                and record.get("publication_decision") != "not_published")
    raise ValueError(f"unknown clock condition {name!r}")


def rule_applies(rule: Rule, record: Mapping, kind: str) -> bool:
    if not rule.clock or rule.record != kind:
        return False
    if rule.applies_to and record.get("review_type") not in rule.applies_to:
        return False
    return not rule.only_if or _condition(rule.only_if, record)


def offset_of(rule: Rule, record: Mapping, settings) -> int:
    """The rule's offset; for the partnership's own target, the setting for the review type."""
    if rule.local:
        months = settings.local_target_months(str(record.get("review_type")))
        return months if months is not None else rule.offset
    return rule.offset


def label_of(rule: Rule, record: Mapping, settings) -> str:
    if rule.local:
        months = offset_of(rule, record, settings)
        return f"{LOCAL_LABEL}: {months} month{'s' if months != 1 else ''}"
    return rule.label


def clock_for(rule: Rule, record: Mapping, kind: str, *, framework: str, settings, today: date,
              ref: str | None = None) -> Clock | None:
    """The clock `rule` runs on `record`, or None where the rule does not apply or has no start."""
    if not rule_applies(rule, record, kind):
        return None
    starts = _first(record, (rule.trigger, *rule.fallback))
    if starts is None:
        return None
    due = add_offset(starts, offset_of(rule, record, settings), rule.unit)
    done = _first(record, rule.done)
    warn = rule.warn if rule.warn is not None else 10
    rag = rag_for_deadline(due, done, today, amber_working_days=warn, what=DEADLINE_WORDS[rule.clock])
    if rule.clock == "RAPID_REVIEW" and done is None and as_date(record.get("decision_date")):
        # Decided without a rapid review reaching the Panel, and the notification not withdrawn.
        rag = Rag("red", f"Red: notified {format_date(starts)}; decided {format_date(as_date(record['decision_date']))} "
                         "with no rapid review recorded, and the notification has not been withdrawn "
                         f"(rapid review due {format_date(due)})")
    if rule.local and done is None:
        rag = Rag(rag.colour, f"{rag.reason} ({label_of(rule, record, settings).lower()})")
    return Clock(
        ref=ref or str(record.get("ref") or record.get("title") or ""),
        clock=rule.clock, framework=framework, label=label_of(rule, record, settings),
        starts=starts, due=due, done=done,
        working_days_left=None if done else working_days_between(today, due),
        rag=rag, source=rule.source, record=kind, record_id=record.get("id"), local=rule.local,
        title=str(record.get("title") or record.get("ref") or ""),
    )


def clocks_for(record: Mapping, kind: str, profile, settings, today: date, ref: str | None = None) -> list[Clock]:
    """Every clock the record's framework profile runs on it, open or done."""
    found = []
    for rule in profile.timescales:
        clock = clock_for(rule, record, kind, framework=profile.code, settings=settings, today=today, ref=ref)
        if clock is not None:
            found.append(clock)
    return found


def target_rule(profile, review: Mapping) -> Rule | None:
    """The rule that sets a review's completion target: its type's statutory or local rule."""
    for rule in profile.timescales:
        if rule.clock in COMPLETION_CLOCKS and rule.record == "review" \
                and review.get("review_type") in rule.applies_to:
            return rule
    return None


def review_target(review: Mapping, profile, settings, notification: date | None = None) -> tuple[date | None, str]:
    """A review's target completion date and how it was worked out (the window and papers show it).

    A date set by hand wins, with its reason. A rapid review's target is its submission, 15 working
    days from the notification. Other types take their rule from the profile: statutory ones say
    which guidance; non-statutory types are measured against the partnership's own target.
    """
    override = as_date(review.get("target_date_override"))
    if override:
        reason = review.get("target_override_reason") or "no reason recorded"
        return override, f"set by hand: {reason}"
    if review.get("review_type") == "RAPID_REVIEW":
        rule = profile.rule("rapid_review_after_notification")
        start = notification or as_date(review.get("agreed_date"))
        if rule is not None and start is not None:
            return add_offset(start, rule.offset, rule.unit), f"{rule.label} ({profile.name})"
        return None, "no timescale applies until the notification date is known"
    rule = target_rule(profile, review)
    if rule is None:
        return None, f"no timescale applies to this review type under {profile.name}"
    start = _first(review, (rule.trigger, *rule.fallback))
    if start is None:
        return None, "no timescale applies until the review is agreed or initiated"
    due = add_offset(start, offset_of(rule, review, settings), rule.unit)
    if rule.local:
        return due, f"{label_of(rule, review, settings)} (set by the partnership, not Working Together)"
    return due, f"{rule.label} ({profile.name})"


__all__ = ["COMPLETION_CLOCKS", "DEADLINE_WORDS", "LOCAL_LABEL", "Clock", "clock_for", "clocks_for", "review_target", "target_rule"]
