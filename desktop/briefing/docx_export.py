"""Writing a briefing Document as a Word file with python-docx: the marking in every page's header and
footer, Heading styles (Word's navigation pane and its table of contents use them), real tables whose
header row repeats on every page (w:tblHeader), the diagram as a 250-dpi picture."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from desktop.briefing import model
from desktop.briefing.content import BriefingCancelledError
from desktop.briefing.style import BriefingStyle
from desktop.briefing.text import printable

PICTURE_DPI = 250
PAPERS = {"a4": (Mm(210), Mm(297)), "letter": (Mm(215.9), Mm(279.4))}
FILLS = {"weight1": "E3EAF3", "weight2": "C3D3E6", "weight3": "9FB8D6", "changed": "FBE3C2"}


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _shade(cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def repeat_header(row) -> None:
    """Mark a table row as a header row Word repeats at the top of each page (no API for it)."""
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _add_runs(paragraph, runs: tuple[model.Run, ...], style: BriefingStyle) -> None:
    for run in runs:
        lines = printable(run.text).split("\n")
        for i, line in enumerate(lines):
            if i:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            piece = paragraph.add_run(line)
            piece.bold = run.bold or None
            piece.italic = run.italic or None
            if run.color:
                piece.font.color.rgb = _rgb(style.color(run.color))


def _toc_field(paragraph) -> None:
    """Word's TOC field over Heading 1-2; Word fills it when the reader updates fields."""
    begin, instr, sep, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar"), None)
    begin.set(qn("w:fldCharType"), "begin")
    instr.set(qn("xml:space"), "preserve")
    instr.text = 'TOC \\o "1-2" \\h \\z \\u'
    sep.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, sep):
        run = paragraph.add_run()
        run._r.append(element)
    paragraph.add_run("Right-click here and choose Update Field to fill in the contents.")
    paragraph.add_run()._r.append(end)


def _picture(svg: bytes) -> bytes | None:
    """The diagram's SVG rendered by Qt at PICTURE_DPI for the page width, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg))
    box = renderer.viewBoxF()
    if not renderer.isValid() or box.width() <= 0:
        return None
    width_px = round(160 / 25.4 * PICTURE_DPI)
    height_px = round(width_px * box.height() / box.width())
    image = QImage(width_px, height_px, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    image.setDotsPerMeterX(round(PICTURE_DPI / 0.0254))
    image.setDotsPerMeterY(round(PICTURE_DPI / 0.0254))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, width_px, height_px))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 6.11 types `format` as bytes but accepts only str at run time (bytes raises ValueError).
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


def write_docx(
    document: model.Document, style: BriefingStyle, path: Path, *, cancelled: Callable[[], bool] = lambda: False
) -> int:
    """Write the Word file to `path`; returns 0 (Word paginates when it opens the file)."""
    word = WordDocument()
    props = word.core_properties
    props.title = printable(document.title)
    props.subject = printable(document.subject)
    props.author = printable(document.author)
    props.keywords = "; ".join(printable(k) for k in document.keywords)
    props.category = printable(document.marking)
    section = word.sections[0]
    section.page_width, section.page_height = PAPERS.get(document.paper, PAPERS["a4"])
    margins = style.margins_mm
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    normal = word.styles["Normal"]
    normal.font.name = "DejaVu Sans"
    normal.font.size = Pt(style.body_pt)
    marking = printable(document.marking)
    for part, extra in (
        (section.header, printable(style.header_text) + "  ·  " + document.as_of_text),
        (section.footer, printable(style.organization)),
    ):
        top = part.paragraphs[0]
        top.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark = top.add_run(marking)
        mark.bold = True
        mark.font.color.rgb = _rgb(style.color("marking_text"))
        line = part.add_paragraph(extra)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word_styles = {
        "lead": None,
        "note": Pt(8),
        "cite": Pt(8),
        "ref": Pt(8.5),
        "more": Pt(8.5),
        "caption": Pt(8),
    }
    for i, block in enumerate(document.walk()):
        if i % 200 == 0 and cancelled():
            raise BriefingCancelledError()
        if isinstance(block, model.Cover):
            word.add_paragraph(printable(block.organization))
            word.add_heading(printable(block.title), level=0)
            if block.subtitle:
                word.add_paragraph(printable(block.subtitle))
            for label, value in block.facts:
                p = word.add_paragraph()
                p.add_run(label.upper() + "  ").bold = True
                p.add_run(printable(value))
            word.add_paragraph(printable(block.note)).runs[0].font.size = Pt(8)
        elif isinstance(block, model.Contents):
            word.add_page_break()
            word.add_heading("Contents", level=1)
            _toc_field(word.add_paragraph())
        elif isinstance(block, model.Heading):
            if block.level == 1:
                word.add_page_break()
            word.add_heading(printable(block.title), level=min(block.level, 3))
        elif isinstance(block, model.Para):
            p = word.add_paragraph()
            _add_runs(p, block.runs, style)
            size = word_styles.get(block.style)
            if size is not None:
                for run in p.runs:
                    run.font.size = size
            if block.style in ("rec", "cite"):
                p.paragraph_format.left_indent = Mm(8)
        elif isinstance(block, model.Table):
            _table(word, block, style)
        elif isinstance(block, model.Figure):
            png = _picture(block.svg) if block.svg else None
            if png is not None:
                word.add_picture(io.BytesIO(png), width=Mm(160))
            caption = word.add_paragraph(printable(block.caption))
            caption.runs[0].font.size = Pt(8)
        elif isinstance(block, model.PageBreak):
            word.add_page_break()
    section.orientation = WD_ORIENT.PORTRAIT
    word.save(str(path))
    return 0


def _table(word, table: model.Table, style: BriefingStyle) -> None:
    grid = word.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    head = grid.rows[0]
    repeat_header(head)
    for cell, text in zip(head.cells, table.header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(printable(text))
        run.bold = True
        run.font.color.rgb = _rgb(style.color("table_header_text"))
        _shade(cell, style.color("table_header").lstrip("#"))
    total = sum(table.widths)
    for r, row in enumerate(table.rows):
        cells = grid.add_row().cells
        for c, runs in enumerate(row):
            _add_runs(cells[c].paragraphs[0], runs, style)
            fill = table.shade.get((r, c))
            if fill:
                _shade(cells[c], FILLS.get(fill, fill.lstrip("#")))
    for c, width in enumerate(table.widths):
        for cell in grid.columns[c].cells:
            cell.width = Mm(160 * width / total)
