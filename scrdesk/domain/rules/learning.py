"""Rules for the records of learning that lands (issue 14): a review's publication and its
checklist, newsletter issues and a briefing's web page, a recommendation's acceptance and impact,
and themes.

Each `…_problems(record, …)` takes the record as stored (column -> value, ISO dates as text) and
returns `{column: message}` in the words the learning dialogs show beside the field. The value
lists (codes stored, labels shown) live here too: nothing outside these records uses them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from scrdesk.domain import limits
from scrdesk.domain.dates import format_stored
from scrdesk.domain.limits import length_problems
from scrdesk.domain.rules import Problems, date_order
from scrdesk.domain.timescales import add_months
from scrdesk.domain.values import ValueList

REQUIRED = "is required"

#: The publication checklist, in the order it is worked through. Clearance by the police, the CPS
#: and the coroner is sought where there are criminal proceedings or an inquest (WT2015 ch 4 para
#: 18; WT2018 ch 4 / WT2023 ch 5: publication may be delayed for them, not abandoned).
PUBLICATION_ITEMS = ValueList((
    ("family_told", "Family told and offered a reading"),
    ("police_cleared", "Police cleared"),
    ("cps_cleared", "CPS cleared"),
    ("coroner_cleared", "Coroner cleared"),
    ("media_plan", "Media plan agreed"),
    ("press_statement", "Press statement agreed"),
    ("comms_leads_told", "Partner communications leads told"),
    ("copies_sent", "Copies sent"),
))

#: How the media were handled (NSCB 2016-17: open media sessions, then Ref021's 1:1 interviews).
MEDIA_APPROACHES = ValueList((
    ("media_event", "Media event (open session)"),
    ("one_to_one", "1:1 interviews with the independent chair"),
    ("press_statement_only", "Press statement only"),
    ("none", "No media handling"),
))

ACCEPTANCE = ValueList((
    ("fully", "Accepted in full"),
    ("partly", "Accepted in part"),
    ("not_accepted", "Not accepted"),
))

ASSURANCE_METHODS = ValueList((
    ("audit", "Audit"),
    ("case_file_review", "Case file review"),
    ("survey", "Survey"),
    ("practitioner_feedback", "Practitioner feedback"),
))

#: How the sub group closed a recommendation: on evidence that practice changed, or on its
#: actions being done (what the annual report sets against each other).
CLOSURE_BASES = ValueList((
    ("impact", "Closed with evidence of impact"),
    ("actions", "Closed on its actions alone"),
))

#: Every framework profile keeps a published report online for at least 12 months
#: (`published_kept_online`); a removal date sooner than that is refused.
MIN_ONLINE_MONTHS = 12

PUBLICATION_LIMITS = {"web_address": limits.LINE, "notes": limits.NOTE}
STEP_LIMITS = {"done_by": limits.NAME, "note": limits.REASON}
ISSUE_LIMITS = {"number": limits.SHORT_NAME, "web_address": limits.LINE, "notes": limits.NOTE}
WEB_POST_LIMITS = {"web_address": limits.LINE}
IMPACT_LIMITS = {"acceptance_reason": limits.REASON, "intended_outcome": limits.NOTE,
                 "assurance_plan": limits.NOTE, "impact_statement": limits.NOTE, "closed_by": limits.NAME}
THEME_LIMITS = {"label": limits.NAME}

_WEB_ADDRESS = re.compile(r"^(https?://)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:[/?#]\S*)?$",
                          re.IGNORECASE)
NOT_A_WEB_ADDRESS = "does not look like a web address (for example https://www.example.org.uk/reviews)"


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def looks_like_web_address(text: object) -> bool:
    """A web address as people paste it: an optional http(s)://, a dotted host, then a path."""
    return isinstance(text, str) and bool(_WEB_ADDRESS.match(text.strip()))


def _web_address(found: Problems, record: Mapping[str, object], column: str = "web_address") -> None:
    if not _blank(record.get(column)) and not looks_like_web_address(record.get(column)):
        found.setdefault(column, NOT_A_WEB_ADDRESS)


