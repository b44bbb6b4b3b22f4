"""Read-side queries shared by the window, the documents and the CLI.

Everything here returns plain dicts (no Qt, no ReportLab) with the computed values a person needs
beside the stored ones: labels from the record's own framework profile, target dates, and RAG
with its reason. Filtering and paging happen in SQL so the 20,000-action plan stays instant.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from scrdesk.domain import clocks, values
from scrdesk.domain.dates import format_date
from scrdesk.domain.profiles import Profile, get_profile, load_profiles
from scrdesk.domain.rag import Rag, rag_for_action, rag_for_deadline, rag_for_review
from scrdesk.domain.settings import DEFAULTS
from scrdesk.domain.timescales import add_offset, add_working_days
from scrdesk.store.clocks import RecordSql, latest_start, open_clocks_due, sql_text

COMPLETE = tuple(sorted(values.COMPLETE_ACTION_STATUSES))
_COMPLETE_SQL = "(" + ", ".join(f"'{s}'" for s in COMPLETE) + ")"


def open_actions_sql(alias: str = "a") -> str:
    """SQL: the action is open. It is also the condition of the partial index of open actions by
    target (schema 0015), so the dashboard reads only the open actions, however many years of
    completed ones the file holds. The unary plus keeps SQLite from reading every action of a
    status through the (status, target) index instead: that index would still see the rows but
    not know which fall in the window."""
    column = f"{alias}.status" if alias else "status"
    return f"+{column} IN (" + ", ".join(f"'{s}'" for s in values.ACTION_STATUSES if s not in COMPLETE) + ")"


def effective_target_sql(alias: str = "a") -> str:
    """SQL: the action's target as it stands (revised, else first); the open-actions index's key."""
    prefix = f"{alias}." if alias else ""
    return f"coalesce({prefix}revised_target_date, {prefix}target_date)"


_OPEN_ACTIONS = open_actions_sql()
_EFFECTIVE_TARGET = effective_target_sql()


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def profile_for(store, framework: str | None) -> Profile:
    """The record's own framework profile; records without one use the current default."""
    try:
        return get_profile(framework or store.settings().default_framework)
    except Exception:  # a damaged setting: the shipped default, from the one place defaults live
        return get_profile(DEFAULTS.default_framework)


def today_for(store) -> date:
    return store.settings().today()


# -- reviews ---------------------------------------------------------------------------------

def review_target(review: dict, profile: Profile, notification: date | None = None,
                  settings=None) -> tuple[date | None, str]:
    """The review's target completion date and how it was worked out (domain/clocks.py): the
    profile's rule for its type, or the partnership's own target for a non-statutory type."""
    return clocks.review_target(review, profile, settings or DEFAULTS, notification)


def _linked_refs(store) -> dict[int, list[dict]]:
    linked: dict[int, list[dict]] = defaultdict(list)
    for row in store.rows(
        "SELECT rr.review_id, r.id, r.ref, r.summary, r.location, r.gender, r.age_years, r.age_months, "
        "r.age_weeks, r.age_various, r.sin_submitted_date, r.received_date, r.decision_date "
        "FROM review_referrals rr JOIN referrals r ON r.id = rr.referral_id ORDER BY r.ref"
    ):
        linked[row["review_id"]].append(row)
    return linked


def _action_counts(store, today: date) -> dict[int, tuple[int, int]]:
    counts = {}
    for row in store.rows(
        "SELECT review_id, "
        f"sum(status NOT IN {_COMPLETE_SQL}) AS open, "
        f"sum(status NOT IN {_COMPLETE_SQL} AND coalesce(revised_target_date, target_date) < ?) AS overdue "
        "FROM actions GROUP BY review_id", [today.isoformat()]
    ):
        counts[row["review_id"]] = (row["open"] or 0, row["overdue"] or 0)
    return counts


def _milestones(store) -> dict[int, list[dict]]:
    by_review: dict[int, list[dict]] = defaultdict(list)
    for row in store.rows("SELECT * FROM milestones ORDER BY review_id, coalesce(actual_date, planned_date), id"):
        by_review[row["review_id"]].append(row)
    return by_review


