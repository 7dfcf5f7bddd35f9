"""Fast text for the briefing PDF: paragraphs and headings broken into lines with the embedded fonts'
metrics and drawn straight onto the canvas, one page at a time.

Why not platypus's Paragraph: it parses markup and breaks lines word by word in Python, which was
nine tenths of a long briefing's time. A `TextRun` is one platypus flowable for a whole run of
headings and paragraphs; it splits itself a page at a time, so platypus's per-flowable work is paid
once per page and memory holds one page's lines whatever the annex's length. Its page filler keeps
the guarantees platypus gave: a heading keeps with at least two lines of what follows (never last on
a page), a paragraph never leaves a single line alone at a page top or foot, a level-2 heading does
not start in the last 60 points of a page, and no line is drawn twice.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.rl_accel import escapePDF
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from desktop.briefing import model
from desktop.briefing.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR
from desktop.briefing.line_breaking import FUZZ, Frag, LineBreaker
from desktop.briefing.pdf_objects import add_link
from desktop.briefing.style import BriefingStyle
from desktop.briefing.text import printable

FACES = {(False, False): REGULAR, (True, False): BOLD, (False, True): ITALIC, (True, True): BOLD_ITALIC}
SECTION_ROOM = 60  # a level-2 heading needs this much room left on the page (platypus's CondPageBreak)


@dataclass(slots=True)
class Laid:
    """A paragraph or heading broken into lines (all of one size) for one width."""

    lines: list[list[Frag]]
    size: float
    leading: float
    indents: tuple[float, float]  # left indent of the first line and of the others
    before: float
    after: float
    width: float
    heading: model.Heading | None = None
    anchor: str | None = None
    block: model.Heading | model.Para | None = None

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading

    def rest(self, start: int) -> Laid:
        """The lines from `start` on, carried to the next page (no anchor or heading: those stay above)."""
        first = self.indents[1]
        return Laid(self.lines[start:], self.size, self.leading, (first, first), 0.0, self.after, self.width)


class TextLayout:
    """Breaks blocks into lines with the paragraph styles' fonts, sizes, indents and colours."""

    def __init__(self, styles: dict[str, ParagraphStyle], style: BriefingStyle) -> None:
        self.styles = styles
        self.style = style
        self._colors: dict[object, str] = {}
        self._keep: list = []
        self._breaker = LineBreaker(lambda face: pdfmetrics.getFont(face).stringWidth)

    def color_op(self, value) -> str:
        """The fill-colour operator of a style colour name ("accent") or a ReportLab colour."""
        key = value if isinstance(value, str) else id(value)
        op = self._colors.get(key)
        if op is None:
            color = colors.HexColor(self.style.color(value)) if isinstance(value, str) else value
            op = self._colors[key] = f"{color.red:.3f} {color.green:.3f} {color.blue:.3f} rg"
            self._keep.append(value)  # an id stays unique while its object lives
        return op

    def lay(self, block: model.Heading | model.Para, width: float) -> Laid:
        if isinstance(block, model.Heading):
            st = self.styles[f"h{block.level}"]
            pieces: list[tuple[str, str, str, str | None]] = [
                (printable(block.title), st.fontName, self.color_op(st.textColor), None)
            ]
            anchor = block.key
        else:
            st = self.styles[block.style]
            bold_base = st.fontName in (BOLD, BOLD_ITALIC)
            default = self.color_op(st.textColor)
            pieces = []
            for run in block.runs:
                face = FACES[(run.bold or bold_base, run.italic)]
                color = self.color_op("accent") if run.link else self.color_op(run.color) if run.color else default
                pieces.append((printable(run.text), face, color, run.link))
            anchor = block.anchor
        first = st.leftIndent + st.firstLineIndent
        rest = st.leftIndent
        lines = self._breaker.lines(pieces, st.fontSize, width - first - st.rightIndent, width - rest - st.rightIndent)
        return Laid(
            lines,
            st.fontSize,
            st.leading,
            (first, rest),
            st.spaceBefore,
            st.spaceAfter,
            width,
            heading=block if isinstance(block, model.Heading) else None,
            anchor=anchor,
            block=block,
        )


# -- the flowables ------------------------------------------------------------------------------


class PageChunk(Flowable):
    """One page's (or the run's last) placed lines; drawn once, then dropped."""

    def __init__(self, placed: list[tuple[float, Laid]], height: float, painter: TextPainter) -> None:
        super().__init__()
        self.placed = placed
        self.height = height
        self.painter = painter

    def wrap(self, available_width, available_height):
        return available_width, self.height

    def draw(self) -> None:
        self.painter.paint(self.canv, self.placed, self.height)


