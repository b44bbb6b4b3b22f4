"""The layer rule (DESIGN.md, "How it is built"), checked on the source, as napari does.

domain imports nothing of the project; store and documents import domain only; no PySide6 (or any
Qt) import below ui. Checked by parsing every module's imports, including function-level ones.
"""

from __future__ import annotations

import ast
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
