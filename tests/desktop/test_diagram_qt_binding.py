"""The Qt binding must not corrupt reference counts: PySide6 6.12.0 on Python 3.11 dropped a reference
to None on every call of a void method, so a long drawing session ended in "deallocating None"."""

from __future__ import annotations

import sys

from PySide6.QtGui import QFont, QPen


def test_void_qt_calls_keep_none_alive(qapp):
    """Thousands of void calls (as a redraw of 435 edges makes) leave None's reference count alone."""
    font, pen = QFont(), QPen()
    before = sys.getrefcount(None)
    for _ in range(2000):
        font.setPixelSize(12)
        pen.setWidthF(2.0)
    assert sys.getrefcount(None) >= before - 50
