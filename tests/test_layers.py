"""The layer rule (DESIGN.md, "How it is built"), checked on the source, as napari does.

domain imports nothing of the project; store and documents import domain only; no PySide6 (or any
Qt) import below ui. exports.py sits beside them: it may import store, documents and domain, never
ui or Qt, and nothing below it imports it. Checked by parsing every module's imports, including
function-level ones.

And no SQL in the window: nothing in scrdesk/ui/ holds SQL text (SELECT, INSERT INTO, UPDATE … SET,
DELETE FROM in a string), runs a statement (`.execute(`, `.executemany(`, `.executescript(`) or
asks the store for rows by SQL (`store.rows(`, `store.row(`, `store.scalar(`). The window calls
functions in scrdesk/store/<entity>.py instead (docs/where-a-change-goes.md).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scrdesk"

ALLOWED_PROJECT_IMPORTS = {
    "domain": {"scrdesk.domain"},
    "store": {"scrdesk.domain", "scrdesk.store"},
    "documents": {"scrdesk.domain", "scrdesk.documents"},
}
QT_PREFIXES = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pytestqt")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            found.append((node.lineno, "." * node.level + (node.module or "")))
    return found


@pytest.mark.parametrize("layer", sorted(ALLOWED_PROJECT_IMPORTS))
def test_layer_imports_only_what_it_may(layer):
    allowed = ALLOWED_PROJECT_IMPORTS[layer]
    problems = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for line, module in imported_modules(path):
            where = f"{path.relative_to(PACKAGE.parent)}:{line}"
            if module.startswith("."):
                problems.append(f"{where} uses a relative import ({module}); name the layer")
            elif module.startswith(QT_PREFIXES):
                problems.append(f"{where} imports {module}: no Qt below the ui layer")
            elif module.startswith("scrdesk") and not any(
                module == a or module.startswith(a + ".") for a in allowed
            ):
                problems.append(f"{where} imports {module}: {layer} may import only {sorted(allowed)}")
    assert not problems, "\n".join(problems)


def test_the_checker_sees_a_violation(tmp_path):
    # The rule must be able to fail: a module that imports Qt is reported.
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from PySide6.QtCore import QObject\n", encoding="utf-8")
    assert imported_modules(bad) == [(2, "PySide6.QtCore")]


# -- exports.py, held to its place --------------------------------------------------------------

EXPORTS = PACKAGE / "exports.py"
EXPORTS_MAY_IMPORT = ("scrdesk.store", "scrdesk.documents", "scrdesk.domain", "scrdesk.exports")


def test_exports_imports_only_store_documents_and_domain():
    problems = []
    for line, module in imported_modules(EXPORTS):
        where = f"scrdesk/exports.py:{line}"
        if module.startswith(QT_PREFIXES):
            problems.append(f"{where} imports {module}: exports must not need the window")
        elif module.startswith("scrdesk") and not any(
            module == a or module.startswith(a + ".") for a in EXPORTS_MAY_IMPORT
        ):
            problems.append(f"{where} imports {module}: exports may import only {list(EXPORTS_MAY_IMPORT)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("layer", sorted(ALLOWED_PROJECT_IMPORTS))
def test_nothing_below_exports_imports_it(layer):
    found = [f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
             for path in sorted((PACKAGE / layer).rglob("*.py"))
             for line, module in imported_modules(path)
             if module == "scrdesk.exports" or module.startswith("scrdesk.exports.")
             or (module == "scrdesk" and _imports_name(path, "exports"))]
    assert not found, "\n".join(found)


def _imports_name(path: Path, name: str) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.ImportFrom) and node.module == "scrdesk"
               and any(alias.name == name for alias in node.names) for node in ast.walk(tree))


# -- no SQL in the window -----------------------------------------------------------------------

UI = PACKAGE / "ui"
#: Upper-case keywords only, in the shapes statements take, so "Select a record" is not SQL.
SQL_TEXT = re.compile(r"\bSELECT\b|\bINSERT\s+(?:OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\S+\s+SET\b|"
                      r"\bDELETE\s+FROM\b")
RUNS_SQL = {"execute", "executemany", "executescript"}
READS_BY_SQL = {"rows", "row", "scalar"}


def _string_texts(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal, f-strings with their holes filled, so "UPDATE {t} SET" is seen."""
    inside_fstrings = set()
    texts = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    inside_fstrings.add(id(value))
                    parts.append(value.value)
                else:
                    parts.append("x")
            texts.append((node.lineno, "".join(parts)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstrings:
            texts.append((node.lineno, node.value))
    return texts


def _receiver_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def sql_in(path: Path) -> list[str]:
    """Where a module holds or runs SQL, as "line: what"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = [f"{line}: SQL text {text.strip()[:60]!r}" for line, text in _string_texts(tree)
             if SQL_TEXT.search(text)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in RUNS_SQL:
                found.append(f"{node.lineno}: .{name}(")
            elif name in READS_BY_SQL and _receiver_name(node.func.value).endswith("store"):
                found.append(f"{node.lineno}: store.{name}(")
    return sorted(found, key=lambda entry: int(entry.split(":")[0]))


def test_no_sql_in_the_window():
    problems = [f"{path.relative_to(PACKAGE.parent)}:{entry}"
                for path in sorted(UI.rglob("*.py")) for entry in sql_in(path)]
    assert not problems, ("SQL belongs in scrdesk/store/<entity>.py; the window calls it there:\n"
                          + "\n".join(problems))


@pytest.mark.parametrize("source", [
    'ROWS = "SELECT id FROM referrals"',
    'def f(store):\n    return store.rows("x")',
    'def f(self):\n    return self.store.scalar("x")',
    'def f(conn):\n    conn.execute("x")',
    'def f(conn):\n    conn.executescript("x")',
    'def f(table):\n    return f"UPDATE {table} SET a = 1"',
    'STATEMENT = "DELETE FROM actions WHERE id = ?"',
    'STATEMENT = "INSERT INTO actions (a) VALUES (?)"',
])
def test_the_sql_check_sees_sql(tmp_path, source):
    bad = tmp_path / "bad.py"
    bad.write_text(source + "\n", encoding="utf-8")
    assert sql_in(bad)


def test_the_sql_check_leaves_words_a_person_reads(tmp_path):
    fine = tmp_path / "fine.py"
    fine.write_text('HINT = "Select a record first, then update it."\n'
                    'def f(model):\n    return model.rows()\n', encoding="utf-8")
    assert sql_in(fine) == []
