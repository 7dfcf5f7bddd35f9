"""The quadrangle diagram for the briefing, recorded as vectors from the screen's own scene.

The scene (a GUI object) is drawn on the interface thread into an SVG held in memory; the painter,
possibly on a worker thread, replays that SVG into the PDF with QSvgRenderer, so the PDF gets the
same paths and text as the screen, as vectors.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QFontDatabase, QPainter
from PySide6.QtSvg import QSvgGenerator

from db import QuadrangleState

_fonts_lock = threading.Lock()
_qt_fonts: set[str] = set()


def ensure_qt_fonts() -> None:
    """Register the shipped DejaVu files with Qt once, so the scene draws with the font the PDF embeds
    on every machine (call on the interface thread)."""
    from desktop.briefing.fonts import FONT_FOLDER

    with _fonts_lock:
        for path in sorted(FONT_FOLDER.glob("DejaVuSans*.ttf")):
            if str(path) not in _qt_fonts:
                QFontDatabase.addApplicationFont(str(path))
                _qt_fonts.add(str(path))


def diagram_svg(state: QuadrangleState) -> bytes | None:
    """The diagram of `state` as drawn on screen, as SVG bytes; None when this build has no scene."""
    try:
        from desktop.diagram.scene import QuadrangleScene
    except ImportError:
        return None
    ensure_qt_fonts()
    scene = QuadrangleScene()
    scene.set_state(state)
    source = scene.diagram_rect()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(round(source.width()), round(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle("Quadrangle diagram")
    painter = QPainter(generator)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    painter.end()
    buffer.close()
    scene.clear()
    return bytes(data.data())
