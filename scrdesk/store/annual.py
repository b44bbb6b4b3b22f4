"""The annual report's figures and tables for one reporting year, as a plain dict.

The same dict is written as JSON by the command line and printed as PDF/Excel by the documents
layer, so every table the report prints is here as a list of rows. Counting is done in SQL.

A referral counts in the year of its decision date (falling back to the meeting date, then the
date received). Rows carry only publishable fields: never a pseudonym or a restricted identifier.

The report speaks in the terms of the framework(s) the partnership worked under in the year
(`frameworks`, from `framework_for` and the partnership's own switch date): a year wholly under
Working Together 2015 has no rapid review funnel but reports its late decisions; a year spanning
the switch shows both. Timeliness keeps statutory targets and the partnership's own targets apart.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from scrdesk.domain import values
from scrdesk.domain.ages import Age, format_age
from scrdesk.domain.clocks import Clock, clocks_for, offset_of, target_rule
from scrdesk.domain.dates import format_date, reporting_period, reporting_year_label
from scrdesk.domain.profiles import Profile, framework_for, get_profile, load_profiles
from scrdesk.store import clocks, statutory
from scrdesk.store.db import Store
from scrdesk.store.governance_reports import costs_section, governance_section
from scrdesk.store.learning_annual import learning_section
from scrdesk.store.queries import effective_target_sql, open_actions_sql, review_target
from scrdesk.store.themes import theme_list

_COMPLETE_SQL = "(" + ", ".join(f"'{s}'" for s in sorted(values.COMPLETE_ACTION_STATUSES)) + ")"
# Also the key of the index the year's referrals are found by (idx_referrals_year,
# tests/test_annual_growth_indexes.py): the same words, or SQLite reads every referral.
_YEAR_DATE = "COALESCE(r.decision_date, r.meeting_date, r.received_date)"
# The open statuses and the target as it stands, written as the partial index of open actions by
# target is (schema 0015), so the plan's open actions are read through it.
_OPEN = open_actions_sql("")
_TARGET = effective_target_sql("")

LEARNING_EVENT_KINDS = ("practitioner_learning_event", "workshop")
DEBRIEF_KINDS = ("practitioner_debrief", "wider_debrief")
TRAINING_KINDS = ("training",)


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _age(row: dict) -> str:
    return format_age(Age.from_columns(row))


def _label_in(profile: Profile, code: str | None) -> str:
    """The year's own label for a code; another profile's where the year's lacks it."""
    if code is None:
        return ""
    if code in profile.labels:
        return profile.label(code)
    for other in load_profiles().values():
        if code in other.labels:
            return other.label(code)
    return code


def _profile(code: str | None, fallback: Profile) -> Profile:
    if not code:
        return fallback
    try:
        return get_profile(code)
    except Exception:  # an unknown framework code in old data: label with the year's profile
        return fallback


def frameworks_in_year(settings, start: date, end: date) -> list[dict]:
    """The frameworks the partnership worked under in [start, end], oldest first, each with the
    days it covered: one for most years, two for the year of the partnership's own switch."""
    def code_on(day: date) -> str:
        return framework_for({"decision_date": day}, settings)

    spans = []
    first, last = code_on(start), code_on(end)
    if first == last:
        spans.append((first, start, end))
    else:
        # The first day under the later framework (the switch date a setting decides).
        low, high = start, end
        while (high - low).days > 1:
            middle = low + (high - low) / 2
            low, high = (middle, high) if code_on(middle) == first else (low, middle)
        spans += [(first, start, low), (last, high, end)]
    return [{"code": code, "name": get_profile(code).name, "from": a.isoformat(), "to": b.isoformat()}
            for code, a, b in spans]


def _has_rapid_reviews(profile: Profile) -> bool:
    return profile.methodology(statutory.RAPID_METHODOLOGY) is not None


