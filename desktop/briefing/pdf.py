"""Writing a briefing Document as PDF with ReportLab's platypus.

Why ReportLab and not Qt's QTextDocument: platypus flowables know `keepWithNext`, widows and orphans,
split paragraphs and tables across pages (repeating the header row) and give every block its real
height, so nothing is dropped or drawn twice at a page break. Page templates paint the marking at the
top and bottom of every page and "page X of Y"; the layout runs until the page count and the contents'
page numbers stop changing (two passes in practice), then the last pass's file is kept.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle as RLTableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from desktop import __version__
from desktop.briefing import model
from desktop.briefing.content import BriefingCancelledError
from desktop.briefing.fonts import BOLD, REGULAR, register_fonts
from desktop.briefing.style import BriefingStyle
from desktop.briefing.text import markup, printable

Progress = Callable[[int, int, str], None]
PROGRESS_SCALE = 1000
MAX_PASSES = 4
# Cell fills of the motive matrix, light to dark; text on them stays dark (contrast checked by a test).
FILLS = {"weight1": "#e3eaf3", "weight2": "#c3d3e6", "weight3": "#9fb8d6", "changed": "#fbe3c2"}
WIDE_MARGIN = 14 * mm  # the diagram's landscape page: wide enough for its smallest text at 7 pt


def paper_size(paper: str) -> tuple[float, float]:
    return LETTER if paper == "letter" else A4


class HeadingParagraph(Paragraph):
    """A heading that the template turns into a contents line and a PDF bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, heading: model.Heading) -> None:
        super().__init__(text, style)
        self.heading = heading


