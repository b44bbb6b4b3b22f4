"""The annual report's tables for one reporting year (A4 portrait), from `annual_report()`'s dict.

Every table DESIGN.md lists: referrals by outcome (as the reference report prints it), new
reviews agreed, reviews underway / completed / published, case mapping exercises, timeliness
against the target, learning events and de-briefs with attendance, briefings issued and the
agency feedback rate, the action plan's totals, and the statutory funnel (notifications → rapid
reviews → LCSPRs, with the on-time rate and the national panel's agreement rate).
"""

from __future__ import annotations

from scrdesk.documents.style import (
    MM,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    figures,
    frame_width,
)

REVIEW_HEADER = ["Ref", "Summary", "Location", "Gender", "Age", "Type", "Status"]
REVIEW_WIDTHS = [18, 44, 26, 20, 17, 25, 28]


def short_date(iso: str) -> str:
    """`01.04.16`, as the reference report writes the period."""
    y, m, d = iso[:10].split("-")
    return f"{d}.{m}.{y[2:]}"


def percent(rate: float) -> str:
    return f"{round(rate * 100)}%"


def _review_table(content: Content, rows: list[dict], where: str, empty: str) -> None:
    if not rows:
        content.add_para(empty, "body", where)
        return
    data = [[r["ref"], r["summary"], r["location"], r["gender"], r["age"], r["type_label"], r["status"]]
            for r in rows]
    content.add(content.table(REVIEW_HEADER, data, [w * MM for w in REVIEW_WIDTHS], where=where,
                              row_labels=[f"row {i + 1} ({r['ref']})" for i, r in enumerate(rows)]))


def build_annual(report: dict, letterhead: Letterhead) -> BuildResult:
    content = Content()
    width = frame_width()
    period = report["period"]
    referrals, reviews = report["referrals"], report["reviews"]
    actions, briefings, events = report["actions"], report["briefings"], report["events"]
    content.add_para(f"Annual report tables {report['label']}", "title", "the title")
    content.add_para(f"Reporting year {date_text(period['start'])} to {date_text(period['end'])} · "
                     f"{report['framework']['name']}", "subtitle", "the subtitle")
    content.add(figures(content, [
        (str(referrals["total"]), "referrals considered"), (str(len(reviews["agreed"])), "reviews agreed"),
        (str(len(reviews["published"])), "reviews published"), (str(briefings["issued"]), "briefings issued"),
    ], width))

    # 1. Referrals by outcome, worded as the reference report words it.
    content.heading("1. Referrals by outcome")
    content.add_para(
        f"The sub group considered {referrals['total']} referral{'s' if referrals['total'] != 1 else ''} "
        f"between {short_date(period['start'])} – {short_date(period['end'])}. Recommendations as follows:",
        "body", "Referrals by outcome")
    rows = [[o["label"], str(o["count"])] for o in referrals["outcomes"]]
    if referrals.get("undecided"):
        rows.append(["Not yet decided", str(referrals["undecided"])])
    rows.append([content.para("Total", "td_bold", ""), content.para(str(referrals["total"]), "td_bold", "")])
    content.add(content.table(["Outcome", "Number"], rows, [90 * MM, 25 * MM], where="Referrals by outcome"))
    if referrals["list"]:
        content.heading("Referrals considered in the year", 2)
        data = [[r["ref"], r["summary"], r["location"], r["gender"], r["age"], r["decision_label"] or "Not yet decided",
                 date_text(r["decision_date"])] for r in referrals["list"]]
        content.add(content.table(["Ref", "Summary", "Location", "Gender", "Age", "Outcome", "Decided"], data,
                                  [w * MM for w in (18, 48, 26, 20, 17, 28, 21)], where="Referrals considered",
                                  row_labels=[f"row {i + 1} ({r['ref']})" for i, r in enumerate(referrals["list"])]))

    content.heading("2. New reviews agreed")
    _review_table(content, reviews["agreed"], "New reviews agreed", "No new review was agreed in the year.")

    content.heading("3. Reviews underway, completed and published")
    content.heading("Underway at the end of the year", 2)
    _review_table(content, reviews["underway"], "Reviews underway", "None.")
    content.heading("Completed in the year", 2)
    _review_table(content, reviews["completed"], "Reviews completed", "None.")
    content.heading("Published in the year", 2)
    _review_table(content, reviews["published"], "Reviews published", "None.")

    content.heading("4. Case mapping exercises")
    content.heading("New case mapping exercises agreed", 2)
    _review_table(content, reviews["case_mapping"]["agreed"], "Case mapping agreed", "None.")
    content.heading("Case mapping exercises already underway and completed", 2)
    _review_table(content, reviews["case_mapping"]["continuing"], "Case mapping continuing", "None.")

    _timeliness(content, reviews["timeliness"])
    _events(content, events)
    _briefings(content, briefings)
    _actions(content, actions)
    if "funnel" in report:
        _funnel(content, report["funnel"])
    return build_pdf(content, letterhead)


