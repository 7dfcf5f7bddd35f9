"""Writing a briefing Document as PDF with ReportLab: platypus page templates and frames, the fast
text runs of flow.py for headings and paragraphs, platypus tables and figures.

One layout pass: the contents' length is known before the layout (its lines are counted from the
headings), so its pages are laid out last, once every heading's page is known, and moved into place
after the cover; "of Y" in every footer is a form drawn once the page count is known. Page templates
paint the marking at the top and bottom of every page, the header line and "page X of Y".
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph
from reportlab.platypus import TableStyle as RLTableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from desktop import __version__
from desktop.briefing import model
from desktop.briefing.content import BriefingCancelledError
from desktop.briefing.flowables import HeadingParagraph
from desktop.briefing.fonts import BOLD, REGULAR, register_fonts
from desktop.briefing.pdf_objects import CompressedPageStream, LeanPage, stream_output
from desktop.briefing.style import BriefingStyle
from desktop.briefing.text import markup, printable

Progress = Callable[[int, int, str], None]
PROGRESS_SCALE = 1000
WIDE_MARGIN = 14 * mm  # the diagram's landscape page: wide enough for its smallest text at 7 pt
TOTAL_FORM = "pagetotal"
PLACEHOLDER_PAGE = 88888  # as wide as any real page number: DejaVu's digits all have one width


def paper_size(paper: str) -> tuple[float, float]:
    return LETTER if paper == "letter" else A4


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


class BriefingDocTemplate(BaseDocTemplate):
    """Four page templates (cover, body, wide for the diagram, contents), the running marking and page
    numbers, contents entries and bookmarks from headings, progress and cancel between flowables.

    Pages are laid out cover first, then the body, then the contents (`contents_pages` of them, counted
    beforehand); `page_number` is what each prints, as the pages will stand once the contents are moved
    behind the cover."""

    def __init__(self, document: model.Document, style: BriefingStyle, *, contents_pages: int, progress, cancelled):
        self.document = document
        self.style = style
        self.contents_pages = contents_pages
        self.contents_start: int | None = None  # the physical page the contents begin on
        self.contents_after = 1  # the page the contents follow (the cover's last), marked in the story
        self.toc_entries: list[tuple[int, str, int, str]] = []
        self.progress_cb = progress
        self.cancelled = cancelled
        self.block_total = 1
        self._shapes: dict[tuple[float, float, bool], str] = {}  # page shape -> its running forms' name
        self._muted = colors.HexColor(style.color("muted"))
        self.blocks_done = 0
        self.flowables_done = 0
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
                PageTemplate("contents", [body], onPage=self._decorate_contents, pagesize=size),
            ]
        )

    def page_number(self, physical: int) -> int:
        """The number a page prints: the contents will sit right after page `contents_after`."""
        if self.contents_start is not None and physical >= self.contents_start:
            return self.contents_after + 1 + physical - self.contents_start
        return physical if physical <= self.contents_after else physical + self.contents_pages

    # -- running text -------------------------------------------------------------------------

    def _decorate_cover(self, canv, doc) -> None:
        canv.saveState()
        canv.setFillColor(colors.HexColor(self.style.color("accent")))
        canv.rect(0, 0, 14 * mm, canv._pagesize[1], stroke=0, fill=1)
        canv.restoreState()
        self._decorate(canv, doc, header=False)

    def _decorate_contents(self, canv, doc) -> None:
        if self.contents_start is None:
            self.contents_start = canv.getPageNumber()
        self._decorate(canv, doc)

    def _decorate(self, canv, doc, header: bool = True) -> None:
        """Marking top and bottom, header text and date, "page X of Y" and the organization; drawn
        before the page's content, so a text extraction reads them first. What every page of a shape
        shares is two forms (above and below the page number) drawn once at the end, not 15,000
        times; the page number stands at the left, as its total is a form whose width nothing here
        can know."""
        width, height = canv._pagesize
        shape = (width, height, header)
        name = self._shapes.setdefault(shape, f"running{len(self._shapes)}")
        left = WIDE_MARGIN if width > height else self.leftMargin
        y = self.bottomMargin - 7 * mm
        canv.doForm(name + "top")
        label = f"page {self.page_number(canv.getPageNumber())} of "
        canv.saveState()
        canv.setFillColor(self._muted)
        canv.setFont(REGULAR, self.style.header_pt)
        canv.drawString(left, y, label)
        canv.translate(left + pdfmetrics.stringWidth(label, REGULAR, self.style.header_pt), y)
        canv.doForm(TOTAL_FORM)
        canv.restoreState()
        canv.doForm(name + "bottom")

    def _running_forms(self, canv) -> None:
        """The forms `_decorate` drew: for each page shape, the marking, header and rules above the
        page number, and the bottom marking below it."""
        style = self.style
        marking = printable(self.document.marking)
        marking_colour = colors.HexColor(style.color("marking_text"))
        rule = colors.HexColor(style.color("rule"))
        for (width, height, header), name in self._shapes.items():
            left = WIDE_MARGIN if width > height else self.leftMargin
            right = width - (WIDE_MARGIN if width > height else self.rightMargin)
            canv.beginForm(name + "top", lowerx=0, lowery=0, upperx=width, uppery=height)
            canv.setFillColor(marking_colour)
            canv.setFont(BOLD, 9)
            canv.drawCentredString(width / 2, height - 10 * mm, marking)
            canv.setFont(REGULAR, style.header_pt)
            canv.setFillColor(self._muted)
            canv.setStrokeColor(rule)
            canv.setLineWidth(0.5)
            if header:
                y = height - self.topMargin + 6 * mm
                canv.drawString(left, y, printable(self.document.running_header or style.header_text))
                canv.drawRightString(right, y, printable(self.document.as_of_text))
                canv.line(left, y - 2 * mm, right, y - 2 * mm)
            y = self.bottomMargin - 7 * mm
            canv.line(left, y + 3.5 * mm, right, y + 3.5 * mm)
            canv.drawRightString(right, y, printable(style.organization))
            canv.endForm()
            canv.beginForm(name + "bottom", lowerx=0, lowery=0, upperx=width, uppery=height)
            canv.setFillColor(marking_colour)
            canv.setFont(BOLD, 9)
            canv.drawCentredString(width / 2, 7 * mm, marking)
            canv.endForm()

    # -- notifications ------------------------------------------------------------------------

    def heading_placed(self, heading: model.Heading) -> None:
        """A heading was drawn on the current page: its contents line and its bookmark."""
        if heading.key is None:
            return
        if heading.toc:
            self.toc_entries.append(
                (heading.level - 1, markup(heading.title), self.page_number(self.page), heading.key)
            )
        if heading.level <= 2:
            self.canv.addOutlineEntry(
                printable(heading.title), heading.key, level=heading.level - 1, closed=heading.level > 1
            )

    def block_taken(self) -> None:
        self.blocks_done += 1

    def afterFlowable(self, flowable) -> None:
        self.flowables_done += 1
        if self.flowables_done % 20 == 0:
            if self.cancelled():
                raise BriefingCancelledError()
            share = min(self.blocks_done / self.block_total, 1.0)
            self.progress_cb(int(PROGRESS_SCALE * share * 0.98), PROGRESS_SCALE, f"Laying out pages (page {self.page})")
        if isinstance(flowable, HeadingParagraph):
            self.heading_placed(flowable.heading)

    def finish(self, canv: Canvas) -> None:
        """Before the file is written: the total for every footer, and the contents behind the cover."""
        pages = canv._doc.Pages.pages
        canv.beginForm(TOTAL_FORM, lowerx=0, lowery=-5, upperx=200, uppery=20)
        canv.setFont(REGULAR, self.style.header_pt)
        canv.setFillColor(colors.HexColor(self.style.color("muted")))
        canv.drawString(0, 0, str(len(pages)))
        canv.endForm()
        self._running_forms(canv)
        if self.contents_start is not None:
            start, after = self.contents_start - 1, self.contents_after
            pages[:] = pages[:after] + pages[start:] + pages[after:start]


class ContentsTable(TableOfContents):
    """The contents, laid out at the end: its entries are the headings the layout has placed."""

    def __init__(self, entries: Callable[[], list], **kw) -> None:
        super().__init__(**kw)
        self._entries_of = entries

    def wrap(self, available_width, available_height):
        self._lastEntries = self._entries_of()
        return super().wrap(available_width, available_height)


def contents_table(styles: dict, entries: Callable[[], list]) -> ContentsTable:
    return ContentsTable(
        entries,
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


def contents_flowables(styles: dict, entries: Callable[[], list]) -> list:
    return [
        NextPageTemplate("contents"),
        PageBreak(),
        Paragraph("Contents", styles["h1"]),
        contents_table(styles, entries),
    ]


def count_contents_pages(document: model.Document, style: BriefingStyle, styles: dict) -> int:
    """How many pages the contents take: laid out alone, with placeholder page numbers."""
    if not any(isinstance(b, model.Contents) for b in document.blocks):
        return 0
    entries = [(h.level - 1, markup(h.title), PLACEHOLDER_PAGE, h.key) for h in document.contents_headings()]
    trial = BaseDocTemplate(io.BytesIO(), pagesize=paper_size(document.paper), initialFontName=REGULAR)
    m = style.margins_mm
    size = paper_size(document.paper)
    frame = Frame(
        m["left"] * mm,
        m["bottom"] * mm,
        size[0] - (m["left"] + m["right"]) * mm,
        size[1] - (m["top"] + m["bottom"]) * mm,
    )
    trial.addPageTemplates([PageTemplate("contents", [frame])])
    trial._doSave = 0  # platypus's switch for a layout without a file: its links have no targets
    trial.build([Paragraph("Contents", styles["h1"]), contents_table(styles, lambda: entries)])
    return trial.page


class FlowQueue:
    """The story as `BaseDocTemplate.build` consumes it (it only reads, deletes and inserts at the front),
    made from an iterable on demand: flowables are created a few at a time and dropped once drawn, so
    memory stays bounded by a page's worth whatever the annex's length, and taking the front is O(1)
    where a list's `del story[0]` moves the whole rest of the story every time. It looks no further
    than a text run that is still reading its blocks."""

    LOOKAHEAD = 16  # enough for a run of keepWithNext headings and what follows them

    def __init__(self, source: Iterable) -> None:
        self._items: deque = deque()
        self._source = iter(source)

    def _fill(self, count: int) -> None:
        while len(self._items) < count:
            if self._items and getattr(self._items[-1], "holds_back", False):
                return  # a text run still reads the blocks the next flowables would be made from
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
    figure_flowables: Callable[[model.Figure], list],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> int:
    """Lay out `document` into the PDF file `path` (written in place: the caller renames it); returns
    the page count. One pass, unless the contents come out longer than counted or the pages before
    them are more than the cover's one (then another)."""
    from desktop.briefing.flowables import FlowableMaker

    register_fonts()
    progress = progress or (lambda done, total, text: None)
    progress(0, PROGRESS_SCALE, "Laying out pages")
    styles = paragraph_styles(style)
    contents_pages = count_contents_pages(document, style, styles)
    contents_after = 1  # the cover's one page, until a layout shows otherwise
    for _ in range(3):
        doc = BriefingDocTemplate(
            document, style, contents_pages=contents_pages, progress=progress, cancelled=cancelled
        )
        doc.contents_after = contents_after  # pages before the contents' place are numbered by it
        doc.block_total = max(document.size(), 1)
        maker = FlowableMaker(style, styles, figure_flowables, doc.heading_placed)

        def blocks(doc=doc):
            for block in document.walk():
                doc.block_taken()
                yield block

        def story(doc=doc, maker=maker, contents_pages=contents_pages):
            yield from maker.flowables(blocks())
            if contents_pages:
                yield from contents_flowables(styles, lambda: doc.toc_entries)

        def canvasmaker(*args, doc=doc, **kw):
            return FinishingCanvas(doc, *args, **kw)

        with open(path, "wb") as output:  # the final write streams into it (stream_output)
            doc.build(FlowQueue(story()), filename=output, canvasmaker=canvasmaker)
        laid = 0 if doc.contents_start is None else doc.page - doc.contents_start + 1
        if laid == contents_pages and doc.contents_after == contents_after:
            break
        # The placeholder numbers misjudged the contents' length, or the front matter before them
        # took more than a page: the pages already numbered are off, so once more with the truth.
        contents_pages, contents_after = laid, doc.contents_after
    progress(PROGRESS_SCALE, PROGRESS_SCALE, "Done")
    return doc.page


class FinishingCanvas(Canvas):
    """A canvas that lets the template finish the document (total, page order) before it is saved."""

    def __init__(self, template: BriefingDocTemplate, *args, **kw) -> None:
        super().__init__(*args, **kw)
        self._template = template
        self._forms: dict[tuple[str, ...], object] = {}

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        """Compress the finished page's content now, not when the file is saved: a 15,000-page
        annex's text would otherwise sit in memory uncompressed until the end."""
        super().showPage()
        page = self._doc.Pages.pages[-1]
        page.__class__ = LeanPage  # the same page, written faster (it adds no state)
        page.XObjects = self._shared_forms(page.XObjects)
        if page.Trans is not None and not page.Trans.dict:
            page.Trans = None  # no page transition: nothing to write
        if page.stream and page.compression:
            page.Contents, page.stream = CompressedPageStream(page.stream), None

    def _shared_forms(self, forms):
        """One forms dictionary for all pages that draw the same forms (the running header and
        footer: every page), not one each."""
        if forms is None:
            return None
        key = tuple(sorted(forms.dict))
        return self._forms.setdefault(key, forms)

    def save(self) -> None:
        if len(self._code):
            self.showPage()
        self._template.finish(self)
        stream_output(self._doc, self._filename)
        super().save()
