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
        _map_svg_fonts()
        from reportlab.graphics.shapes import STATE_DEFAULTS

        # A drawing's renderer starts each drawing in Times-Roman, named (not embedded) on its page even
        # when every string of the drawing has its own font: start it in the embedded face instead.
        STATE_DEFAULTS["fontName"] = REGULAR
        glyphs = set(pdfmetrics.getFont(REGULAR).face.charToGlyph)
        glyphs &= set(pdfmetrics.getFont(BOLD).face.charToGlyph)
        text.set_coverage(lambda ch: ord(ch) in glyphs)
        _done = True
        return REGULAR


def _map_svg_fonts() -> None:
    """Point svglib's names for the scene's font at the faces registered above. Qt's SVG writes
    numeric weights ("400", "700"), so those are mapped as well as the names. svglib's public
    register_font parses the TTF file again for every entry (about 0.1 s each); its map takes the
    already registered face directly, so use that when it is there."""
    try:
        from svglib.fonts import FontMap, get_global_font_map, register_font
    except ImportError:  # pragma: no cover - svglib is a declared dependency
        return
    font_map = get_global_font_map()
    table = getattr(font_map, "_map", None)
    index = getattr(font_map, "_family_index", None)
    for family in (FAMILY, "Sans Serif", "sans-serif"):
        for weights, face, italic_face in ((("normal", "400"), REGULAR, ITALIC), (("bold", "700"), BOLD, BOLD_ITALIC)):
            for weight in weights:
                for style, name in (("normal", face), ("italic", italic_face)):
                    if isinstance(table, dict) and isinstance(index, dict):
                        table[FontMap.build_internal_name(family, weight, style)] = {
                            "svg_family": family,
                            "svg_weight": weight,
                            "svg_style": style,
                            "rlgFont": name,
                            "exact": True,
                        }
                        index.setdefault(family.lower(), family)
                    else:
                        register_font(family, str(FONT_FOLDER / f"{name}.ttf"), weight, style, rlgFontName=name)
