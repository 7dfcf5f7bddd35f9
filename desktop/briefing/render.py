"""Painting a briefing into a PDF with Qt: QPdfWriter + QPainter + QTextDocument.

Each section is its own paginated QTextDocument (so each starts on a new page and progress can be
reported between them); the cover, the running header and footer ("page X of Y", the marking at
top and bottom) and the diagram are painted directly. Two passes: lay everything out to count pages,
then paint, so the table of contents and the footers carry the final numbers.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from PySide6.QtCore import QByteArray, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from desktop import __version__
from desktop.briefing.content import BriefingCancelledError, BriefingContent
from desktop.briefing.sections import DIAGRAM, Section, build_sections, esc, long_date
from desktop.briefing.style import BriefingStyle

RESOLUTION = 300
PROGRESS_SCALE = 1000
Progress = Callable[[int, int, str], None]
_fonts_lock = threading.Lock()
_loaded_fonts: dict[Path, int] = {}


def ensure_fonts(style: BriefingStyle) -> str:
    """Register the style's TTF files with Qt once, so the PDF embeds the same font on every machine.
    Returns the family to use (Qt's fallback font if the files are missing)."""
    with _fonts_lock:
        family = style.font_family
        for path in style.font_files:
            if path not in _loaded_fonts and path.is_file():
                _loaded_fonts[path] = QFontDatabase.addApplicationFont(str(path))
        return family


def device_css(css: str) -> str:
    """Qt's rich-text CSS ignores points in margins and paddings but reads pixels as 1/96 inch on any
    device (checked with a 300-dpi QPdfWriter): turn the style's points into such pixels."""

    def convert(match: re.Match) -> str:
        return f"{float(match.group(1)) * 96 / 72:.2f}px"

    out = []
    for declaration in re.split(r"(;|{|})", css):
        if "font-size" in declaration:
            out.append(declaration)
        else:
            out.append(re.sub(r"(\d+(?:\.\d+)?)pt\b", convert, declaration))
    return "".join(out)


MAX_HEADING_FIXES = 400


def keep_headings_with_next(doc: QTextDocument) -> None:
    """Qt has no keep-with-next: a heading left alone at the foot of a page is moved to the next page
    (a page break before it), one heading at a time in document order, as each move shifts the rest."""
    layout = doc.documentLayout()
    height = doc.pageSize().height()
    block = doc.begin()
    fixes = 0
    while block.isValid() and fixes < MAX_HEADING_FIXES:
        following = block.next()
        if block.blockFormat().headingLevel() > 1 and following.isValid():
            page = int(layout.blockBoundingRect(block).top() // height)
            next_page = int(layout.blockBoundingRect(following).top() // height)
            if next_page > page and layout.blockBoundingRect(block).top() > page * height + 1:
                cursor = QTextCursor(block)
                fmt = block.blockFormat()
                fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
                cursor.setBlockFormat(fmt)
                fixes += 1
        block = following


class BriefingTextDocument(QTextDocument):
    """A QTextDocument that loads nothing from outside: any image or stylesheet the HTML names that
    was not registered with `addResource` comes back as a blank placeholder."""

    def loadResource(self, resource_type: int, name: QUrl):
        if (
            resource_type == QTextDocument.ResourceType.ImageResource.value
            or resource_type == QTextDocument.ResourceType.ImageResource
        ):
            placeholder = QImage(1, 1, QImage.Format.Format_ARGB32)
            placeholder.fill(Qt.GlobalColor.transparent)
            return placeholder
        return ""


@dataclass
class Geometry:
    page: QRectF
    body: QRectF
    mm: float

    @classmethod
    def of(cls, writer: QPdfWriter, style: BriefingStyle) -> Geometry:
        mm = RESOLUTION / 25.4
        page = QRectF(0, 0, writer.width(), writer.height())
        m = style.margins_mm
        body = page.adjusted(m["left"] * mm, m["top"] * mm, -m["right"] * mm, -m["bottom"] * mm)
        return cls(page=page, body=body, mm=mm)


class _Laid:
    """A section laid out into pages."""

    def __init__(self, section: Section, doc: QTextDocument | None, pages: int) -> None:
        self.section = section
        self.doc = doc
        self.pages = pages
        self.first_page = 0
        self.caption: QTextDocument | None = None


class BriefingPainter:
    """Lays out and paints one briefing. `diagram` is the quadrangle as SVG bytes (see diagram.py)."""

    def __init__(
        self,
        content: BriefingContent,
        style: BriefingStyle,
        diagram: bytes | None,
        *,
        lowest_marking: str,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self.content = content
        self.style = style
        self.diagram = diagram
        self.lowest_marking = lowest_marking
        self.progress = progress or (lambda done, total, text: None)
        self.cancelled = cancelled
        self.family = ensure_fonts(style)
        self.stylesheet = device_css(style.stylesheet)

    # -- the document ------------------------------------------------------------------------

    def write(self, path: Path) -> int:
        """Write the PDF to `path` atomically (a temporary file renamed at the end); returns the page
        count. Raises BriefingCancelledError (leaving no file) when `cancelled()` turns true."""
        path = Path(path)
        fd, tmp_name = tempfile.mkstemp(prefix=".briefing-", suffix=".pdf", dir=str(path.parent) or ".")
        os.close(fd)
        try:
            pages = self._write_to(tmp_name)
            os.replace(tmp_name, path)
            return pages
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def _check(self) -> None:
        if self.cancelled():
            raise BriefingCancelledError()

    def _writer(self, file_name: str) -> QPdfWriter:
        writer = QPdfWriter(file_name)
        size = QPageSize.PageSizeId.Letter if self.content.options.paper == "letter" else QPageSize.PageSizeId.A4
        writer.setPageLayout(
            QPageLayout(
                QPageSize(size), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter
            )
        )
        writer.setResolution(RESOLUTION)
        title = f"{self.content.title} as of {self.content.as_of.isoformat()}"
        writer.setTitle(title)
        writer.setCreator(f"Quadrangle {__version__}")
        if hasattr(writer, "setAuthor"):  # Qt 6.9+
            writer.setAuthor(self.content.analyst)
        writer.setDocumentXmpMetadata(self._xmp(title).encode("utf-8"))
        return writer

    def subject(self) -> str:
        return f"{self.content.marking} briefing on inter-organizational security cooperation as of {self.content.as_of.isoformat()}"

    def _xmp(self, title: str) -> str:
        """XMP metadata: Qt has no setSubject, and XMP's dc:description is the PDF subject readers show."""
        c = self.content
        produced = c.produced.isoformat(timespec="seconds")
        return (
            '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
            f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{xml_escape(title)}</rdf:li></rdf:Alt></dc:title>'
            f"<dc:creator><rdf:Seq><rdf:li>{xml_escape(c.analyst)}</rdf:li></rdf:Seq></dc:creator>"
            f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{xml_escape(self.subject())}</rdf:li></rdf:Alt></dc:description>'
            f"<xmp:CreateDate>{produced}</xmp:CreateDate><xmp:CreatorTool>Quadrangle {__version__}</xmp:CreatorTool>"
            f"<pdf:Producer>Qt</pdf:Producer><pdf:Keywords>{xml_escape(c.marking)}</pdf:Keywords>"
            "</rdf:Description></rdf:RDF></x:xmpmeta>"
            '<?xpacket end="w"?>'
        )

    def _write_to(self, file_name: str) -> int:
        writer = self._writer(file_name)
        geo = Geometry.of(writer, self.style)
        sections = build_sections(self.content, self.lowest_marking)
        # Progress in thousandths: laying out takes the first 30 %, painting page by page the rest.
        laid: list[_Laid] = []
        for i, section in enumerate(sections):
            self._check()
            self.progress(300 * i // len(sections), PROGRESS_SCALE, f"Laying out {section.title}")
            laid.append(self._lay_out(section, writer, geo))
        # The contents' own length is laid out with placeholder numbers first (pass one), then with
        # the real ones (pass two); numbers never change its page count as they share one line each.
        toc_pages = self._toc_doc(laid, writer, geo, placeholder=True).pageCount()
        page = 1 + toc_pages
        for item in laid:
            item.first_page = page + 1
            page += item.pages
        total = page
        toc = self._toc_doc(laid, writer, geo, placeholder=False)

        painter = QPainter()
        if not painter.begin(writer):
            raise OSError(f"Cannot write {file_name}: check the folder and its permissions.")
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            page_no = 1
            self._paint_head(painter, geo, page_no)
            self._paint_cover(painter, geo)
            self._paint_foot(painter, geo, page_no, total)
            for i in range(toc.pageCount()):
                writer.newPage()
                page_no += 1
                self._paint_head(painter, geo, page_no)
                self._paint_doc_page(painter, toc, i, geo)
                self._paint_foot(painter, geo, page_no, total)
            for item in laid:
                self._check()
                for i in range(item.pages):
                    if i % 10 == 0:
                        self._check()
                        self.progress(
                            300 + 700 * page_no // total,
                            PROGRESS_SCALE,
                            f"Painting {item.section.title} (page {page_no + 1} of {total})",
                        )
                    writer.newPage()
                    page_no += 1
                    self._paint_head(painter, geo, page_no)
                    if item.section.kind == DIAGRAM:
                        self._paint_diagram_page(painter, item, geo)
                    else:
                        self._paint_doc_page(painter, item.doc, i, geo)
                    self._paint_foot(painter, geo, page_no, total)
        finally:
            painter.end()
        self.progress(PROGRESS_SCALE, PROGRESS_SCALE, "Done")
        return total

    # -- layout ------------------------------------------------------------------------------

    def _new_doc(self, html: str, writer: QPdfWriter, geo: Geometry) -> QTextDocument:
        doc = BriefingTextDocument()
        doc.documentLayout().setPaintDevice(writer)
        doc.setDocumentMargin(0)
        font = QFont(self.family)
        font.setPointSizeF(self.style.body_pt)
        doc.setDefaultFont(font)
        doc.setDefaultStyleSheet(self.stylesheet)
        doc.setPageSize(QSizeF(geo.body.width(), geo.body.height()))
        doc.setHtml(f"<body>{html}</body>")
        return doc

    def _lay_out(self, section: Section, writer: QPdfWriter, geo: Geometry) -> _Laid:
        if section.kind == DIAGRAM:
            laid = _Laid(section, self._new_doc(section.html, writer, geo), 1)
            laid.caption = self._new_doc(f'<p class="caption">{esc(section.caption)}</p>', writer, geo)
            return laid
        doc = self._new_doc(section.html, writer, geo)
        keep_headings_with_next(doc)
        return _Laid(section, doc, max(1, doc.pageCount()))

    def _toc_doc(self, laid: list[_Laid], writer: QPdfWriter, geo: Geometry, *, placeholder: bool) -> QTextDocument:
        rows = []
        for item in laid:
            page = "000" if placeholder else str(item.first_page)
            rows.append(
                f'<tr><td width="8%">{esc(item.section.number)}</td><td width="80%">{esc(item.section.title)}</td>'
                f'<td class="page" width="12%">{page}</td></tr>'
            )
        html = f'<h1>Contents</h1><table class="toc" width="100%" cellspacing="0">{"".join(rows)}</table>'
        return self._new_doc(html, writer, geo)

    # -- painting ----------------------------------------------------------------------------

    def _paint_doc_page(self, painter: QPainter, doc: QTextDocument, index: int, geo: Geometry) -> None:
        height = doc.pageSize().height()
        painter.save()
        painter.translate(geo.body.left(), geo.body.top() - index * height)
        clip = QRectF(0, index * height, geo.body.width(), height)
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.clip = clip
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def _font(self, pt: float, bold: bool = False) -> QFont:
        font = QFont(self.family)
        font.setPointSizeF(pt)
        font.setBold(bold)
        return font

    def _paint_head(self, painter: QPainter, geo: Geometry, page_no: int) -> None:
        """The running header: the marking at the top, then the header text and the date."""
        mm, style = geo.mm, self.style
        painter.save()
        painter.setClipping(False)
        painter.setPen(QColor(style.color("marking_text")))
        painter.setFont(self._font(9, bold=True))
        top_band = QRectF(geo.body.left(), 6 * mm, geo.body.width(), 6 * mm)
        painter.drawText(top_band, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, self.content.marking)
        if page_no > 1:
            header = QRectF(geo.body.left(), geo.body.top() - 9 * mm, geo.body.width(), 5 * mm)
            painter.setFont(self._font(style.header_pt))
            painter.setPen(QColor(style.color("muted")))
            painter.drawText(header, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, style.header_text)
            painter.drawText(
                header,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"As of {long_date(self.content.as_of)}",
            )
            painter.setPen(QPen(QColor(style.color("rule")), 0.25 * mm))
            y = geo.body.top() - 3.5 * mm
            painter.drawLine(QPointF(geo.body.left(), y), QPointF(geo.body.right(), y))
        painter.restore()

    def _paint_foot(self, painter: QPainter, geo: Geometry, page_no: int, total: int) -> None:
        """The running footer: organization, "page X of Y", then the marking at the bottom."""
        mm, style = geo.mm, self.style
        painter.save()
        painter.setClipping(False)
        footer = QRectF(geo.body.left(), geo.body.bottom() + 4 * mm, geo.body.width(), 5 * mm)
        painter.setPen(QPen(QColor(style.color("rule")), 0.25 * mm))
        y = geo.body.bottom() + 3 * mm
        painter.drawLine(QPointF(geo.body.left(), y), QPointF(geo.body.right(), y))
        painter.setFont(self._font(style.header_pt))
        painter.setPen(QColor(style.color("muted")))
        painter.drawText(footer, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, style.organization)
        painter.drawText(
            footer, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"page {page_no} of {total}"
        )
        painter.setPen(QColor(style.color("marking_text")))
        painter.setFont(self._font(9, bold=True))
        bottom_band = QRectF(geo.body.left(), geo.page.height() - 12 * mm, geo.body.width(), 6 * mm)
        painter.drawText(
            bottom_band, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, self.content.marking
        )
        painter.restore()

    def _paint_cover(self, painter: QPainter, geo: Geometry) -> None:
        mm = geo.mm
        style, c = self.style, self.content
        body = geo.body
        painter.save()
        painter.fillRect(QRectF(0, 0, 14 * mm, geo.page.height()), QColor(style.color("accent")))
        top = body.top() + 18 * mm
        if style.logo is not None:
            from PySide6.QtSvg import QSvgRenderer

            renderer = QSvgRenderer(str(style.logo))
            if renderer.isValid():
                renderer.render(painter, QRectF(body.left(), top, 22 * mm, 22 * mm))
        painter.setPen(QColor(style.color("muted")))
        painter.setFont(self._font(10, bold=True))
        painter.drawText(
            QRectF(body.left() + 28 * mm, top, body.width() - 28 * mm, 22 * mm),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
            style.organization,
        )
        y = top + 55 * mm
        painter.setPen(QColor(style.color("accent")))
        painter.setFont(self._font(26, bold=True))
        title_rect = painter.boundingRect(
            QRectF(body.left(), y, body.width(), 80 * mm), Qt.TextFlag.TextWordWrap, c.title
        )
        painter.drawText(title_rect, Qt.TextFlag.TextWordWrap, c.title)
        y = title_rect.bottom() + 6 * mm
        if style.subtitle:
            painter.setPen(QColor(style.color("text")))
            painter.setFont(self._font(13))
            sub = painter.boundingRect(
                QRectF(body.left(), y, body.width(), 40 * mm), Qt.TextFlag.TextWordWrap, style.subtitle
            )
            painter.drawText(sub, Qt.TextFlag.TextWordWrap, style.subtitle)
            y = sub.bottom() + 4 * mm
        painter.setPen(QPen(QColor(style.color("accent")), 0.8 * mm))
        painter.drawLine(QPointF(body.left(), y + 4 * mm), QPointF(body.left() + 40 * mm, y + 4 * mm))
        y += 16 * mm
        facts = [
            ("As of", long_date(c.as_of)),
            ("Produced", f"{long_date(c.produced.date())}, {c.produced.strftime('%H:%M')}"),
            ("Analyst", c.analyst),
            ("Relationships", ", ".join(s.label for s in c.sections) or "none"),
            ("Marking", c.marking),
        ]
        if c.max_marking:
            facts.append(
                ("Left out", f"{c.left_out_total} item{'s' if c.left_out_total != 1 else ''} above {c.max_marking}")
            )
        for label, value in facts:
            painter.setFont(self._font(9, bold=True))
            painter.setPen(QColor(style.color("muted")))
            painter.drawText(
                QRectF(body.left(), y, 35 * mm, 7 * mm),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                label.upper(),
            )
            painter.setFont(self._font(11, bold=label == "Marking"))
            painter.setPen(QColor(style.color("marking_text" if label == "Marking" else "text")))
            value_rect = painter.boundingRect(
                QRectF(body.left() + 38 * mm, y - 0.6 * mm, body.width() - 38 * mm, 30 * mm),
                Qt.TextFlag.TextWordWrap,
                value,
            )
            painter.drawText(value_rect, Qt.TextFlag.TextWordWrap, value)
            y = max(y + 9 * mm, value_rect.bottom() + 3 * mm)
        painter.setFont(self._font(8))
        painter.setPen(QColor(style.color("muted")))
        note = (
            "Generated by Quadrangle from the assessments recorded in its database. Every phase, motive and "
            "count in this briefing comes from the same state as of the date shown on screen."
        )
        painter.drawText(
            QRectF(body.left(), body.bottom() - 18 * mm, body.width(), 16 * mm),
            Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignBottom,
            note,
        )
        painter.restore()

    def _paint_diagram_page(self, painter: QPainter, item: _Laid, geo: Geometry) -> None:
        """The heading, the diagram (vectors) fitted to the page's width, and the caption under it."""
        heading_height = item.doc.documentLayout().documentSize().height()
        self._paint_doc_page(painter, item.doc, 0, geo)
        caption_height = item.caption.documentLayout().documentSize().height()
        area = QRectF(
            geo.body.left(),
            geo.body.top() + heading_height + 2 * geo.mm,
            geo.body.width(),
            geo.body.height() - heading_height - caption_height - 10 * geo.mm,
        )
        bottom = area.top()
        if self.diagram is not None:
            from PySide6.QtSvg import QSvgRenderer

            renderer = QSvgRenderer(QByteArray(self.diagram))
            box = renderer.viewBoxF()
            if renderer.isValid() and box.width() > 0 and box.height() > 0:
                size = box.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                target = QRectF(area.center().x() - size.width() / 2, area.top(), size.width(), size.height())
                renderer.render(painter, target)
                painter.save()
                painter.setPen(QPen(QColor(self.style.color("rule")), 0.25 * geo.mm))
                painter.drawRect(target)
                painter.restore()
                bottom = target.bottom()
        painter.save()
        painter.translate(geo.body.left(), bottom + 3 * geo.mm)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.clip = QRectF(0, 0, geo.body.width(), caption_height)
        item.caption.documentLayout().draw(painter, context)
        painter.restore()
