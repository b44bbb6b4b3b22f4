"""Start-up stays light: opening the window must not import the document and spreadsheet libraries,
nor hashlib (it loads the OpenSSL library: 3.4 MB resident before anything has been hashed).

ReportLab, openpyxl and pypdf are imported only inside the functions that make a document, read
a spreadsheet or encrypt a PDF (DESIGN.md, "Rules of the house"). Each check runs in a fresh
interpreter, so a module some other test imported earlier cannot hide the problem.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("reportlab", "openpyxl", "pypdf", "hashlib")

# argv: the heavy names as JSON, then the modules to import; prints the heavy ones now loaded.
PROBE = """
import json, sys
heavy = set(json.loads(sys.argv[1]))
for name in sys.argv[2:]:
    __import__(name)
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""


def heavy_modules_after_importing(*modules: str) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(HEAVY), *modules], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["scrdesk.ui.main_window", "scrdesk.app", "scrdesk.cli",
                                    "scrdesk.ui.dashboard", "scrdesk.store.governance"])
def test_starting_the_window_imports_no_document_library(module):
    assert heavy_modules_after_importing(module) == []


def test_the_probe_sees_a_heavy_import():
    # The check must be able to fail: importing a document builder does pull ReportLab in.
    assert "reportlab" in heavy_modules_after_importing("reportlab.platypus")
