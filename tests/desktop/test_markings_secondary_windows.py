"""The view ceiling reaches every secondary window (issue 17, item 5): the lessons browser, its trash,
the theme overview, the history, the reversals, the sources library and the operations window filter
the way an export limit does, follow the main window's ceiling live, and name the highest marking
they show on their own banner."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QLabel, QPlainTextEdit, QWidget

from db import LessonInput, LessonKind, Store
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.settings import AppSettings
from tests.markings_helpers import (
    CONFIDENTIAL_TEXT,
    REVERSAL_SECRET_TEXT,
    SECRET_TEXTS,
    add_marked_material,
    add_marked_reversals,
)

TRASHED_SECRET = "Trashed secret finding TSF"
WITHHELD_TEXTS = (CONFIDENTIAL_TEXT, REVERSAL_SECRET_TEXT, TRASHED_SECRET, *SECRET_TEXTS)
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


@pytest.fixture
def window(qtbot, mini_db_path, tmp_path):
    store = Store.open(mini_db_path, actor="tester")
    ids = add_marked_material(store)
    add_marked_reversals(store, ids["relationship"])
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(store, settings, StoreEvents(store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.ids = ids
    yield window
    store.close()


def _count(method) -> int:
    """rowCount/columnCount; a list model whose binding keeps columnCount private has one column."""
    try:
        return method(QModelIndex())
    except TypeError:
        return 1


def _texts(widget: QWidget) -> str:
    """Every text the window shows: each cell (display and tooltip) and header of its views, its
    labels and its text panes."""
    found = []
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        columns = _count(model.columnCount)
        for column in range(columns):
            found.append(str(model.headerData(column, Qt.Orientation.Horizontal) or ""))
        for row in range(_count(model.rowCount)):
            found.append(str(model.headerData(row, Qt.Orientation.Vertical) or ""))
            for column in range(columns):
                index = model.index(row, column)
                found += [str(index.data(role) or "") for role in ROLES]
    found += [label.text() + label.toolTip() for label in widget.findChildren(QLabel)]
    found += [pane.toPlainText() for pane in widget.findChildren(QPlainTextEdit)]
    return "\n".join(found)


def _open_all(window) -> dict[str, QWidget]:
    """Every secondary window, with a relationship's history showing its newest version."""
    lessons = window.lessons_feature
    trashed = window.store.lessons.add(
        LessonInput(
            finding=TRASHED_SECRET,
            kind=LessonKind.CHALLENGE,
            recorded_on=date(2008, 2, 3),
            relationship_ids=(window.ids["relationship"],),
            theme_keys=("mandate",),
            marking="SECRET",
        )
    )
    window.store.lessons.delete(trashed.id)  # the trash holds a SECRET lesson
    history = window.assessments.open_history(window.ids["relationship"])
    return {
        "browser": lessons.show_browser(),
        "trash": lessons.show_trash(),
        "overview": lessons.show_theme_overview(),
        "sources": lessons.show_sources(),
        "operations": lessons.show_operations(),
        "history": history,
        "reversals": window.assessments.open_reversals(),
    }


def test_no_withheld_text_in_any_secondary_window_at_the_ceiling_and_it_comes_back_when_raised(window, qtbot):
    """At UNCLASSIFIED no cell, label or pane of any secondary window carries text of a CONFIDENTIAL
    or SECRET item, and each banner says UNCLASSIFIED; raising the ceiling brings it back, live."""
    windows = _open_all(window)
    windows["history"].select_version(window.ids["version"])  # the CONFIDENTIAL version's row
    everything = "\n".join(_texts(w) for w in windows.values())
    for text in WITHHELD_TEXTS:
        assert text in everything, f"{text} is not shown at all without a ceiling"

    window.markings.set_ceiling("UNCLASSIFIED")
    windows["history"].select_version(window.ids["version"])  # the CONFIDENTIAL version's row
    for name, widget in windows.items():
        shown = _texts(widget)
        for text in WITHHELD_TEXTS:
            assert text not in shown, f"{text} shown in the {name} window at UNCLASSIFIED"
        assert widget.ceiling.banner.text().strip() == "UNCLASSIFIED", name
    assert "Open finding citing a secret source" in _texts(windows["browser"])

    window.markings.set_ceiling(None)
    windows["history"].select_version(window.ids["version"])
    everything = "\n".join(_texts(w) for w in windows.values())
    for text in WITHHELD_TEXTS:
        assert text in everything, f"{text} did not come back when the ceiling was raised"
    assert windows["browser"].ceiling.banner.text().strip() == "SECRET"


