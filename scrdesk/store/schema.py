"""The schema: tables, indexes and audit triggers, applied through sqlite-utils `Migrations`.

sqlite-utils is imported only when migrations run (a new file, or an older one upgraded): the
migrations are registered here with `@migration(name)` and handed to its `Migrations` on demand
(`schema.migrations`), so opening, reading and writing an up-to-date file never loads it.

Every entity table has `id INTEGER PRIMARY KEY`, `created_at`, `updated_at` and three audit
triggers. The audit triggers call two functions the store registers on every connection
(`scrdesk_user()` and `scrdesk_audit_hash(...)`): a file opened by a tool that does not know them
cannot be written without leaving a trace, it simply refuses the write.

Migrations never use `table.transform()` (it drops triggers silently); each one that rebuilds a
table must call `install_audit_triggers()` again, and a test lists the triggers after all of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "scrdesk"
#: (name, function, transactional) of every migration, in order.
_REGISTERED: list[tuple[str, Callable[[Any], None], bool]] = []


def migration(name: str, *, transactional: bool = True):
    def register(function):
        _REGISTERED.append((name, function, transactional))
        return function
    return register


def __getattr__(attribute: str):
    # `schema.migrations`: the sqlite-utils Migrations of our set, built when first asked for.
    if attribute == "migrations":
        from sqlite_utils.migrations import Migrations

        built = Migrations(MIGRATION_SET)
        for name, function, transactional in _REGISTERED:
            built(name=name, transactional=transactional)(function)
        globals()["migrations"] = built
        return built
    raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}")


def columns_of(db, table: str) -> list[str]:
    """The column names of `table` (`db` is a sqlite-utils Database or the store's Connection)."""
    return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")').fetchall()]

#: Tables that are not audited, and why: the lease changes every few seconds (a heartbeat), and
#: the audit log cannot audit itself.
UNAUDITED_TABLES = frozenset({"audit_log", "audit_seal", "lease", "_sqlite_migrations"})

#: Columns that never enter the audit JSON (binary content; its sha256 is audited instead).
UNAUDITED_COLUMNS = frozenset({"content"})

_STAMPS = "created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),\n" \
          "    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))"

_INITIAL_TABLES = f"""
CREATE TABLE settings (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    value TEXT,
    {_STAMPS}
);
CREATE TABLE agencies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    short_name TEXT,
    type TEXT NOT NULL DEFAULT 'other',
    lead_name TEXT,
    lead_email TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    {_STAMPS}
);
CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    pseudonym TEXT,
    source TEXT NOT NULL DEFAULT 'agency_referral',
    referring_agency_id INTEGER REFERENCES agencies(id),
    incident_date TEXT,
    la_aware_date TEXT,
    received_date TEXT,
    sin_reference TEXT,
    sin_submitted_date TEXT,
    summary TEXT,
    location TEXT,
    gender TEXT,
    age_years INTEGER,
    age_months INTEGER,
    age_weeks INTEGER,
    age_various INTEGER NOT NULL DEFAULT 0,
    harm_category TEXT,
    meeting_date TEXT,
    recommendation TEXT,
    decision TEXT,
    decision_date TEXT,
    decision_maker TEXT,
    rationale TEXT,
    framework TEXT,
    panel_informed_date TEXT,
    panel_response_date TEXT,
    panel_agreed INTEGER,
    status_note TEXT,
    legal_hold INTEGER NOT NULL DEFAULT 0,
    {_STAMPS}
);
CREATE TABLE restricted_identifiers (
    id INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'name',
    value TEXT NOT NULL,
    {_STAMPS}
);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    review_type TEXT NOT NULL,
    methodology TEXT,
    lead_reviewer TEXT,
    panel_chair TEXT,
    status TEXT NOT NULL DEFAULT 'agreed',
    framework TEXT,
    agreed_date TEXT,
    tor_date TEXT,
    initiated_date TEXT,
    target_date_override TEXT,
    target_override_reason TEXT,
    completed_date TEXT,
    sent_to_panel_date TEXT,
    published_date TEXT,
    removal_date TEXT,
    publication_decision TEXT,
    family_engagement TEXT,
    panel_response_date TEXT,
    panel_agreed INTEGER,
    notes TEXT,
    legal_hold INTEGER NOT NULL DEFAULT 0,
    {_STAMPS}
);
CREATE TABLE review_referrals (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
    {_STAMPS},
    UNIQUE (review_id, referral_id)
);
CREATE TABLE parallel_proceedings (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT,
    notes TEXT,
    {_STAMPS}
);
CREATE TABLE review_delays (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    reason TEXT NOT NULL,
    {_STAMPS}
);
CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    planned_date TEXT,
    actual_date TEXT,
    attendance INTEGER,
    notes TEXT,
    {_STAMPS}
);
CREATE TABLE agency_returns (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    kind TEXT NOT NULL DEFAULT 'summary_chronology',
    requested_date TEXT,
    due_date TEXT,
    received_date TEXT,
    notes TEXT,
    {_STAMPS}
);
CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    number TEXT,
    text TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT 'multi_agency',
    {_STAMPS}
);
CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    recommendation_id INTEGER REFERENCES recommendations(id) ON DELETE SET NULL,
    agency_id INTEGER REFERENCES agencies(id),
    lead_officer TEXT,
    text TEXT NOT NULL,
    agreed_date TEXT,
    target_date TEXT,
    revised_target_date TEXT,
    revised_reason TEXT,
    status TEXT NOT NULL DEFAULT 'not_started',
    signoff_date TEXT,
    completion_reason TEXT,
    escalated_date TEXT,
    escalated_to TEXT,
    {_STAMPS}
);
CREATE TABLE action_updates (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES actions(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    author TEXT,
    note TEXT NOT NULL,
    status_from TEXT,
    status_to TEXT,
    {_STAMPS}
);
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    mime_type TEXT,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    added_by TEXT,
    added_at TEXT,
    {_STAMPS}
);
CREATE TABLE briefings (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    template TEXT NOT NULL DEFAULT 'six_step',
    title TEXT,
    learning_themes TEXT,
    status TEXT NOT NULL DEFAULT 'draft',
    approved_date TEXT,
    issued_date TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    {_STAMPS}
);
CREATE TABLE briefing_sections (
    id INTEGER PRIMARY KEY,
    briefing_id INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    {_STAMPS}
);
CREATE TABLE disseminations (
    id INTEGER PRIMARY KEY,
    briefing_id INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    sent_date TEXT,
    feedback_due_date TEXT,
    feedback_received_date TEXT,
    teams_briefed TEXT,
    staff_reached INTEGER,
    note TEXT,
    {_STAMPS},
    UNIQUE (briefing_id, agency_id)
);
CREATE TABLE learning_events (
    id INTEGER PRIMARY KEY,
    review_id INTEGER REFERENCES reviews(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    title TEXT,
    date TEXT NOT NULL,
    attendance INTEGER,
    facilitator TEXT,
    feedback TEXT,
    {_STAMPS}
);
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'scr_subgroup',
    notes TEXT,
    paper_attachment_id INTEGER REFERENCES attachments(id) ON DELETE SET NULL,
    {_STAMPS}
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    who TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_id INTEGER,
    action TEXT NOT NULL,
    old TEXT,
    new TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE lease (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    user TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);
"""

# Every filter and join column gets an index: the large sample has 20,000 actions.
_INITIAL_INDEXES = """
CREATE INDEX idx_referrals_received ON referrals(received_date);
CREATE INDEX idx_referrals_decision ON referrals(decision, decision_date);
CREATE INDEX idx_restricted_referral ON restricted_identifiers(referral_id);
CREATE INDEX idx_reviews_status ON reviews(status);
CREATE INDEX idx_review_referrals_referral ON review_referrals(referral_id);
CREATE INDEX idx_proceedings_review ON parallel_proceedings(review_id);
CREATE INDEX idx_delays_review ON review_delays(review_id);
CREATE INDEX idx_milestones_review ON milestones(review_id, planned_date);
CREATE INDEX idx_returns_review ON agency_returns(review_id);
CREATE INDEX idx_recommendations_review ON recommendations(review_id);
CREATE INDEX idx_actions_review ON actions(review_id, recommendation_id);
CREATE INDEX idx_actions_recommendation ON actions(recommendation_id);
CREATE INDEX idx_actions_agency ON actions(agency_id, status);
CREATE INDEX idx_actions_status_target ON actions(status, target_date);
CREATE INDEX idx_action_updates_action ON action_updates(action_id, date);
CREATE INDEX idx_attachments_owner ON attachments(owner_kind, owner_id);
CREATE INDEX idx_briefings_review ON briefings(review_id);
CREATE INDEX idx_sections_briefing ON briefing_sections(briefing_id, position);
CREATE INDEX idx_disseminations_agency ON disseminations(agency_id);
CREATE INDEX idx_events_review ON learning_events(review_id);
CREATE INDEX idx_events_date ON learning_events(date);
CREATE INDEX idx_meetings_date ON meetings(date);
CREATE INDEX idx_audit_row ON audit_log(tbl, row_id);
CREATE INDEX idx_audit_at ON audit_log(at);
"""

_APPEND_ONLY = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN "
    "SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be changed'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN "
    "SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be deleted'); END",
)