def milestone_wording(profile: Profile, methodology: str | None) -> dict[str, str]:
    """The methodology's own names for milestone kinds ("IMRs requested" in a traditional SCR)."""
    if not methodology:
        return {}
    try:
        return dict(profile.methodology_milestones(methodology))
    except Exception:  # a methodology the profile does not know: fall back to generic labels
        return {}


def _kind_label(wording: dict[str, str], kind: str) -> str:
    return wording.get(kind) or values.label(values.MILESTONE_KINDS, kind)


def publication_text(review: dict) -> str:
    if review.get("published_date"):
        text = f"Published {format_date(_d(review['published_date']))}"
        if review.get("removal_date"):
            text += f"; removal {format_date(_d(review['removal_date']))}"
        return text
    decision = review.get("publication_decision")
    if decision:
        return values.label(values.PUBLICATION_DECISIONS, decision)
    return "Not yet decided"


def review_rows(store, today: date | None = None, *, live_only: bool = False,
                review_id: int | None = None) -> list[dict]:
    """Every review (or the live ones) with labels, stage, next milestone, target and RAG."""
    today = today or today_for(store)
    where, params = [], []
    if live_only:
        where.append("status IN ('agreed', 'underway')")
    if review_id is not None:
        where.append("id = ?")
        params.append(review_id)
    sql = "SELECT * FROM reviews" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY title"
    reviews = store.rows(sql, params)
    linked = _linked_refs(store)
    milestones = _milestones(store)
    counts = _action_counts(store, today)
    amber = store.settings().review_amber_working_days
    out = []
    for review in reviews:
        profile = profile_for(store, review.get("framework"))
        refs = linked.get(review["id"], [])
        notification = next((_d(r["sin_submitted_date"]) for r in refs if r["sin_submitted_date"]), None)
        target, target_basis = review_target(review, profile, notification, store.settings())
        rag = rag_for_review(target, _d(review.get("completed_date")), today, amber_working_days=amber)
        done = [m for m in milestones.get(review["id"], []) if m["actual_date"]]
        pending = sorted((m for m in milestones.get(review["id"], []) if not m["actual_date"]),
                         key=lambda m: m["planned_date"] or "9999")
        wording = milestone_wording(profile, review.get("methodology"))
        current = max(done, key=lambda m: m["actual_date"]) if done else None
        following = pending[0] if pending else None
        open_actions, overdue_actions = counts.get(review["id"], (0, 0))
        out.append({
            **review,
            "refs": ", ".join(r["ref"] for r in refs) or review["title"],
            "referrals": refs,
            "type_label": profile.label(review["review_type"]),
            "methodology_label": profile.methodology_label(review["methodology"]) if review.get("methodology") else "",
            "status_label": values.label(values.REVIEW_STATUSES, review["status"]),
            "framework_name": profile.name,
            "target_date": target.isoformat() if target else None,
            "target_basis": target_basis,
            "rag": rag,
            "current_stage": _kind_label(wording, current["kind"]) if current else "Not started",
            "current_stage_date": current["actual_date"] if current else None,
            "next_milestone": _kind_label(wording, following["kind"]) if following else "",
            "next_milestone_date": following["planned_date"] if following else None,
            "publication": publication_text(review),
            "open_actions": open_actions,
            "overdue_actions": overdue_actions,
        })
    return out


# -- actions ---------------------------------------------------------------------------------

ACTION_SELECT = (
    "SELECT a.*, coalesce(a.revised_target_date, a.target_date) AS effective_target, "
    "rv.title AS review_title, rv.review_type, rv.framework, "
    "rc.number AS recommendation_number, rc.text AS recommendation_text, "
    "ag.name AS agency_name, coalesce(ag.short_name, ag.name) AS agency_short "
    "FROM actions a LEFT JOIN reviews rv ON rv.id = a.review_id "
    "LEFT JOIN recommendations rc ON rc.id = a.recommendation_id "
    "LEFT JOIN agencies ag ON ag.id = a.agency_id"
)

ACTION_ORDERS = {
    "plan": "rv.title, rc.number IS NULL, rc.number, a.id",
    "agency": "agency_name IS NULL, agency_name, effective_target IS NULL, effective_target, a.id",
    "target": "effective_target IS NULL, effective_target, a.id",
}


