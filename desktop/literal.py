"""User and imported text shown literally: escaped wherever Qt may read it as HTML (tooltips, rich
labels), and isolated per field so a bidirectional override in one field cannot reverse the next."""

from __future__ import annotations

import html
import unicodedata

from PySide6.QtCore import Qt

FSI = "\u2068"  # first-strong isolate: the field takes its direction from its own first strong letter
PDI = "\u2069"  # pop directional isolate
TOOLTIP_LIMIT = 2000  # characters: a 20,000-character field must not become a screen-filling tooltip

# Bidi classes that can change the order of what follows them (controls) or that are right-to-left.
_BIDI_CLASSES = frozenset({"R", "AL", "AN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})


def needs_isolation(text: str) -> bool:
    """True when `text` holds a direction control or right-to-left letters (pure left-to-right text
    needs no isolate, and keeping it as it is keeps copied and exported text clean)."""
    return any(unicodedata.bidirectional(c) in _BIDI_CLASSES for c in text)


def isolate(text: str) -> str:
    """`text` as one bidirectional unit: overrides inside it end at its end (Unicode's isolates; an
    unclosed isolate inside it is closed by the final PDI, and Qt's text engine honours them).
    Each line is isolated on its own, since a line break ends an isolate."""
    if not text or not needs_isolation(text):
        return text
    if "\n" in text:
        return "\n".join(isolate(line) for line in text.split("\n"))
    opened = sum(text.count(c) for c in "\u2066\u2067\u2068") - text.count(PDI)
    embeddings = sum(text.count(c) for c in "\u202a\u202b\u202d\u202e") - text.count("\u202c")
    return FSI + text + "\u202c" * max(0, embeddings) + PDI * max(0, opened) + PDI


def literal_html(text: str) -> str:
    """`text` escaped for an HTML context (line breaks kept), isolated."""
    return html.escape(isolate(text)).replace("\n", "<br>")


def literal_tooltip(text: str) -> str:
    """Tooltip markup that shows `text` literally (Qt guesses rich text in tooltips, so it is always
    marked up and escaped), cut to TOOLTIP_LIMIT characters; "" stays "" (no tooltip)."""
    if not text:
        return ""
    if len(text) > TOOLTIP_LIMIT:
        text = text[:TOOLTIP_LIMIT] + "…"
    return "<qt>" + literal_html(text) + "</qt>"


def literal_role(role: int, text: str) -> str:
    """The value of a cell showing `text` for `role`: the tooltip escaped, the rest isolated."""
    if role == Qt.ItemDataRole.ToolTipRole:
        return literal_tooltip(text)
    return isolate(text)


__all__ = ["FSI", "PDI", "isolate", "literal_html", "literal_role", "literal_tooltip", "needs_isolation"]