def annual_report(store: Store, year: int) -> dict:
    """Every figure and table of the annual report for the reporting year starting in `year`."""
    settings = store.settings()
    start_month = settings.year_start_month
    start_day = settings.year_start_day
    start, end = reporting_period(year, start_month, start_day)
    frameworks = frameworks_in_year(settings, start, end)
    profiles = [get_profile(f["code"]) for f in frameworks]
    # Labels in the year's latest terms; a record keeps its own framework's label in the lists.
    profile = profiles[-1]
    today = settings.today()
    period = {"start": start.isoformat(), "end": end.isoformat()}
    name = profile.name if len(frameworks) == 1 else ", then ".join(
        f["name"] + (f" from {format_date(_d(f['from']))}" if i else "") for i, f in enumerate(frameworks))
    report = {
        "year": year,
        "label": reporting_year_label(year, start_month, start_day),
        "period": period,
        "board_name": settings.board_name,
        "framework": {"code": profile.code, "name": name},
        "frameworks": frameworks,
        "produced_as_at": today.isoformat(),
        "referrals": _referrals(store, start, end, profile),
        "reviews": _reviews(store, start, end, profile),
        "actions": _actions(store, min(end, today)),
        "briefings": _briefings(store, start, end),
        "events": _events(store, start, end),
    }
    if any(p.rule("decision_after_notification") for p in profiles):
        report["late_decisions"] = _late_decisions(store, start, end)
    if any(_has_rapid_reviews(p) for p in profiles):
        report["funnel"] = funnel_with_labels(store, year, next(p for p in profiles if _has_rapid_reviews(p)))
    for key, section in _OTHER_SECTIONS:
        report[key] = section(store, year)
    if report["learning"].get("themes"):
        # The learning section counts by theme code; the documents print the theme's own words.
        report["theme_labels"] = {t["code"]: t["label"] for t in theme_list(store, include_retired=True)}
    return report


# Sections other parts of scrdesk provide for the year (issues 13 and 14): the sub group's own
# business, the cost of reviews, and learning that landed.
_OTHER_SECTIONS = (
    ("governance", governance_section),
    ("costs", costs_section),
    ("learning", learning_section),
)


def _late_decisions(store: Store, start: date, end: date) -> dict:
    """Working Together 2015's one-month decision clock for the decisions due in the year: how many
    were made on time, made late, or not made by the year's end (refs only, never a name)."""
    due = _clocks_due(store, "DECISION", start, end)
    late = [c for c in due if c.late]
    missing = [c for c in due if c.done is None]
    return {
        "due": len(due),
        "on_time": len(due) - len(late) - len(missing),
        "late": len(late),
        "not_made": len(missing),
        "late_refs": sorted({c.ref for c in late}),
        "not_made_refs": sorted({c.ref for c in missing}),
    }


def _reach_days(rule) -> int:
    """At most how many calendar days lie between a rule's start and its deadline."""
    size = abs(rule.offset)
    if rule.unit == "months":
        return 31 * size + 1
    if rule.unit == "working_days":
        return 2 * size + 14  # weekends, and the longest run of bank holidays (Christmas)
    return size


def _clocks_due(store: Store, clock: str, start: date, end: date) -> list[Clock]:
    """The referrals' `clock` clocks due in [start, end], measured at `end`: what
    `clocks.all_clocks(store, end)` gives for them, but reading only the referrals whose clock can
    start near the year (through the date indexes) rather than every referral on the file.

    A clock starts on its rule's trigger date, else its first fallback date, and falls due within
    `_reach_days` of it, so a referral none of whose start dates is that near cannot have one due
    in the year. Dates are stored as ISO text (the rules, the importer and `check` keep them so),
    so a range of text is a range of days."""
    rules = [rule for profile in load_profiles().values() for rule in profile.timescales
             if rule.clock == clock and rule.record == "referral"]
    if not rules:
        return []
    reach = timedelta(days=max(_reach_days(rule) for rule in rules))
    # "~" sorts after any time of day written after the date.
    bounds = {"lo": (start - reach).isoformat(), "hi": (end + reach).isoformat() + "~"}
    columns = sorted({column for rule in rules for column in (rule.trigger, *rule.fallback)})
    near = " OR ".join(f'"{column}" BETWEEN :lo AND :hi' for column in columns)
    settings = store.settings()
    due = []
    for referral in store.rows(f"SELECT * FROM referrals WHERE {near} ORDER BY ref", bounds):
        profile = clocks.profile_of(referral, settings)
        due += [c for c in clocks_for(referral, "referral", profile, settings, end)
                if c.clock == clock and start <= c.due <= end]
    return due


