"""QuadrangleScene: the quadrangle as of a date, drawn as organizations on a regular polygon joined by
one edge per relationship, with a legend.

The scene is a projection of a `db.QuadrangleState` (`set_state`); its items never touch the store.
It renders into any QPainter with no view attached (`scene.render(painter, target, source)`), which
is how the PDF briefing embeds the very drawing shown on screen.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QGraphicsScene, QStyleOptionGraphicsItem, QToolTip

from db import MOTIVE_ORDER, PHASE_ORDER, OrganizationRecord, Phase, QuadrangleState, RelationshipState
from desktop.diagram.style import (
    CARD_FILL,
    IDEATIONAL_COLOUR,
    INK,
    MATERIALIST_COLOUR,
    MUTED_INK,
    NODE_FILL,
    REVIEW_COLOUR,
    SELECTION_HALO,
    UNASSESSED_COLOUR,
    font,
    phase_colour,
    plain_tooltip,
)

NODE_RADIUS = 34.0
EDGE_WIDTH = 6.0
THIN_EDGE_WIDTH = 3.0
COMPACT_ABOVE = 8  # with more organizations than this, edge cards appear only for the selected edge
Z_EDGE, Z_CARD, Z_NODE, Z_SELECTED_CARD = 0.0, 2.0, 3.0, 4.0


def polygon_radius(count: int) -> float:
    """A radius leaving room for nodes and edge cards: a 460-wide square for four organizations."""
    return max(290.0, count * 2.6 * NODE_RADIUS / (2 * math.pi) * 1.4)


def polygon_positions(count: int) -> list[QPointF]:
    """Corners of a regular polygon centred on the origin, its top side horizontal (a square for four)."""
    if count == 0:
        return []
    if count == 1:
        return [QPointF(0, 0)]
    radius = polygon_radius(count)
    start = -math.pi / 2 - math.pi / count
    return [
        QPointF(radius * math.cos(start + 2 * math.pi * i / count), radius * math.sin(start + 2 * math.pi * i / count))
        for i in range(count)
    ]


def phase_text(state: RelationshipState) -> str:
    return state.assessment.phase_label if state.assessment else "Not assessed"


def counts_text(state: RelationshipState) -> str:
    lessons = f"{state.lesson_count} lesson{'s' if state.lesson_count != 1 else ''}"
    ops = f"{state.ongoing_operation_count} op{'s' if state.ongoing_operation_count != 1 else ''}"
    return f"{lessons} · {ops}"


def summary_text(state: RelationshipState, as_of_year: int) -> str:
    """The plain-text summary shown when hovering an edge."""
    rel, assessment = state.relationship, state.assessment
    lines = [rel.label]
    if assessment is None:
        lines.append("Not assessed by this date.")
    else:
        lines.append(
            f"Phase: {assessment.phase_label} (assessed as of {assessment.as_of.isoformat()}, "
            f"{assessment.confidence.value} confidence)"
        )
        motives = [f"{m.label} ({assessment.weight(m)})" for m in MOTIVE_ORDER if assessment.weight(m) > 0]
        lines.append("Motives: " + (", ".join(motives) if motives else "none recorded"))
        lines.append(
            f"Materialist weight {assessment.materialist_weight} · ideational weight {assessment.ideational_weight}"
        )
    lines.append(f"Lessons: {state.lesson_count} · ongoing operations: {state.ongoing_operation_count}")
    cooperation = state.cooperation_labels(as_of_year)
    if cooperation:
        lines.append("Cooperation on the ground: " + "; ".join(cooperation))
    if state.needs_review:
        if assessment is None:
            lines.append("Needs review: no assessment yet.")
        else:
            lines.append(f"Needs review: newer evidence ({state.latest_evidence.isoformat()}) than the assessment.")
    return "\n".join(lines)


def draw_review_badge(painter: QPainter, centre: QPointF, radius: float = 8.0) -> None:
    """The "needs review" mark: a yellow disc, black outline, black "!" (never colour alone)."""
    painter.setPen(QPen(INK, 1.2))
    painter.setBrush(REVIEW_COLOUR)
    painter.drawEllipse(centre, radius, radius)
    painter.setFont(font(int(radius * 1.6), bold=True))
    painter.setPen(INK)
    painter.drawText(
        QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius), Qt.AlignmentFlag.AlignCenter, "!"
    )


def draw_motive_bar(painter: QPainter, rect: QRectF, materialist: int, ideational: int) -> None:
    """The motive mix: dark share materialist, light share ideational, outlined."""
    total = materialist + ideational
    painter.setPen(Qt.PenStyle.NoPen)
    if total:
        split = rect.width() * materialist / total
        painter.setBrush(MATERIALIST_COLOUR)
        painter.drawRect(QRectF(rect.left(), rect.top(), split, rect.height()))
        painter.setBrush(IDEATIONAL_COLOUR)
        painter.drawRect(QRectF(rect.left() + split, rect.top(), rect.width() - split, rect.height()))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(INK, 0.8))
    painter.drawRect(rect)


_PEN_CACHE: dict[tuple[tuple[Phase, ...], float, int], list[QPen]] = {}


def edge_pens(phases: tuple[Phase, ...], width: float, alpha: int = 255) -> list[QPen]:
    """Pens drawn one over the other: one phase solid; two phases alternate dashes of both colours;
    no assessment a grey dotted line. `alpha` (0-255) fades them towards the white background.
    Cached: a date change restyles hundreds of edges."""
    key = (phases, width, alpha)
    if key not in _PEN_CACHE:
        _PEN_CACHE[key] = _make_edge_pens(phases, width, alpha)
    return _PEN_CACHE[key]


def _make_edge_pens(phases: tuple[Phase, ...], width: float, alpha: int) -> list[QPen]:
    def pen(colour: QColor, style=Qt.PenStyle.SolidLine) -> QPen:
        # Fade by mixing with the white background: an opaque colour paints far faster than alpha.
        keep = alpha / 255
        mixed = QColor.fromRgbF(*(keep * c + (1 - keep) for c in (colour.redF(), colour.greenF(), colour.blueF())))
        return QPen(mixed, width, style, Qt.PenCapStyle.FlatCap)

    if not phases:
        return [pen(UNASSESSED_COLOUR, Qt.PenStyle.DotLine)]
    first = pen(phase_colour(phases[0]))
    if len(phases) == 1:
        return [first]
    second = pen(phase_colour(phases[1]), Qt.PenStyle.CustomDashLine)
    second.setDashPattern([3.0, 3.0])
    return [first, second]


class NodeItem(QGraphicsObject):
    """An organization: a disc with its code; draggable. Edges follow it through `itemChange`."""

    def __init__(self, organization: OrganizationRecord) -> None:
        super().__init__()
        self.organization = organization
        self.edges: list[EdgeItem] = []
        self.show_name = True
        self._press_pos: QPointF | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.setZValue(Z_NODE)
        self.set_organization(organization)

    def set_organization(self, organization: OrganizationRecord) -> None:
        self.organization = organization
        self.setToolTip(
            plain_tooltip(
                f"{organization.name} ({organization.code})\n{organization.kind.capitalize()} organization"
                + (
                    f", security role since {organization.security_role_since}"
                    if organization.security_role_since
                    else ""
                )
                + "\nDrag to rearrange the diagram."
            )
        )
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(-NODE_RADIUS - 90, -NODE_RADIUS - 24, 2 * NODE_RADIUS + 180, 2 * NODE_RADIUS + 48)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), NODE_RADIUS, NODE_RADIUS)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(INK, 2.0))
        painter.setBrush(NODE_FILL)
        painter.drawEllipse(QPointF(0, 0), NODE_RADIUS, NODE_RADIUS)
        code = self.organization.code
        painter.setFont(font(18 if len(code) <= 4 else 13, bold=True))
        painter.drawText(
            QRectF(-NODE_RADIUS, -NODE_RADIUS, 2 * NODE_RADIUS, 2 * NODE_RADIUS), Qt.AlignmentFlag.AlignCenter, code
        )
        if self.show_name:
            # The full name sits outside the polygon: above the top nodes, below the others.
            above = self.pos().y() < -1
            painter.setFont(font(11))
            painter.setPen(MUTED_INK)
            rect = QRectF(-NODE_RADIUS - 90, -NODE_RADIUS - 22 if above else NODE_RADIUS + 4, 2 * NODE_RADIUS + 180, 18)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.organization.name)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.adjust()
        return super().itemChange(change, value)

    def mousePressEvent(self, event) -> None:
        self._press_pos = QPointF(self.pos())
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        start, self._press_pos = self._press_pos, None
        scene = self.scene()
        if start is not None and isinstance(scene, QuadrangleScene) and QLineF(start, self.pos()).length() > 0.5:
            scene.organization_moved.emit(
                self.organization.id, (start.x(), start.y()), (self.pos().x(), self.pos().y())
            )


class EdgeCardItem(QGraphicsItem):
    """The text card of an edge: pair, phase, motive-mix bar, counts and the "needs review" mark.

    Clicking it selects its edge; it is a separate top-level item so every card sits above every line.
    """

    PADDING = 7.0

    def __init__(self, edge: EdgeItem) -> None:
        super().__init__()
        self.edge = edge
        self.setZValue(Z_CARD)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._rect = QRectF()
        self._lines: tuple[str, str, str] = ("", "", "")
        self.stale = True

    def refresh(self) -> None:
        """Lay the card out for its edge's current state (skipped while the card is hidden)."""
        state = self.edge.state
        self.set_texts(state.relationship.label, phase_text(state), counts_text(state))
        self.stale = False

    def show_card(self, visible: bool) -> None:
        if visible and self.stale:
            self.refresh()
        if visible != self.isVisible():
            self.setVisible(visible)

    def tooltip_text(self) -> str:
        return self.edge.tooltip_text()

    def set_texts(self, title: str, phase: str, counts: str) -> None:
        self.prepareGeometryChange()
        self._lines = (title, phase, counts)
        widths = [
            QFontMetricsF(font(13, bold=True)).horizontalAdvance(title) + 20,
            QFontMetricsF(font(12)).horizontalAdvance(phase),
            QFontMetricsF(font(11)).horizontalAdvance(counts),
            110.0,
        ]
        width = max(widths) + 2 * self.PADDING + 6
        height = 4 * 16 + 2 * self.PADDING - 4
        self._rect = QRectF(-width / 2, -height / 2, width, height)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-3, -9, 9, 3)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self._rect, 5, 5)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        edge, state = self.edge, self.edge.state
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = edge.isSelected()
        painter.setPen(QPen(INK, 2.4 if selected else 1.0))
        painter.setBrush(CARD_FILL)
        painter.drawRoundedRect(self._rect, 5, 5)
        # Phase stripe on the left: one colour, or the two colours of a relationship in transition.
        colours = edge.colours
        stripe = QRectF(self._rect.left() + 3, self._rect.top() + 4, 5, self._rect.height() - 8)
        painter.setPen(Qt.PenStyle.NoPen)
        for i, colour in enumerate(colours):
            part = stripe.height() / len(colours)
            painter.setBrush(colour)
            painter.drawRect(QRectF(stripe.left(), stripe.top() + i * part, stripe.width(), part))
        left = self._rect.left() + self.PADDING + 6
        top = self._rect.top() + self.PADDING - 2
        width = self._rect.width() - 2 * self.PADDING - 6
        title, phase, counts = self._lines
        painter.setPen(INK)
        painter.setFont(font(13, bold=True))
        painter.drawText(
            QRectF(left, top, width, 17), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )
        painter.setFont(font(12))
        painter.drawText(
            QRectF(left, top + 16, width, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, phase
        )
        assessment = state.assessment
        bar = QRectF(left, top + 35, 64, 8)
        if assessment is not None:
            draw_motive_bar(painter, bar, assessment.materialist_weight, assessment.ideational_weight)
            painter.setFont(font(10))
            painter.setPen(MUTED_INK)
            painter.drawText(
                QRectF(bar.right() + 5, top + 31, width - bar.width() - 5, 15),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"M {assessment.materialist_weight} · I {assessment.ideational_weight}",
            )
        painter.setPen(MUTED_INK)
        painter.setFont(font(11))
        painter.drawText(
            QRectF(left, top + 47, width, 16), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, counts
        )
        if state.needs_review:
            draw_review_badge(painter, QPointF(self._rect.right() - 2, self._rect.top() + 2))

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.edge.select_only()
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        self.edge.activate()

    def hoverEnterEvent(self, event) -> None:
        self.edge.set_hovered(True)

    def hoverLeaveEvent(self, event) -> None:
        self.edge.set_hovered(False)


class EdgeItem(QGraphicsItem):
    """A relationship: a line between two nodes, styled by its phase(s), with a text card."""

    def __init__(self, state: RelationshipState, source: NodeItem, target: NodeItem) -> None:
        super().__init__()
        self.source, self.target = source, target
        source.edges.append(self)
        target.edges.append(self)
        self.state = state
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

    def set_state(self, state: RelationshipState, as_of_year: int) -> None:
        self.state = state
        self._year = as_of_year
        self._pens = edge_pens(self.phases, self.width)
        if self._card is not None:
            self._card.stale = True
            if self._card.isVisible():
                self._card.refresh()
        self.update()

    def tooltip_text(self) -> str:
        """The hover summary, built when asked (QuadrangleScene.helpEvent), not on every redraw."""
        return summary_text(self.state, self._year)

    def set_width(self, width: float) -> None:
        if width != self.width:
            self.prepareGeometryChange()
            self.width = width
            self._bounds = self._shape = None
            self._pens = edge_pens(self.phases, width)

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
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pens = self._pens
        scene = self.scene()
        if isinstance(scene, QuadrangleScene) and not scene.cards_visible and not self.isSelected():
            # In a large quadrangle the selected edge must stand out of hundreds: fade the others.
            pens = edge_pens(self.phases, self.width, 45 if scene.has_selection else 180)
        if self.isSelected() or self._hovered:
            halo = QPen(SELECTION_HALO if self.isSelected() else QColor(31, 31, 31, 40), self.width + 9)
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
        if isinstance(scene, QuadrangleScene):
            scene.relationship_activated.emit(self.relationship_id)

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


class LegendItem(QGraphicsItem):
    """Explains the encoding: phase colours and styles, the motive-mix bar, counts and the review mark."""

    WIDTH = 290.0
    ROW = 21.0

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.setZValue(Z_CARD)

    def set_title(self, title: str) -> None:
        self.title = title
        self.update()

    def _rows(self) -> int:
        return len(PHASE_ORDER) + 2 + 3

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.WIDTH, 60 + self._rows() * self.ROW + 62)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.boundingRect()
        painter.setPen(QPen(QColor("#C8C8C8"), 1.0))
        painter.setBrush(QColor("#FBFBFA"))
        painter.drawRoundedRect(rect, 6, 6)
        x, y = 14.0, 12.0
        painter.setPen(INK)
        painter.setFont(font(14, bold=True))
        painter.drawText(QRectF(x, y, rect.width() - 2 * x, 20), Qt.AlignmentFlag.AlignLeft, self.title or "Legend")
        y += 28
        painter.setFont(font(11, bold=True))
        painter.setPen(MUTED_INK)
        painter.drawText(QRectF(x, y, 200, 16), Qt.AlignmentFlag.AlignLeft, "PHASE (line colour and style)")
        y += 20
        sample_width = 46.0
        entries: list[tuple[tuple[Phase, ...], str]] = [((p,), p.label) for p in PHASE_ORDER]
        entries.append(((Phase.START_UP, Phase.MAINTENANCE), "Two phases (in transition)"))
        entries.append(((), "Not assessed by this date"))
        painter.setFont(font(12))
        for phases, text in entries:
            mid = y + self.ROW / 2
            for pen in edge_pens(phases, EDGE_WIDTH):
                painter.setPen(pen)
                painter.drawLine(QPointF(x, mid), QPointF(x + sample_width, mid))
            painter.setPen(INK)
            painter.drawText(
                QRectF(x + sample_width + 10, y, rect.width() - sample_width - 34, self.ROW),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            y += self.ROW
        y += 8
        painter.setFont(font(11, bold=True))
        painter.setPen(MUTED_INK)
        painter.drawText(QRectF(x, y, 200, 16), Qt.AlignmentFlag.AlignLeft, "MARKS ON EACH RELATIONSHIP")
        y += 20
        painter.setFont(font(12))
        draw_motive_bar(painter, QRectF(x, y + 6, sample_width, 9), 2, 1)
        painter.setPen(INK)
        painter.drawText(
            QRectF(x + sample_width + 10, y, 180, self.ROW),
            Qt.AlignmentFlag.AlignVCenter,
            "Motive mix: materialist (M)",
        )
        painter.drawText(
            QRectF(x + sample_width + 10, y + 15, 180, self.ROW),
            Qt.AlignmentFlag.AlignVCenter,
            "dark, ideational (I) light",
        )
        y += self.ROW + 16
        painter.drawText(
            QRectF(x, y, rect.width() - 2 * x, self.ROW),
            Qt.AlignmentFlag.AlignVCenter,
            "n lessons recorded · n ongoing operations",
        )
        y += self.ROW
        draw_review_badge(painter, QPointF(x + sample_width / 2, y + self.ROW / 2))
        painter.setPen(INK)
        painter.setFont(font(12))
        painter.drawText(
            QRectF(x + sample_width + 10, y, rect.width() - sample_width - 34, self.ROW),
            Qt.AlignmentFlag.AlignVCenter,
            "Needs review: evidence newer",
        )
        painter.drawText(
            QRectF(x + sample_width + 10, y + 15, rect.width() - sample_width - 34, self.ROW),
            Qt.AlignmentFlag.AlignVCenter,
            "than the assessment",
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
        self.cards_visible = True
        self.has_selection = False
        self.editable = True
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[str, EdgeItem] = {}
        self._order: list[str] = []
        self.legend = LegendItem()
        self.addItem(self.legend)
        self.legend.setVisible(show_legend)
        self.setBackgroundBrush(QBrush(QColor("#FFFFFF")))
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
        self.selectionChanged.connect(self._selection_changed)

    # -- the projection ------------------------------------------------------------------------

    def set_state(self, state: QuadrangleState) -> None:
        """Show `state`: place nodes (saved layout, else the polygon), restyle edges, keep the selection."""
        selected = self.selected_relationship_id()
        self.state = state
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
            node = self._nodes.pop(org_id)
            self.removeItem(node)
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
            edge = self._edges.pop(rel_id)
            for node in (edge.source, edge.target):
                if edge in node.edges:
                    node.edges.remove(edge)
            if edge.has_card:
                self.removeItem(edge.card)
            self.removeItem(edge)
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
            edge.set_state(rel_state, year)
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