class TextRun(Flowable):
    """A run of headings and paragraphs from `source`, laid out as it is asked for a page at a time."""

    def __init__(self, source: Iterator, layout: TextLayout, painter: TextPainter, pending=None) -> None:
        super().__init__()
        self.source = source
        self.layout = layout
        self.painter = painter
        self.pending: deque[Laid] = pending if pending is not None else deque()
        self._filled: tuple | None = None

    @property
    def holds_back(self) -> bool:
        """True while blocks after this run may not be taken yet (its source is still being read)."""
        return not getattr(self.source, "exhausted", True)

    def _item(self, index: int, width: float) -> Laid | None:
        while len(self.pending) <= index:
            block = next(self.source, None)
            if block is None:
                return None
            self.pending.append(self.layout.lay(block, width))
        item = self.pending[index]
        if abs(item.width - width) > FUZZ and item.block is not None:  # another frame width: lay it out again
            item = self.pending[index] = self.layout.lay(item.block, width)
        return item

    def _fill(self, width: float, height: float):
        """Place what fits in `height`: returns (placed, used height, index of the first item not
        placed, the remainder of a split paragraph or None, whether the run is finished)."""
        key = (width, height)
        if self._filled is not None and self._filled[0] == key:
            return self._filled[1]
        frame = getattr(self, "_frame", None)
        at_top = frame is None or bool(frame._atTop)
        previous_after = frame._prevASpace if frame is not None and not at_top else 0.0
        placed: list[tuple[float, Laid]] = []
        used = 0.0
        index = 0
        remainder = None
        while True:
            item = self._item(index, width)
            if item is None:
                break
            empty = at_top and not placed
            if placed:
                gap = max(item.before, previous_after)  # platypus's rule: the larger of the two spaces
            else:
                gap = 0.0 if at_top else max(item.before - previous_after, 0.0)
            room = height - used - gap
            if item.heading is not None:
                need = self._heading_need(index, width, gap)
                level_two = item.heading.level == 2 and room < SECTION_ROOM
                if not empty and (need > room + FUZZ or level_two):
                    break
            else:
                count = len(item.lines)
                fits = int((room + FUZZ) // item.leading)
                if fits < count:
                    if empty:
                        keep = max(1, fits if count - fits >= 2 else count - 2)
                    elif count >= 4 and fits >= 2:
                        keep = min(fits, count - 2)
                    else:
                        break
                    part = Laid(
                        item.lines[:keep], item.size, item.leading, item.indents, item.before, 0.0, width,
                        anchor=item.anchor,
                    )  # fmt: skip
                    placed.append((used + gap, part))
                    used += gap + part.height
                    remainder = item.rest(keep)
                    break
            placed.append((used + gap, item))
            used += gap + item.height
            previous_after = item.after
            index += 1
        finished = remainder is None and self._item(index, width) is None
        result = (placed, used, index, remainder, finished)
        self._filled = (key, result)
        return result

    def _heading_need(self, index: int, width: float, gap: float) -> float:
        """Room for the heading, any headings right after it, and the first two lines of what follows
        (all of it when it has three lines or fewer, which could not be split)."""
        need = gap
        after = None
        item = self._item(index, width)
        while item is not None:
            if after is not None:
                need += max(after, item.before)
            if item.heading is None:
                need += item.height if len(item.lines) <= 3 else 2 * item.leading
                break
            need += item.height
            after = item.after
            index += 1
            item = self._item(index, width)
        return need

    def wrap(self, available_width, available_height):
        placed, used, index, remainder, finished = self._fill(available_width, available_height)
        if finished:
            return available_width, used
        return available_width, available_height + 1  # more than fits: platypus asks for a split

    def split(self, available_width, available_height):
        placed, used, index, remainder, finished = self._fill(available_width, available_height)
        if not placed:
            return []
        rest = deque(self.pending)
        for _ in range(index):
            rest.popleft()
        if remainder is not None:
            rest[0] = remainder  # the paragraph split at the page foot goes on with its other lines
        chunk = PageChunk(placed, used, self.painter)
        if finished:
            return [chunk]
        return [chunk, TextRun(self.source, self.layout, self.painter, rest)]

    def draw(self) -> None:
        placed, used, *_ = self._filled[1] if self._filled else ([], 0.0)
        self.painter.paint(self.canv, placed, used)


class TextPainter:
    """Draws placed lines as PDF text operators in one text object per chunk (font and colour set only
    when they change); registers anchors, links and headings as it goes."""

    def __init__(self, on_heading: Callable[[model.Heading], None]) -> None:
        self.on_heading = on_heading
        self._faces: dict[str, Any] = {}
        self._names: dict[tuple[str, int], str] = {}  # the subset fonts' names in this painter's document

    def _name(self, face, font: str, subset: int, doc) -> str:
        name = self._names.get((font, subset))
        if name is None:
            name = self._names[(font, subset)] = face.getSubsetInternalName(subset, doc)
        return name

    def paint(self, canv, placed: list[tuple[float, Laid]], height: float) -> None:
        doc = canv._doc  # the fonts' subsets are per document
        ops = ["q", "BT"]
        font = color = None
        links = []
        for top, laid in placed:
            y_top = height - top
            if laid.anchor:
                canv.bookmarkHorizontal(laid.anchor, 0, y_top)
            if laid.heading is not None:
                self.on_heading(laid.heading)
            baseline = y_top - laid.size
            size = laid.size
            for number, line in enumerate(laid.lines):
                indent = laid.indents[0] if number == 0 else laid.indents[1]
                for frag in line:
                    text = frag.text
                    if not text:
                        continue
                    if frag.color != color:
                        color = frag.color
                        ops.append(color)
                    x = indent + frag.x
                    ops.append(f"1 0 0 1 {x:.2f} {baseline:.2f} Tm")
                    face = self._faces.get(frag.font)
                    if face is None:
                        face = self._faces[frag.font] = pdfmetrics.getFont(frag.font)
                    if text.isascii():  # subset 0 holds printable ASCII at its own codes
                        if font != (frag.font, 0, size):
                            font = (frag.font, 0, size)
                            ops.append(f"{self._name(face, frag.font, 0, doc)} {size:g} Tf")
                        ops.append("(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj")
                    else:
                        for subset, chunk in face.splitString(text, doc):
                            if font != (frag.font, subset, size):
                                font = (frag.font, subset, size)
                                ops.append(f"{self._name(face, frag.font, subset, doc)} {size:g} Tf")
                            ops.append(f"({escapePDF(chunk)}) Tj")
                    if frag.link:
                        links.append((frag.link, (x, baseline - size * 0.25, x + frag.width, baseline + size * 0.85)))
                baseline -= laid.leading
        ops.append("ET")
        ops.append("Q")
        canv.addLiteral("\n".join(ops))
        for key, rect in links:
            add_link(canv, rect, key)
