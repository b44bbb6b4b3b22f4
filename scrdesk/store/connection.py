"""The store's own thin layer over one sqlite3 connection: run, read as dicts, group writes.

sqlite-utils is kept for the schema migrations only (`store.schema`): on the open/read/write path
its import cost about 55 ms of start-up, and its `query()` wraps every read in a savepoint (three
statements for one SELECT), which the dashboard and the action-plan filter pay on every call.
The connection runs in autocommit mode (`isolation_level = None`); writes are grouped by
`atomic()` alone.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Iterable, Iterator, Mapping

_savepoints = itertools.count(1)


def unique_keys(names: Iterable[str]) -> list[str]:
    """Column names made unique (`id`, `id_2`, …): two columns of one name would otherwise
    overwrite each other in a row's dict."""
    names = list(names)
    if len(set(names)) == len(names):
        return names
    taken, result = set(names), []
    seen: set[str] = set()
    for name in names:
        if name not in seen:
            seen.add(name)
            result.append(name)
            continue
        n = 2
        while f"{name}_{n}" in taken:
            n += 1
        taken.add(f"{name}_{n}")
        result.append(f"{name}_{n}")
    return result


class Connection:
    """One open data file's connection, as the store uses it."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, params: Iterable | Mapping = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Iterable | Mapping = ()) -> Iterator[dict]:
        """The rows of a SELECT as dicts, fetched as they are iterated."""
        cursor = self.conn.execute(sql, params)
        if cursor.description is None:
            return iter(())
        keys = unique_keys(d[0] for d in cursor.description)
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Connection]:
        """A transaction, or a savepoint inside the one already open."""
        conn = self.conn
        if conn.in_transaction:
            name = f"scrdesk_{next(_savepoints)}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                # A RAISE(ROLLBACK) in a trigger may already have ended the whole transaction.
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def column_names(self, table: str) -> list[str]:
        return [r[1] for r in self.conn.execute(f'PRAGMA table_info("{table}")')]