def audited_tables(db: Database) -> list[str]:
    return [
        name
        for name in db.table_names()
        if name not in UNAUDITED_TABLES and not name.startswith(("sqlite_", "_"))
    ]


def _json_of(db: Database, table: str, alias: str) -> str:
    parts = []
    for column in columns_of(db, table):
        if column in UNAUDITED_COLUMNS:
            continue
        parts.append(f"'{column}', {alias}.\"{column}\"")
    return "json_object(" + ", ".join(parts) + ")"


def _changed_json(columns: list[str], alias: str) -> str:
    """A JSON object of only the columns an UPDATE changed, with their `alias` (OLD/NEW) values.

    Built as text because json_object() cannot leave a key out: `,"column":value` for each
    changed column, the leading comma cut, in braces ('{}' when nothing changed).
    """
    parts = [f"CASE WHEN OLD.\"{c}\" IS NOT NEW.\"{c}\" THEN ',\"{c}\":' || json_quote({alias}.\"{c}\") "
             "ELSE '' END" for c in columns]
    return "('{' || substr(" + " || ".join(parts) + ", 2) || '}')"


def _legacy_audit_insert_sql(table: str, action: str, row: str, old: str, new: str) -> str:
    # Before sealing (0014): each row's hash covers the previous row's hash and this row's
    # content, computed by a Python function for every row. Migrations up to 0013 still run
    # with these triggers on a file being brought up to date; 0014 replaces them.
    prev = "COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '')"
    now = "strftime('%Y-%m-%dT%H:%M:%fZ','now')"
    return (
        "INSERT INTO audit_log (at, who, tbl, row_id, action, old, new, prev_hash, hash) "
        f"SELECT t.at, t.who, '{table}', {row}, '{action}', t.old, t.new, t.prev, "
        f"scrdesk_audit_hash(t.prev, t.at, t.who, '{table}', {row}, '{action}', t.old, t.new) "
        f"FROM (SELECT {now} AS at, scrdesk_user() AS who, {old} AS old, {new} AS new, "
        f"{prev} AS prev) AS t;"
    )


