"""The main window driven like a user: shared selection, time travel, dragging with undo, adding an
organization, exporting, and geometry kept between runs."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QDate, QEvent, QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QAction, QHelpEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QToolTip

from db import Phase
from desktop.diagram.geometry import polygon_positions
from desktop.diagram.style import PHASE_COLOURS
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.organizations.dialog import AddOrganizationDialog
from desktop.settings import AppSettings


@pytest.fixture
def settings(tmp_path):
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot, default_store, settings):
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _rel_id(window, key: str) -> str:
    return window.store.quadrangle.find_relationship(key).id


def _view_point(window, scene_point: QPointF) -> QPoint:
    return window.diagram_view.mapFromScene(scene_point)


def _click_table_row(qtbot, view, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_clicking_an_edge_selects_it_everywhere(qtbot, window):
    """A click on an edge selects that relationship in the table, the matrix and the detail panel."""
    rel_id = _rel_id(window, "NATO-EU")
    edge = window.scene.edge_item(rel_id)
    point = _view_point(window, edge.line().pointAt(0.15))
    with qtbot.waitSignal(window.relationship_selected) as blocker:
        qtbot.mouseClick(window.diagram_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [rel_id]
    assert window.selected_relationship_id() == rel_id
    assert window.comparison_view.currentIndex().data(Qt.ItemDataRole.DisplayRole) == "NATO–EU"
    assert window.matrix_view.currentIndex().data(Qt.ItemDataRole.DisplayRole) == "NATO–EU"
    assert window.detail_panel.title.text() == "NATO–EU"
    assert window.detail_panel.milestones.count() > 0


def test_clicking_a_table_row_selects_the_edge(qtbot, window):
    """Selecting a row of the comparison table selects the same relationship's edge in the diagram."""
    row = 2
    expected = window.comparison_proxy.index(row, 0).data(Qt.ItemDataRole.DisplayRole)
    _click_table_row(qtbot, window.comparison_view, row)
    selected = window.scene.selected_relationship_id()
    assert window.scene.edge_item(selected).label == expected
    assert window.detail_panel.title.text() == expected


def test_clicking_a_matrix_row_selects_the_edge(qtbot, window):
    """Selecting a row of the motive matrix selects the relationship in the diagram and the table."""
    window.tabs.setCurrentWidget(window.matrix_view)
    _click_table_row(qtbot, window.matrix_view, 3)
    label = window.matrix_model.index(3, 0).data()
    assert window.scene.edge_item(window.scene.selected_relationship_id()).label == label
    assert window.comparison_view.currentIndex().data() == label


def test_keyboard_moves_between_relationships_and_enter_opens(qtbot, window):
    """Arrow keys and Tab step through the relationships in the diagram; Enter activates the selected one."""
    ids = window.scene.relationship_ids()
    window.diagram_view.setFocus()
    qtbot.keyClick(window.diagram_view, Qt.Key.Key_Right)
    assert window.selected_relationship_id() == ids[0]
    qtbot.keyClick(window.diagram_view, Qt.Key.Key_Tab)
    assert window.selected_relationship_id() == ids[1]
    assert (
        window.comparison_view.currentIndex().data(Qt.ItemDataRole.DisplayRole) == window.scene.edge_item(ids[1]).label
    )
    qtbot.keyClick(window.diagram_view, Qt.Key.Key_Left)
    assert window.selected_relationship_id() == ids[0]
    with qtbot.waitSignal(window.relationship_activated) as blocker:
        qtbot.keyClick(window.diagram_view, Qt.Key.Key_Return)
    assert blocker.args == [ids[0]]


