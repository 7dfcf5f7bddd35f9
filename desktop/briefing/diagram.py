"""The quadrangle diagram for the briefing, recorded as vectors (a QPicture) from the screen's own scene.

The picture is recorded on the thread that owns the GUI (scenes are GUI objects) and replayed into
the PDF by the painter, possibly on a worker thread: a QPicture is plain data.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPicture

from db import QuadrangleState


def diagram_picture(state: QuadrangleState) -> QPicture | None:
    """Record the diagram of `state` as drawn on screen; None when this build has no diagram scene."""
    try:
        from desktop.diagram.scene import QuadrangleScene
    except ImportError:
        return None
    scene = QuadrangleScene()
    scene.set_state(state)
    source = scene.itemsBoundingRect().adjusted(-10, -10, 10, 10)
    picture = QPicture()
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    painter.end()
    scene.clear()
    return picture
