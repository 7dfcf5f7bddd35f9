"""The add-organization dialog's founding date: typed as ISO or in the locale, refused visibly when it
cannot be read, and the new organization not drawn before it."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt

from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.organizations.dialog import AddOrganizationDialog
from desktop.settings import AppSettings


@pytest.fixture
def window(qtbot, default_store, tmp_path):
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _fill(qtbot, dialog: AddOrganizationDialog, founded: str) -> None:
    qtbot.keyClicks(dialog.code, "OSCE")
    qtbot.keyClicks(dialog.name, "Organization for Security and Co-operation in Europe")
    line = dialog.founded.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, founded)


def test_a_typed_founding_date_is_stored_and_the_organization_is_not_drawn_before_it(qtbot, window):
    """OSCE founded 1995-01-01 (typed in ISO): stored, absent from the 1994 diagram, drawn in 1996;
    undo removes it."""
    dialog = window.show_add_organization()
    _fill(qtbot, dialog, "1995-01-01")
    with qtbot.waitSignal(dialog.organization_added, timeout=2000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    osce = next(o for o in window.store.quadrangle.organizations() if o.code == "OSCE")
    assert osce.founded == date(1995, 1, 1)
    window.set_as_of(date(1994, 6, 1))
    assert "OSCE" not in {n.organization.code for n in window.scene.node_items()}
    window.set_as_of(date(1996, 6, 1))
    assert "OSCE" in {n.organization.code for n in window.scene.node_items()}
    window.undo_stack.undo()
    assert "OSCE" not in {o.code for o in window.store.quadrangle.organizations()}


def test_a_founding_date_in_the_locale_is_read(qtbot, window):
    """In a Norwegian locale 1.8.1975 is 1 August 1975."""
    dialog = window.show_add_organization()
    dialog.founded.setLocale(QLocale(QLocale.Language.NorwegianBokmal, QLocale.Country.Norway))
    _fill(qtbot, dialog, "1.8.1975")
    with qtbot.waitSignal(dialog.organization_added, timeout=2000):
        dialog.accept()
    assert next(o for o in window.store.quadrangle.organizations() if o.code == "OSCE").founded == date(1975, 8, 1)


def test_an_unreadable_founding_date_is_refused_visibly_and_nothing_is_added(qtbot, window):
    """ "sometime in 1975" is refused in the dialog's own words; the dialog stays open, no organization added."""
    dialog = window.show_add_organization()
    _fill(qtbot, dialog, "sometime in 1975")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and not dialog.error.isHidden()
    assert "Cannot read “sometime in 1975”" in dialog.error.text()
    assert "OSCE" not in {o.code for o in window.store.quadrangle.organizations()}


def test_not_known_adds_the_organization_without_a_founding_date(qtbot, window):
    """Left at "Not known", the organization has no founding date and is drawn on every date."""
    dialog = window.show_add_organization()
    assert dialog.founded.text() == "Not known"
    qtbot.keyClicks(dialog.code, "OSCE")
    qtbot.keyClicks(dialog.name, "Organization for Security and Co-operation in Europe")
    with qtbot.waitSignal(dialog.organization_added, timeout=2000):
        dialog.accept()
    assert next(o for o in window.store.quadrangle.organizations() if o.code == "OSCE").founded is None
    window.set_as_of(date(1950, 1, 1))
    assert "OSCE" in {n.organization.code for n in window.scene.node_items()}