def action_where(today: date, *, agency_id: int | None = None, review_id: int | None = None,
                 status: str | None = None, overdue: bool = False, due_within_days: int | None = None,
                 open_only: bool = False, text: str | None = None) -> tuple[str, list]:
    """The WHERE clause (and parameters) for the action-plan filters."""
    clauses, params = [], []
    if agency_id is not None:
        clauses.append("a.agency_id = ?")
        params.append(agency_id)
    if review_id is not None:
        clauses.append("a.review_id = ?")
        params.append(review_id)
    if status:
        clauses.append("a.status = ?")
        params.append(status)
    if overdue or due_within_days is not None or open_only:
        clauses.append(f"a.status NOT IN {_COMPLETE_SQL}")
    if overdue:
        clauses.append("coalesce(a.revised_target_date, a.target_date) < ?")
        params.append(today.isoformat())
    if due_within_days is not None:
        clauses.append("coalesce(a.revised_target_date, a.target_date) BETWEEN ? AND ?")
        params += [today.isoformat(), (today + timedelta(days=due_within_days)).isoformat()]
    text = (text or "").strip()
    if text:
        like = f"%{text}%"
        like_sql = ("(a.text LIKE ? OR a.lead_officer LIKE ? OR ag.name LIKE ? OR ag.short_name LIKE ? "
                    "OR rv.title LIKE ? OR rc.text LIKE ?)")
        if len(text) >= 3:
            # The trigram index (schema 0003) finds any run of three or more characters, any
            # case; actions changed but not yet indexed (normally none) are matched with LIKE.
            clauses.append("((a.id IN (SELECT rowid FROM _action_search WHERE _action_search MATCH ?) "
                           "AND a.id NOT IN (SELECT action_id FROM _action_search_dirty)) "
                           f"OR (a.id IN (SELECT action_id FROM _action_search_dirty) AND {like_sql}))")
            params += ['"' + text.replace('"', '""') + '"', *[like] * 6]
        else:
            clauses.append(like_sql)
            params += [like] * 6
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def with_action_rag(row: dict, today: date, amber_working_days: int = 10) -> dict:
    row["rag"] = rag_for_action(row["status"], _d(row["target_date"]), _d(row["revised_target_date"]),
                                _d(row["signoff_date"]), today, amber_working_days=amber_working_days)
    row["status_label"] = values.label(values.ACTION_STATUSES, row["status"])
    return row


def action_rows(store, today: date | None = None, *, order: str = "plan", order_sql: str | None = None,
                offset: int = 0, limit: int | None = None, **filters) -> list[dict]:
    """Actions with review, recommendation, agency, effective target and RAG; filtered in SQL."""
    today = today or today_for(store)
    where, params = action_where(today, **filters)
    sql = f"{ACTION_SELECT}{where} ORDER BY {order_sql or ACTION_ORDERS[order]}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    amber = store.settings().action_amber_working_days
    return [with_action_rag(row, today, amber) for row in store.rows(sql, params)]


def overdue_by_agency(store, today: date | None = None) -> list[dict]:
    """[{agency_id, agency, actions: [...]}] for agencies with overdue actions, most overdue first."""
    groups: dict[int | None, dict] = {}
    for row in action_rows(store, today, overdue=True, order="agency"):
        group = groups.setdefault(row["agency_id"], {
            "agency_id": row["agency_id"], "agency": row["agency_name"] or "No agency set", "actions": []})
        group["actions"].append(row)
    return sorted(groups.values(), key=lambda g: (-len(g["actions"]), g["agency"]))


# -- statutory clocks and the dashboard ------------------------------------------------------

def referral_clocks(store, today: date | None = None) -> list[dict]:
    """Open statutory deadlines on referrals (notification, rapid review, decision, telling the
    national panel): each {kind, id, ref, what, rule, due, rag}."""
    return [{"kind": "referral", "id": c.record_id, "ref": c.ref, "what": c.label, "rule": c.label,
             "clock": c.clock, "due": c.due.isoformat(), "rag": c.rag}
            for c in open_clocks_due(store, today)[1] if c.record == "referral"]


