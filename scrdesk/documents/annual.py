"""The annual report's tables for one reporting year (A4 portrait), from `annual_report()`'s dict.

Every table DESIGN.md lists: referrals by outcome (as the reference report prints it), new
reviews agreed, reviews underway / completed / published, case mapping exercises, timeliness
against the target, learning events and de-briefs with attendance, briefings issued and the
agency feedback rate, the action plan's totals, and — in a year the partnership ran them — the
statutory funnel (incidents considered → notifications → rapid reviews → LCSPRs, with the on-time
rate, the national panel's agreement rate, a chart, and the children's characteristics counted);
then the sub group's own business, the cost of reviews and learning that landed, where the report
carries them. The report speaks in its year's own terms: the store decides which sections apply.
"""

from __future__ import annotations

from scrdesk.documents.style import (
    INK,
    MM,
    NAVY,
    TEAL,
    BuildResult,
    Content,
    Letterhead,
    build_pdf,
    date_text,
    figures,
    frame_width,
)
from scrdesk.domain import values
from scrdesk.domain.profiles import load_profiles
from scrdesk.domain.rules.statutory import AGE_BANDS, HARM_TYPES, SEXES

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


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


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

    # 1. The decisions made on the year's referrals, in the reference report's layout; the table
    # says what it counts (decisions), and where the sub group recommended otherwise it says so.
    content.heading("1. Referrals and the decisions made")
    content.add_para(
        f"The sub group considered {_plural(referrals['total'], 'referral')} between {short_date(period['start'])} "
        f"– {short_date(period['end'])}. The decisions made were as follows:", "body", "Referrals by decision")
    rows = [[o["label"], str(o["count"])] for o in referrals["outcomes"]]
    if referrals.get("undecided"):
        rows.append(["Not yet decided", str(referrals["undecided"])])
    rows.append([content.para("Total", "td_bold", ""), content.para(str(referrals["total"]), "td_bold", "")])
    content.add(content.table(["Decision", "Number"], rows, [90 * MM, 25 * MM], where="Referrals by decision"))
    differs = referrals.get("recommendation_differs", [])
    if differs:
        content.add_para("Where the decision differed from the sub group's recommendation: " + "; ".join(
            f"{d['ref']} – recommended {d['recommendation']}, decided {d['decision']}" for d in differs) + ".",
            "body", "Recommendation and decision")
    if "late_decisions" in report:
        _late_decisions(content, report["late_decisions"])
    if referrals["list"]:
        content.heading("Referrals considered in the year", 2)
        data = []
        for r in referrals["list"]:
            decision = r["decision_label"] or "Not yet decided"
            if r.get("recommendation_differs"):
                decision += f" (recommended: {r['recommendation_label']})"
            data.append([r["ref"], r["summary"], r["location"], r["gender"], r["age"], decision,
                         date_text(r["decision_date"])])
        content.add(content.table(["Ref", "Summary", "Location", "Gender", "Age", "Decision", "Decided"], data,
                                  [w * MM for w in (18, 46, 26, 20, 17, 30, 21)], where="Referrals considered",
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
    number = 9
    # A year wholly under Working Together 2015 ran no rapid reviews: no such section at all.
    if "funnel" in report:
        _funnel(content, report["funnel"], width)
        number += 1
    for key, title, write in (("governance", "The sub group's own business", _governance),
                              ("costs", "The cost of reviews", _costs),
                              ("learning", "Learning that landed", _learning)):
        if report.get(key) is not None:
            content.heading(f"{number}. {title}")
            write(content, report[key], report)
            number += 1
    return build_pdf(content, letterhead)


def _late_decisions(content: Content, late: dict) -> None:
    """Working Together 2015: the decision within a month of the incident's notification."""
    if not late["due"]:
        return
    text = (f"Decisions due in the year (Working Together 2015: within one month of the incident's notification, "
            f"else of the referral's receipt): {late['due']}; made on time {late['on_time']}, made late {late['late']}")
    if late["late_refs"]:
        text += f" ({', '.join(late['late_refs'])})"
    if late["not_made"]:
        text += f", not made by the year end {late['not_made']} ({', '.join(late['not_made_refs'])})"
    content.add_para(text + ".", "body", "Late decisions")


def _timeliness_table(content: Content, rows: list[dict], where: str) -> None:
    data = []
    for r in rows:
        result = "Within target" if r["on_time"] else f"{r['days_late']} days late"
        data.append([r["ref"], r["type_label"], date_text(r["initiated_date"]), date_text(r["target_date"]),
                     date_text(r["completed_date"]), result, "\n".join(r["delays"]) or "None recorded"])
    content.add(content.table(["Ref", "Type", "Initiated", "Target", "Completed", "Result", "Delays recorded"],
                              data, [w * MM for w in (18, 26, 21, 21, 21, 21, 50)], where=where,
                              row_labels=[f"row {i + 1} ({r['ref']})" for i, r in enumerate(rows)]))


def _timeliness(content: Content, t: dict) -> None:
    """Two lines that are never added together: Working Together's timescales, and the
    partnership's own targets for the reviews no statute times."""
    content.heading("5. Timeliness against the target")
    rapid = t.get("rapid_reviews_completed")
    content.add_para(f"{_plural(t['completed'], 'review')} completed in the year"
                     + (f" (and {_plural(rapid, 'rapid review')}, in section 9)" if rapid else "") + ".",
                     "body", "Timeliness")
    for key, title, words in (
            ("statutory", "Statutory reviews (Working Together timescales)", "the statutory timescale"),
            ("local", "Other reviews (the partnership's own targets, not Working Together)",
             "the partnership's own target")):
        line = t.get(key)
        if not line or not line["completed"]:
            continue
        content.heading(title, 2)
        months = f" of {line['target_months']} months" if line.get("target_months") else ""
        content.add_para(
            f"{line['completed']} completed; {line['on_time']} of the {line['measured']} with a target completed "
            f"within {words}{months}, {line['late']} later.", "body", title)
        if line["rows"]:
            _timeliness_table(content, line["rows"], title)


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


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def funnel_rows(f: dict) -> list[tuple[str, int, str]]:
    """(stage, number, note) rows of the incidents considered → notification → rapid review → LCSPR
    funnel; shared with the Excel sheet so both say the same."""
    n, rr, lcspr, panel = f["notifications"], f["rapid_reviews"], f["lcsprs"], f["panel"]
    on_time_rate = _rate(rr["on_time"], rr["submitted"])
    on_time = (f"{rr['on_time']} of {rr['submitted']} on time ({percent(on_time_rate)})"
               if on_time_rate is not None else "none submitted yet")
    agreement = (f"agreed in {panel['agreed']} ({percent(panel['agreement_rate'])})"
                 if panel["agreement_rate"] is not None else "no response recorded")
    rows = [
        ("Incidents considered for notification", f["considered"], ""),
        ("Serious incident notifications", n["total"], f"{n['on_time']} of {n['total']} within 5 working days"),
        ("Notifications withdrawn (criteria not met)", n["withdrawn"], "no rapid review owed"),
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


#: The counted characteristics: (funnel part, key, what is counted, the code list's labels).
CHARACTERISTICS = (
    ("notifications", "by_harm", "Notifications by type of harm", HARM_TYPES),
    ("rapid_reviews", "by_sex", "Rapid reviews by sex of the child", SEXES),
    ("rapid_reviews", "by_age_band", "Rapid reviews by age of the child", AGE_BANDS),
)


def characteristic_rows(f: dict) -> list[tuple[str, str, int]]:
    """(what is counted, category, number): characteristics are counted, never listed per child."""
    rows = []
    for part, key, title, codes in CHARACTERISTICS:
        counts = f[part].get(key) or {}
        # In the code list's order, then anything the list does not know.
        for code in [*(c for c in codes if c in counts), *(c for c in counts if c not in codes)]:
            rows.append((title, values.label(codes, code), counts[code]))
    return rows


def funnel_chart(f: dict, width: float):
    """Bars for the funnel's main stages (ReportLab graphics, imported only when a report is built)."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.lib import colors

    from scrdesk.documents import fonts

    stages = [("Incidents considered", f["considered"]), ("Notified", f["notifications"]["total"]),
              ("Rapid reviews", f["rapid_reviews"]["total"]), ("LCSPRs initiated", f["lcsprs"]["initiated"])]
    top = max(n for _, n in stages)
    if not top:
        return None
    bar, gap, label_width = 13, 6, 34 * MM
    height = len(stages) * (bar + gap) + 4
    drawing = Drawing(width, height)
    room = width - label_width - 12 * MM
    for i, (label, number) in enumerate(stages):
        y = height - (i + 1) * (bar + gap)
        drawing.add(String(0, y + 3, label, fontName=fonts.REGULAR, fontSize=8.5, fillColor=colors.HexColor(INK)))
        length = room * number / top
        drawing.add(Rect(label_width, y, max(length, 0.5), bar, strokeColor=None,
                         fillColor=colors.HexColor(NAVY if i % 2 == 0 else TEAL)))
        drawing.add(String(label_width + length + 4, y + 3, str(number), fontName=fonts.BOLD, fontSize=8.5,
                           fillColor=colors.HexColor(INK)))
    return drawing


def _funnel(content: Content, f: dict, width: float) -> None:
    # A dozen short rows: start a page rather than split them from their heading and sentence.
    content.keep_room(95 * MM)
    # The report fonts have no arrow glyph: the heading says the funnel in words.
    content.heading("9. Notifications, rapid reviews and LCSPRs")
    if not f.get("any"):
        content.add_para("None in this year: no serious incident was notified, and no rapid review or LCSPR "
                         "was started, completed or published.", "body", "Statutory funnel")
        return
    n, rr, panel = f["notifications"], f["rapid_reviews"], f["panel"]
    summary = (f"{_plural(f['considered'], 'incident')} considered for notification; "
               f"{_plural(n['total'], 'notification')}")
    if n["withdrawn"]:
        summary += f" ({n['withdrawn']} later withdrawn)"
    summary += f" led to {_plural(rr['total'], 'rapid review')}"
    on_time_rate = _rate(rr["on_time"], rr["submitted"])
    if on_time_rate is not None:
        summary += f", {percent(on_time_rate)} of those submitted on time"
    summary += f"; {_plural(f['lcsprs']['initiated'], 'LCSPR')} initiated."
    if panel["agreement_rate"] is not None:
        summary += f" The national panel agreed with the partnership in {percent(panel['agreement_rate'])} of its responses."
    content.add_para(summary, "body", "Statutory funnel")
    chart = funnel_chart(f, width)
    if chart is not None:
        from reportlab.platypus import Spacer

        content.add(chart, Spacer(1, 3 * MM))
    data = [[stage, str(number), note] for stage, number, note in funnel_rows(f)]
    content.add(content.table(["Stage", "Number", "Notes"], data, [w * MM for w in (80, 20, 78)],
                              where="Statutory funnel"))
    counted = characteristic_rows(f)
    if counted:
        content.heading("Characteristics (counted, never listed per child)", 2)
        content.add(content.table(["Counted", "Category", "Number"], [[a, b, str(c)] for a, b, c in counted],
                                  [w * MM for w in (80, 70, 28)], where="Characteristics"))


# -- sections other parts of scrdesk provide (issues 13 and 14) --------------------------------

def governance_rows(g: dict) -> list[tuple[str, str]]:
    rows = [("Meetings held", str(g.get("meetings_held", 0))),
            ("Meetings quorate", str(g.get("meetings_quorate", 0))),
            ("Health checks", ", ".join(date_text(d) for d in g.get("health_checks", [])) or "None"),
            ("Terms of reference reviewed", ", ".join(date_text(d) for d in g.get("terms_of_reference_reviewed", []))
             or "None"),
            ("Escalations", str(g.get("escalations", 0)))]
    rows += [(f"Attendance: {agency}", percent(rate)) for agency, rate in (g.get("attendance_by_agency") or {}).items()
             if rate is not None]
    return rows


def costs_rows(c: dict) -> list[tuple[str, str]]:
    def money(value) -> str:
        if value is None:
            return ""
        return f"£{value:,.2f}" if isinstance(value, int | float) else str(value)

    rows = [("Budget for the year", money(c.get("budget"))), ("Spent in the year", money(c.get("spent")))]
    if c.get("contributed") is not None:
        rows.append(("Partner contributions", money(c.get("contributed"))))
    if c.get("committed") is not None:
        rows.append(("Fees agreed in the year", money(c.get("committed"))))
    rows += [(f"Review {ref}", money(amount)) for ref, amount in (c.get("by_review") or {}).items()]
    for code, kind in (c.get("by_type") or {}).items():
        reviews = kind.get("reviews", 0)
        rows.append((f"Cost per review: {_type_label(code)}",
                     f"{money(kind.get('per_review'))} ({reviews} review{'s' if reviews != 1 else ''})"))
    return rows


def _type_label(code: str) -> str:
    """A review type's label from the first framework that knows it (costs span the frameworks)."""
    return next((p.label(code) for p in load_profiles().values() if code in p.labels), code)


def learning_rows(g: dict, theme_labels: dict | None = None) -> list[tuple[str, str]]:
    channels, recommendations = g.get("channels") or {}, g.get("recommendations") or {}
    rows = [("Reviews published", str(g.get("publications", 0))),
            ("Newsletter issues", str(channels.get("newsletter_issues", 0))),
            ("Briefings in newsletters", str(channels.get("briefings_in_newsletters", 0))),
            ("Briefings on the website", str(channels.get("briefings_on_website", 0))),
            ("Recommendations closed", str(recommendations.get("closed", 0))),
            ("Of those, closed with an impact statement", str(recommendations.get("closed_with_impact", 0))),
            ("Of those, closed on their actions alone", str(recommendations.get("closed_on_actions_only", 0)))]
    labels = theme_labels or {}
    rows += [(f"Theme: {labels.get(theme, theme)}", f"{n} review{'s' if n != 1 else ''}")
             for theme, n in (g.get("themes") or {}).items()]
    return rows


def _pairs(content: Content, rows: list[tuple[str, str]], where: str) -> None:
    content.add(content.table(["Measure", "Figure"], [list(r) for r in rows], [110 * MM, 68 * MM], where=where))


def _governance(content: Content, g: dict, _report: dict) -> None:
    _pairs(content, governance_rows(g), "The sub group's own business")


def _costs(content: Content, c: dict, _report: dict) -> None:
    _pairs(content, costs_rows(c), "The cost of reviews")


def _learning(content: Content, g: dict, report: dict) -> None:
    _pairs(content, learning_rows(g, report.get("theme_labels")), "Learning that landed")
