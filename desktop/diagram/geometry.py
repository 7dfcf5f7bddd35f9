"""Where the diagram puts things: node and edge sizes, stacking order, and the regular polygon
the organizations stand on."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF

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
