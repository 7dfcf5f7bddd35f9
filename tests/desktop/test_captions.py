"""Captions and error lines outside the diagram follow the palette: readable (contrast at least 4.5:1)
on their background in a light and a dark palette, also after the palette changes under an open window."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QStringListModel
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QTableView

from desktop.audit.view import AuditLogDialog
from desktop.captions import MIN_CONTRAST, caption_colour, contrast_ratio
from desktop.detail.panel import DetailPanel
from desktop.events import StoreEvents
from desktop.organizations.dialog import AddOrganizationDialog
from desktop.secondary import EmptyState


def _dark_palette() -> QPalette:
    """A dark palette as a desktop theme might give it: only the main roles set, the rest left as they were."""
    palette = QPalette(QApplication.palette())
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#E8E8E8"),
        (QPalette.ColorRole.Base, "#17181A"),
        (QPalette.ColorRole.Text, "#E8E8E8"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture(params=["light", "dark"])
def theme(request, qapp):
    original = QPalette(QApplication.palette())
    if request.param == "dark":
        QApplication.setPalette(_dark_palette())
    yield request.param
    QApplication.setPalette(original)


def _text_contrast(label: QLabel, background: QColor) -> float:
    """The best contrast any pixel of the rendered label has with `background`: that of its text."""
    image = label.grab().toImage()
    return max(
        contrast_ratio(QColor(image.pixel(x, y)), background)
        for x in range(0, image.width(), 1)
        for y in range(0, image.height(), 1)
    )


def test_the_audit_logs_captions_are_readable(qtbot, mini_store, theme):
    """The note under the audit log's title and its count line are drawn readable on the window."""
    dialog = AuditLogDialog(mini_store, StoreEvents(mini_store))
    qtbot.addWidget(dialog)
    dialog.open()
    background = dialog.palette().color(QPalette.ColorRole.Window)
    for label in (dialog.count_label, dialog.findChildren(QLabel)[1]):
        colour = label.palette().color(QPalette.ColorRole.WindowText)
        assert contrast_ratio(colour, background) >= MIN_CONTRAST, (theme, label.text())
        assert colour != dialog.palette().color(QPalette.ColorRole.WindowText)  # muted, not plain text
        assert _text_contrast(label, background) >= MIN_CONTRAST


def test_captions_follow_a_palette_changed_under_an_open_window(qtbot, mini_store, qapp):
    """Switching to a dark palette while the audit log is open re-colours its caption readably."""
    original = QPalette(QApplication.palette())
    dialog = AuditLogDialog(mini_store, StoreEvents(mini_store))
    qtbot.addWidget(dialog)
    dialog.open()
    try:
        QApplication.setPalette(_dark_palette())
        qapp.processEvents()
        background = dialog.palette().color(QPalette.ColorRole.Window)
        assert background.lightness() < 60
        colour = dialog.count_label.palette().color(QPalette.ColorRole.WindowText)
        assert contrast_ratio(colour, background) >= MIN_CONTRAST
    finally:
        QApplication.setPalette(original)
        qapp.processEvents()
    light = dialog.palette().color(QPalette.ColorRole.Window)
    assert contrast_ratio(dialog.count_label.palette().color(QPalette.ColorRole.WindowText), light) >= MIN_CONTRAST


def test_an_empty_state_is_readable_on_its_view(qtbot, theme):
    """A secondary window's empty state is readable on the empty table it covers."""
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(QStringListModel([]))
    empty = EmptyState(view, lambda: "No operations yet. Add the first with Add operation… below.")
    view.resize(500, 300)
    view.show()
    background = view.viewport().palette().color(QPalette.ColorRole.Base)
    colour = empty.label.palette().color(QPalette.ColorRole.WindowText)
    assert contrast_ratio(colour, background) >= MIN_CONTRAST