def funnel_with_labels(store: Store, year: int, profile: Profile) -> dict:
    """The notification → rapid review → LCSPR funnel (statutory.funnel), with each decision's label
    and whether anything happened at all (a report says "none in this year" rather than print zeros)."""
    funnel = statutory.funnel(store, year)
    funnel["decision_labels"] = {code: _label_in(profile, code) for code in funnel["decisions"]}
    counts = [funnel["considered"], funnel["notifications"]["total"], funnel["rapid_reviews"]["total"],
              *funnel["decisions"].values(), *funnel["lcsprs"].values(), funnel["panel"]["responses"]]
    funnel["any"] = any(counts)
    return funnel


# -- referrals ---------------------------------------------------------------------------------

def _referrals(store: Store, start: date, end: date, profile: Profile, jurisdiction: str | None = None) -> dict:
    """The year's referrals: the decisions made, counted by code (every code of the year's
    framework(s) shown, zeros too), with the sub group's recommendation beside the decision
    where the two differ. `jurisdiction` is kept for callers; the board's settings decide."""
    params = [start.isoformat(), end.isoformat()]
    where = f"WHERE {_YEAR_DATE} BETWEEN ? AND ?"
    # Zeros for every decision the year's framework(s) offer: the report prints "No further
    # action required 0". A year spanning the partnership's switch shows both lists.
    codes: dict[str, None] = {}
    for framework in frameworks_in_year(store.settings(), start, end):
        codes.update(dict.fromkeys(get_profile(framework["code"]).decision_codes))
    codes.update(dict.fromkeys(profile.decision_codes))
    by_outcome = dict.fromkeys(codes, 0)
    by_source = dict.fromkeys(values.REFERRAL_SOURCES, 0)
    undecided = 0
    rows = []
    # One pass over the year's referrals (a few hundred at most) gives the counts and the list.
    for row in store.rows(
        "SELECT r.ref, r.summary, r.location, r.gender, r.age_years, r.age_months, r.age_weeks, "
        "r.age_various, r.source, r.received_date, r.meeting_date, r.recommendation, r.decision, "
        f"r.decision_date, r.framework, r.status_note FROM referrals r {where} ORDER BY r.ref", params,
    ):
        if row["decision"] is None:
            undecided += 1
        else:
            by_outcome[row["decision"]] = by_outcome.get(row["decision"], 0) + 1
        by_source[row["source"]] = by_source.get(row["source"], 0) + 1
        own = _profile(row["framework"], profile)
        differs = bool(row["recommendation"] and row["decision"] and row["recommendation"] != row["decision"])
        rows.append({
            "ref": row["ref"],
            "summary": row["summary"] or "",
            "location": row["location"] or "",
            "gender": values.label(values.GENDERS, row["gender"]),
            "age": _age(row),
            "source": values.label(values.REFERRAL_SOURCES, row["source"]),
            "received_date": row["received_date"],
            "meeting_date": row["meeting_date"],
            "recommendation": row["recommendation"],
            "recommendation_label": _label_in(own, row["recommendation"]),
            "recommendation_differs": differs,
            "decision": row["decision"],
            "decision_label": _label_in(own, row["decision"]),
            "decision_date": row["decision_date"],
            "status": row["status_note"] or "",
        })
    return {
        # What the outcome table counts: the decisions made, not the sub group's recommendations.
        "counts": "decisions",
        "total": sum(by_outcome.values()) + undecided,
        "by_outcome": by_outcome,
        "undecided": undecided,
        "outcomes": [{"code": c, "label": _label_in(profile, c), "count": n} for c, n in by_outcome.items()],
        "recommendation_differs": [
            {"ref": r["ref"], "recommendation": r["recommendation_label"], "decision": r["decision_label"]}
            for r in rows if r["recommendation_differs"]],
        "by_source": by_source,
        "list": rows,
    }


