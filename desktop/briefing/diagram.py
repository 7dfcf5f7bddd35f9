"""The quadrangle diagram for the briefing, recorded as vectors from the screen's own scene.

The scene (a GUI object) is drawn on the interface thread into an SVG held in memory; the painter,
possibly on a worker thread, replays that SVG into the PDF with QSvgRenderer, so the PDF gets the
same paths and text as the screen, as vectors.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from db import QuadrangleState


def diagram_svg(state: QuadrangleState) -> bytes | None:
    """The diagram of `state` as drawn on screen, as SVG bytes; None when this build has no scene."""
    try:
        from desktop.diagram.scene import QuadrangleScene
    except ImportError:
        return None
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
