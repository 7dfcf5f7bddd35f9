"""The briefing's blocks as platypus flowables, made as the layout asks for them: runs of headings and
paragraphs become fast `TextRun`s (flow.py), tables, figures and the cover stay platypus flowables.
A heading right before a table or a figure stays a platypus paragraph kept with it."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, NextPageTemplate, PageBreak, Paragraph, Spacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle as RLTableStyle
from reportlab.platypus.doctemplate import ActionFlowable

from desktop.briefing import model
from desktop.briefing.flow import SECTION_ROOM, TextLayout, TextPainter, TextRun
from desktop.briefing.fonts import REGULAR
from desktop.briefing.style import BriefingStyle
from desktop.briefing.text import markup

# Cell fills of the motive matrix, light to dark; text on them stays dark (contrast checked by a test).
FILLS = {"weight1": "#e3eaf3", "weight2": "#c3d3e6", "weight3": "#9fb8d6", "changed": "#fbe3c2"}


class HeadingParagraph(Paragraph):
    """A heading that the template turns into a contents line and a PDF bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, heading: model.Heading) -> None:
        super().__init__(text, style)
        self.heading = heading


def run_markup(runs: tuple[model.Run, ...], style: BriefingStyle) -> str:
    """Runs as ReportLab paragraph markup; every text is escaped (it may be the user's)."""
    out = []
    for run in runs:
        text = markup(run.text)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.color:
            text = f'<font color="{style.color(run.color)}">{text}</font>'
        if run.link:
            text = f'<a href="#{run.link}" color="{style.color("accent")}">{text}</a>'
        out.append(text)
    return "".join(out)


class ContentsPlace(ActionFlowable):
    """Where the contents belong: after the page the story has reached (the cover's last)."""

    def apply(self, doc) -> None:
        doc.contents_after = doc.page


class Lookahead:
    """An iterator that can look a few items ahead without consuming them."""

    def __init__(self, source: Iterable) -> None:
        self._source = iter(source)
        self._ahead: deque = deque()

    def __iter__(self) -> Lookahead:
        return self

    def __next__(self):
        return self._ahead.popleft() if self._ahead else next(self._source)

    def peek(self, index: int = 0):
        """The item `index` places ahead, or None past the end."""
        while len(self._ahead) <= index:
            try:
                self._ahead.append(next(self._source))
            except StopIteration:
                return None
        return self._ahead[index]


def _text_follows(blocks: Lookahead, start: int = 0) -> bool:
    """Whether the headings from `start` on are followed by a paragraph (so they can flow with it)."""
    index = start
    while isinstance(blocks.peek(index), model.Heading):
        index += 1
    following = blocks.peek(index)
    return following is None or isinstance(following, model.Para)


class RunSource:
    """`first`, then the headings and paragraphs after it, up to a level-1 heading or anything else.
    It shares `blocks` with the maker, so nothing after the run may be taken before it is exhausted
    (the story's queue waits on `exhausted`)."""

    def __init__(self, first, blocks: Lookahead) -> None:
        self._first = first
        self._blocks = blocks
        self.exhausted = False

    def __iter__(self) -> RunSource:
        return self

    def __next__(self):
        if self.exhausted:  # once ended, never again: the blocks after it belong to the maker
            raise StopIteration
        if self._first is not None:
            first, self._first = self._first, None
            return first
        upcoming = self._blocks.peek()
        if isinstance(upcoming, model.Para) or (
            isinstance(upcoming, model.Heading) and upcoming.level > 1 and _text_follows(self._blocks, 1)
        ):
            return next(self._blocks)
        self.exhausted = True
        raise StopIteration


