"""The briefing's fonts for ReportLab and svglib: the TTF files shipped in resources/fonts, registered
once per process and embedded (subset) in every PDF, so the briefing prints the same everywhere."""

from __future__ import annotations

import threading
from pathlib import Path

from desktop.briefing import text

FONT_FOLDER = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"
FAMILY = "DejaVu Sans"
_lock = threading.Lock()
_done = False


def register_fonts() -> str:
    """Register the DejaVu family with ReportLab (so <b> and <i> pick the right face) and with svglib
    (so the diagram's "DejaVu Sans" text stays DejaVu); returns the regular face's name."""
    global _done
    with _lock:
        if _done:
            return REGULAR
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name in (REGULAR, BOLD, ITALIC, BOLD_ITALIC):
            pdfmetrics.registerFont(TTFont(name, str(FONT_FOLDER / f"{name}.ttf")))
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
        for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
            addMapping(REGULAR, bold, italic, face)
        try:
            from svglib.fonts import register_font

            # Qt's SVG writes numeric weights ("400", "700"): map those as well as the names.
            for family in (FAMILY, "Sans Serif", "sans-serif"):
                for weights, face, italic_face in (
                    (("normal", "400"), REGULAR, ITALIC),
                    (("bold", "700"), BOLD, BOLD_ITALIC),
                ):
                    for weight in weights:
                        register_font(family, str(FONT_FOLDER / f"{face}.ttf"), weight, "normal", rlgFontName=face)
                        path = str(FONT_FOLDER / f"{italic_face}.ttf")
                        register_font(family, path, weight, "italic", rlgFontName=italic_face)
        except ImportError:  # pragma: no cover - svglib is a declared dependency
            pass
        from reportlab.graphics.shapes import STATE_DEFAULTS

        # A drawing's renderer starts each drawing in Times-Roman, named (not embedded) on its page even
        # when every string of the drawing has its own font: start it in the embedded face instead.
        STATE_DEFAULTS["fontName"] = REGULAR
        glyphs = set(pdfmetrics.getFont(REGULAR).face.charToGlyph)
        glyphs &= set(pdfmetrics.getFont(BOLD).face.charToGlyph)
        text.set_coverage(lambda ch: ord(ch) in glyphs)
        _done = True
        return REGULAR
