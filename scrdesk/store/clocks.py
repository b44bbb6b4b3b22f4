"""Every statutory and local clock on the file: the dashboard's deadlines and `export clocks`.

Reads the referrals and reviews, gives each its framework (its stored one, else the one its dates
and the board's settings decide) and lets domain/clocks.py run the profile's rules on it.

The open clocks are found in SQL: each profile rule becomes a condition on its table (the record's
framework, its review type and condition, a start date and no date that stops it, and for a
deadline horizon a latest start date), so twenty years of records whose clocks all stopped are
never read. The rows that pass are then run through the same domain rules, which decide each
clock exactly; the SQL only decides which rows are worth asking.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache

from scrdesk.domain.clocks import Clock, clock_for, clocks_for
from scrdesk.domain.errors import ScrdeskError
from scrdesk.domain.profiles import (
    _DECIDING_DATES,
    Profile,
    deciding_date,
    framework_for,
    get_profile,
    load_profiles,
)
from scrdesk.domain.timescales import Rule, add_offset

# A rapid review recorded as its own review (the workspace) counts as submitted on the date it
# went to the Panel; the referral's own "RR submitted" column (from a tracker) counts too.
_RAPID_REVIEW_SENT = (
    "(SELECT min(rv.sent_to_panel_date) FROM review_referrals rr JOIN reviews rv "
    "ON rv.id = rr.review_id WHERE rr.referral_id = r.id AND rv.review_type = 'RAPID_REVIEW')"
)
_REFERRALS = f"SELECT r.*, {_RAPID_REVIEW_SENT} AS rapid_review_sent_date FROM referrals r"
#: The table each kind of record lives in, and its columns worked out in SQL.
_TABLES = {"referral": "referrals", "review": "reviews"}
_VIRTUAL = {"referral": {"rapid_review_sent_date": _RAPID_REVIEW_SENT}, "review": {}}
#: The order `all_clocks` reads them in, so clocks due the same day keep one order.
_ORDER = {"referral": "r.ref", "review": "r.title"}


def profile_of(record: dict, settings) -> Profile:
    """The framework the record's dates and the board's settings decide (framework_for), so a
    change of the partnership's switch date reaches every clock; the stored code only for a record
    with no date at all."""
    if record.get("framework") and deciding_date(record) is None:
        try:
            return get_profile(record["framework"])
        except ScrdeskError:
            pass  # an unknown stored code: fall back to the board's default
    return get_profile(framework_for(record, settings))


def _review_refs(store, review_ids=None) -> dict[int, str]:
    refs: dict[int, list[str]] = defaultdict(list)
    only = ""
    if review_ids is not None:
        only = f" WHERE rr.review_id IN ({', '.join(str(int(i)) for i in review_ids) or 'NULL'})"
    for row in store.rows("SELECT rr.review_id, r.ref FROM review_referrals rr "
                          f"JOIN referrals r ON r.id = rr.referral_id{only} ORDER BY r.ref"):
        refs[row["review_id"]].append(row["ref"])
    return {k: ", ".join(v) for k, v in refs.items()}


def _sorted(found: list[Clock]) -> list[Clock]:
    return sorted(found, key=lambda c: (c.due, c.ref, c.clock))


def all_clocks(store, today: date | None = None, *, open_only: bool = False) -> list[Clock]:
    """Every clock on the file (each referral's and each review's), soonest due first."""
    if open_only:
        return open_clocks_due(store, today)[1]
    settings = store.settings()
    today = today or settings.today()
    found: list[Clock] = []
    for referral in store.rows(_REFERRALS + " ORDER BY r.ref"):
        found += clocks_for(referral, "referral", profile_of(referral, settings), settings, today)
    refs = _review_refs(store)
    for review in store.rows("SELECT * FROM reviews ORDER BY title"):
        if review["review_type"] == "RAPID_REVIEW":
            continue  # its clock is the referral's RAPID_REVIEW clock
        ref = refs.get(review["id"]) or review["title"]
        found += clocks_for(review, "review", profile_of(review, settings), settings, today, ref=ref)
    return _sorted(found)


# -- open clocks, decided in SQL -------------------------------------------------------------

def sql_text(value: str) -> str:
    """A string as an SQL literal (codes from the profiles; never typed text)."""
    return "'" + str(value).replace("'", "''") + "'"


class RecordSql:
    """A table's columns as the domain's clock rules read a record: a column the table lacks is
    blank (as `record.get` gives None), a blank or spaces-only date is no date."""

    def __init__(self, store, kind: str, alias: str = "r", *, columns: set[str] | None = None):
        self.kind = kind
        self.alias = alias
        if columns is None:
            columns = {row["name"] for row in store.rows(f'PRAGMA table_info("{_TABLES[kind]}")')}
        self.columns = columns
        self.virtual = _VIRTUAL[kind]

    def col(self, name: str) -> str:
        if name in self.columns:
            return f"{self.alias}.{name}" if self.alias else name
        return self.virtual.get(name, "NULL")

    def day(self, name: str) -> str:
        """The column's date as ISO text (its first ten characters), NULL when blank."""
        return f"substr(nullif(trim({self.col(name)}), ''), 1, 10)"

    def has(self, name: str) -> str:
        return f"(nullif(trim({self.col(name)}), '') IS NOT NULL)"

    def first(self, names) -> str:
        """The first of the columns holding a date (`domain.clocks._first`)."""
        days = [self.day(n) for n in names if n in self.columns or n in self.virtual]
        if not days:
            return "NULL"
        return days[0] if len(days) == 1 else f"coalesce({', '.join(days)})"

    def condition(self, name: str) -> str:
        """A rule's `only_if` condition (`domain.clocks._condition`) in SQL."""
        notified = f"({self.has('sin_submitted_date')} AND NOT {self.has('notification_withdrawn_date')})"
        if name == "notifiable":
            decision = self.col("notify_decision")
            return (f"(NOT coalesce({decision} IN (0, '0'), 0) AND (coalesce({self.col('source')}, '') = 'sin' "
                    f"OR coalesce({self.col('sin_reference')}, '') <> '' OR {self.has('sin_submitted_date')} "
                    f"OR coalesce({decision} IN (1, '1'), 0)))")
        if name in ("notified", "not_withdrawn"):
            return notified
        if name == "notified_not_scr":
            return f"({notified} AND coalesce({self.col('decision')}, '') NOT IN ('', 'SCR'))"
        if name == "publishing":
            return (f"(NOT {self.has('no_publication_date')} "
                    f"AND coalesce({self.col('publication_decision')}, '') <> 'not_published')")
        raise ValueError(f"unknown clock condition {name!r}")

    def framework(self, settings) -> str:
        """The record's framework code as `profile_of` decides it, in SQL: the switch dates of the
        profiles (and the partnership's own) cut time into spans, each span's framework asked of
        `framework_for` itself."""
        deciding = self.first(_DECIDING_DATES)
        known = ", ".join(sql_text(code) for code in load_profiles())
        undated = f"CASE WHEN {self.col('framework')} IN ({known}) THEN {self.col('framework')} " \
                  f"ELSE {sql_text(framework_for({}, settings))} END"
        spans = []
        for start, code in _framework_spans(settings):
            if spans and spans[-1][1] == code:
                continue
            spans.append((start, code))
        cases = " ".join(f"WHEN {deciding} < {sql_text(start.isoformat())} THEN {sql_text(before)}"
                         for (start, _), (_, before) in zip(spans[1:], spans, strict=False))
        return f"(CASE WHEN {deciding} IS NULL THEN {undated} {cases} ELSE {sql_text(spans[-1][1])} END)"