def _in_list(found: Problems, record: Mapping[str, object], column: str, value_list: Mapping[str, str],
             what: str) -> None:
    value = record.get(column)
    if not _blank(value) and value not in value_list:
        found.setdefault(column, f"is not {what} ({', '.join(value_list.values())})")


def _lengths(found: Problems, record: Mapping[str, object], table: Mapping[str, int]) -> Problems:
    for column, message in length_problems(record, table).items():
        found.setdefault(column, message)
    return found


# -- publication -----------------------------------------------------------------------------

def months_after(iso: str, months: int) -> str:
    """The ISO date `months` after `iso` (a day the month lacks becomes its last)."""
    return add_months(date.fromisoformat(iso), months).isoformat()


def publication_problems(publication: Mapping[str, object], *, published_date: object = None,
                         removal_date: object = None) -> Problems:
    """A review's publication record, with the review's published and removal dates as they would
    be stored: a web address that looks like one, a known media approach, the removal date after
    the date published and at least a year on."""
    found: Problems = {}
    _web_address(found, publication)
    _in_list(found, publication, "media_approach", MEDIA_APPROACHES, "a way of handling the media")
    if not _blank(removal_date):
        if _blank(published_date):
            found["removal_date"] = "needs the date published first"
        elif str(removal_date) < str(published_date):
            found["removal_date"] = f"is before the date published ({format_stored(published_date)})"
        elif str(removal_date) < months_after(str(published_date), MIN_ONLINE_MONTHS):
            found["removal_date"] = (f"is less than {MIN_ONLINE_MONTHS} months after the date published "
                                     "(a published report stays online for at least a year)")
    if not _blank(publication.get("web_address")) and _blank(published_date):
        found.setdefault("published_date", "is required when the report has a web address")
    return _lengths(found, publication, PUBLICATION_LIMITS)


def step_problems(step: Mapping[str, object], *, published_date: object = None) -> Problems:
    """One checklist item: a known item; who did it needs the date; "not needed" needs a note
    saying why; done by the date published at the latest (it is a step before publication),
    except copies sent, which may follow."""
    found: Problems = {}
    item = step.get("item")
    if _blank(item):
        found["item"] = REQUIRED
    elif item not in PUBLICATION_ITEMS:
        found["item"] = "is not an item of the publication checklist"
    if step.get("not_needed"):
        if _blank(step.get("note")):
            found["note"] = "say why this step is not needed"
        if not _blank(step.get("done_date")):
            found["done_date"] = "is for a step that was done, not one marked not needed"
    elif not _blank(step.get("done_by")) and _blank(step.get("done_date")):
        found["done_date"] = "is required when you say who did it"
    done = step.get("done_date")
    if (not _blank(done) and not _blank(published_date) and item != "copies_sent"
            and str(done) > str(published_date)):
        found.setdefault("done_date", f"is after the date published ({format_stored(published_date)})")
    return _lengths(found, step, STEP_LIMITS)


# -- channels --------------------------------------------------------------------------------

def issue_problems(issue: Mapping[str, object]) -> Problems:
    """A newsletter issue: its number and date, and a web address that looks like one."""
    found: Problems = {}
    for column in ("number", "issue_date"):
        if _blank(issue.get(column)):
            found[column] = REQUIRED
    _web_address(found, issue)
    return _lengths(found, issue, ISSUE_LIMITS)


def promoted_problem(issue_date: object, briefing_issued: object) -> str:
    """Why a newsletter of `issue_date` cannot promote a briefing issued on `briefing_issued`
    (the empty string when it can): a briefing is promoted once it is issued."""
    if _blank(briefing_issued):
        return "promotes a briefing that has not been issued"
    if not _blank(issue_date) and str(issue_date) < str(briefing_issued):
        return f"is dated before the briefing was issued ({format_stored(briefing_issued)})"
    return ""


WEB_POST_ORDER = (("posted_date", "removed_date", "is before the date it was put on the website"),)


