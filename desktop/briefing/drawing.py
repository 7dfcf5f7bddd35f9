"""The diagram (and the logo) as ReportLab vector drawings: the SVG that Qt's QSvgGenerator recorded
from the screen's scene, converted by svglib, scaled to the text block's width, text no smaller
than 7 pt printed."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.platypus import Flowable, Paragraph

MIN_TEXT_PT = 7.0
CAPTION_ROOM = 45  # points left under the drawing for its caption, on the same page


def svg_drawing(svg: bytes) -> Drawing | None:
    """The SVG as a Drawing (paths and text stay vectors), or None if it cannot be read."""
    from desktop.briefing.fonts import register_fonts

    register_fonts()
    try:
        from svglib.svglib import svg2rlg

        drawing = svg2rlg(io.BytesIO(svg))
    except Exception:  # noqa: BLE001 - svglib raises anything from lxml to ValueError on bad input
        return None
    if drawing is None or drawing.width <= 0 or drawing.height <= 0:
        return None
    return drawing


def _scale_of(transform) -> float:
    a, b = transform[0], transform[1]
    return (a * a + b * b) ** 0.5


def text_sizes(drawing: Drawing, scale: float = 1.0) -> list[float]:
    """The printed size of every string in the drawing at `scale`."""
    sizes: list[float] = []

    def walk(node, factor: float) -> None:
        if isinstance(node, Group):
            f = factor * _scale_of(node.transform)
            for child in node.contents:
                walk(child, f)
        elif isinstance(node, String):
            sizes.append(node.fontSize * factor)

    for child in drawing.contents:
        walk(child, scale)
    return sizes


def raise_small_text(drawing: Drawing, scale: float, minimum: float = MIN_TEXT_PT) -> int:
    """Enlarge, in place, any string that would print below `minimum` points at `scale`; returns how
    many. A last resort: the landscape page already prints the scene's text at 7 pt on A4."""
    changed = 0

    def walk(node, factor: float) -> None:
        nonlocal changed
        if isinstance(node, Group):
            f = factor * _scale_of(node.transform)
            for child in node.contents:
                walk(child, f)
        elif isinstance(node, String) and node.fontSize * factor < minimum - 1e-6:
            node.fontSize = minimum / factor
            changed += 1

    for child in drawing.contents:
        walk(child, scale)
    return changed


class DiagramFlowable(Flowable):
    """A drawing as wide as the frame (never taller than most of it), centred, with a thin frame."""

    def __init__(self, drawing: Drawing, rule_colour) -> None:
        super().__init__()
        self.drawing = drawing
        self.rule_colour = rule_colour
        self.scale = 1.0

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's Flowable API names them so
        d = self.drawing
        self.scale = min(availWidth / d.width, max(availHeight - CAPTION_ROOM, availHeight / 2) / d.height)
        raise_small_text(d, self.scale)
        self.width = d.width * self.scale
        self.height = d.height * self.scale
        self._avail = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        x = (self._avail - self.width) / 2
        canv.saveState()
        canv.translate(x, 0)
        canv.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, canv, 0, 0)
        canv.restoreState()
        canv.saveState()
        canv.setStrokeColor(self.rule_colour)
        canv.setLineWidth(0.5)
        canv.rect(x, 0, self.width, self.height, stroke=1, fill=0)
        canv.restoreState()


def figure_flowables(svg: bytes | None, rule_colour, note_style) -> list:
    drawing = svg_drawing(svg) if svg else None
    if drawing is None:
        return [Paragraph("The diagram could not be drawn in this build.", note_style)]
    return [DiagramFlowable(drawing, rule_colour)]


class _Logo(Flowable):
    def __init__(self, drawing: Drawing, size: float) -> None:
        super().__init__()
        self.drawing = drawing
        self.scale = size / max(drawing.width, drawing.height)
        self.width = drawing.width * self.scale
        self.height = drawing.height * self.scale
        self.hAlign = "LEFT"

    def draw(self) -> None:
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        self.canv.restoreState()


def logo_flowable(path: Path, size: float):
    drawing = svg_drawing(Path(path).read_bytes()) if Path(path).is_file() else None
    return _Logo(drawing, size) if drawing is not None else None