def _timeliness(content: Content, t: dict) -> None:
    content.heading("5. Timeliness against the target")
    months = f"{t['target_months']} months" if t.get("target_months") else "the target"
    content.add_para(
        f"{t['completed']} review{'s' if t['completed'] != 1 else ''} completed in the year; "
        f"{t['on_time']} of the {t['measured']} with a target completed within {months}, "
        f"{t['late']} later.", "body", "Timeliness")
    if t["rows"]:
        data = []
        for r in t["rows"]:
            result = "Within target" if r["on_time"] else f"{r['days_late']} days late"
            data.append([r["ref"], r["type_label"], date_text(r["initiated_date"]), date_text(r["target_date"]),
                         date_text(r["completed_date"]), result, "\n".join(r["delays"]) or "None recorded"])
        content.add(content.table(["Ref", "Type", "Initiated", "Target", "Completed", "Result", "Delays recorded"],
                                  data, [w * MM for w in (18, 26, 21, 21, 21, 21, 50)], where="Timeliness",
                                  row_labels=[f"row {i + 1} ({r['ref']})" for i, r in enumerate(t["rows"])]))


def _event_rows(events: list[dict]) -> list[list[str]]:
    return [[date_text(e["date"]), e["kind_label"], e["title"], e["ref"],
             "" if e["attendance"] is None else str(e["attendance"]), e["facilitator"]] for e in events]


def _events(content: Content, events: dict) -> None:
    content.heading("6. Learning events and de-briefs")
    average = events.get("wider_debrief_average_attendance")
    text = f"Total attendance across all events: {events['total_attendance']}."
    if average is not None:
        text += f" Wider de-briefs averaged an attendance of {average}."
    content.add_para(text, "body", "Learning events")
    header = ["Date", "Kind", "Title", "Ref", "Attendance", "Facilitator"]
    widths = [w * MM for w in (22, 36, 50, 18, 20, 32)]
    for title, key in (("Practitioner learning events and workshops", "learning_events"),
                       ("De-briefs", "debriefs"), ("Training", "training"), ("Other events", "other")):
        if events.get(key):
            content.heading(title, 2)
            content.add(content.table(header, _event_rows(events[key]), widths, where=title))


def _briefings(content: Content, b: dict) -> None:
    content.heading("7. Briefings issued and agency feedback")
    content.add_para(
        f"{b['issued']} briefing{'s' if b['issued'] != 1 else ''} issued in the year. Sent to agencies "
        f"{b['disseminations']} times; feedback received {b['feedback_received']} times "
        f"(a feedback rate of {percent(b['feedback_rate'])}); {b['staff_reached']} staff reached.",
        "body", "Briefings")
    if b["list"]:
        data = [[x["ref"], x["title"], date_text(x["issued_date"]), str(x["disseminations"]),
                 str(x["feedback_received"])] for x in b["list"]]
        content.add(content.table(["Ref", "Briefing", "Issued", "Agencies sent to", "Feedback received"], data,
                                  [w * MM for w in (20, 80, 26, 26, 26)], where="Briefings issued"))
    if b["by_agency"]:
        content.heading("Feedback by agency", 2)
        data = []
        for x in b["by_agency"]:
            rate = percent(x["feedback_received"] / x["sent"]) if x["sent"] else ""
            data.append([x["agency"], str(x["sent"]), str(x["feedback_received"]), rate, str(x["staff_reached"])])
        content.add(content.table(["Agency", "Briefings sent", "Feedback received", "Rate", "Staff reached"],
                                  data, [w * MM for w in (74, 26, 26, 22, 30)], where="Feedback by agency"))