def web_post_problems(post: Mapping[str, object], *, briefing_issued: object = None) -> Problems:
    """A briefing's web page: its address and the date it went up, not before the briefing was
    issued; taken down no earlier than it went up."""
    found: Problems = {}
    for column in ("web_address", "posted_date"):
        if _blank(post.get(column)):
            found[column] = REQUIRED
    _web_address(found, post)
    posted = post.get("posted_date")
    if not _blank(posted):
        if _blank(briefing_issued):
            found["posted_date"] = "is for an issued briefing: this one has not been issued"
        elif str(posted) < str(briefing_issued):
            found["posted_date"] = f"is before the briefing was issued ({format_stored(briefing_issued)})"
    for column, message in date_order(post, WEB_POST_ORDER).items():
        found.setdefault(column, message)
    return _lengths(found, post, WEB_POST_LIMITS)


# -- a recommendation's impact ---------------------------------------------------------------

def split_methods(text: object) -> list[str]:
    """The assurance method codes kept as comma-separated text."""
    if _blank(text):
        return []
    return [part.strip() for part in str(text).split(",") if part.strip()]


def join_methods(codes: Iterable[str]) -> str | None:
    """Assurance method codes as stored, in the list's order (None for none)."""
    chosen = set(codes)
    return ",".join(code for code in ASSURANCE_METHODS if code in chosen) or None


def impact_problems(impact: Mapping[str, object]) -> Problems:
    """A recommendation's acceptance and impact: a partly or not accepted recommendation has its
    reason; closing one needs its acceptance, a date and how it was closed; closed with impact
    needs an impact statement; the closure date is not before the acceptance."""
    found: Problems = {}
    _in_list(found, impact, "acceptance", ACCEPTANCE, "an acceptance")
    acceptance = impact.get("acceptance")
    if acceptance in ("partly", "not_accepted") and _blank(impact.get("acceptance_reason")):
        shown = "accepted in part" if acceptance == "partly" else "not accepted"
        found["acceptance_reason"] = f"is required when a recommendation is {shown}"
    unknown = [code for code in split_methods(impact.get("assurance_methods")) if code not in ASSURANCE_METHODS]
    if unknown:
        found["assurance_methods"] = (f"has {', '.join(unknown)}, not a way of seeking assurance "
                                      f"({', '.join(ASSURANCE_METHODS.values())})")
    _in_list(found, impact, "closure_basis", CLOSURE_BASES, "a way of closing a recommendation")
    closed, basis = impact.get("closed_date"), impact.get("closure_basis")
    if not _blank(closed) and _blank(basis):
        found.setdefault("closure_basis", "is required when the recommendation is closed")
    if not _blank(basis) and _blank(closed):
        found.setdefault("closed_date", "is required when the recommendation is closed")
    if not _blank(closed) or not _blank(basis):
        if _blank(acceptance):
            found.setdefault("acceptance", "is required before the recommendation is closed")
        if basis == "impact" and _blank(impact.get("impact_statement")):
            found.setdefault("impact_statement", "is required to close a recommendation with evidence of impact")
        if basis == "impact" and acceptance == "not_accepted":
            found.setdefault("closure_basis", "cannot be impact for a recommendation that was not accepted")
    accepted = impact.get("accepted_date")
    if not _blank(closed) and not _blank(accepted) and str(closed) < str(accepted):
        found.setdefault("closed_date", f"is before the recommendation was accepted ({format_stored(accepted)})")
    return _lengths(found, impact, IMPACT_LIMITS)


# -- themes ----------------------------------------------------------------------------------

def theme_code(label: str) -> str:
    """The code a new theme is stored under: its label in lower case, words joined by "_"."""
    return "_".join(re.findall(r"[a-z0-9]+", label.casefold()))[:60]


def theme_problems(theme: Mapping[str, object], *, taken_labels: Iterable[str] = ()) -> Problems:
    """A theme has a name no other theme has (letters or digits in it)."""
    found: Problems = {}
    label = theme.get("label")
    if _blank(label):
        found["label"] = REQUIRED
    elif not theme_code(str(label)):
        found["label"] = "needs a letter or a digit"
    elif str(label).strip().casefold() in {str(t).strip().casefold() for t in taken_labels}:
        found["label"] = "is already a theme"
    return _lengths(found, theme, THEME_LIMITS)