def _framework_spans(settings) -> list[tuple[date, str]]:
    """(first day, framework) of each span of deciding dates over which `framework_for` gives one
    answer: it compares the date only with these days."""
    days = {date(1900, 1, 1)}
    for profile in load_profiles().values():
        days.add(profile.in_force_from)
        if profile.in_force_to is not None:
            days.add(profile.in_force_to + timedelta(days=1))
        if profile.local_start:
            starts = getattr(settings, profile.local_start)
            days.add(starts() if callable(starts) else date.fromisoformat(str(starts)))
    return [(day, framework_for({"decision_date": day.isoformat()}, settings)) for day in sorted(days)]


@lru_cache(maxsize=256)
def latest_start(until: date, offset: int, unit: str) -> date:
    """The last day a clock of `offset` `unit`s can start on and still fall due by `until`: the due
    date only ever moves on with the start, so the answer is found by halving."""
    if unit == "days":
        return until - timedelta(days=offset)
    reach = timedelta(days=abs(offset) * 31 + 62)  # wider than any month or run of working days
    low, high = until - reach, until + reach  # due(low) <= until < due(high)
    while (high - low).days > 1:
        middle = low + timedelta(days=(high - low).days // 2)
        if add_offset(middle, offset, unit) <= until:
            low = middle
        else:
            high = middle
    return low


def _rule_sql(rule: Rule, profile: Profile, record: RecordSql, framework: str, settings,
              until: date | None) -> str | None:
    """The condition under which `rule` runs an open clock on a row (due by `until`), or None when
    the table cannot hold one."""
    start = record.first((rule.trigger, *rule.fallback))
    if start == "NULL":
        return None
    # Cheapest and most telling first (SQLite stops at the first false term): on years of
    # records, almost every clock has stopped; the computed columns and the framework come last.
    parts = [f"NOT {record.has(column)}" for column in rule.done if column in record.columns]
    parts.append(f"{start} IS NOT NULL")
    if record.kind == "review":
        parts.append(f"coalesce({record.col('review_type')}, '') <> 'RAPID_REVIEW'")  # the referral's clock
    if rule.only_if:
        parts.append(record.condition(rule.only_if))
    if rule.applies_to or (rule.local and until is not None):
        # A local rule's months are the partnership's setting for each review type.
        by_offset: dict[int, list[str]] = defaultdict(list)
        for review_type in rule.applies_to:
            months = settings.local_target_months(review_type) if rule.local else None
            by_offset[rule.offset if months is None else months].append(review_type)
        spans = []
        for offset, types in by_offset.items():
            span = f"{record.col('review_type')} IN ({', '.join(sql_text(t) for t in types)})"
            if until is not None:
                span += f" AND {start} <= {sql_text(latest_start(until, offset, rule.unit).isoformat())}"
            spans.append(f"({span})")
        parts.append("(" + " OR ".join(spans) + ")")
    elif until is not None:
        parts.append(f"{start} <= {sql_text(latest_start(until, rule.offset, rule.unit).isoformat())}")
    parts.append(f"{framework} = {sql_text(profile.code)}")
    parts += [f"NOT {record.has(column)}" for column in rule.done if column in record.virtual]
    return "(" + " AND ".join(parts) + ")"


def may_run_a_clock(kind: str, columns: set[str], alias: str = "r") -> str:
    """SQL true for every row of `kind` on which some profile's rule could run an open clock, on
    any day and whatever the board's settings: no date that stops the clock, a date that starts
    it, the rule's condition and review types, and a deciding date no earlier than the rule's
    profile came into force (`framework_for` never gives a profile to a record decided before it,
    bar the oldest of a jurisdiction, which takes every earlier date).

    It names stored columns only, so it is the condition of a partial index (schema 0015): years of
    records whose clocks all stopped are then never visited. `open_clocks_due` asks it beside the
    rules, which it only ever widens, so an index made for other rules slows the search, never
    changes its answer."""
    record = RecordSql(None, kind, alias, columns=columns)
    deciding = record.first(_DECIDING_DATES)
    profiles = load_profiles().values()
    oldest = {min((p for p in profiles if p.jurisdiction == j), key=lambda p: p.in_force_from).code
              for j in {p.jurisdiction for p in profiles}}
    cases = []
    for profile in profiles:
        for rule in profile.timescales:
            start = record.first((rule.trigger, *rule.fallback))
            if not rule.clock or rule.record != kind or start == "NULL":
                continue  # no clock, or one the table cannot start (as `_rule_sql`)
            parts = [f"NOT {record.has(column)}" for column in rule.done if column in record.columns]
            if "SELECT" not in start:  # a start worked out by a subquery cannot be in an index
                parts.append(f"{start} IS NOT NULL")
            if rule.only_if:
                parts.append(record.condition(rule.only_if))
            if kind == "review":
                parts.append(f"coalesce({record.col('review_type')}, '') <> 'RAPID_REVIEW'")
            if rule.applies_to:
                parts.append(f"{record.col('review_type')} IN ({', '.join(map(sql_text, rule.applies_to))})")
            if profile.code not in oldest:
                parts.append(f"({deciding} IS NULL OR {deciding} >= {sql_text(profile.in_force_from.isoformat())})")
            case = "(" + " AND ".join(parts) + ")"
            if case not in cases:
                cases.append(case)
    return "(" + (" OR ".join(cases) or "0") + ")"


def open_clocks_due(store, today: date | None = None, until: date | None = None, *,
                    skip: tuple[str, ...] = ()) -> tuple[int, list[Clock]]:
    """The open clocks (those due by `until`, overdue ones included, when it is given), soonest
    first, leaving out the clocks named in `skip`: (how many, the clocks).

    Only the rows with such a clock are read (see the module's note); each is then decided by the
    domain's rules, exactly as `all_clocks` decides it.
    """
    settings = store.settings()
    today = today or settings.today()
    found: list[Clock] = []
    for kind, table in _TABLES.items():
        record = RecordSql(store, kind)
        framework = record.framework(settings)
        rules = []
        for profile in load_profiles().values():
            for rule in profile.timescales:
                if rule.clock and rule.record == kind and rule.clock not in skip:
                    sql = _rule_sql(rule, profile, record, framework, settings, until)
                    if sql is not None:
                        rules.append((rule, profile, sql))
        if not rules:
            continue
        matched = ", ".join(f"{sql} AS _rule{n}" for n, (_, _, sql) in enumerate(rules))
        virtual = "".join(f", {expression} AS {name}" for name, expression in record.virtual.items())
        # The first term is the condition of the table's partial index: only its rows are read.
        rows = store.rows(f"SELECT r.*{virtual}, {matched} FROM {table} r "
                          f"WHERE {may_run_a_clock(kind, record.columns)} "
                          f"AND ({' OR '.join(sql for _, _, sql in rules)}) ORDER BY {_ORDER[kind]}")
        refs = _review_refs(store, [row["id"] for row in rows]) if kind == "review" else {}
        for row in rows:
            ref = (refs.get(row["id"]) or row.get("title")) if kind == "review" else None
            for n, (rule, profile, _) in enumerate(rules):
                if not row[f"_rule{n}"]:
                    continue
                clock = clock_for(rule, row, kind, framework=profile.code, settings=settings, today=today, ref=ref)
                if clock is not None and clock.is_open and (until is None or clock.due <= until):
                    found.append(clock)
    return len(found), _sorted(found)


def open_clocks(store, today: date | None = None) -> list[dict]:
    """The open clocks as `export clocks` writes them: ref, clock, framework, starts, due, done,
    working_days_left, rag, reason (plus label, record and id for the window to open the record)."""
    return [{**c.as_dict(), "label": c.label, "record": c.record, "id": c.record_id}
            for c in all_clocks(store, today, open_only=True)]


def late_clocks(store, start: date, end: date, clock: str) -> list[Clock]:
    """Clocks of one kind met late, whose deadline fell in [start, end] (e.g. late 2015 decisions)."""
    return [c for c in all_clocks(store, end) if c.clock == clock and c.late and start <= c.due <= end]


def as_at(store) -> date:
    """The date clocks are measured on: the file's as-at date, else today."""
    return store.settings().today()


__all__ = ["all_clocks", "as_at", "late_clocks", "open_clocks", "open_clocks_due", "profile_of"]
