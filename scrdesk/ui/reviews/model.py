"""What the Reviews tab shows: the list's columns (COL_* in the order they appear), the columns of
the detail pages' lists, and the review's record and statutory clocks in words."""

from __future__ import annotations

import html
from datetime import date

from scrdesk.domain import values
from scrdesk.domain.dates import format_date, format_stored, from_iso, plural
from scrdesk.domain.rag import Rag, rag_for_deadline
from scrdesk.ui.base import Column

LIVE_STATUSES = ("agreed", "underway")

# The reviews list, left to right.
COL_REFS, COL_TITLE, COL_TYPE, COL_STATUS, COL_STAGE, COL_NEXT_MILESTONE, COL_TARGET, COL_ACTIONS = range(8)

# The detail's pages, in the order the tab adds them.
(PAGE_TIMELINE, PAGE_DETAILS, PAGE_DELAYS, PAGE_REFERRALS, PAGE_RECOMMENDATIONS,
 PAGE_RAPID_REVIEW) = range(6)

# What the filter box searches.
FILTER_KEYS = ("refs", "title", "type_label", "methodology_label", "status_label", "lead_reviewer",
               "panel_chair", "current_stage")


def date_column(key: str, header: str) -> Column:
    return Column(key, header, display=lambda r: format_stored(r.get(key)))


def _rag_column(key: str, header: str, display) -> Column:
    return Column(key, header, display=display, tooltip=lambda r: r["rag"].reason,
                  colour=lambda r: r["rag"].colour)


def review_columns() -> list[Column]:
    """The reviews list's columns, in COL_* order."""
    columns = {
        COL_REFS: Column("refs", "Ref(s)"),
        COL_TITLE: Column("title", "Title"),
        COL_TYPE: Column("type_label", "Type"),
        COL_STATUS: Column("status_label", "Status"),
        COL_STAGE: Column("current_stage", "Current stage"),
        COL_NEXT_MILESTONE: Column(
            "next_milestone_date", "Next milestone",
            display=lambda r: (f"{r['next_milestone']} ({format_stored(r['next_milestone_date'])})"
                               if r["next_milestone_date"] else r["next_milestone"])),
        COL_TARGET: _rag_column("target_date", "Target completion",
                                lambda r: f"{r['rag'].label}: {format_stored(r['target_date'])}"
                                if r["target_date"] else r["rag"].label),
        COL_ACTIONS: Column("overdue_actions", "Actions open / overdue",
                            display=lambda r: f"{r['open_actions']} / {r['overdue_actions']}"),
    }
    return [columns[number] for number in sorted(columns)]


def milestone_columns() -> list[Column]:
    return [
        Column("label", "Step"),
        date_column("planned_date", "Planned"),
        date_column("actual_date", "Done"),
        Column("state", "Progress", display=lambda r: r["rag"].reason,
               tooltip=lambda r: r["rag"].reason, colour=lambda r: r["rag"].colour),
        Column("attendance", "Attendance", align_right=True),
        Column("notes", "Notes"),
    ]


def delay_columns() -> list[Column]:
    return [date_column("date", "Date"), Column("reason", "Reason")]


def proceeding_columns() -> list[Column]:
    return [Column("kind", "Proceedings", display=lambda r: values.label(values.PROCEEDING_KINDS, r["kind"])),
            Column("status", "Status"), Column("notes", "Notes")]


def linked_referral_columns() -> list[Column]:
    return [Column("ref", "Ref"), date_column("received_date", "Received"), Column("summary", "Summary"),
            Column("location", "Location")]


def recommendation_columns() -> list[Column]:
    return [Column("number", "No."), Column("text", "Recommendation"),
            Column("level", "Level", display=lambda r: values.label(values.RECOMMENDATION_LEVELS, r["level"])),
            Column("actions", "Actions open / total", display=lambda r: f"{r['open_actions']} / {r['actions']}")]


def milestone_progress(planned: date | None, actual: date | None, today: date) -> Rag:
    """Where a milestone stands: done (on time or how late), or its planned date's RAG."""
    if actual is not None:
        if planned is not None and actual > planned:
            return Rag("blue", f"Done, {plural((actual - planned).days, 'day')} after the plan")
        return Rag("blue", "Done")
    return rag_for_deadline(planned, None, today, amber_working_days=5, what="planned date")


def with_progress(milestones: list[dict], today: date) -> list[dict]:
    """The milestones, each with its `rag` (progress against its planned date)."""
    return [{**row, "rag": milestone_progress(from_iso(row["planned_date"]), from_iso(row["actual_date"]), today)}
            for row in milestones]


