"""Tampering the tests share: what someone outside scrdesk could do to a data file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scrdesk.store import schema


def cut_log_short(path: Path) -> None:
    """The last transactions' audit rows and seals go, the append-only triggers dropped and put
    back: what is left is a whole, older log that the chain alone cannot tell from the real one."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        kept = conn.execute("SELECT last_audit_id FROM audit_seal ORDER BY id DESC LIMIT 1 OFFSET 2").fetchone()[0]
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DROP TRIGGER audit_seal_no_delete")
        conn.execute("DELETE FROM audit_log WHERE id > ?", [kept])
        conn.execute("DELETE FROM audit_seal WHERE last_audit_id > ?", [kept])
        conn.execute(schema._APPEND_ONLY[1])
        conn.execute(schema._SEAL_APPEND_ONLY[1])
    finally:
        conn.close()
