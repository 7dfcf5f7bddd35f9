"""Long drawing sessions: the diagram redrawn over and over (as dragging the date slider does) stays
right, and the Qt binding we install cannot lose None. PySide6 6.12.0 on Python 3.11 dropped a
reference to None on every void call, so a long session ended in "deallocating None"; pyproject.toml
keeps it out."""

from __future__ import annotations

import gc
import sys
import tomllib
from datetime import date
from pathlib import Path

import PySide6
from packaging.requirements import Requirement
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from db import Phase
from desktop.diagram.scene import QuadrangleScene
from desktop.diagram.style import PHASE_COLOURS

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_binding_that_loses_none_is_never_installed():
    """Our dependency pin refuses PySide6 6.12.0 and accepts the binding this suite runs on."""
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    (pyside,) = [Requirement(d) for d in dependencies if Requirement(d).name.lower().startswith("pyside6")]
    assert not pyside.specifier.contains("6.12.0")
    assert pyside.specifier.contains(PySide6.__version__)


def test_a_long_slider_session_restyles_the_same_edges_and_keeps_none_alive(qapp, default_store):
    """Sixty redraws between 2001 and today reuse the same edge items, end in the right phase colours
    each way, and leave None's reference count alone (each redraw makes hundreds of void Qt calls)."""
    today = default_store.quadrangle.state_as_of()
    early = default_store.quadrangle.state_as_of(date(2001, 6, 1))
    scene = QuadrangleScene()
    scene.set_state(today)
    edges = {e.label: e for e in scene.edge_items()}
    image = QImage(600, 400, QImage.Format.Format_ARGB32)
    gc.collect()
    before = sys.getrefcount(None)
    for n in range(61):
        scene.set_state(early if n % 2 else today)
        image.fill(QColor("white"))
        painter = QPainter(image)
        scene.render(painter, QRectF(image.rect()), scene.diagram_rect())
        painter.end()
    gc.collect()
    assert sys.getrefcount(None) >= before - 50  # 6.12.0 lost thousands here
    assert {e.label: e for e in scene.edge_items()} == edges  # restyled, never rebuilt
    assert edges["UN–EU"].colours == (PHASE_COLOURS[Phase.MAINTENANCE],)
    scene.set_state(early)
    assert edges["UN–EU"].colours == (PHASE_COLOURS[Phase.COURTSHIP], PHASE_COLOURS[Phase.NEGOTIATION])
    colours = {image.pixelColor(x, y).name() for x in range(0, 600, 3) for y in range(0, 400, 3)}
    assert PHASE_COLOURS[Phase.MAINTENANCE].name() in colours  # the last redraw (today) was painted
    scene.deleteLater()
