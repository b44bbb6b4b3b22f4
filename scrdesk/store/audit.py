"""The audit log's tamper evidence: a hash chain of seals, one per committed transaction.

The audit triggers (store.schema) write one row per inserted, changed or deleted record: the
whole record for an insert or a delete, only the changed columns (before and after) for an
update. Just before each commit the store seals the transaction's rows (`seal_pending`): one
`audit_seal` row holding the sha256 of the previous seal's hash and every field (id included) of
every audit row since it. Editing, removing or inserting any audit row, or any seal, breaks that
seal's hash or the link from the next one; `verify_chain` finds it.

Files made before sealing (schema 0014) keep their older rows as they were: each one carries its
own `prev_hash`/`hash` link (`audit_hash`), checked row by row, and the first seal follows on from
the last of them. A row is hashed once, in one pass per transaction, rather than through a
Python function called by the trigger for every row: that call was most of an import's time.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

_SEPARATOR = "\x1f"
_END_OF_ROW = "\x1e"
_NULL = "\x00"

_ROW_FIELDS = "id, at, who, tbl, row_id, action, old, new"


def _sha256(start: bytes):
    """A sha256 hasher. hashlib loads the OpenSSL library (3.4 MB resident), so it is imported
    when a hash is first made, not when the window opens a file and has nothing to seal yet."""
    import hashlib

    return hashlib.sha256(start)


def audit_hash(prev_hash, at, who, tbl, row_id, action, old, new) -> str:
    """sha256 over the previous row's hash and every field of this row (rows before sealing)."""
    parts = (prev_hash, at, who, tbl, row_id, action, old, new)
    text = _SEPARATOR.join(_NULL if p is None else str(p) for p in parts)
    return _sha256(text.encode("utf-8")).hexdigest()


def _row_bytes(row: tuple) -> bytes:
    return (_SEPARATOR.join(_NULL if p is None else str(p) for p in row) + _END_OF_ROW).encode("utf-8")


@dataclass(frozen=True)
class ChainProblem:
    audit_id: int
    message: str
    #: The last row of a sealed run the problem is in (rows sealed together are vouched for
    #: together: which of them was changed cannot be told, only that one was).
    last_id: int | None = None

    def __str__(self) -> str:
        if self.last_id is not None:
            return f"audit rows {self.audit_id}–{self.last_id}: {self.message}"
        return f"audit row {self.audit_id}: {self.message}"


@dataclass(frozen=True)
class Head:
    """The newest sealed point of the log: how many rows up to it, its id, and its hash."""
    count: int
    last_id: int
    hash: str


def _has_seals(conn: sqlite3.Connection) -> bool:
    return conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_seal'").fetchone() is not None


def _last_link(conn: sqlite3.Connection) -> tuple[int, str]:
    """(audit id, hash) the next seal follows on from: the newest seal, else the newest row of
    the older, row-by-row chain, else (0, "")."""
    if _has_seals(conn):
        seal = conn.execute("SELECT last_audit_id, hash FROM audit_seal ORDER BY id DESC LIMIT 1").fetchone()
        if seal is not None:
            return int(seal[0]), str(seal[1])
    older = conn.execute(
        "SELECT id, hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1").fetchone()
    return (int(older[0]), str(older[1])) if older else (0, "")


def seal_pending(conn: sqlite3.Connection, at: str) -> int | None:
    """Seal every audit row written since the last seal (inside the caller's transaction).

    Returns the new seal's id, or None when there was nothing to seal.
    """
    after, prev = _last_link(conn)
    hasher = None
    last_id = None
    for row in conn.execute(f"SELECT {_ROW_FIELDS} FROM audit_log WHERE id > ? ORDER BY id", [after]):
        if hasher is None:
            hasher = _sha256(prev.encode("utf-8"))
        hasher.update(_row_bytes(row))
        last_id = row[0]
    if hasher is None:
        return None
    cursor = conn.execute("INSERT INTO audit_seal (last_audit_id, at, prev_hash, hash) VALUES (?, ?, ?, ?)",
                          [last_id, at, prev, hasher.hexdigest()])
    return int(cursor.lastrowid)


