"""Render resources/icons/quadrangle.svg to the PNG (Linux menus) and the ICO (Windows shortcuts) beside it.

Run after editing the SVG: `python tools/make_icons.py`. The outputs are committed, so building a
bundle never needs Qt's SVG renderer.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico_from_pngs(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose images are PNGs (understood by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        dimension = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", dimension, dimension, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QImage text needs an app
    svg = ICONS / "quadrangle.svg"
    pngs = {size: render_png(svg, size) for size in ICO_SIZES}
    (ICONS / "quadrangle.png").write_bytes(pngs[256])
    (ICONS / "quadrangle.ico").write_bytes(ico_from_pngs(pngs))
    print(f"wrote {ICONS / 'quadrangle.png'} and {ICONS / 'quadrangle.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
