"""The main window: the quadrangle as of a date, as a diagram, a comparison table and a motive matrix,
with a detail panel for the selected relationship, menus, undo stack and status bar."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QUndoStack
from PySide6.QtWidgets import (
    QHeaderView,
    QMainWindow,
    QMenu,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
)

from db import EventKind, QuadrangleError, comparison_rows, existing_on, redact
from desktop.comparison.table_model import RELATIONSHIP_ID_ROLE, SORT_ROLE, ComparisonTableModel
from desktop.comparison.table_model import Column as ComparisonColumn
from desktop.detail.panel import DetailPanel
from desktop.diagram.commands import MoveOrganizationCommand, ResetLayoutCommand
from desktop.diagram.scene import QuadrangleScene
from desktop.diagram.view import DiagramView
from desktop.events import StoreEvents
from desktop.literal import isolate
from desktop.main_menus import build_menus, show_about
from desktop.matrix.table_model import Column as MatrixColumn
from desktop.matrix.table_model import MotiveMatrixTableModel
from desktop.organizations.commands import AddOrganizationCommand
from desktop.review import ReviewTracker, status_summary
from desktop.settings import AppSettings
from desktop.state_tables import fit_comparison_rows, fit_matrix_labels, table_mime_data, table_view
from desktop.status_summary import install_status_summary
from desktop.timeline.date_control import DateControl
from desktop.undo import perform, perform_or_report
from desktop.window_geometry import restore_geometry, save_geometry
from desktop.window_markings import WindowMarkings

if TYPE_CHECKING:
    from db import QuadrangleState, Staleness, Store
    from desktop.briefing.actions import BriefingActions
    from desktop.markings_dialog import MarkingsDialog
    from desktop.organizations.dialog import AddOrganizationDialog

FIRST_RUN_SIZE = (1280, 800)


class MainWindow(QMainWindow):
    """Shows the store's state as of `as_of`; every view is a projection of one `Store.state_as_of`.

    Features plug in through its public parts: the menus (`file_menu`, `edit_menu`, `view_menu`, `help_menu`),
    `undo_stack`, `events` (store changes as signals), `detail_panel.add_action(action)`, the date (`as_of`,
    `set_as_of(date)`, signal `as_of_changed(date)`) and the two selection signals: `relationship_selected(id)` when a
    relationship is selected anywhere, `relationship_activated(id)` when one is opened to edit (double-click, Enter)."""

    relationship_selected = Signal(str)
    relationship_activated = Signal(str)
    as_of_changed = Signal(object)

    # Made by desktop/main_menus.py's build_menus.
    file_menu: QMenu
    edit_menu: QMenu
    view_menu: QMenu
    help_menu: QMenu
    add_organization_action: QAction
    export_action: QAction
    undo_action: QAction
    redo_action: QAction
    copy_action: QAction
    markings_action: QAction
    markings_dialog: MarkingsDialog
    briefing: BriefingActions
    zoom_in_action: QAction
    zoom_out_action: QAction
    fit_action: QAction
    legend_action: QAction
    reset_layout_action: QAction
    today_action: QAction
    previous_year_action: QAction
    next_year_action: QAction

    def __init__(
        self,
        store: Store | None,
        settings: AppSettings,
        events: StoreEvents,
        parent=None,
        *,
        first_state: QuadrangleState | None = None,
        location_display: str = "",
    ) -> None:
        """With a store, a complete window. Without one, a first frame drawn from `first_state` (the
        start-up snapshot) that becomes complete when `attach_store` is called after it has painted."""
        super().__init__(parent)
        self.store: Store | None = None
        self.settings = settings
        self.as_of = date.today()
        self.state: QuadrangleState | None = None
        self.undo_stack = QUndoStack(self)
        self.events = events
        self._selected_id: str | None = None
        self._syncing = False
        self._location_display = redact(location_display)  # a server URL may carry a password
        self.review = ReviewTracker(settings)
        self.staleness: dict[str, Staleness] = {}
        self.drafts: set[str] = set()

        self._build_views()
        self.markings = WindowMarkings(self, self.statusBar())  # ceiling, banner (before the menus)
        self.markings.ceiling_changed.connect(lambda _level: self.refresh())
        self._build_menus()
        self._build_date_bar()
        self.summary_label, self.as_of_label = install_status_summary(self)
        restore_geometry(self, FIRST_RUN_SIZE)
        if store is not None:
            self.attach_store(store)
        elif first_state is not None:
            self.setWindowTitle(f"Quadrangle — {self._location_display}")
            self._show_state(first_state)
            self.statusBar().showMessage(f"Opening {self._location_display}…")

    def attach_store(self, store: Store) -> None:
        """Connect the window to its store: events, the full state, and every feature's menus."""
        self.store = store
        self._location_display = redact(store.location.display)  # a server URL may carry a password
        self.events.attach(store)
        self.review.attach(store)
        self.setWindowTitle(f"Quadrangle — {self._location_display}")
        self.markings.load(store)
        self.events.listen(self._store_changed)
        self.events.listen(lambda _kind, _ids: self._refresh_layout(), EventKind.LAYOUT)
        self._update_date_span()
        self.refresh()
        self._install_features()
        if store.read_only:
            self.scene.set_editable(False)
            self.add_organization_action.setEnabled(False)
            self.reset_layout_action.setEnabled(False)

    def _install_features(self) -> None:
        """Features add their menus, actions and panels here (each through one install function).

        They are imported here, after the first paint, not with this module: the first frame is drawn
        before any of them loads."""
        from desktop.assessments import install_assessments
        from desktop.backups import install_backups
        from desktop.briefing import install_briefing
        from desktop.exchange import install_exchange
        from desktop.lessons import install_lessons  # imports the Store
        from desktop.teamserver import install_team_server

        install_backups(self)
        install_team_server(self)  # before the assessments' Preferences…, which stays just above Quit
        install_assessments(self)
        install_briefing(self)
        install_exchange(self)
        install_lessons(self)
        from desktop.window_extras import install_window_extras  # help, files, accessible names

        install_window_extras(self)

    # -- building ------------------------------------------------------------------------------

    def _build_views(self) -> None:
        self.scene = QuadrangleScene(self)
        self.diagram_view = DiagramView(self.scene, self)
        self.scene.relationship_selected.connect(lambda rel_id: self._selected_in_view(rel_id or None))
        self.scene.relationship_activated.connect(self.relationship_activated)
        self.scene.organization_moved.connect(self._organization_moved)
        self.diagram_view.relationship_activated.connect(self.relationship_activated)

        self.comparison_model = ComparisonTableModel(self)
        self.comparison_proxy = QSortFilterProxyModel(self)
        self.comparison_proxy.setSourceModel(self.comparison_model)
        self.comparison_proxy.setSortRole(SORT_ROLE)
        self.comparison_view = table_view("comparisonTable", self)
        self.comparison_view.setModel(self.comparison_proxy)
        self.comparison_view.setSortingEnabled(True)
        self.comparison_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        header = self.comparison_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((95, 165, 190, 300, 100, 95, 130)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(ComparisonColumn.COOPERATION, QHeaderView.ResizeMode.Stretch)
        self.comparison_proxy.layoutChanged.connect(self._fit_comparison_rows)

        self.matrix_model = MotiveMatrixTableModel(self)
        self.matrix_view = table_view("motiveMatrix", self)
        self.matrix_view.setModel(self.matrix_model)
        matrix_header = self.matrix_view.horizontalHeader()
        matrix_header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        matrix_header.setSectionResizeMode(MatrixColumn.RELATIONSHIP, QHeaderView.ResizeMode.Fixed)
        matrix_header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.matrix_view.verticalHeader().setDefaultSectionSize(self.matrix_view.fontMetrics().lineSpacing() + 8)

        for view in (self.comparison_view, self.matrix_view):
            view.selectionModel().currentRowChanged.connect(self._table_row_changed)
            # `activated` is Enter, and a double-click (or a single click where the platform wants it).
            view.activated.connect(self._activate_index)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("viewTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.comparison_view, "Comparison table")
        self.tabs.addTab(self.matrix_view, "Motive matrix")

        self.detail_panel = DetailPanel(self)
        self.detail_panel.milestone_activated.connect(self._show_milestone)

        self.left_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.left_splitter.setObjectName("leftSplitter")
        self.left_splitter.addWidget(self.diagram_view)
        self.left_splitter.addWidget(self.tabs)
        self.left_splitter.setStretchFactor(0, 3)
        self.left_splitter.setStretchFactor(1, 2)
        self.left_splitter.setChildrenCollapsible(False)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.left_splitter)
        self.main_splitter.addWidget(self.detail_panel)
        # The detail panel takes a quarter of any extra width: at 1920 px its lessons are not squeezed.
        self.main_splitter.setStretchFactor(0, 3)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.main_splitter)

    def _show_milestone(self, milestone_id: str) -> None:
        from desktop.detail.milestone import show_milestone  # on first use: not part of the first frame (issue 22)

        show_milestone(self, self.store, self._selected_id, milestone_id, self.markings.ceiling)

    def _build_date_bar(self) -> None:
        self.date_control = DateControl(self)
        self.date_control.date_changed.connect(self.set_as_of)
        self.date_bar = QToolBar("Date", self)
        self.date_bar.setObjectName("dateToolBar")
        self.date_bar.setMovable(False)
        self.date_bar.addWidget(self.date_control)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.date_bar)

    def _build_menus(self) -> None:
        build_menus(self)

    # -- the date ------------------------------------------------------------------------------

    def set_as_of(self, value: date) -> None:
        """Show the quadrangle as of `value` everywhere; emits `as_of_changed` when it changes."""
        if value == self.as_of:
            return
        self.as_of = value
        self.date_control.set_date(value)
        self.refresh()
        self.as_of_changed.emit(value)

    def step_year(self, years: int) -> None:
        try:
            target = self.as_of.replace(year=self.as_of.year + years)
        except ValueError:  # 29 February
            target = self.as_of.replace(year=self.as_of.year + years, day=28)
        self.set_as_of(min(target, date.today()))

    def _update_date_span(self) -> None:
        span = self.store.quadrangle.history_span() if self.store is not None else None
        today = date.today()
        first = date(span[0].year, 1, 1) if span else today - timedelta(days=3650)
        self.date_control.set_span(first, today)
        self.date_control.set_date(self.as_of)

    # -- refreshing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every view from the store's state as of the current date (one read transaction)."""
        if self.store is not None:
            self._show_state(self.store.quadrangle.state_as_of(self.as_of, max_marking=self.markings.ceiling))

    def _show_state(self, state: QuadrangleState) -> None:
        state = existing_on(state)  # an organization is not drawn before its founding date
        self.state = state
        self._syncing = True
        try:
            self.staleness = self.review.staleness(state)
            self.drafts = self.review.drafts()
            self.scene.set_state(state, self.staleness, self.drafts)
            self.comparison_model.set_rows(comparison_rows(state), self.staleness, self.drafts)
            self.matrix_model.set_state(state)
            self._fit_comparison_rows()
            self._fit_matrix_labels(state)
        finally:
            self._syncing = False
        if self._selected_id is not None and not any(
            r.relationship.id == self._selected_id for r in state.relationships
        ):
            self._selected_id = None
        self._show_selection()
        self._update_status()
        self.markings.show_level(state)

    def _fit_comparison_rows(self) -> None:
        fit_comparison_rows(self.comparison_view, self.comparison_proxy, self.comparison_model)

    def _fit_matrix_labels(self, state: QuadrangleState) -> None:
        fit_matrix_labels(self.matrix_view, state)

    def _refresh_layout(self) -> None:
        """Only positions changed (a drag or its undo): move the nodes, no need to reload the state."""
        if self.state is None or self.store is None:
            return
        organizations = tuple(o for o in self.store.quadrangle.organizations() if o.exists_on(self.as_of))
        self.state = dataclasses.replace(self.state, organizations=organizations)
        self.scene.set_state(self.state, self.staleness, self.drafts)

    def _store_changed(self, kind: EventKind, _ids: tuple[str, ...]) -> None:
        if kind == EventKind.LAYOUT:
            return
        if kind == EventKind.MARKINGS and self.store is not None:
            self.markings.load(self.store)
        self.review.forget()
        self._update_date_span()  # a new version, a restored backup... may move the ends of the history
        self.refresh()

    def _update_status(self) -> None:
        state = self.state
        if state is None:
            return
        self.as_of_label.setText(f"As of {self.as_of.isoformat()}")
        self.summary_label.setText(
            f"{len(state.organizations)} organizations · {len(state.relationships)} relationships · "
            f"{status_summary(self.staleness)} · {isolate(self._location_display)}"
        )
        if self.statusBar().currentMessage().startswith("Opening "):
            self.statusBar().clearMessage()

    # -- selection -----------------------------------------------------------------------------

    def selected_relationship_id(self) -> str | None:
        return self._selected_id

    def select_relationship(self, relationship_id: str | None) -> None:
        """Select a relationship in the diagram, the table and the matrix, and show it in the detail panel."""
        if relationship_id == self._selected_id:
            return
        self._selected_id = relationship_id
        self._show_selection()
        if relationship_id:
            self.relationship_selected.emit(relationship_id)

    def _selected_in_view(self, relationship_id: str | None) -> None:
        if not self._syncing:
            self.select_relationship(relationship_id)

    def _table_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._syncing and current.isValid():
            self.select_relationship(current.data(RELATIONSHIP_ID_ROLE))

    def _show_selection(self) -> None:
        rel_id = self._selected_id
        self._syncing = True
        try:
            self.scene.select_relationship(rel_id)
            self._select_row(self.comparison_view, self._comparison_index(rel_id))
            row = self.matrix_model.row_of(rel_id) if rel_id else -1
            self._select_row(self.matrix_view, self.matrix_model.index(row, 0) if row >= 0 else QModelIndex())
        finally:
            self._syncing = False
        if rel_id is None or self.state is None or self.store is None:
            self.detail_panel.clear()
            return
        self.detail_panel.show_relationship(
            self.state.relationship(rel_id),
            self.as_of,
            self.store.catalog.milestones(rel_id),
            self.store.catalog.cooperation(rel_id),
            self.markings.filter(self.store.lessons.all(rel_id)),
            self.staleness.get(rel_id),
        )

    def _comparison_index(self, rel_id: str | None) -> QModelIndex:
        row = self.comparison_model.row_of(rel_id) if rel_id else -1
        if row < 0:
            return QModelIndex()
        return self.comparison_proxy.mapFromSource(self.comparison_model.index(row, 0))

    @staticmethod
    def _select_row(view: QTableView, index: QModelIndex) -> None:
        selection = view.selectionModel()
        if not index.isValid():
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)
            return
        if selection.currentIndex().row() != index.row() or not selection.isRowSelected(index.row()):
            selection.setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            )
        view.scrollTo(index)

    def _activate_index(self, index: QModelIndex) -> None:
        rel_id = index.data(RELATIONSHIP_ID_ROLE) if index.isValid() else None
        if rel_id:
            self.relationship_activated.emit(rel_id)

    # -- actions -------------------------------------------------------------------------------

    def _organization_moved(self, organization_id: str, _old, new) -> None:
        code = self.scene.node_item(organization_id).organization.code
        assert self.store is not None  # the diagram takes drags only once a store is attached
        command = MoveOrganizationCommand(
            self.store, {organization_id: tuple(new)}, f"Move {code}", self._report_undo_failure
        )
        try:
            perform(self.undo_stack, command)
        except QuadrangleError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            self._refresh_layout()  # put the node back where the store has it

    def _report_undo_failure(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def reset_layout(self) -> None:
        if self.state is not None and any(o.layout_x is not None for o in self.state.organizations):
            assert self.store is not None  # a state with organizations comes from an attached store
            command = ResetLayoutCommand(
                self.store, [o.id for o in self.state.organizations], self._report_undo_failure
            )
            perform_or_report(self.undo_stack, command, self._report_undo_failure)
        self.diagram_view.fit_to_window()

    def show_add_organization(self) -> AddOrganizationDialog:
        """Open the add-organization dialog (window-modal); returns it so tests can drive it."""
        from desktop.organizations.dialog import AddOrganizationDialog  # not needed for the first paint

        dialog = AddOrganizationDialog(self._submit_organization, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _submit_organization(self, values: dict) -> str:
        assert self.store is not None  # the dialog is opened from a window with its store attached
        command = AddOrganizationCommand(self.store, **values, report=self._report_undo_failure)
        try:
            perform(self.undo_stack, command)
        except QuadrangleError as exc:
            return str(exc)
        self.statusBar().showMessage(f"Added {values['code']} and its relationships.", 5000)
        return ""

    def ask_export_path(self) -> str | None:
        """Ask the highest marking to include (into `export_limit`), then where to export the diagram;
        replaceable in tests."""
        chosen, self.export_limit = self.ask_export_limit("Export diagram")
        if not chosen:
            return None
        folder = self.settings.last_export_folder
        name = f"quadrangle-{self.as_of.isoformat()}.png"
        suggested = f"{folder}/{name}" if folder else name
        from PySide6.QtWidgets import QFileDialog  # not with the window: no first frame shows it

        from desktop.diagram.export import EXPORT_FILTERS

        path, _filter = QFileDialog.getSaveFileName(self, "Export diagram", suggested, EXPORT_FILTERS)
        return path or None

    def export_diagram(self) -> None:
        """File > Export diagram: PNG, SVG or PDF by the chosen suffix (desktop/diagram/export_action.py)."""
        from desktop.diagram.export_action import export_diagram_from

        export_diagram_from(self)

    def copy_table(self) -> None:
        """Copy the visible table, in its current order, as HTML and tab-separated text (Word pastes a
        table), between the lines of its marking."""
        view = self.tabs.currentWidget()
        assert isinstance(view, QTableView)  # every tab is a table
        model = view.model()
        caption = f"{self.tabs.tabText(self.tabs.currentIndex())} as of {self.as_of.isoformat()}"
        banner = self.markings.scheme.banner(self.markings.level)
        QGuiApplication.clipboard().setMimeData(table_mime_data(model, caption, banner))
        self.statusBar().showMessage(f"Copied {model.rowCount()} rows.", 3000)

    def ask_export_limit(self, title: str) -> tuple[bool, str | None]:
        """ "Highest marking to include" for an export (the view ceiling first); replaceable in tests."""
        return self.markings.ask_export_limit(title)

    def show_about(self) -> None:
        show_about(self)

    # -- geometry (desktop/window_geometry.py) -------------------------------------------------------

    def save_geometry(self) -> None:
        save_geometry(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        self.events.detach()  # the window's views and features stop refreshing once it is closed
        super().closeEvent(event)
