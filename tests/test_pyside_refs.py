"""PySide6 must not drop a reference to None each time a Qt method returns None.

PySide6 6.12.0 on Python 3.11 does exactly that: `sys.getrefcount(None)` falls by one per call of
`setText`, `setToolTip`, `setData`, … and when it reaches zero the interpreter aborts with
`Fatal Python error: none_dealloc` (the main window on the large sample died in the dashboard's
refresh). That is why pyproject.toml keeps PySide6 below 6.12; this test catches a resolver or a
wheel that brings such a version in, and proves a later one fixed before the bound is lifted.

The calls run in a child interpreter: on a broken version the damage (and the abort it leads to)
stays there, and this test fails with the figures instead of taking the test run down. The child
stops a method early once its count has clearly fallen, long before None could reach zero.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

CALLS = 10_000
BATCH = 250
#: Unrelated work inside the interpreter moves the count by a handful either way; a leak of one
#: reference per call moves it by thousands.
NOISE = 50

CHILD = f"""
import json, os, sys
from PySide6 import __version__
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QApplication, QLabel

app = QApplication([])
label = QLabel()
item = QStandardItem()
calls = {{
    "QLabel.setText": lambda: label.setText("text"),
    "QWidget.setToolTip": lambda: label.setToolTip("tip"),
    "QStandardItem.setData": lambda: item.setData("value"),
}}
found = {{"version": __version__, "methods": {{}}}}
for name, call in calls.items():
    if call() is not None:
        raise SystemExit(name + " does not return None: it cannot show the leak")
    before = sys.getrefcount(None)
    made = 0
    while made < {CALLS}:
        for _ in range({BATCH}):
            call()
        made += {BATCH}
        if before - sys.getrefcount(None) > 10 * {NOISE}:
            break  # clearly leaking: stop while None still has references to spare
    found["methods"][name] = {{"calls": made, "fell_by": before - sys.getrefcount(None)}}
print(json.dumps(found), flush=True)
# Not a normal exit: on a broken version, finalizing would free None and abort.
os._exit(0)
"""


@pytest.mark.skipif(sys.version_info >= (3, 12),
                    reason="None is immortal from Python 3.12: its count never changes, and a "
                           "dropped reference cannot free it")
def test_calling_qt_methods_that_return_none_keeps_every_reference_to_none():
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, f"the child interpreter failed (exit {done.returncode}):\n{done.stderr[-2000:]}"
    found = json.loads(done.stdout.strip().splitlines()[-1])
    leaking = {name: figures for name, figures in found["methods"].items()
               if figures["fell_by"] > NOISE}
    assert not leaking, (
        f"PySide6 {found['version']} drops a reference to None on each call "
        f"(sys.getrefcount(None) fell by this much): {leaking}; the interpreter will abort "
        "(none_dealloc). Keep PySide6 below this version in pyproject.toml.")