def _actions(content: Content, a: dict) -> None:
    content.heading("8. The composite action plan")
    content.add_para(f"At {date_text(a['as_at'])}: {a['total']} actions, {a['complete']} complete, "
                     f"{a['open']} open, of which {a['overdue']} overdue.", "body", "Actions")
    if a["by_agency"]:
        data = [[x["agency"], str(x["total"]), str(x["complete"]), str(x["open"]), str(x["overdue"])]
                for x in a["by_agency"]]
        data.append([content.para("Total", "td_bold", ""), str(a["total"]), str(a["complete"]), str(a["open"]),
                     str(a["overdue"])])
        content.add(content.table(["Agency", "Actions", "Complete", "Open", "Overdue"], data,
                                  [w * MM for w in (82, 24, 24, 24, 24)], where="Actions by agency"))


def funnel_rows(f: dict) -> list[tuple[str, int, str]]:
    """(stage, number, note) rows of the notification → rapid review → LCSPR funnel; shared with
    the Excel sheet so both say the same."""
    n, rr, lcspr, panel = f["notifications"], f["rapid_reviews"], f["lcsprs"], f["panel"]
    on_time = (f"{rr['on_time']} of {rr['submitted']} on time ({percent(rr['on_time_rate'])})"
               if rr["on_time_rate"] is not None else "none submitted yet")
    agreement = (f"agreed in {panel['agreed']} ({percent(panel['agreement_rate'])})"
                 if panel["agreement_rate"] is not None else "no response recorded")
    rows = [
        ("Serious incident notifications", n["total"], f"{n['on_time']} of {n['total']} within 5 working days"),
        ("Rapid reviews started", rr["total"], ""),
        ("Rapid reviews submitted to the national panel", rr["submitted"], f"within 15 working days: {on_time}"),
    ]
    labels = f.get("decision_labels", {})
    rows += [(f"Decision: {labels.get(code, code)}", count, "") for code, count in f["decisions"].items()]
    rows += [
        ("LCSPRs initiated", lcspr["initiated"], ""),
        ("LCSPRs completed", lcspr["completed"], ""),
        ("LCSPRs published", lcspr["published"], ""),
        ("National panel responses", panel["responses"], agreement),
    ]
    return rows


def _funnel(content: Content, f: dict) -> None:
    # A dozen short rows: start a page rather than split them from their heading and sentence.
    content.keep_room(95 * MM)
    # The report fonts have no arrow glyph: the heading says the funnel in words.
    content.heading("9. Notifications, rapid reviews and LCSPRs")
    if not f.get("any"):
        content.add_para("None in this year: no serious incident was notified, and no rapid review or LCSPR "
                         "was started, completed or published.", "body", "Statutory funnel")
        return
    rr, panel = f["rapid_reviews"], f["panel"]
    summary = (f"{f['notifications']['total']} notification{'s' if f['notifications']['total'] != 1 else ''} "
               f"led to {rr['total']} rapid review{'s' if rr['total'] != 1 else ''}")
    if rr["on_time_rate"] is not None:
        summary += f", {percent(rr['on_time_rate'])} of those submitted on time"
    summary += f"; {f['lcsprs']['initiated']} LCSPR{'s' if f['lcsprs']['initiated'] != 1 else ''} initiated."
    if panel["agreement_rate"] is not None:
        summary += f" The national panel agreed with the partnership in {percent(panel['agreement_rate'])} of its responses."
    content.add_para(summary, "body", "Statutory funnel")
    data = [[stage, str(number), note] for stage, number, note in funnel_rows(f)]
    content.add(content.table(["Stage", "Number", "Notes"], data, [w * MM for w in (80, 20, 78)],
                              where="Statutory funnel"))
