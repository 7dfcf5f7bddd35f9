"""NodeItem: an organization on the diagram, a draggable disc with its code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem

from db import OrganizationRecord
from desktop.diagram.geometry import (
    NODE_RADIUS,
    Z_NODE,
)
from desktop.diagram.style import (
    font,
    plain_tooltip,
    theme_of,
)

if TYPE_CHECKING:
    from desktop.diagram.edge import EdgeItem


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
        theme = theme_of(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.ink, 2.0))
        painter.setBrush(theme.node_fill)
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
            painter.setPen(theme.muted_ink)
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
        from desktop.diagram.scene import QuadrangleScene  # the scene imports this module

        if start is not None and isinstance(scene, QuadrangleScene) and QLineF(start, self.pos()).length() > 0.5:
            scene.organization_moved.emit(
                self.organization.id, (start.x(), start.y()), (self.pos().x(), self.pos().y())
            )