class FlowableMaker:
    """Makes the flowables of a document's blocks for one layout."""

    def __init__(
        self,
        style: BriefingStyle,
        styles: dict[str, ParagraphStyle],
        figure_flowables: Callable[[model.Figure], list],
        on_heading: Callable[[model.Heading], None],
    ) -> None:
        self.style = style
        self.styles = styles
        self.figure_flowables = figure_flowables
        self.layout = TextLayout(styles, style)
        self.painter = TextPainter(on_heading)

    def flowables(self, blocks: Iterable) -> Iterator:
        """Flowables for the blocks, made as they are asked for: level-1 headings start a page (the
        diagram's on a landscape one); the contents are laid out at the end (the template adds them)."""
        pending = Lookahead(blocks)
        started = False
        for block in pending:
            if isinstance(block, model.Cover):
                yield from cover_flowables(block, self.style, self.styles)
            elif isinstance(block, model.Contents):
                yield ContentsPlace()  # the contents are laid out last, then moved here
            elif isinstance(block, model.Heading | model.Para):
                if isinstance(block, model.Heading) and block.level == 1:
                    wide = isinstance(pending.peek(), model.Figure)
                    yield NextPageTemplate("wide" if wide else "body")
                    if started:  # the first page needs no break before it
                        yield PageBreak()
                if isinstance(block, model.Para) or _text_follows(pending):
                    yield TextRun(RunSource(block, pending), self.layout, self.painter)
                else:
                    if block.level == 2:
                        yield CondPageBreak(SECTION_ROOM)
                    text = (f'<a name="{block.key}"/>' if block.key else "") + markup(block.title)
                    yield HeadingParagraph(text, self.styles[f"h{block.level}"], block)
            elif isinstance(block, model.Table):
                yield table_flowable(block, self.style, self.styles)
            elif isinstance(block, model.Figure):
                yield from self.figure_flowables(block)
                yield Paragraph(markup(block.caption), self.styles["caption"])
            elif isinstance(block, model.PageBreak):
                yield PageBreak()
            started = True


def table_flowable(table: model.Table, style: BriefingStyle, styles: dict) -> RLTable:
    """A grid whose header row repeats on every page and whose rows may split between pages."""
    cell = styles["cell"]
    right = ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT)
    centre = ParagraphStyle("cell_centre", parent=cell, alignment=TA_CENTER)
    data = [[Paragraph(markup(h), styles["head"]) for h in table.header]]
    for row in table.rows:
        line = []
        for c, runs in enumerate(row):
            st = right if c in table.align_right else centre if c in table.centre else cell
            line.append(Paragraph(run_markup(runs, style), st))
        data.append(line)
    total = sum(table.widths)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # a table's own default is Helvetica, not embedded
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(style.color("table_header"))),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(style.color("rule"))),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if len(data) > 2:
        commands.append(
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor(style.color("table_stripe"))])
        )
    for (r, c), fill in table.shade.items():  # after the stripes, so a weight's fill always shows
        if fill:
            commands.append(("BACKGROUND", (c, r + 1), (c, r + 1), colors.HexColor(FILLS.get(fill, fill))))
    widths = [f"{w * 100 / total:.3f}%" for w in table.widths]
    grid = RLTable(data, colWidths=widths, repeatRows=1, splitInRow=1, splitByRow=1, hAlign="LEFT")
    grid.setStyle(RLTableStyle(commands))
    return grid


def cover_flowables(cover: model.Cover, style: BriefingStyle, styles: dict) -> list:
    out: list = [Spacer(1, 18 * mm)]
    if style.logo is not None:
        from desktop.briefing.drawing import logo_flowable

        logo = logo_flowable(style.logo, 22 * mm)
        if logo is not None:
            out.append(logo)
    out.append(Paragraph(markup(cover.organization), styles["fact_label"]))
    out.append(Spacer(1, 30 * mm))
    out.append(Paragraph(markup(cover.title), styles["title"]))
    if cover.subtitle:
        out.append(Paragraph(markup(cover.subtitle), styles["subtitle"]))
    rows = []
    for label, value in cover.facts:
        text = markup(value)
        if label == "Marking":
            text = f'<font color="{style.color("marking_text")}"><b>{text}</b></font>'
        rows.append([Paragraph(markup(label.upper()), styles["fact_label"]), Paragraph(text, styles["fact"])])
    facts = RLTable(rows, colWidths=["24%", "76%"], hAlign="LEFT", splitInRow=1)
    facts.setStyle(
        RLTableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    out += [facts, Spacer(1, 14 * mm), Paragraph(markup(cover.note), styles["note"])]
    return out