def _audit_insert_sql(table: str, action: str, row: str, old: str, new: str) -> str:
    # No hash here: the store seals the transaction's rows in one pass before it commits
    # (store.audit.seal_pending). scrdesk_user() is a function only scrdesk registers, so a tool
    # that does not know it cannot write an audited table at all.
    return ("INSERT INTO audit_log (at, who, tbl, row_id, action, old, new) VALUES ("
            f"strftime('%Y-%m-%dT%H:%M:%fZ','now'), scrdesk_user(), '{table}', {row}, '{action}', "
            f"{old}, {new});")


def insert_entries_sql(db: Database, table: str) -> str:
    """The audit entries the insert trigger would have written, for every row of `table` whose id
    is above the one parameter, in one statement (Store.insert_batch)."""
    return ("INSERT INTO audit_log (at, who, tbl, row_id, action, old, new) "
            f"SELECT strftime('%Y-%m-%dT%H:%M:%fZ','now'), scrdesk_user(), '{table}', NEW.id, 'insert', "
            f"NULL, {_json_of(db, table, 'NEW')} FROM \"{table}\" AS NEW WHERE NEW.id > ? ORDER BY NEW.id")


def _sealed(db: Database) -> bool:
    return "audit_seal" in db.table_names()


def install_audit_triggers(db: Database, table: str) -> None:
    """(Re-)create the three audit triggers of one table from its current columns.

    An insert or a delete records the whole row; an update only the columns it changed, before
    and after (most updates change a status and a date: the whole row twice was most of the log).
    """
    for action in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS audit_{table}_{action}")
    new_json = _json_of(db, table, "NEW")
    old_json = _json_of(db, table, "OLD")
    if _sealed(db):
        audited = [c for c in columns_of(db, table) if c not in UNAUDITED_COLUMNS]
        write = _audit_insert_sql
        old_changed, new_changed = _changed_json(audited, "OLD"), _changed_json(audited, "NEW")
    else:
        write = _legacy_audit_insert_sql
        old_changed, new_changed = old_json, new_json
    # scrdesk_row_audit(table) is 1 except while Store.insert_batch writes a batch's entries
    # itself, in one statement (`insert_entries_sql`); unknown to other tools, like scrdesk_user.
    when = f" WHEN scrdesk_row_audit('{table}')" if _sealed(db) else ""
    db.execute(
        f"CREATE TRIGGER audit_{table}_insert AFTER INSERT ON \"{table}\"{when} BEGIN "
        + write(table, "insert", "NEW.id", "NULL", new_json)
        + " END"
    )
    db.execute(
        f"CREATE TRIGGER audit_{table}_update AFTER UPDATE ON \"{table}\" BEGIN "
        + write(table, "update", "NEW.id", old_changed, new_changed)
        + " END"
    )
    db.execute(
        f"CREATE TRIGGER audit_{table}_delete AFTER DELETE ON \"{table}\" BEGIN "
        + write(table, "delete", "OLD.id", old_json, "NULL")
        + " END"
    )


def expected_triggers(db: Database) -> set[str]:
    names = {"audit_log_no_update", "audit_log_no_delete"}
    if _sealed(db):
        names |= {"audit_seal_no_update", "audit_seal_no_delete"}
    if "_action_search" in db.table_names():
        names |= set(SEARCH_TRIGGERS)
    for table in audited_tables(db):
        names |= {f"audit_{table}_{a}" for a in ("insert", "update", "delete")}
    return names


def _executescript_in_transaction(db: Database, script: str) -> None:
    # sqlite3's executescript() COMMITs first, which would break the migration's transaction;
    # run statement by statement instead.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migration("0001_initial")
def _m0001_initial(db: Database) -> None:
    _executescript_in_transaction(db, _INITIAL_TABLES)
    _executescript_in_transaction(db, _INITIAL_INDEXES)
    for statement in _APPEND_ONLY:
        db.execute(statement)
    for table in audited_tables(db):
        install_audit_triggers(db, table)



@migration("0002_document_log")
def _m0002_document_log(db: Database) -> None:
    # What left the building: every exported document, with the reason given when the
    # anonymisation check was overridden. It is an audited table, so the audit log keeps both.
    db.execute(f"""
        CREATE TABLE document_log (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            subject TEXT,
            file_name TEXT NOT NULL,
            sha256 TEXT,
            pages INTEGER,
            encrypted INTEGER NOT NULL DEFAULT 0,
            identifier_hits INTEGER NOT NULL DEFAULT 0,
            override_reason TEXT,
            produced_by TEXT,
            {_STAMPS}
        )""")
    db.execute("CREATE INDEX idx_document_log_kind ON document_log(kind, created_at)")
    install_audit_triggers(db, "document_log")


# -- 0003: the action-plan search index ---------------------------------------------------
# A trigram full-text index over everything the action-plan filter box searches: the action,
# its lead officer, agency, review and recommendation. Six LIKE '%text%' scans over 20,000
# joined actions took 35-65 ms a keystroke; the index answers in a few.
#
# Triggers do not write the index themselves: FTS5 flushes its pending terms at every trigger
# statement, which made each action insert cost 1 ms instead of 0.2. They only note the action
# in `_action_search_dirty`, and the store indexes the noted actions in one statement just before
# each commit (`flush_search_index`). Queries treat noted actions with LIKE, so a search is right
# even if a writer has not flushed yet. Names start with "_": neither audited nor records.
ACTION_SEARCH_BODY = (
    "coalesce(a.text, '') || ' ' || coalesce(a.lead_officer, '') || ' ' || coalesce(ag.name, '') || ' ' || "
    "coalesce(ag.short_name, '') || ' ' || coalesce(rv.title, '') || ' ' || coalesce(rc.text, '')"
)
_ACTION_SEARCH_ROWS = (
    f"SELECT a.id, {ACTION_SEARCH_BODY} FROM actions a LEFT JOIN reviews rv ON rv.id = a.review_id "
    "LEFT JOIN recommendations rc ON rc.id = a.recommendation_id LEFT JOIN agencies ag ON ag.id = a.agency_id"
)