#: Its first two terms are the condition of the partial index of disseminations waiting for
#: feedback (schema 0015): years of answered ones are never read.
_WAITING = ("d.sent_date IS NOT NULL AND d.feedback_received_date IS NULL "
            "AND d.feedback_due_date IS NOT NULL AND d.feedback_due_date <= ?")
_WAITING_FROM = (
    "FROM disseminations d JOIN briefings b ON b.id = d.briefing_id JOIN reviews rv ON rv.id = b.review_id "
    f"JOIN agencies ag ON ag.id = d.agency_id WHERE {_WAITING}")


def dissemination_waiting(store, today: date | None = None, within_days: int = 14) -> list[dict]:
    today = today or today_for(store)
    horizon = (today + timedelta(days=within_days)).isoformat()
    rows = store.rows(
        "SELECT d.*, ag.name AS agency_name, b.title AS briefing_title, b.review_id, rv.title AS review_title "
        f"{_WAITING_FROM} ORDER BY d.feedback_due_date", [horizon])
    for row in rows:
        row["rag"] = rag_for_deadline(_d(row["feedback_due_date"]), None, today, what="feedback")
    return rows


#: Lines per dashboard section: a screenful; the rest are one click away in their own tab.
DASHBOARD_LINES = 25


def _more_line(hidden: int, tab: str, where: str) -> dict:
    """The last line of a cut-short section: how many more, and which tab lists them all."""
    return {"kind": "tab", "id": None, "tab": tab, "rag": None, "more": hidden,
            "title": f"and {hidden} more — open {where}", "detail": f"Open {where} to see them all"}


def _cut(lines: list[dict], limit: int, tab: str, where: str) -> list[dict]:
    return lines if len(lines) <= limit else [*lines[:limit], _more_line(len(lines) - limit, tab, where)]


def _overdue_groups(store, today: date, amber: int) -> list[dict]:
    """One line per agency with overdue actions, counted in SQL, most overdue actions first;
    its colour and reason are those of its longest-overdue action."""
    # Counted from the open-actions index alone (it holds the target and the agency; "+" keeps
    # SQLite from grouping through the agency index, which would read every action ever agreed);
    # then each group's longest-overdue action (the first added, of equals) is read by its target.
    rows = store.rows(
        "WITH g AS (SELECT a.agency_id, count(*) AS overdue, "
        f"min({_EFFECTIVE_TARGET}) AS worst_target FROM actions a WHERE {_OPEN_ACTIONS} "
        f"AND {_EFFECTIVE_TARGET} < ? GROUP BY +a.agency_id) "
        "SELECT g.agency_id, ag.name AS agency_name, g.overdue, g.worst_target, "
        "w.status, w.target_date, w.revised_target_date, w.signoff_date "
        "FROM g LEFT JOIN agencies ag ON ag.id = g.agency_id "
        f"JOIN actions w ON w.id = (SELECT a.id FROM actions a WHERE {_OPEN_ACTIONS} "
        f"AND {_EFFECTIVE_TARGET} = g.worst_target AND a.agency_id IS g.agency_id ORDER BY a.id LIMIT 1) "
        "ORDER BY g.overdue DESC, ag.name IS NULL, ag.name", [today.isoformat()])
    return [{"kind": "agency", "id": row["agency_id"], "title": row["agency_name"] or "No agency set",
             "detail": f"{row['overdue']} overdue action{'s' if row['overdue'] != 1 else ''}",
             "count": row["overdue"], "rag": with_action_rag(row, today, amber)["rag"]}
            for row in rows]