def chain_head(conn: sqlite3.Connection) -> Head:
    """The head an anchor remembers (store.anchor): the newest sealed row and its seal's hash."""
    last_id, digest = _last_link(conn)
    if not last_id:
        return Head(0, 0, "")
    count = conn.execute("SELECT count(*) FROM audit_log WHERE id <= ?", [last_id]).fetchone()[0]
    return Head(int(count), last_id, digest)


def hash_at(conn: sqlite3.Connection, audit_id: int) -> str | None:
    """The hash that vouches for the log up to `audit_id`: the seal ending there, or (older rows)
    the row's own link; None when neither is there."""
    if _has_seals(conn):
        seal = conn.execute("SELECT hash FROM audit_seal WHERE last_audit_id = ? ORDER BY id LIMIT 1",
                            [audit_id]).fetchone()
        if seal is not None:
            return str(seal[0])
    row = conn.execute("SELECT hash FROM audit_log WHERE id = ?", [audit_id]).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def history_start(conn: sqlite3.Connection) -> tuple | None:
    """What identifies a file's history: its first audit row (id, time, author, record)."""
    return conn.execute("SELECT id, at, who, tbl, row_id FROM audit_log ORDER BY id LIMIT 1").fetchone()


def verify_chain(conn: sqlite3.Connection, limit_problems: int = 20) -> tuple[int, list[ChainProblem]]:
    """Walk the whole audit log in id order; return (rows checked, problems found)."""
    problems: list[ChainProblem] = []
    seals = (list(conn.execute("SELECT id, last_audit_id, prev_hash, hash FROM audit_seal ORDER BY id"))
             if _has_seals(conn) else [])
    upcoming = iter(seals)
    seal = next(upcoming, None)
    expected_prev = ""
    hasher = None
    first_in_seal = None
    sealed_rows_began = False
    checked = 0

    def close_seal(at_row: int) -> None:
        nonlocal seal, hasher, expected_prev, first_in_seal
        if hasher is None:
            problems.append(ChainProblem(at_row, f"the rows sealed by seal {seal[0]} (up to audit row "
                                                 f"{seal[1]}) are gone: rows were removed"))
        elif hasher.hexdigest() != seal[3]:
            problems.append(ChainProblem(first_in_seal, f"do not match their seal (seal {seal[0]}): a "
                                                        "row among them was changed, removed or added",
                                         last_id=seal[1]))
        expected_prev = seal[3]
        seal, hasher, first_in_seal = next(upcoming, None), None, None

    for row in conn.execute(f"SELECT {_ROW_FIELDS}, prev_hash, hash FROM audit_log ORDER BY id"):
        if len(problems) >= limit_problems:
            break
        audit_id, at, who, tbl, row_id, action, old, new, prev_hash, stored = row
        checked += 1
        if stored is not None:  # a row of the older, row-by-row chain
            if sealed_rows_began:
                problems.append(ChainProblem(audit_id, "an old-form row after sealed rows (rows were added)"))
            if prev_hash != expected_prev:
                problems.append(ChainProblem(audit_id, "does not follow the row before it (a row was removed or changed)"))
            if audit_hash(prev_hash, at, who, tbl, row_id, action, old, new) != stored:
                problems.append(ChainProblem(audit_id, f"its content does not match its hash ({tbl} row {row_id}, {action})"))
            expected_prev = stored
            continue
        sealed_rows_began = True
        while seal is not None and audit_id > seal[1]:
            close_seal(audit_id)  # the seal's own last row is missing
        if seal is None:
            problems.append(ChainProblem(audit_id, f"is not sealed ({tbl} row {row_id}, {action}): it was "
                                                   "written outside scrdesk, or its seal was removed"))
            continue
        if hasher is None:
            if seal[2] != expected_prev:
                problems.append(ChainProblem(audit_id, f"seal {seal[0]} does not follow the one before it "
                                                       "(a seal or rows were removed or changed)"))
            hasher = _sha256(str(seal[2]).encode("utf-8"))
            first_in_seal = audit_id
        hasher.update(_row_bytes(row[:8]))
        if audit_id == seal[1]:
            close_seal(audit_id)
    if len(problems) < limit_problems:
        while seal is not None:
            close_seal(seal[1])
    return checked, problems[:limit_problems]