def _note_actions(condition: str) -> str:
    return f"INSERT OR IGNORE INTO _action_search_dirty (action_id) SELECT id FROM actions WHERE {condition};"


SEARCH_TRIGGERS = {
    "search_actions_insert": "AFTER INSERT ON actions BEGIN "
    "INSERT OR IGNORE INTO _action_search_dirty (action_id) VALUES (NEW.id); END",
    "search_actions_update": "AFTER UPDATE OF text, lead_officer, agency_id, review_id, recommendation_id "
    "ON actions BEGIN INSERT OR IGNORE INTO _action_search_dirty (action_id) VALUES (NEW.id); END",
    "search_actions_delete": "AFTER DELETE ON actions BEGIN "
    "INSERT OR IGNORE INTO _action_search_dirty (action_id) VALUES (OLD.id); END",
    "search_agencies_update": "AFTER UPDATE OF name, short_name ON agencies BEGIN "
    + _note_actions("agency_id = NEW.id") + " END",
    "search_reviews_update": "AFTER UPDATE OF title ON reviews BEGIN "
    + _note_actions("review_id = NEW.id") + " END",
    "search_recommendations_update": "AFTER UPDATE OF text ON recommendations BEGIN "
    + _note_actions("recommendation_id = NEW.id") + " END",
}


def install_all_triggers(db: Database) -> None:
    """Every trigger the schema expects, (re-)created from the tables as they now are."""
    for statement in (*_APPEND_ONLY, *(_SEAL_APPEND_ONLY if _sealed(db) else ())):
        name = statement.split()[2]
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute(statement)
    for table in audited_tables(db):
        install_audit_triggers(db, table)
    if "_action_search" in db.table_names():
        install_search_triggers(db)


def install_search_triggers(db: Database) -> None:
    for name, body in SEARCH_TRIGGERS.items():
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute(f"CREATE TRIGGER {name} {body}")


#: From this many actions indexed in one go (an import, a sample) the index is merged into one
#: piece afterwards: see `flush_search_index`.
BULK_INDEX_ACTIONS = 2000


def flush_search_index(conn) -> None:
    """Index the actions noted since the last flush; called inside the writing transaction.

    FTS5 writes what it indexes in pieces as its memory buffer fills, and a search reads every
    piece: after a bulk load the pieces are merged into one ('optimize', as the FTS5 manual
    advises), which made reading the newest matches of a 100,000-action file as quick as of a
    20,000-action one (0.83 → 0.52 ms). Everyday edits add small pieces FTS5 merges itself.
    """
    noted = conn.execute("SELECT count(*) FROM _action_search_dirty").fetchone()[0]
    if not noted:
        return
    conn.execute("DELETE FROM _action_search WHERE rowid IN (SELECT action_id FROM _action_search_dirty)")
    conn.execute(f"INSERT INTO _action_search (rowid, body) {_ACTION_SEARCH_ROWS} "
                 "WHERE a.id IN (SELECT action_id FROM _action_search_dirty)")
    conn.execute("DELETE FROM _action_search_dirty")
    if noted >= BULK_INDEX_ACTIONS:
        conn.execute("INSERT INTO _action_search (_action_search) VALUES ('optimize')")


@migration("0003_action_search")
def _m0003_action_search(db: Database) -> None:
    db.execute("CREATE VIRTUAL TABLE _action_search USING fts5(body, tokenize='trigram')")
    db.execute("CREATE TABLE _action_search_dirty (action_id INTEGER PRIMARY KEY)")
    db.execute(f"INSERT INTO _action_search (rowid, body) {_ACTION_SEARCH_ROWS}")
    install_search_triggers(db)