def dashboard_overdue_actions(store, agency_id: int | None, today: date | None = None,
                              limit: int = DASHBOARD_LINES) -> list[dict]:
    """The overdue actions of one agency's dashboard group (read when the group is opened),
    longest overdue first: at most `limit`, then a line to that agency's list in the action plan."""
    today = today or today_for(store)
    amber = store.settings().action_amber_working_days
    where, params = action_where(today, overdue=True)
    where += " AND a.agency_id IS ?"
    params.append(agency_id)
    total = store.scalar(f"SELECT count(*) FROM actions a LEFT JOIN agencies ag ON ag.id = a.agency_id "
                         f"LEFT JOIN reviews rv ON rv.id = a.review_id "
                         f"LEFT JOIN recommendations rc ON rc.id = a.recommendation_id{where}", params)
    rows = store.rows(f"{ACTION_SELECT}{where} ORDER BY {ACTION_ORDERS['target']} LIMIT ?", [*params, limit])
    lines = [{"kind": "action", "id": row["id"],
              "title": f"{row['review_title'] or 'Sub group plan'} – {row['lead_officer'] or 'no lead officer'}",
              "detail": row["text"], "rag": with_action_rag(row, today, amber)["rag"]} for row in rows]
    if total > limit:
        more = _more_line(total - limit, "ActionPlanTab", "this agency's overdue actions in the action plan")
        lines.append({**more, "kind": "agency", "id": agency_id})
    return lines


def _due_soon(store, today: date, soon: int, limit: int) -> list[dict]:
    """Open actions due from today to `soon` days on, soonest first: counted, and `limit` read."""
    where = f" WHERE {_OPEN_ACTIONS} AND {_EFFECTIVE_TARGET} BETWEEN ? AND ?"
    params = [today.isoformat(), (today + timedelta(days=soon)).isoformat()]
    total = store.scalar(f"SELECT count(*) FROM actions a{where}", params)
    amber = store.settings().action_amber_working_days
    rows = store.rows(f"{ACTION_SELECT}{where} ORDER BY {ACTION_ORDERS['target']} LIMIT ?", [*params, limit])
    lines = [{"kind": "action", "id": a["id"],
              "title": f"{a['review_title'] or 'Sub group plan'} – {a['agency_short'] or 'no agency'}",
              "detail": a["text"], "rag": with_action_rag(a, today, amber)["rag"]}
             for a in rows]
    if total > limit:
        lines.append(_more_line(total - limit, "ActionPlanTab", "the action plan"))
    return lines


_LIVE = "r.status IN ('agreed', 'underway')"


def _review_target_due_sql(store, settings, until: date) -> str:
    """SQL: the review's target completion (`review_target`, in the profile `profile_for` gives
    it) falls on or before `until`. Each profile's rules become spans of review types with the
    last start date whose target still falls by then."""
    record = RecordSql(store, "review")
    known = list(load_profiles())
    unnamed = settings.default_framework if settings.default_framework in known else DEFAULTS.default_framework
    stored = record.col("framework")
    framework = (f"(CASE WHEN {stored} IN ({', '.join(map(sql_text, known))}) THEN {stored} "
                 f"WHEN coalesce({stored}, '') = '' THEN {sql_text(unnamed)} "
                 f"ELSE {sql_text(DEFAULTS.default_framework)} END)")
    review_type = record.col("review_type")
    by_profile = []
    for code, profile in load_profiles().items():
        spans = []
        rapid = profile.rule("rapid_review_after_notification")
        if rapid is not None:
            # The first linked referral (by ref) with a notification date, else the agreed date.
            notified = ("(SELECT x.sin_submitted_date FROM review_referrals rr JOIN referrals x "
                        "ON x.id = rr.referral_id WHERE rr.review_id = r.id "
                        "AND coalesce(x.sin_submitted_date, '') <> '' ORDER BY x.ref LIMIT 1)")
            start = f"coalesce({notified}, {record.day('agreed_date')})"
            spans.append(f"({review_type} = 'RAPID_REVIEW' AND {start} <= "
                         f"{sql_text(latest_start(until, rapid.offset, rapid.unit).isoformat())})")
        by_rule: dict[tuple, list[str]] = defaultdict(list)
        for review_kind in sorted({t for rule in profile.timescales for t in rule.applies_to} - {"RAPID_REVIEW"}):
            rule = clocks.target_rule(profile, {"review_type": review_kind})
            if rule is not None:
                by_rule[(rule, clocks.offset_of(rule, {"review_type": review_kind}, settings))].append(review_kind)
        for (rule, offset), kinds in by_rule.items():
            start = record.first((rule.trigger, *rule.fallback))
            if start != "NULL":
                spans.append(f"({review_type} IN ({', '.join(map(sql_text, kinds))}) AND {start} <= "
                             f"{sql_text(latest_start(until, offset, rule.unit).isoformat())})")
        if spans:
            by_profile.append(f"({framework} = {sql_text(code)} AND ({' OR '.join(spans)}))")
    by_rules = " OR ".join(by_profile) or "0"
    return (f"(CASE WHEN {record.has('target_date_override')} "
            f"THEN {record.day('target_date_override')} <= {sql_text(until.isoformat())} ELSE ({by_rules}) END)")