# -- reviews -----------------------------------------------------------------------------------

def _review_status(review: dict, notes: list[str], end: date) -> str:
    """Where the review stood at the year's end (a later completion is not this year's news)."""
    if notes:
        return "; ".join(notes)
    for field, words in (("published_date", "Published"), ("completed_date", "Completed"),
                         ("initiated_date", "Underway since"), ("agreed_date", "Agreed")):
        if review.get(field) and review[field] <= end.isoformat():
            return f"{words} {format_date(_d(review[field]))}"
    return values.label(values.REVIEW_STATUSES, review["status"])


def _review_rows(store: Store, start: date, end: date, profile: Profile) -> list[dict]:
    s, e = start.isoformat(), end.isoformat()
    # Only reviews with something to report this year: begun by its end, and not finished before
    # it began unless it was published, de-briefed or briefed during it.
    reviews = store.rows(
        "SELECT * FROM reviews v WHERE COALESCE(v.agreed_date, v.initiated_date) <= :e AND ("
        " v.completed_date IS NULL OR v.completed_date >= :s OR v.published_date BETWEEN :s AND :e"
        # The year's de-briefs and briefings found once each, not looked up review by review.
        " OR v.id IN (SELECT le.review_id FROM learning_events le WHERE le.date BETWEEN :s AND :e)"
        " OR v.id IN (SELECT b.review_id FROM briefings b WHERE b.issued_date BETWEEN :s AND :e))"
        " ORDER BY v.agreed_date, v.id", {"s": s, "e": e})
    if not reviews:
        return []
    ids = [r["id"] for r in reviews]
    marks = ", ".join("?" for _ in ids)
    linked: dict[int, list[dict]] = defaultdict(list)
    for row in store.rows(
        "SELECT rr.review_id, r.ref, r.summary, r.location, r.gender, r.age_years, r.age_months, "
        "r.age_weeks, r.age_various, r.status_note FROM review_referrals rr "
        f"JOIN referrals r ON r.id = rr.referral_id WHERE rr.review_id IN ({marks}) ORDER BY r.ref", ids,
    ):
        linked[row["review_id"]].append(row)
    delays: dict[int, list[str]] = defaultdict(list)
    for row in store.rows(f"SELECT review_id, date, reason FROM review_delays WHERE review_id IN ({marks}) "
                          "ORDER BY date, id", ids):
        delays[row["review_id"]].append(f"{format_date(_d(row['date']))}: {row['reason']}")
    out = []
    settings = store.settings()
    for review in reviews:
        own = _profile(review["framework"], profile)
        refs = linked.get(review["id"], [])
        first = refs[0] if len(refs) == 1 else None
        genders = {r["gender"] for r in refs if r["gender"]}
        target, basis = review_target(review, own, settings=settings)
        rule = target_rule(own, review)
        out.append({
            "ref": ", ".join(r["ref"] for r in refs) or review["title"],
            "refs": [r["ref"] for r in refs],
            "title": review["title"],
            "review_type": review["review_type"],
            "type_label": _label_in(own, review["review_type"]),
            "methodology": review["methodology"],
            "methodology_label": own.methodology_label(review["methodology"]),
            "summary": (first["summary"] if first else review["title"]) or "",
            "location": first["location"] if first else ", ".join(sorted({r["location"] for r in refs if r["location"]})),
            "gender": values.label(values.GENDERS, first["gender"] if first else
                                   (genders.pop() if len(genders) == 1 else "male_and_female" if genders else None)),
            "age": _age(first) if first else ("Various" if refs else ""),
            "status": _review_status(review, [r["status_note"] for r in refs if r["status_note"]], end),
            "status_code": review["status"],
            "agreed_date": review["agreed_date"],
            "initiated_date": review["initiated_date"],
            "target_date": target.isoformat() if target else None,
            "target_basis": basis,
            # Statutory (Working Together) or the partnership's own target; None where no rule times it.
            "target_kind": None if rule is None or review["review_type"] == statutory.RAPID_REVIEW
            else "local" if rule.local else "statutory",
            "target_months": offset_of(rule, review, settings) if rule is not None and rule.unit == "months"
            else None,
            "completed_date": review["completed_date"],
            "published_date": review["published_date"],
            "delays": delays.get(review["id"], []),
        })
    return out


