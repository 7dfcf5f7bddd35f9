"""The main window: the quadrangle's relationships as of a date, with menus, undo stack and status bar."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMainWindow, QMessageBox, QTableView

from desktop import __version__
from desktop.backups import install_backups
from desktop.comparison.table_model import RELATIONSHIP_ID_ROLE, SORT_ROLE, ComparisonTableModel
from desktop.events import StoreEvents
from desktop.lessons import install_lessons
from desktop.settings import AppSettings
from desktop.teamserver import install_team_server

if TYPE_CHECKING:
    from db import Store

SOURCE_REPORT = (
    "Kristin M. Haugevik, New partners, new possibilities: the evolution of inter-organizational "
    "security cooperation in international peace operations (NUPI, Security in Practice no. 6)"
)


class MainWindow(QMainWindow):
    """Shows the store's state as of `as_of`; every view is a projection of `Store.state_as_of`.

    Features plug in through its public parts: the menus (`file_menu`, `edit_menu`, `view_menu`,
    `help_menu`), `undo_stack`, `events` (store changes as signals), and the two selection signals:
    `relationship_selected(id)` when a relationship is selected anywhere, `relationship_activated(id)`
    when one is opened (double-click or Enter) for editing.
    """

    relationship_selected = Signal(str)
    relationship_activated = Signal(str)

    def __init__(self, store: Store, settings: AppSettings, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.as_of = date.today()
        self.undo_stack = QUndoStack(self)
        self.events = StoreEvents(store, self)
        self.setWindowTitle(f"Quadrangle — {store.location.display}")

        self.comparison_model = ComparisonTableModel(self)
        self.comparison_proxy = QSortFilterProxyModel(self)
        self.comparison_proxy.setSourceModel(self.comparison_model)
        self.comparison_proxy.setSortRole(SORT_ROLE)
        self.comparison_view = QTableView(self)
        self.comparison_view.setObjectName("comparisonTable")
        self.comparison_view.setModel(self.comparison_proxy)
        # Keep the report's order until the user clicks a header.
        self.comparison_view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.comparison_view.setSortingEnabled(True)
        self.comparison_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.comparison_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.comparison_view.setWordWrap(True)
        self.comparison_view.verticalHeader().setVisible(False)
        self.comparison_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.comparison_view.horizontalHeader().setStretchLastSection(True)
        self.comparison_view.doubleClicked.connect(self._activate_index)
        self.comparison_view.activated.connect(self._activate_index)
        self.comparison_view.selectionModel().currentRowChanged.connect(self._select_index)
        self.setCentralWidget(self.comparison_view)

        self._build_menus()
        install_lessons(self)
        self.as_of_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.as_of_label)
        self.events.changed.connect(lambda *_: self.refresh())
        self.refresh()
        self._restore_geometry()
        install_backups(self)
        install_team_server(self)

    def _build_menus(self) -> None:
        file_menu = self.file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(quit_action)

        edit_menu = self.edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addActions([self.undo_action, self.redo_action])

        self.view_menu = self.menuBar().addMenu("&View")
        self.view_menu.addAction(
            QAction("&Refresh", self, shortcut=QKeySequence.StandardKey.Refresh, triggered=self.refresh)
        )

        help_menu = self.help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Quadrangle", self, triggered=self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(about)

    def selected_relationship_id(self) -> str | None:
        index = self.comparison_view.currentIndex()
        return index.data(RELATIONSHIP_ID_ROLE) if index.isValid() else None

    def _select_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.relationship_selected.emit(index.data(RELATIONSHIP_ID_ROLE))

    def _activate_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.relationship_activated.emit(index.data(RELATIONSHIP_ID_ROLE))

    def refresh(self) -> None:
        """Reload every view from the store's state as of the current date."""
        rows = self.store.comparison_table(self.as_of)
        self.comparison_model.set_rows(rows)
        self.comparison_view.resizeRowsToContents()
        self.as_of_label.setText(f"As of {self.as_of.isoformat()}")
        self.statusBar().showMessage(f"{len(rows)} relationships · {self.store.location.display}")

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About Quadrangle")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            f"Quadrangle {__version__}\n\nAssessments of security cooperation between the UN, NATO, the EU "
            f"and the AU.\n\nDefault dataset after: {SOURCE_REPORT}."
        )
        box.open()

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 720)
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        self.events.detach()
        super().closeEvent(event)
