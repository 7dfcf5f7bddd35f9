"""QuadrangleScene: the quadrangle as of a date, drawn as organizations on a regular polygon joined by
one edge per relationship, with a legend.

The scene is a projection of a `db.QuadrangleState` (`set_state`); its items never touch the store.
It renders into any QPainter with no view attached (`scene.render(painter, target, source)`), which
is how the PDF briefing embeds the very drawing shown on screen.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QToolTip

from db import QuadrangleState, Staleness
from desktop.diagram.edge import EdgeItem
from desktop.diagram.geometry import (
    COMPACT_ABOVE,
    EDGE_WIDTH,
    NODE_RADIUS,
    THIN_EDGE_WIDTH,
    polygon_positions,
)
from desktop.diagram.legend import LegendItem
from desktop.diagram.node import NodeItem
from desktop.diagram.style import (
    LIGHT_THEME,
    DiagramTheme,
    plain_tooltip,
)


class QuadrangleScene(QGraphicsScene):
    """The diagram of a QuadrangleState: nodes, one edge per relationship, and a legend.

    Signals: `relationship_selected(id)` ("" when the selection is cleared), `relationship_activated(id)`
    on double-click, `organization_moved(org_id, (x0, y0), (x1, y1))` when a drag ends (the window turns
    it into one undoable MoveOrganizationCommand). `set_state` reuses items, so changing the date of a
    large quadrangle only restyles what is there.
    """

    relationship_selected = Signal(str)
    relationship_activated = Signal(str)
    organization_moved = Signal(str, object, object)

    # Drawing it elsewhere (needs a QApplication, no view):
    #     scene = QuadrangleScene(show_legend=True)
    #     scene.set_state(store.quadrangle.state_as_of(day))
    #     scene.render(painter, target_rect, scene.diagram_rect())   # or render_state(...) below

    def __init__(self, parent=None, *, show_legend: bool = True) -> None:
        super().__init__(parent)
        self.state: QuadrangleState | None = None
        self._staleness: dict[str, Staleness] = {}
        self._drafts: frozenset[str] = frozenset()
        self.cards_visible = True
        self.has_selection = False
        self.editable = True
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[str, EdgeItem] = {}
        self._order: list[str] = []
        self.legend = LegendItem()
        self.addItem(self.legend)
        self.legend.setVisible(show_legend)
        self.theme: DiagramTheme = LIGHT_THEME
        self.setBackgroundBrush(QBrush(self.theme.canvas))
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.selectionChanged.connect(self._selection_changed)

    def set_theme(self, theme: DiagramTheme) -> None:
        """Draw in `theme` (light or dark): the canvas, and every item's ink and fills on its next paint."""
        if theme == self.theme:
            return
        self.theme = theme
        self.setBackgroundBrush(QBrush(theme.canvas))
        for edge in self._edges.values():
            edge.set_width(edge.width, force=True)  # its pens are mixed with the canvas colour
        self.update()

    # -- the projection ------------------------------------------------------------------------

    def set_state(
        self,
        state: QuadrangleState,
        staleness: Mapping[str, Staleness] | None = None,
        drafts: Collection[str] = (),
    ) -> None:
        """Show `state`: place nodes (saved layout, else the polygon), restyle edges, keep the selection.
        `staleness` (by relationship id) gives each card its review mark; `drafts` are the relationships
        with an unsaved assessment draft."""
        selected = self.selected_relationship_id()
        self.state = state
        self._staleness = dict(staleness or {})
        self._drafts = frozenset(drafts)
        blocker = self.blockSignals(True)
        try:
            self._sync_nodes(state)
            self._sync_edges(state)
        finally:
            self.blockSignals(blocker)
        self.legend.set_title(f"Quadrangle as of {state.as_of.isoformat()}")
        self._place_legend()
        self._fit_scene_rect()
        if selected and selected not in self._edges:
            self.relationship_selected.emit("")

    def _sync_nodes(self, state: QuadrangleState) -> None:
        wanted = {o.id for o in state.organizations}
        for org_id in [i for i in self._nodes if i not in wanted]:
            self.removeItem(self._nodes.pop(org_id))
        corners = polygon_positions(len(state.organizations))
        show_names = len(state.organizations) <= COMPACT_ABOVE
        for organization, corner in zip(state.organizations, corners, strict=True):
            node = self._nodes.get(organization.id)
            if node is None:
                node = NodeItem(organization)
                node.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, self.editable)
                self._nodes[organization.id] = node
                self.addItem(node)
            elif node.organization != organization:
                node.set_organization(organization)
            node.show_name = show_names
            if organization.layout_x is not None and organization.layout_y is not None:
                target = QPointF(organization.layout_x, organization.layout_y)
            else:
                target = corner
            if node.pos() != target:
                node.setPos(target)

    def _sync_edges(self, state: QuadrangleState) -> None:
        wanted = {r.relationship.id for r in state.relationships}
        for rel_id in [i for i in self._edges if i not in wanted]:
            gone = self._edges.pop(rel_id)
            for node in (gone.source, gone.target):
                if gone in node.edges:
                    node.edges.remove(gone)
            if gone.has_card:
                self.removeItem(gone.card)
            self.removeItem(gone)
        self.cards_visible = len(state.organizations) <= COMPACT_ABOVE
        width = EDGE_WIDTH if self.cards_visible else THIN_EDGE_WIDTH
        year = state.as_of.year
        self._order = []
        for rel_state in state.relationships:
            rel = rel_state.relationship
            edge = self._edges.get(rel.id)
            if edge is None:
                source, target = (self._nodes[i] for i in rel.organization_ids)
                edge = EdgeItem(rel_state, source, target)
                self._edges[rel.id] = edge
                self.addItem(edge)
            edge.set_width(width)
            if self.cards_visible or edge.isSelected() or edge.has_card:
                edge.card.show_card(self.cards_visible or edge.isSelected())
            edge.set_state(rel_state, year, self._staleness.get(rel.id), rel.id in self._drafts)
            self._order.append(rel.id)
        self._place_cards()

    def _place_cards(self) -> None:
        """Put each card on its edge, sliding it along the edge when it would cover another card
        (the two diagonals of a square cross in the middle)."""
        placed: list[QRectF] = []
        check = self.cards_visible
        for rel_id in self._order:
            edge = self._edges[rel_id]
            line = QLineF(edge.source.pos(), edge.target.pos())
            chosen = 0.5
            if check:
                for t in (0.5, 0.32, 0.68, 0.42, 0.58, 0.25, 0.75):
                    rect = edge.card.shape().boundingRect().translated(line.pointAt(t))
                    if not any(rect.intersects(other) for other in placed):
                        chosen = t
                        break
                placed.append(edge.card.shape().boundingRect().translated(line.pointAt(chosen)))
            edge.label_position = chosen
            edge.adjust()

    def _place_legend(self) -> None:
        nodes = [n.pos() for n in self._nodes.values()]
        right = max((p.x() for p in nodes), default=0.0) + NODE_RADIUS + 120
        top = min((p.y() for p in nodes), default=0.0) - NODE_RADIUS - 24
        bottom = max((p.y() for p in nodes), default=0.0) + NODE_RADIUS
        # A large quadrangle is shown zoomed out: grow the legend with it so it stays readable.
        self.legend.setScale(max(1.0, (bottom - top) / (1.8 * self.legend.boundingRect().height())))
        self.legend.setPos(right, top)

    def _fit_scene_rect(self) -> None:
        self.setSceneRect(self.diagram_rect())

    def diagram_rect(self) -> QRectF:
        """The drawing's extent with a margin (what exports and `fit to window` show)."""
        rect = QRectF()
        for node in self._nodes.values():
            rect = rect.united(node.mapRectToScene(node.boundingRect()))
        for edge in self._edges.values():
            if edge.has_card and edge.card.isVisible():
                rect = rect.united(edge.card.mapRectToScene(edge.card.boundingRect()))
        if self.legend.isVisible():
            rect = rect.united(self.legend.mapRectToScene(self.legend.boundingRect()))
        return rect.adjusted(-20, -20, 20, 20)

    def set_editable(self, editable: bool) -> None:
        """Allow dragging nodes (False for a read-only database)."""
        self.editable = editable
        for node in self._nodes.values():
            node.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, editable)

    def set_legend_visible(self, visible: bool) -> None:
        self.legend.setVisible(visible)
        self._fit_scene_rect()

    def relayout(self) -> None:
        """Re-place cards and the scene rectangle after nodes moved (e.g. at the end of a drag)."""
        self._place_cards()
        self._place_legend()
        self._fit_scene_rect()

    # -- access and selection ------------------------------------------------------------------

    def node_item(self, organization_id: str) -> NodeItem:
        return self._nodes[organization_id]

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    def edge_item(self, relationship_id: str) -> EdgeItem:
        return self._edges[relationship_id]

    def edge_items(self) -> list[EdgeItem]:
        """Edges in the state's relationship order."""
        return [self._edges[i] for i in self._order]

    def relationship_ids(self) -> list[str]:
        return list(self._order)

    def selected_relationship_id(self) -> str | None:
        for item in self.selectedItems():
            if isinstance(item, EdgeItem):
                return item.relationship_id
        return None

    def select_relationship(self, relationship_id: str | None) -> None:
        """Select one relationship's edge (None clears), emitting `relationship_selected` on change."""
        if relationship_id == self.selected_relationship_id():
            return
        blocker = self.blockSignals(True)
        try:
            self.clearSelection()
            if relationship_id in self._edges:
                self._edges[relationship_id].setSelected(True)
        finally:
            self.blockSignals(blocker)
        self._selection_changed()

    def select_next(self, step: int = 1) -> str | None:
        """Move the selection `step` relationships along the order (wrapping); returns the new id."""
        if not self._order:
            return None
        current = self.selected_relationship_id()
        index = (
            (self._order.index(current) + step) % len(self._order)
            if current in self._order
            else (0 if step > 0 else -1)
        )
        self.select_relationship(self._order[index])
        return self._order[index]

    def _selection_changed(self) -> None:
        selected = self.selected_relationship_id()
        self.has_selection = selected is not None
        card_scale = 1.0 if self.cards_visible else self.legend.scale()
        for edge in self._edges.values():
            edge.show_selection(edge.isSelected(), self.cards_visible, card_scale)
        if not self.cards_visible:
            self.update()
        self.relationship_selected.emit(selected or "")

    def helpEvent(self, event) -> None:
        """Tooltips of edges and cards are built on demand, as plain text."""
        for item in self.items(event.scenePos()):
            tooltip_text = getattr(item, "tooltip_text", None)
            if tooltip_text is not None:
                QToolTip.showText(event.screenPos(), plain_tooltip(tooltip_text()), event.widget())
                event.accept()
                return
            if item.toolTip():
                break
        super().helpEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        moved = self.mouseGrabberItem()
        super().mouseReleaseEvent(event)
        if isinstance(moved, NodeItem):
            self.relayout()


def render_state(painter: QPainter, target: QRectF, state: QuadrangleState, *, show_legend: bool = True) -> QRectF:
    """Draw the diagram of `state` into `painter`, fitted and centred in `target` (aspect ratio kept),
    through a temporary scene. Returns the rectangle actually drawn. Vector output on a QPdfWriter
    or QSvgGenerator; needs a QApplication."""
    scene = QuadrangleScene(show_legend=show_legend)
    try:
        scene.set_state(state)
        source = scene.diagram_rect()
        size = source.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
        drawn = QRectF(
            target.left() + (target.width() - size.width()) / 2,
            target.top() + (target.height() - size.height()) / 2,
            size.width(),
            size.height(),
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, drawn, source)
        painter.restore()
        return drawn
    finally:
        scene.clear()
        scene.deleteLater()