def test_a_withheld_version_in_the_history_says_withheld_and_nothing_else(window):
    """Its row keeps its date, its phase reads "withheld", the other cells are empty, its details
    say why, and it cannot be restored or compared."""
    from desktop.assessments.history import VersionColumn

    history = window.assessments.open_history(window.ids["relationship"])
    window.markings.set_ceiling("RESTRICTED")
    model = history.model
    row = model.row_of(window.ids["version"])
    cells = [model.index(row, c).data() for c in VersionColumn]
    assert cells[VersionColumn.AS_OF] == "2008-01-31" and cells[VersionColumn.PHASE] == "withheld"
    assert all(not cells[c] for c in VersionColumn if c not in (VersionColumn.AS_OF, VersionColumn.PHASE))
    history.select_version(window.ids["version"])
    details = history.details.toPlainText()
    assert "withheld" in details and "above RESTRICTED" in details and CONFIDENTIAL_TEXT not in details
    assert not history.restore_button.isEnabled() and not history.restore_selected()
    assert "withheld above RESTRICTED" in history.subtitle.text()
    assert "Courtship" in history.subtitle.text()  # the newest version at this level is in force here


def test_a_reversal_from_a_withheld_version_reads_moved_from_withheld(window):
    """The UNCLASSIFIED reversal stays, with "withheld" for the CONFIDENTIAL phase it left; the
    SECRET reversal is not listed."""
    from desktop.assessments.reversals import ReversalColumn

    dialog = window.assessments.open_reversals()
    assert dialog.model.rowCount() == 2
    window.markings.set_ceiling("UNCLASSIFIED")
    assert dialog.model.rowCount() == 1
    assert dialog.model.index(0, ReversalColumn.FROM).data() == "withheld"
    assert dialog.model.index(0, ReversalColumn.RATIONALE).data() == "Open rationale after a classified step"


def test_counts_in_the_browser_the_overview_and_the_operations_count_only_what_the_ceiling_shows(window):
    """The browser's "N lessons", the overview's cells and the sources' "Cited" column leave out what is withheld."""
    lessons = window.lessons_feature
    browser = lessons.show_browser()
    overview = lessons.show_theme_overview()
    before = browser.model.rowCount()
    window.markings.set_ceiling("UNCLASSIFIED")
    assert browser.model.rowCount() == before - 1
    assert browser.status.text().startswith(f"{before - 1} lessons up to UNCLASSIFIED")
    themes = [overview.model.headerData(r, Qt.Orientation.Vertical) for r in range(overview.model.rowCount())]
    assert not any("Covert liaison QQT" in str(t) for t in themes)
    assert browser.theme.findText("Covert liaison QQT") < 0
    sources = lessons.show_sources()
    assert not any("Secretauthor" in sources.model.index(r, 0).data() for r in range(sources.model.rowCount()))


def test_a_window_opened_on_its_own_shows_everything(qtbot, mini_db_path):
    """Without a main window there is no ceiling: the browser lists every lesson, banner SECRET."""
    from desktop.lessons.browser import LessonsBrowser

    store = Store.open(mini_db_path, actor="tester")
    add_marked_material(store)
    try:
        browser = LessonsBrowser(store)
        qtbot.addWidget(browser)
        assert "Secret finding OMX" in _texts(browser)
        assert browser.ceiling.banner.text().strip() == "SECRET"
    finally:
        store.close()


def test_ctrl_c_in_a_secondary_window_copies_between_banner_lines_never_a_bare_cell(window, qtbot):
    """Qt's own Ctrl+C copies one cell with no marking; in every secondary window it copies the table
    between two lines of the window's banner, at the ceiling's level, with nothing withheld."""
    from PySide6.QtWidgets import QApplication

    window.markings.set_ceiling("UNCLASSIFIED")
    for name, widget in _open_all(window).items():
        widget.activateWindow()
        qtbot.waitUntil(lambda w=widget: QApplication.activeWindow() is w)  # not the main window's Copy table
        view = widget.table
        view.setFocus()
        if view.model().rowCount():
            view.setCurrentIndex(view.model().index(0, 0))
        QApplication.clipboard().setText("nothing copied")
        qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
        lines = QApplication.clipboard().text().splitlines()
        assert lines[0] == lines[-1] == "UNCLASSIFIED", name
        html = QApplication.clipboard().mimeData().html()
        assert html.count("UNCLASSIFIED") >= 2 and widget.windowTitle() in html, name
        for text in WITHHELD_TEXTS:
            assert text not in QApplication.clipboard().text() and text not in html, (name, text)


def test_the_audit_log_withholds_what_a_change_did_to_an_item_above_the_ceiling(window, qtbot):
    """The audit log quotes a lesson's finding and a source's title when they are added: at UNCLASSIFIED
    those rows of the SECRET lesson and source say "withheld" instead, and the text returns, live,
    when the ceiling is lifted."""
    from desktop.audit.view import AuditLogDialog

    dialog = AuditLogDialog(window.store, window.events, parent=window)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    assert "Secret finding OMX" in _texts(dialog) or "Hidden title ZQX" in _texts(dialog)
    window.markings.set_ceiling("UNCLASSIFIED")
    shown = _texts(dialog)
    for text in ("Secret finding OMX", "Hidden title ZQX", "Secretauthor"):
        assert text not in shown
    assert "(withheld: this lesson is marked above UNCLASSIFIED)" in shown
    window.markings.set_ceiling(None)
    assert "Secret finding OMX" in _texts(dialog) or "Hidden title ZQX" in _texts(dialog)
    dialog.close()
