"""The window's icons: drawn as SVG (the source), loaded as PNGs rendered from them
(tools/render_icons.py), so the first paint does not load Qt's SVG library."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from scrdesk.ui.main_window import icon

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
DRAWN = sorted(path.stem for path in ICONS.glob("*.svg"))


def test_every_drawing_has_its_pngs_at_both_sizes():
    assert DRAWN
    for name in DRAWN:
        for size in (24, 48):
            image = QImage(str(ICONS / "png" / f"{name}-{size}.png"))
            assert (image.width(), image.height()) == (size, size), f"{name}-{size}.png: run tools/render_icons.py"
            assert any(image.pixelColor(x, y).alpha() for x in range(size) for y in range(size)), name


def test_an_icon_offers_both_sizes(qapp):
    for name in DRAWN:
        found = icon(name)
        assert not found.isNull() and {s.width() for s in found.availableSizes()} == {24, 48}, name
    assert icon("no such icon").isNull()


# Builds and shows the window in a fresh interpreter and lists the SVG libraries it mapped.
PROBE = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from scrdesk.ui.main_window import MainWindow
window = MainWindow(None, path=Path(sys.argv[1]))
window.show()
for _ in range(5):
    app.processEvents()
print(sorted({line.rsplit("/", 1)[-1] for line in open("/proc/self/maps") if "svg" in line.lower()}))
"""


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads which libraries are mapped (Linux)")
def test_the_window_paints_without_loading_the_svg_library(tmp_path):
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "not-opened.db")], capture_output=True,
                          text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