def test_double_clicking_a_table_row_activates_it(qtbot, window):
    """Double-clicking a row opens that relationship (relationship_activated)."""
    rect = window.comparison_view.visualRect(window.comparison_proxy.index(0, 1))
    expected = window.comparison_proxy.index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    qtbot.mouseClick(window.comparison_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(window.relationship_activated) as blocker:
        qtbot.mouseDClick(window.comparison_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.scene.edge_item(blocker.args[0]).label == expected


def test_the_date_field_takes_every_view_back_in_time(qtbot, window):
    """Typing an earlier date recolours the diagram, refills table and matrix, and Today comes back."""
    rel_id = _rel_id(window, "UN-EU")
    window.select_relationship(rel_id)
    with qtbot.waitSignal(window.as_of_changed) as blocker:
        window.date_control.date_edit.setDate(QDate(2001, 6, 1))
    assert blocker.args == [date(2001, 6, 1)]
    assert window.as_of == date(2001, 6, 1)
    assert window.scene.edge_item(rel_id).colours == (PHASE_COLOURS[Phase.COURTSHIP], PHASE_COLOURS[Phase.NEGOTIATION])
    row = window.comparison_model.row_of(rel_id)
    assert window.comparison_model.index(row, 1).data() == "Courtship/negotiation"
    assert window.selected_relationship_id() == rel_id
    assert "2001-06-01" in window.as_of_label.text()
    with qtbot.waitSignal(window.as_of_changed):
        qtbot.mouseClick(window.date_control.today_button, Qt.MouseButton.LeftButton)
    assert window.as_of == date.today()
    assert window.scene.edge_item(rel_id).colours == (PHASE_COLOURS[Phase.MAINTENANCE],)


def test_the_slider_changes_the_date(qtbot, window):
    """Moving the slider to its start shows the quadrangle at the beginning of the history."""
    slider = window.date_control.slider
    slider.setFocus()
    with qtbot.waitSignal(window.as_of_changed):
        qtbot.keyClick(slider, Qt.Key.Key_Home)
    assert window.as_of == date(window.store.quadrangle.history_span()[0].year, 1, 1)
    assert window.date_control.date_edit.date() == QDate(window.as_of.year, 1, 1)


def _send_mouse(widget, kind, pos: QPoint, button, buttons) -> None:
    event = QMouseEvent(
        kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


def test_dragging_a_node_saves_the_layout_and_one_undo_restores_it(qtbot, window):
    """A drag is one undo step: the store gets the new position, undo returns it to the automatic place."""
    un = window.store.quadrangle.organizations()[0]
    node = window.scene.node_item(un.id)
    start_scene = node.pos()
    viewport = window.diagram_view.viewport()
    start = _view_point(window, start_scene)
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    _send_mouse(viewport, QEvent.Type.MouseButtonPress, start, left, left)
    for step in range(1, 6):
        _send_mouse(viewport, QEvent.Type.MouseMove, start + QPoint(8 * step, 6 * step), none, left)
    _send_mouse(viewport, QEvent.Type.MouseButtonRelease, start + QPoint(40, 30), left, none)
    saved = window.store.quadrangle.organizations()[0]
    assert saved.layout_x is not None
    assert (saved.layout_x, saved.layout_y) == pytest.approx((node.pos().x(), node.pos().y()))
    assert saved.layout_x > start_scene.x()
    assert all(node.pos() in (e.line().p1(), e.line().p2()) for e in node.edges)  # the edges followed
    assert window.undo_stack.count() == 1
    window.undo_action.trigger()
    assert window.store.quadrangle.organizations()[0].layout_x is None
    assert node.pos() == start_scene
    window.redo_action.trigger()
    assert window.store.quadrangle.organizations()[0].layout_x == pytest.approx(saved.layout_x)


def test_adding_an_organization_adds_its_relationships_and_relays_out(qtbot, window):
    """The dialog adds OSCE with four new relationships; the diagram shows ten edges on a pentagon; undo removes it."""
    dialog = window.show_add_organization()
    qtbot.keyClicks(dialog.code, "osce")
    qtbot.keyClicks(dialog.name, "Organization for Security and Co-operation in Europe")
    with qtbot.waitSignal(dialog.organization_added):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert [o.code for o in window.store.quadrangle.organizations()][-1] == "OSCE"
    assert len(window.store.quadrangle.relationships()) == 10
    assert len(window.scene.edge_items()) == 10 == 5 * 4 // 2
    assert window.comparison_model.rowCount() == 10
    assert window.matrix_model.rowCount() == 11
    corners = {(round(p.x(), 6), round(p.y(), 6)) for p in polygon_positions(5)}
    assert {(round(n.pos().x(), 6), round(n.pos().y(), 6)) for n in window.scene.node_items()} == corners
    window.undo_action.trigger()
    assert len(window.store.quadrangle.relationships()) == 6
    assert len(window.scene.edge_items()) == 6


def test_a_refused_organization_keeps_the_dialog_open(qtbot, window):
    """A taken code shows the store's message in the dialog and leaves nothing on the undo stack."""
    dialog = window.show_add_organization()
    qtbot.keyClicks(dialog.code, "UN")
    qtbot.keyClicks(dialog.name, "Another UN")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "already an organization" in dialog.error.text()
    assert window.undo_stack.count() == 0
    assert len(window.store.quadrangle.organizations()) == 4


def test_detail_panel_buttons_come_from_other_features(qtbot, window):
    """An action added with detail_panel.add_action becomes a button, enabled once a relationship is selected."""
    triggered = []
    action = QAction("Add lesson...", window, triggered=lambda: triggered.append(window.selected_relationship_id()))
    button = window.detail_panel.add_action(action)
    assert not button.isEnabled()
    window.select_relationship(_rel_id(window, "UN-AU"))
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert triggered == [_rel_id(window, "UN-AU")]


def test_export_from_the_file_menu(qtbot, window, tmp_path, monkeypatch):
    """File > Export diagram writes the chosen file and remembers its folder."""
    target = tmp_path / "out" / "diagram.svg"
    target.parent.mkdir()
    monkeypatch.setattr(window, "ask_export_path", lambda: str(target))
    window.export_action.trigger()
    svg = ElementTree.parse(target).getroot()
    texts = {" ".join(e.text.split()) for e in svg.iter("{http://www.w3.org/2000/svg}text") if e.text}
    organizations = window.store.quadrangle.organizations()
    assert {o.code for o in organizations} | {o.name for o in organizations} <= texts  # the diagram itself
    assert window.settings.last_export_folder == str(target.parent)


def test_copy_puts_the_table_on_the_clipboard(qtbot, window):
    """Edit > Copy table copies the comparison table as tab-separated text."""
    window.copy_action.trigger()
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0] == lines[-1] == "UNCLASSIFIED"  # the marking above and below the copy (issue 17)
    text = "\n".join(lines[1:-1])
    assert text.splitlines()[0].startswith("Relationship\tPhase")
    assert len(text.splitlines()) == 7
    rows = [line.split("\t") for line in text.splitlines()[1:]]
    shown = window.comparison_proxy
    assert [row[:2] for row in rows] == [
        [shown.index(r, 0).data(), shown.index(r, 1).data()] for r in range(shown.rowCount())
    ]  # the table as the user sees it, cell for cell
    assert {row[0] for row in rows} == {r.label for r in window.store.quadrangle.relationships()}


def test_geometry_and_splitters_are_restored(qtbot, default_store, settings):
    """Size and splitter positions saved on close come back in the next window."""
    first = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(first)
    assert (first.width(), first.height()) == (1280, 800)
    first.show()
    qtbot.waitExposed(first)
    first.resize(760, 560)  # within the offscreen screen (800x600): restoreGeometry keeps windows on screen
    first.main_splitter.setSizes([450, 310])
    sizes = first.main_splitter.sizes()
    first.close()
    second = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert (second.width(), second.height()) == (760, 560)
    assert second.main_splitter.sizes() == sizes


def test_store_changes_refresh_the_window(qtbot, window):
    """A change saved elsewhere (here directly through the store) shows up in the open window."""
    window.store.quadrangle.add_organization("OSCE", "Organization for Security and Co-operation in Europe", "regional")
    assert len(window.scene.edge_items()) == 10


def test_double_clicking_an_edge_opens_it(qtbot, window):
    """A double-click on an edge in the diagram emits relationship_activated for that relationship."""
    rel_id = _rel_id(window, "EU-AU")
    point = _view_point(window, window.scene.edge_item(rel_id).line().pointAt(0.2))
    with qtbot.waitSignal(window.relationship_activated) as blocker:
        qtbot.mouseDClick(window.diagram_view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [rel_id]


def test_zoom_and_fit_to_window(qtbot, window):
    """Zoom in enlarges the drawing and stops fitting; Fit to window brings the whole drawing back."""
    fitted = window.diagram_view.zoom_factor()
    window.zoom_in_action.trigger()
    assert window.diagram_view.zoom_factor() == pytest.approx(fitted * 1.2)
    assert not window.diagram_view.auto_fit
    window.fit_action.trigger()
    assert window.diagram_view.zoom_factor() == pytest.approx(fitted)
    visible = window.diagram_view.mapToScene(window.diagram_view.viewport().rect()).boundingRect()
    assert visible.adjusted(-1, -1, 1, 1).contains(window.scene.sceneRect())


def test_about_names_the_source_report(qtbot, window):
    """Help > About shows a plain-text box naming the report the default dataset comes from."""
    window.help_menu.actions()[0].trigger()
    box = window.findChild(QMessageBox)
    assert box is not None and box.textFormat() == Qt.TextFormat.PlainText
    assert "New partners, new possibilities" in box.text()
    box.close()


def test_reset_layout_is_undoable(qtbot, window):
    """View > Reset diagram layout returns dragged nodes to the polygon in one undoable step."""
    un = window.store.quadrangle.organizations()[0]
    corner = window.scene.node_item(un.id).pos()
    window.store.quadrangle.set_layout({un.id: (5.0, 5.0)})
    assert window.scene.node_item(un.id).pos() == QPointF(5.0, 5.0)
    window.reset_layout_action.trigger()
    assert window.store.quadrangle.organizations()[0].layout_x is None
    assert window.scene.node_item(un.id).pos() == corner
    window.undo_action.trigger()
    assert window.store.quadrangle.organizations()[0].layout_x == 5.0


def test_arrow_keys_in_the_table_move_the_shared_selection(qtbot, window):
    """Moving down the comparison table with the keyboard selects the next relationship in the diagram."""
    _click_table_row(qtbot, window.comparison_view, 0)
    qtbot.keyClick(window.comparison_view, Qt.Key.Key_Down)
    expected = window.comparison_proxy.index(1, 0).data(Qt.ItemDataRole.DisplayRole)
    assert window.scene.edge_item(window.scene.selected_relationship_id()).label == expected
    assert window.matrix_view.currentIndex().data(Qt.ItemDataRole.DisplayRole) == expected


def test_hovering_an_edge_shows_its_summary(qtbot, window):
    """A tooltip over an edge summarises the relationship in plain text."""
    rel_id = _rel_id(window, "NATO-EU")
    point = _view_point(window, window.scene.edge_item(rel_id).line().pointAt(0.15))
    viewport = window.diagram_view.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, point, viewport.mapToGlobal(point)))
    assert "NATO–EU" in QToolTip.text() and "Phase: Maintenance" in QToolTip.text()
    QToolTip.hideText()


def test_tab_leaves_the_diagram_after_the_last_relationship(qtbot, window):
    """Tab walks the relationships and then moves focus on, so keyboard users are never trapped."""
    ids = window.scene.relationship_ids()
    window.diagram_view.setFocus()
    for expected in ids:
        qtbot.keyClick(window.diagram_view, Qt.Key.Key_Tab)
        assert window.selected_relationship_id() == expected
    assert window.diagram_view.hasFocus()
    qtbot.keyClick(window.diagram_view, Qt.Key.Key_Tab)
    assert not window.diagram_view.hasFocus()


def test_a_move_of_a_removed_organization_is_dropped(qtbot, window):
    """Undoing an addition makes a later move of that organization obsolete instead of failing."""
    from desktop.diagram.commands import MoveOrganizationCommand

    window.show_add_organization()
    dialog = window.findChild(AddOrganizationDialog)
    dialog.code.setText("OSCE")
    dialog.name.setText("Organization for Security and Co-operation in Europe")
    dialog.accept()
    osce = window.store.quadrangle.organizations()[-1]
    window.undo_stack.push(MoveOrganizationCommand(window.store, {osce.id: (1.0, 2.0)}))
    window.undo_action.trigger()
    window.undo_action.trigger()
    window.redo_action.trigger()  # OSCE again, under a new id
    window.redo_action.trigger()  # the move refers to the old id: dropped
    assert window.undo_stack.count() == 1
    assert [o.code for o in window.store.quadrangle.organizations()][-1] == "OSCE"


def test_a_read_only_database_cannot_be_rearranged(qtbot, default_db_path, settings):
    """On a read-only database nodes cannot be dragged and organizations cannot be added."""
    from PySide6.QtWidgets import QGraphicsItem

    from db import Store

    with Store.open(default_db_path, read_only=True) as store:
        window = MainWindow(store, settings, StoreEvents(store))
        qtbot.addWidget(window)
        node = window.scene.node_items()[0]
        assert not node.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable
        assert not window.add_organization_action.isEnabled()
        window.close()


def test_the_matrix_relationship_column_fits_its_longest_label(qtbot, window):
    """The first column is measured on the labels (not by asking for every cell): none is cut,
    also after an organization with a longer code joins."""
    window.store.quadrangle.add_organization("ECOWAS", "Economic Community of West African States", "regional")
    qtbot.waitUntil(lambda: window.matrix_model.rowCount() == 11)
    window.tabs.setCurrentWidget(window.matrix_view)
    column_width = window.matrix_view.columnWidth(0)
    metrics = window.matrix_view.fontMetrics()
    labels = [window.matrix_model.index(row, 0).data() for row in range(window.matrix_model.rowCount() - 1)]
    assert "NATO–ECOWAS" in labels
    assert column_width >= max(metrics.horizontalAdvance(label) for label in labels) + 12
