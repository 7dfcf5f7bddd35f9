"""Layouts and themes: the diagram follows a dark palette (canvas, cards, captions) while files stay
light, and the window is usable at 1024×700 and 1920×1080."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QImage, QPalette

from desktop.diagram.export import export_png
from desktop.diagram.style import DARK_THEME, LIGHT_THEME
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.settings import AppSettings


@pytest.fixture
def window(qtbot, default_store, tmp_path):
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#E8E8E8"),
        (QPalette.ColorRole.Base, "#17181A"),
        (QPalette.ColorRole.Text, "#E8E8E8"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def _luminance(image: QImage, x: int, y: int) -> int:
    return QColor(image.pixel(x, y)).lightness()


def test_a_dark_palette_darkens_the_diagram_and_its_cards(qtbot, window):
    """With a dark palette the canvas and the cards are dark and their text light; back to light after."""
    assert window.scene.theme is LIGHT_THEME
    window.diagram_view.setPalette(_dark_palette())
    assert window.scene.theme is DARK_THEME
    assert window.scene.backgroundBrush().color() == DARK_THEME.canvas
    image = window.diagram_view.viewport().grab().toImage()
    assert _luminance(image, 3, 3) < 60  # the canvas
    card = window.scene.edge_items()[0].card
    rect = window.diagram_view.mapFromScene(card.sceneBoundingRect()).boundingRect()
    inside = [
        _luminance(image, x, y)
        for x in range(rect.left() + 12, rect.right() - 12)
        for y in range(rect.top() + 12, rect.bottom() - 12)
    ]
    assert sum(1 for v in inside if v < 80) > len(inside) / 2  # mostly card fill, dark
    assert max(inside) > 150  # with light text on it
    window.diagram_view.setPalette(QPalette())
    assert window.scene.theme is LIGHT_THEME


def test_exports_stay_light_under_a_dark_palette(qtbot, window, tmp_path):
    """A PNG exported while the screen is dark is the light drawing (it goes into documents)."""
    window.diagram_view.setPalette(_dark_palette())
    image = QImage(str(export_png(window.scene, tmp_path / "d.png")))
    assert _luminance(image, 2, 2) > 240
    assert window.scene.theme is DARK_THEME  # the screen keeps its theme


@pytest.mark.parametrize("size", [(1024, 700), (1920, 1080)])
def test_the_window_is_usable_at_small_and_large_sizes(qtbot, window, size):
    """At 1024×700 and 1920×1080 the diagram, both tables and the detail panel are all on screen."""
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().width() == size[0])
    for widget in (window.diagram_view, window.tabs, window.detail_panel):
        assert widget.isVisible() and widget.width() >= 200 and widget.height() >= 150
    if size[0] >= 1920:
        assert window.detail_panel.width() >= 450  # it grew with the window
    assert window.diagram_view.zoom_factor() >= 0.75  # card text stays at 8 px or more
    header = window.matrix_view.horizontalHeader()
    metrics = header.fontMetrics()
    from desktop.matrix.table_model import Column as MatrixColumn
    from desktop.matrix.table_model import header_text

    for column in range(1, window.matrix_model.columnCount()):
        words = str(header_text(MatrixColumn(column))).split()
        longest = max(metrics.horizontalAdvance(w) for w in words)
        assert header.sectionSize(column) >= longest, header_text(MatrixColumn(column))
