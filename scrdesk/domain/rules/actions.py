"""Rules for an action of the composite action plan.

`problems(action, evidence_files=…)` takes the action as stored (column -> value, ISO dates as
text) and how many evidence files it has, and returns `{column: message}` in the words the action
and update dialogs show beside the field. The importer, the store and `check` use the same.

Closing an action for good ("Complete – evidenced", "Signed off") needs evidence: an evidence
file, a note of the evidence, or a recorded reason for closing it without. This is the board's own
assurance rule (the sub group signs an action off on what shows it was done), not a statutory one;
an action done but not yet evidenced is "Complete – awaiting evidence".
"""

from __future__ import annotations

from collections.abc import Mapping

from scrdesk.domain import limits, values
from scrdesk.domain.limits import length_problems
from scrdesk.domain.rules import Problems, date_order
from scrdesk.domain.rules.governance import PLAN_SOURCES

REQUIRED = "is required"

#: Statuses that close an action for good; they need evidence or a recorded reason.
EVIDENCED_STATUSES = frozenset({"complete_evidenced", "signed_off"})

#: What an import takes a closed action with no evidence in as.
AWAITING_EVIDENCE = "complete_awaiting_evidence"

#: The rule in a sentence, shown under the status in the dialogs.
COMPLETION_RULE = ("An action can be marked \u201cComplete \u2013 evidenced\u201d or \u201cSigned off\u201d "
                   "only when evidence is attached or noted, or a reason is recorded for closing it without.")

# The dialogs' fields: names and "escalated to" are NAMEs, reasons and the evidence note REASONs,
# the action itself a box of free text.
LIMITS = {"lead_officer": limits.NAME, "text": limits.NOTE, "revised_reason": limits.REASON,
          "completion_reason": limits.REASON, "evidence_note": limits.REASON, "escalated_to": limits.NAME,
          "source_text": limits.LINE}
UPDATE_LIMITS = {"author": limits.NAME, "note": limits.NOTE}

# (earlier, later, message): a target falls on or after the day the action was agreed, and so
# does a revised one. `check` uses the same pairs for files written before these rules.
DATE_ORDER = (
    ("agreed_date", "target_date", "is before the date the action was agreed"),
    ("agreed_date", "revised_target_date", "is before the date the action was agreed"),
)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def needs_evidence(status: object) -> bool:
    """Whether an action with this status code must have evidence or a reason (for the import)."""
    return status in EVIDENCED_STATUSES


def has_evidence(action: Mapping[str, object], evidence_files: int) -> bool:
    """An evidence file, a note of the evidence, or a recorded reason for closing without."""
    return evidence_files > 0 or not _blank(action.get("evidence_note")) or not _blank(action.get("completion_reason"))


def completion_problem(status: object, evidence_files: int, evidence_note: object = None,
                       reason: object = None) -> str:
    """Why `status` cannot be set yet (the empty string when it can)."""
    if needs_evidence(status) and not has_evidence(
            {"evidence_note": evidence_note, "completion_reason": reason}, evidence_files):
        shown = values.label(values.ACTION_STATUSES, str(status))
        return (f"cannot be \u201c{shown}\u201d yet: attach the evidence, note it, or record a reason "
                "for closing it without evidence")
    return ""


def problems(action: Mapping[str, object], *, evidence_files: int) -> Problems:
    """Everything wrong with an action as it would be stored."""
    found: Problems = {}
    # A review's action belongs to the review; the sub group's own plan action has a source
    # instead (a business plan priority, an inspection recommendation, a health check, an audit).
    source = action.get("source_kind")
    if _blank(action.get("review_id")) and _blank(source):
        found["review_id"] = REQUIRED
    elif not _blank(source):
        if not _blank(action.get("review_id")):
            found["source_kind"] = "is for the sub group's own plan: a review's action has no other source"
        elif source not in PLAN_SOURCES:
            found["source_kind"] = f"is not a plan source ({', '.join(PLAN_SOURCES.values())})"
        elif _blank(action.get("source_text")):
            found["source_text"] = "is required: say which priority, recommendation, check or audit"
    if _blank(action.get("text")):
        found["text"] = REQUIRED
    status = action.get("status")
    if _blank(status):
        found["status"] = REQUIRED
    elif status not in values.ACTION_STATUSES:
        found["status"] = f"is not an action status ({', '.join(values.ACTION_STATUSES.values())})"
    else:
        problem = completion_problem(status, evidence_files, action.get("evidence_note"),
                                     action.get("completion_reason"))
        if problem:
            found["status"] = problem
        elif status == "signed_off" and _blank(action.get("signoff_date")):
            found["signoff_date"] = "is required for a signed-off action"
    for column, message in date_order(action, DATE_ORDER).items():
        found.setdefault(column, message)
    if not _blank(action.get("revised_target_date")) and _blank(action.get("revised_reason")):
        found.setdefault("revised_reason", "is required when the target is revised")
    if not _blank(action.get("escalated_to")) and _blank(action.get("escalated_date")):
        found.setdefault("escalated_date", "is required when you say who it was escalated to")
    for column, message in length_problems(action, LIMITS).items():
        found.setdefault(column, message)
    return found


def update_problems(update: Mapping[str, object]) -> Problems:
    """A dated update has its date, author and note, none longer than the dialog takes."""
    found: Problems = {}
    for column in ("date", "author", "note"):
        if _blank(update.get(column)):
            found[column] = REQUIRED
    for column, message in length_problems(update, UPDATE_LIMITS).items():
        found.setdefault(column, message)
    return found
