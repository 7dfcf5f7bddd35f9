"""DiagramView: the scene on screen, with zoom, fit to window and keyboard navigation between relationships."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from desktop.diagram.scene import QuadrangleScene
from desktop.diagram.style import theme_for

ZOOM_STEP = 1.2
MIN_ZOOM, MAX_ZOOM = 0.1, 8.0
# Below this the cards' 10-13 px text falls under 8 px (a 1024x700 window): fitting stops there and
# the view scrolls instead, keeping the organizations and their cards in sight.
READABLE_ZOOM = 0.75


class DiagramView(QGraphicsView):
    """Shows a QuadrangleScene; fits it to the window until the user zooms.

    Keys: arrows and Tab / Shift+Tab move between relationships (Tab leaves the diagram after the
    last one), Enter opens the selected one (`relationship_activated`), + / - zoom, 0 fits to window.
    """

    relationship_activated = Signal(str)

    def __init__(self, scene: QuadrangleScene, parent=None) -> None:
        super().__init__(scene, parent)
        # A viewport made here has its Python wrapper from the start. The one Qt makes would first meet
        # Python as the `widget` of an item's paint(); to convert a QWidget* it has never seen, PySide
        # creates every class of QtWidgets (its lazy loading, PYSIDE-2404): 8 ms of the first paint.
        self.setViewport(QWidget())
        self._quadrangle_scene = scene  # scene() is typed as the base QGraphicsScene
        self.setObjectName("diagramView")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Quadrangle diagram")
        self.auto_fit = True
        scene.sceneRectChanged.connect(self._scene_rect_changed)
        scene.set_theme(theme_for(self.palette()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        # A light or dark palette (the desktop's theme changing while the window is open) restyles the
        # canvas and every painted item with it.
        if event.type() == QEvent.Type.PaletteChange:
            self.quadrangle_scene().set_theme(theme_for(self.palette()))
        super().changeEvent(event)

    def quadrangle_scene(self) -> QuadrangleScene:
        return self._quadrangle_scene

    # -- zoom ----------------------------------------------------------------------------------

    def zoom_factor(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        current = self.zoom_factor()
        factor = max(MIN_ZOOM / current, min(MAX_ZOOM / current, factor))
        self.auto_fit = False
        self.scale(factor, factor)

    def zoom_in(self) -> None:
        self.zoom_by(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom_by(1 / ZOOM_STEP)

    def fit_to_window(self) -> None:
        """Show the whole drawing; it stays fitted while the window resizes, until the next zoom."""
        self.auto_fit = True
        self._fit()

    def _fit(self) -> None:
        rect = self.sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        scene = self.quadrangle_scene()
        if self.zoom_factor() < READABLE_ZOOM and scene.cards_visible:
            self.resetTransform()
            self.scale(READABLE_ZOOM, READABLE_ZOOM)
            self.centerOn(self._quadrangle_rect().center())

    def _quadrangle_rect(self):
        """The organizations and their cards, without the legend (which can be scrolled to)."""
        scene = self.quadrangle_scene()
        rect = QRectF()
        for node in scene.node_items():
            rect = rect.united(node.sceneBoundingRect())
        for edge in scene.edge_items():
            if edge.has_card and edge.card.isVisible():
                rect = rect.united(edge.card.sceneBoundingRect())
        return rect if not rect.isEmpty() else self.sceneRect()

    def _scene_rect_changed(self, _rect) -> None:
        if self.auto_fit:
            self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.auto_fit:
            self._fit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.auto_fit:
            self._fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)
            event.accept()
        else:
            super().wheelEvent(event)

    # -- keyboard ------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Tab moves between relationships inside the diagram instead of leaving the widget.
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        ):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                return super().event(event)
            backwards = event.key() == Qt.Key.Key_Backtab or bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            ids = self.quadrangle_scene().relationship_ids()
            current = self.quadrangle_scene().selected_relationship_id()
            at_end = bool(ids) and current == (ids[0] if backwards else ids[-1])
            if at_end or not ids:
                # Past the last relationship Tab leaves the diagram, so the keyboard is never trapped.
                return super().event(event)
            self._step(-1 if backwards else 1)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._step(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._step(-1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            selected = self.quadrangle_scene().selected_relationship_id()
            if selected:
                self.relationship_activated.emit(selected)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit_to_window()
        else:
            super().keyPressEvent(event)

    def _step(self, step: int) -> None:
        selected = self.quadrangle_scene().select_next(step)
        if selected:
            self.ensureVisible(self.quadrangle_scene().edge_item(selected).card.sceneBoundingRect(), 20, 20)