def _reviews_to_watch(store, today: date, limit: int) -> tuple[int, list[dict]]:
    """Live reviews past or near their target, by title: (how many, the first `limit` lines).

    Red or amber means a target on or before the last day still within the amber working days,
    so SQL counts them and reads only the lines shown; each is then worked out in full."""
    settings = store.settings()
    amber = settings.review_amber_working_days
    # The day before the (amber + 1)th working day: the last target that is amber today.
    until = add_working_days(today, amber + 1) - timedelta(days=1)
    where = (f" WHERE {_LIVE} AND NOT {RecordSql(store, 'review').has('completed_date')} "
             f"AND {_review_target_due_sql(store, settings, until)}")
    total = store.scalar(f"SELECT count(*) FROM reviews r{where}")
    reviews = store.rows(f"SELECT r.* FROM reviews r{where} ORDER BY r.title LIMIT ?", [limit])
    refs: dict[int, list[dict]] = defaultdict(list)
    ids = ", ".join(str(int(review["id"])) for review in reviews) or "NULL"
    for row in store.rows(
            "SELECT rr.review_id, r.ref, r.sin_submitted_date FROM review_referrals rr "
            f"JOIN referrals r ON r.id = rr.referral_id WHERE rr.review_id IN ({ids}) ORDER BY r.ref"):
        refs[row["review_id"]].append(row)
    lines = []
    for review in reviews:
        profile = profile_for(store, review.get("framework"))
        linked = refs.get(review["id"], [])
        notification = next((_d(r["sin_submitted_date"]) for r in linked if r["sin_submitted_date"]), None)
        target, basis = review_target(review, profile, notification, settings)
        rag = rag_for_review(target, _d(review.get("completed_date")), today, amber_working_days=amber)
        if basis.startswith(clocks.LOCAL_LABEL):  # never read as a Working Together timescale
            rag = Rag(rag.colour, f"{rag.reason} ({basis.split(' (')[0].lower()})")
        if rag.colour in ("red", "amber"):
            shown = ", ".join(r["ref"] for r in linked) or review["title"]
            lines.append({"kind": "review", "id": review["id"],
                          "title": f"{shown} – {profile.label(review['review_type'])}",
                          "detail": str(rag), "rag": rag})
    return total, lines


def _with_more(lines: list[dict], total: int, tab: str, where: str) -> list[dict]:
    """`lines` (the first of `total`), ended by "and N more" when some were not read."""
    return lines if total <= len(lines) else [*lines, _more_line(total - len(lines), tab, where)]


def _agency_returns_overdue(store, today: date) -> list[dict]:
    """The rapid review workspace's lines for agency returns overdue: only the live rapid reviews
    with a return past its due date and not received are read, each as its workspace shows it."""
    lines = []
    for review in store.rows(
            "SELECT DISTINCT r.id, r.title FROM agency_returns ar JOIN reviews r ON r.id = ar.review_id "
            f"WHERE r.review_type = 'RAPID_REVIEW' AND {_LIVE} AND coalesce(ar.received_date, '') = '' "
            "AND coalesce(ar.due_date, '') <> '' AND ar.due_date < ? ORDER BY r.title", [today.isoformat()]):
        # statutory.py builds on this module, hence the import here (and only when needed).
        from scrdesk.store.statutory import rapid_review_plan

        plan = rapid_review_plan(store, review["id"], today)
        late = [r["agency_name"] for r in plan["returns"] if r["late"] and not r["received_date"]]
        if late:
            first = plan["returns"][0]
            lines.append({"kind": "review", "id": review["id"],
                          "title": f"{review['title']} – Agency returns overdue: {', '.join(late)}",
                          "detail": str(first["rag"]), "rag": first["rag"], "clock": "AGENCY_RETURNS",
                          "due": first["due_date"]})
    return lines