def test_the_organization_dialogs_note_and_error_are_readable(qtbot, theme):
    """The add-organization dialog's note and its red error line are readable in both palettes."""
    dialog = AddOrganizationDialog(lambda _values: "There is already an organization with the code OSCE.")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.code.setText("OSCE")
    dialog.name.setText("OSCE")
    dialog.accept()
    background = dialog.palette().color(QPalette.ColorRole.Window)
    error = dialog.error.palette().color(QPalette.ColorRole.WindowText)
    assert error.red() > error.green() and contrast_ratio(error, background) >= MIN_CONTRAST
    note = next(label for label in dialog.findChildren(QLabel) if label.text().startswith("The new organization"))
    assert contrast_ratio(note.palette().color(QPalette.ColorRole.WindowText), background) >= MIN_CONTRAST


def test_the_detail_panels_review_note_keeps_dark_ink_on_its_yellow(qtbot, theme):
    """The review note draws dark text on its own yellow, so a dark palette's light text cannot vanish on it."""
    panel = DetailPanel()
    qtbot.addWidget(panel)
    panel.review.setText("Due for review: assessed as of 2007-12-31, 18 years before this date.")
    panel.review.show()
    panel.show()
    assert _text_contrast(panel.review, QColor("#FFF7B3")) >= MIN_CONTRAST


def test_caption_colour_is_readable_whatever_the_placeholder_colour():
    """A placeholder half as opaque as the text (Qt's default, 4:1 on white) is not used as it is."""
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#FFFFFF"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(0, 0, 0, 128))
    colour = caption_colour(palette)
    assert MIN_CONTRAST <= contrast_ratio(colour, QColor("#FFFFFF")) < 21


def test_the_detail_panel_and_status_summary_are_readable(qtbot, default_store, tmp_path, theme):
    """In the main window every label of the detail panel and the status bar's summary are drawn in a
    colour that reads on the window (they follow the palette, none is a fixed grey)."""
    from PySide6.QtCore import QSettings

    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.select_relationship(default_store.quadrangle.relationships()[0].id)
    background = window.palette().color(QPalette.ColorRole.Window)
    labels = [*window.detail_panel.findChildren(QLabel), window.summary_label]
    checked = 0
    for label in labels:
        if not label.isVisible() or not label.text() or label is window.detail_panel.review:
            continue
        colour = label.palette().color(label.foregroundRole())
        assert contrast_ratio(colour, background) >= MIN_CONTRAST, (theme, label.objectName())
        checked += 1
    assert checked >= 5


def test_every_filled_matrix_cell_is_readable_in_either_theme(default_store, theme):
    """The motive matrix's shaded cells keep their fills in a dark theme, so each gives its own text
    colour: at least 4.5:1 on its fill (the palette's light text on the pale shades was unreadable)."""
    from PySide6.QtCore import Qt

    from desktop.matrix.table_model import MotiveMatrixTableModel

    model = MotiveMatrixTableModel()
    model.set_state(default_store.quadrangle.state_as_of(date(2008, 6, 30)))
    checked = 0
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            fill = index.data(Qt.ItemDataRole.BackgroundRole)
            if fill is None or not index.data(Qt.ItemDataRole.DisplayRole):
                continue
            ink = index.data(Qt.ItemDataRole.ForegroundRole)
            if ink is None:
                ink = QApplication.palette().color(QPalette.ColorRole.Text)
            assert contrast_ratio(QColor(ink), QColor(fill)) >= MIN_CONTRAST, (theme, row, column)
            checked += 1
    assert checked > 30  # the weights of six relationships and the totals row


def test_the_date_fields_error_line_is_readable(qtbot, theme):
    """The error line under the window's date field is readable on the window."""
    from desktop.timeline.date_control import DateControl

    control = DateControl()
    qtbot.addWidget(control)
    control.show()
    qtbot.waitExposed(control)
    control.problem.setText("Cannot read “30.13.2001” as a date")
    control.problem.show()
    background = control.palette().color(QPalette.ColorRole.Window)
    assert _text_contrast(control.problem, background) >= MIN_CONTRAST, theme