@migration("0004_legal_hold_reason")
def _m0004_legal_hold_reason(db: Database) -> None:
    # Why and since when a case is on legal hold, on the record itself (it was kept in a
    # setting before). migrate() re-creates the audit triggers, so the new columns are audited.
    for table in ("referrals", "reviews"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN legal_hold_reason TEXT")
        db.execute(f"ALTER TABLE {table} ADD COLUMN legal_hold_since TEXT")
    held = db.execute("SELECT value FROM settings WHERE key = 'legal_hold_reasons'").fetchone()
    for key, hold in (json.loads(held[0]) if held and held[0] else {}).items():
        table, _, row_id = key.partition(":")
        if table in ("referrals", "reviews") and isinstance(hold, dict):
            db.execute(f"UPDATE {table} SET legal_hold_reason = ?, legal_hold_since = ? WHERE id = ?",
                       [hold.get("reason"), hold.get("since"), int(row_id)])
    db.execute("DELETE FROM settings WHERE key = 'legal_hold_reasons'")

# Migrations from 0005 on: one block per topic, in number order. A new table calls
# install_audit_triggers (migrate() re-creates every trigger afterwards in any case).

# -- 0005: actions ---------------------------------------------------------------------------

# What shows an action was done, in words, when the evidence is not a file (a register held by
# the agency, minutes of a meeting): one of the three things that let an action be closed
# (scrdesk.domain.rules.actions). migrate() re-creates the audit triggers, so it is audited.
@migration("0005_action_evidence_note")
def _m0005_action_evidence_note(db: Database) -> None:
    db.execute("ALTER TABLE actions ADD COLUMN evidence_note TEXT")


# -- 0006: reviews ---------------------------------------------------------------------------

# -- 0007: briefings and events --------------------------------------------------------------

# -- 0008: referrals -------------------------------------------------------------------------

# -- 0009: data safety -----------------------------------------------------------------------

# -- 0010: the current statutory process -----------------------------------------------------

# Referral columns for today's process (WT2018 ch.4 / WT2023 ch.5 and the national panel's rapid
# review guidance): the partners' discussion of whether to notify; a notification withdrawn when
# further information showed the criteria were not met (then no rapid review is owed); the rapid
# review's dates and outcome kept on the case (offices track them per case); the serious incident
# notification's characteristics for the national data, as codes that are only ever counted; the
# looked-after child's death notices to Ofsted and the Secretary of State. Review columns: the
# planned publication date the 7-working-day copy counts back from, the copies to the Panel and
# Secretary of State and to Ofsted kept apart, a decision not to publish with its reasons, and the
# date the Panel and Ofsted were told a 2015 SCR was initiated.
_CURRENT_PROCESS_COLUMNS = {
    "referrals": (
        "notify_considered_date TEXT", "notify_decision INTEGER", "notify_reason TEXT",
        "notification_withdrawn_date TEXT", "notification_withdrawn_reason TEXT",
        "rr_meeting_date TEXT", "rr_submitted_date TEXT", "rr_outcome TEXT",
        "child_age_band TEXT", "child_sex TEXT", "child_ethnicity TEXT", "child_disability TEXT",
        "social_care_status TEXT", "cp_or_looked_after_6_months INTEGER", "harm_type TEXT",
        "harm_outcome TEXT", "harm_setting TEXT",
        "lac_death_ofsted_date TEXT", "lac_death_sos_date TEXT",
    ),
    "reviews": (
        "planned_publication_date TEXT", "panel_sos_copy_date TEXT", "ofsted_copy_date TEXT",
        "no_publication_date TEXT", "no_publication_reasons TEXT", "no_publication_sent_date TEXT",
        "scr_told_date TEXT",
    ),
}


@migration("0010_current_process")
def _m0010_current_process(db: Database) -> None:
    for table, columns in _CURRENT_PROCESS_COLUMNS.items():
        for column in columns:
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    db.execute("CREATE INDEX idx_referrals_notified ON referrals(sin_submitted_date)")


# -- 0011: the sub group's own business ------------------------------------------------------

# The sub group runs itself as well as its cases (issue 13; the reference report, sections 1 and
# 5): members by agency with deputies, the chair's history, terms of reference versions (the
# document kept as an attachment owned by "terms_of_reference"), each meeting's attendance by
# agency, six-monthly health checks (questions as data, resources/health_check/questions.json; the
# question's area and words copied into each answer, so an old check reads as it was asked),
# escalations to the business manager, the sub group chair or the board chair, and the reviewer
# register with commissions, costs per review and a budget per year with partner contributions.
# Amounts are pounds (REAL, two places). Reviewer names are publishable.
_GOVERNANCE_TABLES = f"""
CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    name TEXT NOT NULL,
    role TEXT,
    deputy_name TEXT,
    from_date TEXT,
    to_date TEXT,
    notes TEXT,
    {_STAMPS}
);
CREATE TABLE chairs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT,
    agency_id INTEGER REFERENCES agencies(id),
    interim INTEGER NOT NULL DEFAULT 0,
    from_date TEXT NOT NULL,
    to_date TEXT,
    notes TEXT,
    {_STAMPS}
);
CREATE TABLE terms_of_reference (
    id INTEGER PRIMARY KEY,
    version TEXT NOT NULL,
    approved_date TEXT NOT NULL,
    next_review_date TEXT,
    notes TEXT,
    {_STAMPS}
);
CREATE TABLE meeting_attendance (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    status TEXT NOT NULL,
    attendee TEXT,
    note TEXT,
    {_STAMPS},
    UNIQUE (meeting_id, agency_id)
);
CREATE TABLE health_checks (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL UNIQUE,
    notes TEXT,
    {_STAMPS}
);
CREATE TABLE health_check_answers (
    id INTEGER PRIMARY KEY,
    health_check_id INTEGER NOT NULL REFERENCES health_checks(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    area TEXT NOT NULL,
    question TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    rag TEXT,
    comment TEXT,
    {_STAMPS},
    UNIQUE (health_check_id, code)
);
CREATE TABLE escalations (
    id INTEGER PRIMARY KEY,
    raised_date TEXT NOT NULL,
    raised_by TEXT NOT NULL,
    to_whom TEXT NOT NULL,
    subject TEXT NOT NULL,
    action_id INTEGER REFERENCES actions(id) ON DELETE SET NULL,
    review_id INTEGER REFERENCES reviews(id) ON DELETE SET NULL,
    referral_id INTEGER REFERENCES referrals(id) ON DELETE SET NULL,
    outcome TEXT,
    closed_date TEXT,
    {_STAMPS}
);
CREATE TABLE reviewers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    organisation TEXT,
    methodologies TEXT,
    notes TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    {_STAMPS}
);
CREATE TABLE commissions (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
    role TEXT NOT NULL,
    agreed_date TEXT,
    agreed_days REAL,
    day_rate REAL,
    fee REAL,
    notes TEXT,
    {_STAMPS},
    UNIQUE (review_id, reviewer_id, role)
);
CREATE TABLE review_costs (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    amount REAL NOT NULL,
    note TEXT,
    {_STAMPS}
);
CREATE TABLE budgets (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE,
    amount REAL NOT NULL,
    notes TEXT,
    {_STAMPS}
);
CREATE TABLE budget_contributions (
    id INTEGER PRIMARY KEY,
    budget_id INTEGER NOT NULL REFERENCES budgets(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    amount REAL NOT NULL,
    note TEXT,
    {_STAMPS},
    UNIQUE (budget_id, agency_id)
)
"""

_GOVERNANCE_INDEXES = """
CREATE INDEX idx_members_agency ON members(agency_id);
CREATE INDEX idx_attendance_agency ON meeting_attendance(agency_id);
CREATE INDEX idx_answers_check ON health_check_answers(health_check_id, position);
CREATE INDEX idx_escalations_raised ON escalations(raised_date);
CREATE INDEX idx_escalations_action ON escalations(action_id);
CREATE INDEX idx_escalations_review ON escalations(review_id);
CREATE INDEX idx_escalations_referral ON escalations(referral_id);
CREATE INDEX idx_commissions_reviewer ON commissions(reviewer_id);
CREATE INDEX idx_review_costs_review ON review_costs(review_id, date);
CREATE INDEX idx_contributions_agency ON budget_contributions(agency_id)
"""

# The sub group's own plan: an action either belongs to a review (as before) or has a source of
# its own - a business plan priority, an inspection recommendation, a health check or an audit -
# so `review_id` becomes nullable and the action gains `source_kind`, `source_text` and the health
# check it arose from. SQLite cannot drop NOT NULL in place, so the table is rebuilt (CREATE new,
# INSERT SELECT, DROP, RENAME) with the same ids, then its indexes, search and audit triggers are
# re-created. The CHECK keeps every action tied to a review or a source.
_PLAN_ACTIONS = f"""
CREATE TABLE _actions_new (
    id INTEGER PRIMARY KEY,
    review_id INTEGER REFERENCES reviews(id) ON DELETE CASCADE,
    recommendation_id INTEGER REFERENCES recommendations(id) ON DELETE SET NULL,
    agency_id INTEGER REFERENCES agencies(id),
    lead_officer TEXT,
    text TEXT NOT NULL,
    agreed_date TEXT,
    target_date TEXT,
    revised_target_date TEXT,
    revised_reason TEXT,
    status TEXT NOT NULL DEFAULT 'not_started',
    signoff_date TEXT,
    completion_reason TEXT,
    escalated_date TEXT,
    escalated_to TEXT,
    {_STAMPS},
    evidence_note TEXT,
    source_kind TEXT,
    source_text TEXT,
    health_check_id INTEGER REFERENCES health_checks(id) ON DELETE SET NULL,
    CHECK (review_id IS NOT NULL OR source_kind IS NOT NULL)
)"""
_ACTION_COLUMNS = ("id, review_id, recommendation_id, agency_id, lead_officer, text, agreed_date, target_date, "
                   "revised_target_date, revised_reason, status, signoff_date, completion_reason, escalated_date, "
                   "escalated_to, created_at, updated_at, evidence_note")
_ACTION_INDEXES = """
CREATE INDEX idx_actions_review ON actions(review_id, recommendation_id);
CREATE INDEX idx_actions_recommendation ON actions(recommendation_id);
CREATE INDEX idx_actions_agency ON actions(agency_id, status);
CREATE INDEX idx_actions_status_target ON actions(status, target_date);
CREATE INDEX idx_actions_source ON actions(source_kind);
CREATE INDEX idx_actions_health_check ON actions(health_check_id)
"""


def _rebuild_actions(db: Database) -> None:
    # The search triggers on agencies, reviews and recommendations name `actions`: drop them all
    # first, or SQLite refuses the RENAME while `actions` does not exist.
    for name in SEARCH_TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    db.execute(_PLAN_ACTIONS)
    db.execute(f"INSERT INTO _actions_new ({_ACTION_COLUMNS}) SELECT {_ACTION_COLUMNS} FROM actions")
    db.execute("DROP TABLE actions")
    db.execute("ALTER TABLE _actions_new RENAME TO actions")
    _executescript_in_transaction(db, _ACTION_INDEXES)
    install_audit_triggers(db, "actions")
    if "_action_search" in db.table_names():
        install_search_triggers(db)


# Not in sqlite-utils' transaction: foreign keys must be OFF while `actions` is dropped (with them
# ON, DROP TABLE deletes every row first and the cascade would take each action's updates), and
# that pragma cannot change inside a transaction. The work is one transaction of its own, checked
# with foreign_key_check before it commits; a rerun after a crash between the commit and
# sqlite-utils noting the migration finds the tables made and does nothing.
@migration("0011_governance", transactional=False)
def _m0011_governance(db: Database) -> None:
    if "health_checks" in db.table_names():
        return
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic():
            _executescript_in_transaction(db, _GOVERNANCE_TABLES)
            _executescript_in_transaction(db, _GOVERNANCE_INDEXES)
            for table in ("members", "chairs", "terms_of_reference", "meeting_attendance", "health_checks",
                          "health_check_answers", "escalations", "reviewers", "commissions", "review_costs",
                          "budgets", "budget_contributions"):
                install_audit_triggers(db, table)
            _rebuild_actions(db)
            broken = db.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise ValueError(f"rebuilding the action plan broke {len(broken)} references")
    finally:
        db.execute("PRAGMA foreign_keys = ON")


# -- 0012: learning that lands ---------------------------------------------------------------

# Where a review's learning went and whether it changed anything (issue 14):
# - a review's publication: the web address and how the media were handled, and a checklist
#   (family told and offered a reading, police/CPS/coroner cleared, media plan, press statement,
#   communications leads told, copies sent), one row per item done on/by/with a note. The date
#   published and the removal date stay on the review (reviews.published_date / removal_date);
# - the channels a briefing was promoted through beyond the agencies it was sent to: newsletter
#   issues (each promoting briefings and events) and the briefing's own web page;
# - each recommendation's acceptance, intended outcome, assurance and impact, and its closure by
#   the sub group (with impact evidence, or on the completed actions alone);
# - themes as a list (seeded from resources/themes.json; a partnership may add its own) tagged on
#   reviews, recommendations and briefings. A tag names exactly one record, by a real foreign key,
#   so deleting the record takes its tags with it.
_LEARNING_TABLES = f"""
CREATE TABLE publications (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL UNIQUE REFERENCES reviews(id) ON DELETE CASCADE,
    web_address TEXT,
    media_approach TEXT,
    notes TEXT,
    {_STAMPS}
);
CREATE TABLE publication_steps (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    done_date TEXT,
    done_by TEXT,
    not_needed INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    {_STAMPS},
    UNIQUE (review_id, item)
);
CREATE TABLE newsletter_issues (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    issue_date TEXT NOT NULL,
    web_address TEXT,
    notes TEXT,
    {_STAMPS}
);
CREATE TABLE newsletter_items (
    id INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL REFERENCES newsletter_issues(id) ON DELETE CASCADE,
    briefing_id INTEGER REFERENCES briefings(id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES learning_events(id) ON DELETE CASCADE,
    {_STAMPS},
    CHECK ((briefing_id IS NULL) <> (event_id IS NULL))
);
CREATE TABLE briefing_web_posts (
    id INTEGER PRIMARY KEY,
    briefing_id INTEGER NOT NULL REFERENCES briefings(id) ON DELETE CASCADE,
    web_address TEXT NOT NULL,
    posted_date TEXT NOT NULL,
    removed_date TEXT,
    {_STAMPS}
);
CREATE TABLE recommendation_impact (
    id INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL UNIQUE REFERENCES recommendations(id) ON DELETE CASCADE,
    acceptance TEXT,
    acceptance_reason TEXT,
    accepted_date TEXT,
    intended_outcome TEXT,
    assurance_methods TEXT,
    assurance_plan TEXT,
    impact_statement TEXT,
    closure_basis TEXT,
    closed_date TEXT,
    closed_by TEXT,
    {_STAMPS}
);
CREATE TABLE themes (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    {_STAMPS}
);
CREATE TABLE theme_tags (
    id INTEGER PRIMARY KEY,
    theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
    review_id INTEGER REFERENCES reviews(id) ON DELETE CASCADE,
    recommendation_id INTEGER REFERENCES recommendations(id) ON DELETE CASCADE,
    briefing_id INTEGER REFERENCES briefings(id) ON DELETE CASCADE,
    {_STAMPS},
    CHECK ((review_id IS NOT NULL) + (recommendation_id IS NOT NULL) + (briefing_id IS NOT NULL) = 1)
)
"""

# NULLs are distinct in a UNIQUE constraint, so "one tag per theme and record" is a partial index
# per kind of record.
_LEARNING_INDEXES = """
CREATE INDEX idx_publication_steps_review ON publication_steps(review_id);
CREATE UNIQUE INDEX idx_newsletter_items_briefing ON newsletter_items(issue_id, briefing_id) WHERE briefing_id IS NOT NULL;
CREATE UNIQUE INDEX idx_newsletter_items_event ON newsletter_items(issue_id, event_id) WHERE event_id IS NOT NULL;
CREATE INDEX idx_newsletter_items_by_briefing ON newsletter_items(briefing_id);
CREATE INDEX idx_newsletter_items_by_event ON newsletter_items(event_id);
CREATE INDEX idx_web_posts_briefing ON briefing_web_posts(briefing_id);
CREATE UNIQUE INDEX idx_theme_tags_review ON theme_tags(theme_id, review_id) WHERE review_id IS NOT NULL;
CREATE UNIQUE INDEX idx_theme_tags_recommendation ON theme_tags(theme_id, recommendation_id) WHERE recommendation_id IS NOT NULL;
CREATE UNIQUE INDEX idx_theme_tags_briefing ON theme_tags(theme_id, briefing_id) WHERE briefing_id IS NOT NULL;
CREATE INDEX idx_theme_tags_by_review ON theme_tags(review_id);
CREATE INDEX idx_theme_tags_by_recommendation ON theme_tags(recommendation_id);
CREATE INDEX idx_theme_tags_by_briefing ON theme_tags(briefing_id)
"""


@migration("0012_learning")
def _m0012_learning(db: Database) -> None:
    from scrdesk.domain.themes import default_themes  # data, read only when a file is migrated

    _executescript_in_transaction(db, _LEARNING_TABLES)
    _executescript_in_transaction(db, _LEARNING_INDEXES)
    for table in ("publications", "publication_steps", "newsletter_issues", "newsletter_items",
                  "briefing_web_posts", "recommendation_impact", "themes", "theme_tags"):
        install_audit_triggers(db, table)
    # The default list goes in through the triggers, so `check` finds every row in the audit log.
    for position, theme in enumerate(default_themes(), start=1):
        db.execute("INSERT INTO themes (code, label, position) VALUES (?, ?, ?)",
                   [theme["code"], theme["label"], position])


# -- 0013: the yearly report's narrative -----------------------------------------------------

# The yearly report's narrative, written in the window and kept in the file (so the report can be
# rebuilt, in Word or PDF, with the same words): one row per reporting year and section; the
# figures and tables are always read fresh from the records.
@migration("0013_yearly_report")
def _m0013_yearly_report(db: Database) -> None:
    db.execute(f"""
        CREATE TABLE yearly_report_sections (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            section TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            {_STAMPS},
            UNIQUE (year, section)
        )""")
    install_audit_triggers(db, "yearly_report_sections")


# -- 0014: the audit log sealed per transaction ----------------------------------------------
# Each audit row used to carry its own hash, made by a Python function the trigger called for
# every row, and every update stored the whole row twice: 175 MB of a 239 MB file, and most of an
# import's time. Now an update keeps only the columns it changed, and the rows of a transaction
# are sealed together (store.audit) in `audit_seal`. The rows already there keep their own hashes
# (now optional columns), and the first seal follows on from the last of them.
_AUDIT_LOG_SEALED = """
CREATE TABLE audit_log_sealed (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    who TEXT NOT NULL,
    tbl TEXT NOT NULL,
    row_id INTEGER,
    action TEXT NOT NULL,
    old TEXT,
    new TEXT,
    prev_hash TEXT,
    hash TEXT
)"""
_AUDIT_SEAL = """
CREATE TABLE audit_seal (
    id INTEGER PRIMARY KEY,
    last_audit_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
)"""
_SEAL_APPEND_ONLY = (
    "CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_seal BEGIN "
    "SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be changed'); END",
    "CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_seal BEGIN "
    "SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be deleted'); END",
)


@migration("0014_audit_seals")
def _m0014_audit_seals(db: Database) -> None:
    # Every trigger that writes to audit_log goes first: renaming the rebuilt table re-reads
    # them, and they are re-made in the new form below.
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                              "(name LIKE 'audit\\_%' ESCAPE '\\')").fetchall():
        db.execute(f'DROP TRIGGER "{name}"')
    db.execute(_AUDIT_LOG_SEALED)
    db.execute("INSERT INTO audit_log_sealed SELECT id, at, who, tbl, row_id, action, old, new, "
               "prev_hash, hash FROM audit_log")
    db.execute("DROP TABLE audit_log")
    db.execute("ALTER TABLE audit_log_sealed RENAME TO audit_log")
    # The record's history, `check` and retention look rows up by record; the audit view by date,
    # for which the day is enough to narrow to (the exact time is compared on the rows found):
    # 10 characters a row instead of 24.
    db.execute("CREATE INDEX idx_audit_row ON audit_log(tbl, row_id)")
    db.execute("CREATE INDEX idx_audit_day ON audit_log(substr(at, 1, 10))")
    db.execute(_AUDIT_SEAL)
    # The anchor and the backups ask which seal ends at a given row.
    db.execute("CREATE UNIQUE INDEX idx_audit_seal_last ON audit_seal(last_audit_id)")
    for statement in (*_APPEND_ONLY, *_SEAL_APPEND_ONLY):
        db.execute(statement)
    for table in audited_tables(db):
        install_audit_triggers(db, table)