def lcspr_clock_rows(review: dict, clocks: dict) -> list[tuple[str, str]]:
    """An LCSPR's statutory clocks in words: completion, the report to the panel, publication."""
    completion = clocks["completion_due"]
    rows = [("Completion target", f"{format_date(completion)} – {clocks['completion_rag'].reason}"
             if completion else "Not set: the decision date is missing")]
    rows.append(("Planned publication", format_stored(review.get("planned_publication_date")) or "Not planned yet"))
    # The copy is due 7 working days before the PLANNED date, so it shows ahead of publication.
    panel_due = clocks["panel_report_due"]
    sent = review.get("panel_sos_copy_date") or review.get("sent_to_panel_date")
    if review.get("no_publication_date"):
        report = "None due: the partnership decided not to publish"
    elif panel_due is None:
        report = "Due 7 working days before publication; give the planned publication date to count it"
    elif sent:
        timing = "on time" if clocks["panel_report_on_time"] else "late"
        report = (f"Sent {format_stored(sent)}, {timing} (due {format_date(panel_due)}, "
                  "7 working days before publication)")
    else:
        report = (f"Due {format_date(panel_due)} (7 working days before publication) – "
                  f"{clocks['panel_report_rag'].reason}")
    rows.append(("Copy to the Panel and Secretary of State", report))
    rows.append(("Copy to Ofsted", format_stored(review.get("ofsted_copy_date"))))
    if review.get("no_publication_date"):
        sent_on = review.get("no_publication_sent_date")
        rows.append(("Decided not to publish", f"{format_stored(review['no_publication_date'])}: "
                     f"{review.get('no_publication_reasons') or ''} – "
                     + (f"sent to the Panel {format_stored(sent_on)}" if sent_on else "not yet sent to the Panel")))
    rows.append(("Publication decision", values.label(values.PUBLICATION_DECISIONS, review.get("publication_decision"))
                 if review.get("publication_decision") else "Not yet decided"))
    rows.append(("Published", format_stored(review.get("published_date"))))
    kept = clocks["kept_online_until"]
    rows.append(("Kept online until", format_date(kept) if kept else ""))
    removal = format_stored(review.get("removal_date"))
    if clocks["removal_too_early"]:
        removal += f" – earlier than the {format_date(kept)} it should stay online until"
    rows.append(("Removal date", removal))
    return rows


def details_html(review: dict, lcspr_clocks: dict | None = None) -> str:
    """The review's record as a two-column table of labels and values (an LCSPR adds its clocks)."""
    def row(label: str, value) -> str:
        shown = html.escape(str(value)) if value not in (None, "") else "<span style='color:#777'>—</span>"
        return f"<tr><td style='padding:2px 12px 2px 0; color:#444'>{label}</td><td>{shown}</td></tr>"

    yes_no = {1: "Yes", 0: "No"}
    left = [
        ("Title", review["title"]), ("Ref(s)", review["refs"]), ("Type", review["type_label"]),
        ("Methodology", review["methodology_label"]), ("Framework", review["framework_name"]),
        ("Lead reviewer", review.get("lead_reviewer")), ("Panel chair", review.get("panel_chair")),
        ("Status", review["status_label"]), ("Current stage", review["current_stage"]),
        ("Family engagement", review.get("family_engagement")), ("Notes", review.get("notes")),
    ]
    right = [
        ("Agreed", format_stored(review.get("agreed_date"))),
        ("Terms of reference", format_stored(review.get("tor_date"))),
        ("Initiated", format_stored(review.get("initiated_date"))),
        ("Target completion", f"{format_stored(review['target_date'])} ({review['target_basis']})"
         if review["target_date"] else review["target_basis"]),
        ("RAG", review["rag"].reason),
        ("Completed", format_stored(review.get("completed_date"))),
        ("Sent to national panel", format_stored(review.get("sent_to_panel_date"))),
        ("Panel response", format_stored(review.get("panel_response_date"))),
        ("Panel agreed", yes_no.get(review.get("panel_agreed"), "")),
        ("Publication", review["publication"]),
        ("Legal hold", "Yes" if review.get("legal_hold") else "No"),
    ]
    columns = "".join(
        f"<td style='vertical-align:top; padding-right:32px'><table>{''.join(row(*item) for item in part)}</table></td>"
        for part in (left, right))
    clocks = ""
    if lcspr_clocks is not None:
        clocks = ("<p><b>Statutory clocks (Working Together)</b></p><table>"
                  + "".join(row(*item) for item in lcspr_clock_rows(review, lcspr_clocks)) + "</table>")
    return f"<table><tr>{columns}</tr></table>{clocks}"


def count_text(shown: int, total: int, live_only: bool) -> str:
    """"12 live reviews", or "3 of 12 shown" when the filter hides some."""
    return plural(total, "live review" if live_only else "review") if shown == total else f"{shown} of {total} shown"