def _within(value: str | None, start: date, end: date) -> bool:
    return value is not None and start.isoformat() <= value <= end.isoformat()


def _measure(rows: list[dict], start: date, end: date) -> dict:
    timed = []
    for row in rows:
        if not _within(row["completed_date"], start, end) or not row["target_date"]:
            continue
        late_by = (_d(row["completed_date"]) - _d(row["target_date"])).days
        timed.append({
            "ref": row["ref"], "type_label": row["type_label"], "summary": row["summary"],
            "initiated_date": row["initiated_date"], "target_date": row["target_date"],
            "target_basis": row["target_basis"],
            "completed_date": row["completed_date"], "on_time": late_by <= 0,
            "days_late": max(late_by, 0), "delays": row["delays"],
        })
    on_time = sum(1 for t in timed if t["on_time"])
    months = {r["target_months"] for r in rows if r["target_months"]}
    return {
        "target_months": months.pop() if len(months) == 1 else None,
        "completed": sum(1 for r in rows if _within(r["completed_date"], start, end)),
        "measured": len(timed),
        "on_time": on_time,
        "late": len(timed) - on_time,
        "rows": timed,
    }


def _timeliness(rows: list[dict], start: date, end: date) -> dict:
    """Completed reviews against their targets, statutory and local kept apart: Working Together's
    timescales (an SCR's or LCSPR's six months) and the partnership's own targets for the reviews
    no statute times (case mapping, single agency, thematic, other local learning) are two lines,
    never one rate. The top-level figures are the statutory line (what a yearly report calls
    timeliness); "completed" counts every review completed in the year except rapid reviews."""
    counted = [r for r in rows if r["review_type"] != statutory.RAPID_REVIEW]
    statutory_line = _measure([r for r in counted if r["target_kind"] == "statutory"], start, end)
    local_line = _measure([r for r in counted if r["target_kind"] == "local"], start, end)
    return {
        **statutory_line,
        "completed": sum(1 for r in counted if _within(r["completed_date"], start, end)),
        "rapid_reviews_completed": sum(1 for r in rows if r["review_type"] == statutory.RAPID_REVIEW
                                       and _within(r["completed_date"], start, end)),
        "statutory": statutory_line,
        "local": local_line,
    }


def _reviews(store: Store, start: date, end: date, profile: Profile) -> dict:
    rows = _review_rows(store, start, end, profile)
    s = start.isoformat()
    agreed = [r for r in rows if _within(r["agreed_date"], start, end)]
    continuing = [r for r in rows if (r["agreed_date"] or r["initiated_date"] or s) < s]
    # Underway at the year end: started (initiated, else agreed) by then and not finished by then;
    # a review initiated after the year ended was not underway in it (issue 11, item 11).
    e = end.isoformat()
    underway = [r for r in rows if (r["initiated_date"] or r["agreed_date"] or "9999") <= e
                and (not r["completed_date"] or r["completed_date"] > e)]
    agreed_by_type: dict[str, int] = {}
    for r in agreed:
        agreed_by_type[r["review_type"]] = agreed_by_type.get(r["review_type"], 0) + 1
    return {
        "agreed": agreed,
        "agreed_by_type": agreed_by_type,
        "continuing": continuing,
        "underway": underway,
        "completed": [r for r in rows if _within(r["completed_date"], start, end)],
        "published": [r for r in rows if _within(r["published_date"], start, end)],
        "case_mapping": {
            "agreed": [r for r in agreed if r["review_type"] == "CASE_MAPPING"],
            "continuing": [r for r in continuing if r["review_type"] == "CASE_MAPPING"],
        },
        "timeliness": _timeliness(rows, start, end),
    }


# -- the composite action plan -------------------------------------------------------------------