def _deadlines(store, today: date, limit: int) -> list[dict]:
    """Open statutory clocks due within 20 working days (or overdue), soonest first: only the
    records with such a clock are read (store/clocks.open_clocks_due)."""
    horizon = add_offset(today, 20, "working_days")
    # An SCR's, a Welsh review's or a local completion target is the reviews section's line.
    _, due = open_clocks_due(store, today, horizon, skip=("REVIEW_TARGET",))
    lines = [{"kind": c.record, "id": c.record_id, "title": f"{c.title or c.ref} – {c.label}", "detail": str(c.rag),
              "rag": c.rag, "clock": c.clock, "due": c.due.isoformat()} for c in due]
    lines += [line for line in _agency_returns_overdue(store, today)
              if line["due"] and _d(line["due"]) <= horizon]
    lines.sort(key=lambda line: line["due"] or "9999")
    return _cut(lines, limit, "ReferralsTab", "the referrals tab")


def dashboard(store, today: date | None = None, limit: int = DASHBOARD_LINES) -> dict[str, list[dict]]:
    """What needs doing now, each line able to open its record: kind, id, title, detail, rag.

    At most `limit` lines a section; a longer section ends with a line of kind "tab" saying how
    many more there are (`more`) and which tab (`tab`) lists them all. Overdue actions come as
    one line per agency with its `count` (on "and N more", the actions of the agencies not shown);
    `dashboard_overdue_actions` reads a group's actions.

    Everything the dashboard shows, decided in SQL: each section counts what it has and reads only
    the lines it shows, so it takes about as long on twenty years of records as on one.
    """
    today = today or today_for(store)
    soon = store.settings().due_soon_days
    amber = store.settings().action_amber_working_days
    items: dict[str, list[dict]] = {}
    groups = _overdue_groups(store, today, amber)
    items["overdue_by_agency"] = _cut(groups, limit, "ActionPlanTab", "the action plan")
    if len(groups) > limit:  # the "and N more" line counts the actions of the agencies it stands for
        items["overdue_by_agency"][-1]["count"] = sum(g["count"] for g in groups[limit:])
    items["due_soon"] = _due_soon(store, today, soon, limit)
    total, lines = _reviews_to_watch(store, today, limit)
    items["reviews"] = _with_more(lines, total, "ReviewsTab", "the reviews tab")
    items["deadlines"] = _deadlines(store, today, limit)
    items["feedback"] = _feedback_due(store, today, soon, limit)
    # The sub group's own business (issue 13), from its reads alone (not its writes' imports).
    from scrdesk.store.sub_group_due import dashboard_lines

    items["sub_group"] = dashboard_lines(store, today, soon)
    return items


def _feedback_due(store, today: date, soon: int, limit: int) -> list[dict]:
    """The first `limit` of `dissemination_waiting`, read as such: years of unanswered
    disseminations are counted, not loaded (on the disseminations alone: every one has its
    briefing, review and agency, which the schema requires)."""
    horizon = [(today + timedelta(days=soon)).isoformat()]
    total = store.scalar(f"SELECT count(*) FROM disseminations d WHERE {_WAITING}", horizon)
    lines = []
    for row in store.rows("SELECT d.briefing_id, d.feedback_due_date, ag.name AS agency_name, "
                          f"rv.title AS review_title {_WAITING_FROM} ORDER BY d.feedback_due_date LIMIT ?",
                          [*horizon, limit]):
        rag = rag_for_deadline(_d(row["feedback_due_date"]), None, today, what="feedback")
        lines.append({"kind": "briefing", "id": row["briefing_id"],
                      "title": f"{row['review_title']} – {row['agency_name']}", "detail": str(rag), "rag": rag})
    if total > limit:
        lines.append(_more_line(total - limit, "BriefingsTab", "the briefings tab"))
    return lines


def rag_sort_key(rag: Rag) -> int:
    return {"red": 0, "amber": 1, "green": 2, "blue": 3, "grey": 4}.get(rag.colour, 5)