#: The partial indexes of the records that still need something done: the dashboard reads
#: these rows only, so it takes as long on a century of records as on a few years.
WAITING_DISSEMINATIONS = "sent_date IS NOT NULL AND feedback_received_date IS NULL"


@migration("0015_open_work_indexes")
def _m0015_open_work_indexes(db: Database) -> None:
    # Store modules build the same conditions for their queries (a test compares the two); an
    # index whose condition no longer matches theirs is not used, which slows, never misleads.
    from scrdesk.store.clocks import may_run_a_clock
    from scrdesk.store.queries import effective_target_sql, open_actions_sql

    for kind, table, order in (("referral", "referrals", "ref"), ("review", "reviews", "title")):
        condition = may_run_a_clock(kind, set(columns_of(db, table)), alias="")
        db.execute(f"CREATE INDEX idx_{table}_clocks ON {table}({order}) WHERE {condition}")
    # The columns after the key let the dashboard count and group from the index alone: this
    # SQLite does not read an indexed expression back, nor trust a partial index's condition.
    db.execute(f"CREATE INDEX idx_actions_open_target ON actions({effective_target_sql('')}, agency_id, "
               f"status, revised_target_date, target_date) WHERE {open_actions_sql('')}")
    db.execute("CREATE INDEX idx_disseminations_waiting ON disseminations(feedback_due_date) "
               f"WHERE {WAITING_DISSEMINATIONS}")