def _actions(store: Store, as_at: date) -> dict:
    """The plan as it stood at `as_at` (the year's end, or today for the current year).

    An action's status on that day is read back from its update log: the status it changed
    *from* at its first recorded change after the day, or its present status if none came after.
    Actions agreed after the day are not in the plan; one with no agreed date always is.

    Read so that a file with decades of completed actions takes about as long as one with a few
    years: every action is counted once by agency from the agency index alone, and only the
    open actions, the actions agreed after the day and the actions whose status changed after
    it are read as rows, each through its own index. The open actions are counted as they stand
    now; the actions whose status changed after the day are then put back as they stood on it.
    """
    d = as_at.isoformat()
    totals: dict[int | None, list[int]] = defaultdict(lambda: [0, 0, 0])  # total, open, overdue

    def add(rows, sign: int = 1) -> None:
        for row in rows:
            found = totals[row["agency_id"]]
            found[0] += sign * row["total"]
            found[1] += sign * (row["open"] or 0)
            found[2] += sign * (row["overdue"] or 0)

    # Every status is an open or a complete one (the record rules refuse any other), so the
    # open actions are those with an open status, and the rest are complete.
    add(store.rows("SELECT agency_id, count(*) AS total, 0 AS open, 0 AS overdue FROM actions "
                   "GROUP BY agency_id"))
    # The open actions through the partial index of open actions by target, in three ranges of
    # the target (before the day, from it, none): asked for all open actions at once, SQLite
    # groups them by walking the agency index through every action instead.
    add(store.rows(
        "SELECT agency_id, 0 AS total, count(*) AS open, sum(past) AS overdue FROM ("
        f" SELECT agency_id, 1 AS past FROM actions WHERE {_OPEN} AND {_TARGET} < :d"
        f" UNION ALL SELECT agency_id, 0 FROM actions WHERE {_OPEN} AND {_TARGET} >= :d"
        f" UNION ALL SELECT agency_id, 0 FROM actions WHERE {_OPEN} AND {_TARGET} IS NULL"
        ") GROUP BY agency_id", {"d": d}))
    # Not yet agreed on the day: out of the plan. The index by agreed date holds what is summed
    # here ("+": grouping through the agency index would read every action to keep these).
    add(store.rows(f"SELECT agency_id, count(*) AS total, sum({_OPEN}) AS open, "
                   f"sum({_OPEN} AND {_TARGET} < :d) AS overdue FROM actions WHERE agreed_date > :d "
                   "GROUP BY +agency_id", {"d": d}), sign=-1)
    # In the plan on the day, with a status change after it: open or complete as it was then.
    # The first change after the day is the earliest by date, then by the order it was entered.
    changed_after = ("FROM action_updates u WHERE u.date > :d AND u.status_from IS NOT NULL "
                     "AND u.status_to IS NOT NULL")
    for row in store.rows(
        f"SELECT a.agency_id, {_OPEN} AS open_now, {_TARGET} < :d AS past, "
        f"(SELECT u.status_from {changed_after} AND u.action_id = a.id ORDER BY u.date, u.id LIMIT 1) "
        f"NOT IN {_COMPLETE_SQL} AS open_then "
        f"FROM actions a WHERE a.id IN (SELECT u.action_id {changed_after}) "
        "AND (a.agreed_date IS NULL OR a.agreed_date <= :d)", {"d": d},
    ):
        change = row["open_then"] - row["open_now"]
        if change:
            found = totals[row["agency_id"]]
            found[1] += change
            found[2] += change * (row["past"] or 0)
    names = {row["id"]: row for row in store.rows("SELECT id, name, short_name FROM agencies")}
    by_agency = []
    for agency_id, (total, still_open, overdue) in totals.items():
        if not total:
            continue
        agency = names.get(agency_id) or {"name": None, "short_name": None}
        by_agency.append({
            "agency": agency["name"] or "No agency set",
            "short_name": agency["short_name"] or agency["name"] or "",
            "total": total,
            "complete": total - still_open,
            "open": still_open,
            "overdue": overdue,
            "_order": (agency["name"] is None, agency["name"] or ""),
        })
    by_agency.sort(key=lambda r: r.pop("_order"))
    total = sum(r["total"] for r in by_agency)
    complete = sum(r["complete"] for r in by_agency)
    return {
        "as_at": d,
        "total": total,
        "complete": complete,
        "open": total - complete,
        "overdue": sum(r["overdue"] for r in by_agency),
        "by_agency": by_agency,
    }


