"""The audit log's hash chain: how a row's hash is made, and how the chain is verified."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

_SEPARATOR = "\x1f"
_NULL = "\x00"


def audit_hash(prev_hash, at, who, tbl, row_id, action, old, new) -> str:
    """sha256 over the previous row's hash and every field of this row.

    Registered as the SQL function `scrdesk_audit_hash`, so the triggers and `verify_chain`
    compute exactly the same thing.
    """
    parts = (prev_hash, at, who, tbl, row_id, action, old, new)
    text = _SEPARATOR.join(_NULL if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    audit_id: int
    message: str

    def __str__(self) -> str:
        return f"audit row {self.audit_id}: {self.message}"


def verify_chain(conn: sqlite3.Connection, limit_problems: int = 20) -> tuple[int, list[ChainProblem]]:
    """Walk the whole audit log in id order; return (rows checked, problems found)."""
    problems: list[ChainProblem] = []
    expected_prev = ""
    checked = 0
    cursor = conn.execute(
        "SELECT id, at, who, tbl, row_id, action, old, new, prev_hash, hash FROM audit_log ORDER BY id"
    )
    for row in cursor:
        audit_id, at, who, tbl, row_id, action, old, new, prev_hash, stored = row
        checked += 1
        if prev_hash != expected_prev:
            problems.append(ChainProblem(audit_id, "does not follow the row before it (a row was removed or changed)"))
        if audit_hash(prev_hash, at, who, tbl, row_id, action, old, new) != stored:
            problems.append(ChainProblem(audit_id, f"its content does not match its hash ({tbl} row {row_id}, {action})"))
        expected_prev = stored
        if len(problems) >= limit_problems:
            break
    return checked, problems
