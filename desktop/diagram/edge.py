"""EdgeItem: one relationship on the diagram, a line between two nodes coloured by phase."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from db import Phase, RelationshipState, ReviewStatus, Staleness
from desktop.diagram.card import EdgeCardItem
from desktop.diagram.geometry import (
    EDGE_WIDTH,
    NODE_RADIUS,
    Z_CARD,
    Z_EDGE,
    Z_SELECTED_CARD,
)
from desktop.diagram.painting import edge_pens
from desktop.diagram.style import (
    UNASSESSED_COLOUR,
    phase_colour,
    theme_of,
)
from desktop.diagram.texts import summary_text

if TYPE_CHECKING:
    from desktop.diagram.node import NodeItem


class EdgeItem(QGraphicsItem):
    """A relationship: a line between two nodes, styled by its phase(s), with a text card."""

    def __init__(self, state: RelationshipState, source: NodeItem, target: NodeItem) -> None:
        super().__init__()
        self.source, self.target = source, target
        source.edges.append(self)
        target.edges.append(self)
        self.state = state
        self.staleness: Staleness | None = None  # given by the scene; None where nobody computed it
        self.draft_pending = False  # an unsaved assessment draft exists for this relationship
        self._card: EdgeCardItem | None = None  # made when first shown: a large quadrangle shows one
        self.label_position = 0.5
        self._year = 0
        self.width = EDGE_WIDTH
        self._line = QLineF()
        self._bounds: QRectF | None = None
        self._shape: QPainterPath | None = None
        self._hovered = False
        self._pens: list[QPen] = []
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(Z_EDGE)

    @property
    def card(self) -> EdgeCardItem:
        """The edge's text card, made (hidden, placed on the edge) the first time it is asked for."""
        if self._card is None:
            self._card = EdgeCardItem(self)
            self._card.setVisible(False)
            self._card.setZValue(Z_SELECTED_CARD if self.isSelected() else Z_CARD)
            if self.scene() is not None:
                self.scene().addItem(self._card)
            self.adjust()
        return self._card

    @property
    def has_card(self) -> bool:
        return self._card is not None

    @property
    def relationship_id(self) -> str:
        return self.state.relationship.id

    @property
    def phases(self) -> tuple[Phase, ...]:
        return self.state.assessment.phases if self.state.assessment else ()

    @property
    def colours(self) -> tuple[QColor, ...]:
        """The colour(s) the edge is drawn in: one per phase, grey when not assessed."""
        return tuple(phase_colour(p) for p in self.phases) or (QColor(UNASSESSED_COLOUR),)

    @property
    def label(self) -> str:
        return self.state.relationship.label

    @property
    def review_status(self) -> ReviewStatus:
        """The review status shown on the card (the state's own rule when no staleness was given)."""
        if self.staleness is not None:
            return self.staleness.status
        if self.state.assessment is None:
            return ReviewStatus.NEVER_ASSESSED
        return ReviewStatus.NEWER_EVIDENCE if self.state.needs_review else ReviewStatus.CURRENT

    def set_state(
        self,
        state: RelationshipState,
        as_of_year: int,
        staleness: Staleness | None = None,
        draft_pending: bool = False,
    ) -> None:
        self.state = state
        self.staleness = staleness
        self.draft_pending = draft_pending
        self._year = as_of_year
        self._pens = edge_pens(self.phases, self.width, canvas=theme_of(self).canvas)
        if self._card is not None:
            self._card.stale = True
            if self._card.isVisible():
                self._card.refresh()
        self.update()

    def tooltip_text(self) -> str:
        """The hover summary, built when asked (QuadrangleScene.helpEvent), not on every redraw."""
        return summary_text(self.state, self._year, self.staleness, self.draft_pending)

    def set_width(self, width: float, *, force: bool = False) -> None:
        if width != self.width or force:
            self.prepareGeometryChange()
            self.width = width
            self._bounds = self._shape = None
            self._pens = edge_pens(self.phases, width, canvas=theme_of(self).canvas)

    def adjust(self) -> None:
        """Follow the nodes: called when either end moves."""
        line = QLineF(self.source.pos(), self.target.pos())
        if line != self._line:
            self.prepareGeometryChange()
            self._line = line
            self._bounds = self._shape = None
        if self._card is None:
            return
        card_pos = line.pointAt(self.label_position)
        if self.card.scale() > 1.0:
            # Large quadrangle: the card of the selected edge moves inwards, off the ring of nodes.
            length = math.hypot(card_pos.x(), card_pos.y())
            shift = min(length, (NODE_RADIUS + 40) * self.card.scale())
            if length > 1:
                card_pos = card_pos - card_pos * (shift / length)
        if card_pos != self.card.pos():
            self.card.setPos(card_pos)

    def line(self) -> QLineF:
        return QLineF(self._line)

    def boundingRect(self) -> QRectF:
        # Cached: the scene asks for it several times per edge per repaint.
        if self._bounds is None:
            extra = self.width + 12
            self._bounds = QRectF(self._line.p1(), self._line.p2()).normalized().adjusted(-extra, -extra, extra, extra)
        return self._bounds

    def shape(self) -> QPainterPath:
        if self._shape is None or self._bounds is None:
            path = QPainterPath(self._line.p1())
            path.lineTo(self._line.p2())
            stroker = QPainterPathStroker()
            stroker.setWidth(max(14.0, self.width + 8))
            self._shape = stroker.createStroke(path)
            self.boundingRect()
        return self._shape

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        # Called for each of a large quadrangle's hundreds of edges on every repaint: kept to the least.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pens = self._pens
        scene: Any = self.scene()  # a QuadrangleScene, or a plain scene (exports, tests) without its fields
        if not getattr(scene, "cards_visible", True) and not self.isSelected():
            # In a large quadrangle the selected edge must stand out of hundreds: fade the others.
            pens = edge_pens(self.phases, self.width, 45 if scene.has_selection else 180, scene.theme.canvas)
        if self.isSelected() or self._hovered:
            theme = theme_of(self)
            halo = QPen(theme.selection_halo if self.isSelected() else theme.hover_halo, self.width + 9)
            halo.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(halo)
            painter.drawLine(self._line)
        for pen in pens:
            painter.setPen(pen)
            painter.drawLine(self._line)

    def show_selection(self, selected: bool, cards_visible: bool, card_scale: float) -> None:
        """Restyle after a selection change (called by the scene for every edge, instead of an
        `itemChange` override that Qt would call back into Python for every change of every edge):
        the selected edge and its card come on top, and its card shows even in a large quadrangle."""
        z = Z_EDGE + 1 if selected else Z_EDGE
        if self.zValue() != z:
            self.setZValue(z)
            if self._card is not None:
                self._card.setZValue(Z_SELECTED_CARD if selected else Z_CARD)
                self._card.update()
        shown = cards_visible or selected
        if shown or self._card is not None:
            self.card.show_card(shown)
        if shown:
            self.card.setScale(card_scale)
            self.adjust()

    def select_only(self) -> None:
        scene = self.scene()
        if scene is not None:
            scene.clearSelection()
        self.setSelected(True)

    def activate(self) -> None:
        scene = self.scene()
        from desktop.diagram.scene import QuadrangleScene  # the scene imports this module

        if isinstance(scene, QuadrangleScene):
            scene.relationship_activated.emit(self.relationship_id)

    @property
    def is_hovered(self) -> bool:
        return self._hovered

    def set_hovered(self, hovered: bool) -> None:
        self._hovered = hovered
        self.update()

    def hoverEnterEvent(self, event) -> None:
        self.set_hovered(True)

    def hoverLeaveEvent(self, event) -> None:
        self.set_hovered(False)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.select_only()
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        self.activate()
