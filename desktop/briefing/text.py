"""User text made safe to print: bidirectional controls stripped, characters the embedded fonts
lack replaced by a visible code, and escaping for ReportLab's XML-like paragraph markup.

Plain Python. The same `printable` text goes to the PDF, the Word file and the tests' expectations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from xml.sax.saxutils import escape

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the marks: ReportLab lays out
# left to right without a bidi algorithm, so a control would only print as a box or, in Word, reverse
# the rest of its paragraph. Stripping them keeps each field's characters in the order typed.
BIDI_CONTROLS = dict.fromkeys(
    [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C]
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # XML 1.0 forbids most of them; none prints
_ASCII_SPECIAL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # what printable changes in ASCII text (not \n)

_covered: Callable[[str], bool] = lambda ch: True  # noqa: E731 - replaced by fonts.register_fonts


def set_coverage(test: Callable[[str], bool]) -> None:
    """Tell `printable` which characters the body font can draw (fonts.py does, once)."""
    global _covered
    _covered = test


def replacement(ch: str) -> str:
    """What a character the fonts lack prints as: its code point, so the reader sees something is there."""
    return f"[U+{ord(ch):04X}]"


def printable(value: object) -> str:
    """`value` as text every engine can print literally: controls removed, missing glyphs replaced."""
    text = str(value)
    if text.isascii() and not _ASCII_SPECIAL.search(text):
        return text  # the common case, checked in C: the fonts have every printable ASCII character
    text = text.translate(BIDI_CONTROLS)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    if all(ch == "\n" or _covered(ch) for ch in set(text)):
        return text
    out = []
    for ch in text:
        if ch == "\n" or _covered(ch):
            out.append(ch)
        elif unicodedata.category(ch) == "Cf":  # an invisible format character: nothing to show
            continue
        elif unicodedata.category(ch) == "Zs":
            out.append(" ")
        else:
            out.append(replacement(ch))
    return "".join(out)


def markup(value: object) -> str:
    """`printable(value)` escaped for ReportLab's Paragraph (&, <, >), line breaks kept."""
    return escape(printable(value)).replace("\n", "<br/>")


def long_date(day) -> str:
    """ "31 December 2007"."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"