def paragraph_styles(style: BriefingStyle) -> dict[str, ParagraphStyle]:
    """The paragraph styles: no widows, no orphans, headings kept with what follows them."""
    ink = colors.HexColor(style.color("text"))
    accent = colors.HexColor(style.color("accent"))
    muted = colors.HexColor(style.color("muted"))
    body = style.body_pt
    base = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=body,
        leading=body * 1.3,
        textColor=ink,
        spaceAfter=4,
        allowWidows=0,
        allowOrphans=0,
        splitLongWords=1,
    )

    def derived(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "lead": derived("lead", fontSize=body + 1, leading=(body + 1) * 1.3, spaceAfter=7),
        "note": derived("note", fontSize=8, leading=10.4, textColor=muted),
        "facts": derived("facts", textColor=muted, spaceAfter=7),
        "lesson": derived("lesson", spaceBefore=4, spaceAfter=1),
        "rec": derived("rec", leftIndent=24, spaceAfter=1),
        "cite": derived("cite", leftIndent=24, fontSize=8, leading=10.4, textColor=muted, spaceAfter=5),
        "ref": derived("ref", fontSize=8.5, leading=11, textColor=muted, spaceAfter=3),
        "more": derived("more", fontSize=8.5, leading=11, textColor=muted, spaceBefore=2, spaceAfter=6),
        "bib": derived("bib", leftIndent=16, firstLineIndent=-16, spaceAfter=3),
        "judgement": derived("judgement", spaceAfter=6, leftIndent=10, firstLineIndent=-10),
        "caption": derived("caption", fontSize=8, leading=10.4, textColor=muted, spaceBefore=4),
        "h1": derived("h1", fontName=BOLD, fontSize=17, leading=21, textColor=accent, spaceAfter=10, keepWithNext=1),
        "h2": derived(
            "h2",
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            textColor=accent,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "h3": derived("h3", fontName=BOLD, fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=2, keepWithNext=1),
        "cell": derived("cell", fontSize=8.5, leading=10.8, spaceAfter=0),
        "head": derived(
            "head",
            fontName=BOLD,
            fontSize=8,
            leading=10,
            spaceAfter=0,
            textColor=colors.HexColor(style.color("table_header_text")),
            splitLongWords=0,  # "Competition" stays whole in a narrow column
        ),
        "title": derived("title", fontName=BOLD, fontSize=26, leading=31, textColor=accent, spaceAfter=8),
        "subtitle": derived("subtitle", fontSize=13, leading=17, spaceAfter=14),
        "fact_label": derived("fact_label", fontName=BOLD, fontSize=9, textColor=muted),
        "fact": derived("fact", fontSize=11, leading=14),
        "toc1": derived("toc1", fontSize=10.5, leading=15, leftIndent=0, firstLineIndent=0),
        "toc2": derived("toc2", fontSize=9.5, leading=13, leftIndent=16, firstLineIndent=0),
    }


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


class BriefingDocTemplate(BaseDocTemplate):
    """Three page templates (cover, body, wide for the diagram), the running marking and page numbers,
    contents entries and bookmarks from headings, progress and cancel between flowables."""

    def __init__(self, document: model.Document, style: BriefingStyle, *, lowest: str, progress, cancelled):
        self.document = document
        self.style = style
        self.known_total: int | None = None
        self.progress_cb = progress
        self.cancelled = cancelled
        self.flowable_count = 1
        self.done_flowables = 0
        self.pass_no = 1
        size = paper_size(document.paper)
        m = style.margins_mm
        super().__init__(
            io.BytesIO(),
            pagesize=size,
            leftMargin=m["left"] * mm,
            rightMargin=m["right"] * mm,
            topMargin=m["top"] * mm,
            bottomMargin=m["bottom"] * mm,
            title=printable(document.title),
            author=printable(document.author),
            subject=printable(document.subject),
            keywords=[printable(k) for k in document.keywords],
            creator=f"Quadrangle {__version__}",
            producer=f"Quadrangle {__version__} (ReportLab)",
            invariant=0,
            initialFontName=REGULAR,  # else every page names Helvetica, a font the PDF does not embed
        )
        body = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body", showBoundary=0)
        wide_size = landscape(size)
        wide = Frame(
            WIDE_MARGIN,
            self.bottomMargin,
            wide_size[0] - 2 * WIDE_MARGIN,
            wide_size[1] - self.topMargin - self.bottomMargin,
            id="wide",
        )
        self.addPageTemplates(
            [
                PageTemplate("cover", [body], onPage=self._decorate_cover, pagesize=size),
                PageTemplate("body", [body], onPage=self._decorate, pagesize=size),
                PageTemplate("wide", [wide], onPage=self._decorate, pagesize=wide_size),
            ]
        )

    # -- running text -------------------------------------------------------------------------

    def _decorate_cover(self, canv, doc) -> None:
        canv.saveState()
        canv.setFillColor(colors.HexColor(self.style.color("accent")))
        canv.rect(0, 0, 14 * mm, canv._pagesize[1], stroke=0, fill=1)
        canv.restoreState()
        self._decorate(canv, doc, header=False)

    def _decorate(self, canv, doc, header: bool = True) -> None:
        """Marking top and bottom, header text and date, organization and "page X of Y"; drawn before
        the page's content, so a text extraction reads them first."""
        width, height = canv._pagesize
        left = WIDE_MARGIN if width > height else self.leftMargin
        right = width - (WIDE_MARGIN if width > height else self.rightMargin)
        style = self.style
        marking = printable(self.document.marking)
        canv.saveState()
        canv.setFillColor(colors.HexColor(style.color("marking_text")))
        canv.setFont(BOLD, 9)
        canv.drawCentredString(width / 2, height - 10 * mm, marking)
        muted = colors.HexColor(style.color("muted"))
        rule = colors.HexColor(style.color("rule"))
        canv.setFont(REGULAR, style.header_pt)
        canv.setFillColor(muted)
        if header:
            y = height - self.topMargin + 6 * mm
            canv.drawString(left, y, printable(style.header_text))
            canv.drawRightString(right, y, printable(self.document.as_of_text))
            canv.setStrokeColor(rule)
            canv.setLineWidth(0.5)
            canv.line(left, y - 2 * mm, right, y - 2 * mm)
        y = self.bottomMargin - 7 * mm
        canv.setStrokeColor(rule)
        canv.setLineWidth(0.5)
        canv.line(left, y + 3.5 * mm, right, y + 3.5 * mm)
        canv.drawString(left, y, printable(style.organization))
        total = self.known_total if self.known_total is not None else "?"
        canv.drawRightString(right, y, f"page {canv.getPageNumber()} of {total}")
        canv.setFillColor(colors.HexColor(style.color("marking_text")))
        canv.setFont(BOLD, 9)
        canv.drawCentredString(width / 2, 7 * mm, marking)
        canv.restoreState()

    # -- notifications ------------------------------------------------------------------------

    def afterFlowable(self, flowable) -> None:
        self.done_flowables += 1
        if self.done_flowables % 40 == 0:
            if self.cancelled():
                raise BriefingCancelledError()
            share = min(self.done_flowables / self.flowable_count, 1.0)
            done = int(PROGRESS_SCALE * (self.pass_no - 1 + share) / (self.pass_no + 1))
            self.progress_cb(done, PROGRESS_SCALE, f"Laying out pages (pass {self.pass_no}, page {self.page})")
        if isinstance(flowable, HeadingParagraph):
            heading = flowable.heading
            if heading.key is None:
                return
            title = printable(heading.title)
            if heading.toc:
                self.notify("TOCEntry", (heading.level - 1, markup(heading.title), self.page, heading.key))
            if heading.level <= 2:
                self.canv.addOutlineEntry(title, heading.key, level=heading.level - 1, closed=heading.level > 1)


class FlowQueue:
    """The story as `BaseDocTemplate.build` consumes it (it only reads, deletes and inserts at the front),
    made from an iterable on demand: flowables are created a few at a time and dropped once drawn, so
    memory stays bounded by a page's worth whatever the annex's length, and taking the front is O(1)
    where a list's `del story[0]` moves the whole rest of the story every time."""

    LOOKAHEAD = 16  # enough for a run of keepWithNext headings and what follows them

    def __init__(self, source: Iterable) -> None:
        self._items: deque = deque()
        self._source = iter(source)

    def _fill(self, count: int) -> None:
        while len(self._items) < count:
            try:
                self._items.append(next(self._source))
            except StopIteration:
                return

    def __len__(self) -> int:
        self._fill(self.LOOKAHEAD)
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            self._fill(self.LOOKAHEAD)
            return list(self._items)[index]
        self._fill(index + 1)
        return self._items[index]

    def __delitem__(self, index) -> None:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if start != 0 or step != 1:
                raise IndexError("a FlowQueue only loses items at its front")
            for _ in range(stop):
                self._items.popleft()
            return
        self._fill(index + 1)
        del self._items[index]

    def __setitem__(self, index, value) -> None:
        if isinstance(index, slice) and (index.start or 0) == 0 and index.stop == 0:
            self._items.extendleft(reversed(list(value)))  # story[0:0] = split parts
            return
        if isinstance(index, slice):
            raise IndexError("a FlowQueue only takes items at its front")
        self._fill(index + 1)
        self._items[index] = value

    def insert(self, index: int, value) -> None:
        self._fill(index)
        self._items.insert(index, value)


def write_pdf(
    document: model.Document,
    style: BriefingStyle,
    path: Path,
    *,
    flowables: Callable[[BriefingDocTemplate, dict, TableOfContents], Iterable],
    lowest: str,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> int:
    """Lay out `document` into the PDF file `path` (written in place: the caller renames it); returns
    the page count. Passes repeat until the total and the contents' page numbers are stable."""
    register_fonts()
    progress = progress or (lambda done, total, text: None)
    doc = BriefingDocTemplate(document, style, lowest=lowest, progress=progress, cancelled=cancelled)
    styles = paragraph_styles(style)
    toc = TableOfContents(
        levelStyles=[styles["toc1"], styles["toc2"]],
        dotsMinLevel=0,
        tableStyle=RLTableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    doc.flowable_count = max(len(document.blocks), 1)
    # The contents get their final number of lines from the first pass on (the headings are known), so
    # later passes only change digits: placeholder numbers as wide as any real one.
    toc._entries = [
        (b.level - 1, markup(b.title), 88888, b.key) for b in document.blocks if isinstance(b, model.Heading) and b.toc
    ]
    doc._indexingFlowables = [toc]  # what multiBuild would set: the contents hear the headings
    edits: list = []
    doc._multiBuildEdits = edits.append  # keepWithNext rewrites flowables; undo that between passes
    previous = None
    for pass_no in range(1, MAX_PASSES + 1):
        doc.pass_no = pass_no
        doc.done_flowables = 0
        toc.beforeBuild()
        doc.build(FlowQueue(flowables(doc, styles, toc)), filename=str(path))  # a fresh story each pass
        toc.afterBuild()
        while edits:
            edit = edits.pop(0)
            edit[0](*edit[1:])
        pages = doc.page
        now = (pages, list(toc._entries))
        if doc.known_total == pages and now == previous:
            break
        previous = now
        doc.known_total = pages
    progress(PROGRESS_SCALE, PROGRESS_SCALE, "Done")
    return doc.page


def block_flowables(document: model.Document, style: BriefingStyle, styles: dict, toc, figure_flowables):
    """Flowables for the blocks, made as they are asked for: level-1 headings start a page (the
    diagram's on a landscape one)."""
    blocks = document.blocks
    started = False
    for i, block in enumerate(blocks):
        story: list = []
        if isinstance(block, model.Cover):
            story += cover_flowables(block, style, styles)
        elif isinstance(block, model.Contents):
            story += [NextPageTemplate("body"), PageBreak()]
            story.append(Paragraph("Contents", styles["h1"]))
            story.append(toc)
        elif isinstance(block, model.Heading):
            if block.level == 1:
                wide = i + 1 < len(blocks) and isinstance(blocks[i + 1], model.Figure)
                story.append(NextPageTemplate("wide" if wide else "body"))
                if started:  # the first page needs no break before it
                    story.append(PageBreak())
            elif block.level == 2:
                story.append(CondPageBreak(60))
            text = (f'<a name="{block.key}"/>' if block.key else "") + markup(block.title)
            story.append(HeadingParagraph(text, styles[f"h{block.level}"], block))
        elif isinstance(block, model.Para):
            text = run_markup(block.runs, style)
            if block.anchor:
                text = f'<a name="{block.anchor}"/>' + text
            story.append(Paragraph(text, styles[block.style]))
        elif isinstance(block, model.Table):
            story.append(table_flowable(block, style, styles))
        elif isinstance(block, model.Figure):
            story += figure_flowables(block)
            story.append(Paragraph(markup(block.caption), styles["caption"]))
        elif isinstance(block, model.PageBreak):
            story.append(PageBreak())
        started = True
        yield from story


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