#: The annual report's reads of one year, each by an index on the date that puts a record in it
#: (store/annual.py, learning_annual.py, statutory.py write their expressions to match): a
#: report then reads its year, not the whole history (tests/test_annual_growth_indexes.py).
YEAR_INDEXES = {
    # The plan at the year end: the actions agreed after it, summed from the index alone.
    "idx_actions_agreed": "actions(agreed_date, agency_id, status, revised_target_date, target_date)",
    # The plan at the year end: the actions whose status changed after it.
    "idx_action_updates_status_changes":
        "action_updates(date, action_id) WHERE status_from IS NOT NULL AND status_to IS NOT NULL",
    # Recommendations closed in the year, on their actions alone (the learning section).
    "idx_actions_closed_on": "actions(coalesce(signoff_date, substr(updated_at, 1, 10)), recommendation_id)",
    # The year's referrals (the year of a referral's decision, else its meeting, else its receipt).
    "idx_referrals_year": "referrals(COALESCE(decision_date, meeting_date, received_date))",
    # The funnel: incidents considered for notification in the year (else notified in it). Only
    # the referrals with such a date are in it, so a tracker's history imports at full speed.
    "idx_referrals_considered": "referrals(coalesce(notify_considered_date, sin_submitted_date)) "
                                "WHERE coalesce(notify_considered_date, sin_submitted_date) IS NOT NULL",
    "idx_disseminations_sent": "disseminations(sent_date)",
    # The reviews with something to report, and the funnel's reviews.
    "idx_reviews_completed": "reviews(completed_date)",
    "idx_reviews_published": "reviews(published_date)",
    "idx_reviews_started": "reviews(coalesce(initiated_date, agreed_date))",
    "idx_briefings_issued": "briefings(issued_date)",
}


@migration("0016_year_indexes")
def _m0016_year_indexes(db: Database) -> None:
    for name, definition in YEAR_INDEXES.items():
        db.execute(f"CREATE INDEX {name} ON {definition}")


@migration("0017_referrals_received_index_dropped")
def _m0017_referrals_received_index_dropped(db: Database) -> None:
    # Every imported referral paid for this index (26 of 272 ms writing 10,000 tracker rows: new
    # rows land all over it), and only two rare reads used it: the meeting paper's referrals since
    # the last meeting, and the review dialog's list of referrals to link. Without it they read
    # the referrals table through (2 ms for 15,000 referrals; the picker is quicker than with
    # it). The referrals tab's own order (undated last) never could use it.
    db.execute("DROP INDEX IF EXISTS idx_referrals_received")


#: The number of migrations this build knows: a file with more was written by a newer scrdesk.
SCHEMA_VERSION = len(_REGISTERED)
