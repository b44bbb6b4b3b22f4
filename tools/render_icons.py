"""Render the window's SVG icons (`resources/icons/*.svg`, the source) to the PNGs it loads.

    .venv/bin/python tools/render_icons.py

Each icon is drawn at 24 and 48 pixels (`resources/icons/png/NAME-24.png`, `NAME-48.png`): the
toolbar's and the tabs' sizes at 100 % and 200 % display scaling; Qt scales between them. The
window loads PNGs because an SVG icon makes Qt load its SVG library and icon engine at start-up
(1.1 MB more at the first paint, measured on the large sample). Run again after changing an SVG;
`tests/test_icons.py` fails while a PNG is missing or older than its drawing's size.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SIZES = (24, 48)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (kept alive)
    out = ICONS / "png"
    out.mkdir(exist_ok=True)
    for svg in sorted(ICONS.glob("*.svg")):
        renderer = QSvgRenderer(str(svg))
        if not renderer.isValid():
            print(f"{svg.name}: not a drawing SVG can render", file=sys.stderr)
            return 1
        for size in SIZES:
            image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
            image.fill(Qt.GlobalColor.transparent)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            renderer.render(painter)
            painter.end()
            image.save(str(out / f"{svg.stem}-{size}.png"))
    print(f"rendered {len(list(ICONS.glob('*.svg')))} icons into {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