# -- briefings and learning ----------------------------------------------------------------------

def _briefings(store: Store, start: date, end: date) -> dict:
    params = {"s": start.isoformat(), "e": end.isoformat()}
    issued = store.rows(
        "SELECT b.id, b.title, b.template, b.issued_date, b.review_id, "
        "(SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r "
        " ON r.id = rr.referral_id WHERE rr.review_id = b.review_id) AS ref, "
        "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id) AS sent, "
        "(SELECT count(*) FROM disseminations d WHERE d.briefing_id = b.id "
        " AND d.feedback_received_date IS NOT NULL) AS feedback "
        "FROM briefings b WHERE b.issued_date BETWEEN :s AND :e ORDER BY b.issued_date, b.id", params)
    # "+d.agency_id": grouping by the agency index would read every dissemination ever sent, in
    # agency order, to keep the year's; reading the year's and grouping them is ten times quicker.
    by_agency = store.rows(
        "SELECT ag.name AS agency, count(*) AS sent, "
        "sum(d.feedback_received_date IS NOT NULL) AS feedback_received, "
        "COALESCE(sum(d.staff_reached), 0) AS staff_reached "
        "FROM disseminations d JOIN agencies ag ON ag.id = +d.agency_id "
        "WHERE d.sent_date BETWEEN :s AND :e GROUP BY +d.agency_id ORDER BY ag.name", params)
    sent = sum(r["sent"] for r in by_agency)
    received = sum(r["feedback_received"] or 0 for r in by_agency)
    return {
        "issued": len(issued),
        "disseminations": sent,
        "feedback_received": received,
        "feedback_rate": round(received / sent, 3) if sent else 0.0,
        "staff_reached": sum(r["staff_reached"] for r in by_agency),
        "list": [{"ref": b["ref"] or "", "title": b["title"] or "", "template": b["template"],
                  "issued_date": b["issued_date"], "disseminations": b["sent"],
                  "feedback_received": b["feedback"]} for b in issued],
        "by_agency": [{"agency": r["agency"], "sent": r["sent"],
                       "feedback_received": r["feedback_received"] or 0,
                       "staff_reached": r["staff_reached"]} for r in by_agency],
    }


def _events(store: Store, start: date, end: date) -> dict:
    rows = store.rows(
        "SELECT le.date, le.kind, le.title, le.attendance, le.facilitator, le.feedback, "
        "(SELECT group_concat(r.ref, ', ') FROM review_referrals rr JOIN referrals r "
        " ON r.id = rr.referral_id WHERE rr.review_id = le.review_id) AS ref "
        "FROM learning_events le WHERE le.date BETWEEN ? AND ? ORDER BY le.date, le.id",
        [start.isoformat(), end.isoformat()])
    events = [{
        "date": r["date"], "kind": r["kind"], "kind_label": values.label(values.EVENT_KINDS, r["kind"]),
        "title": r["title"] or "", "ref": r["ref"] or "", "attendance": r["attendance"],
        "facilitator": r["facilitator"] or "", "feedback": r["feedback"] or "",
    } for r in rows]
    wider = [e["attendance"] for e in events if e["kind"] == "wider_debrief" and e["attendance"]]
    return {
        "learning_events": [e for e in events if e["kind"] in LEARNING_EVENT_KINDS],
        "debriefs": [e for e in events if e["kind"] in DEBRIEF_KINDS],
        "training": [e for e in events if e["kind"] in TRAINING_KINDS],
        "other": [e for e in events if e["kind"] not in (*LEARNING_EVENT_KINDS, *DEBRIEF_KINDS, *TRAINING_KINDS)],
        "total_attendance": sum(e["attendance"] or 0 for e in events),
        "wider_debrief_average_attendance": round(sum(wider) / len(wider)) if wider else None,
    }
