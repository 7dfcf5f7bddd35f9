"""User text in the briefing: escaped for the paragraph markup, bidirectional controls stripped so a
U+202E cannot reverse what follows, characters the fonts lack shown as their code point."""

from __future__ import annotations

from datetime import date

from desktop.briefing.fonts import register_fonts
from desktop.briefing.text import markup, printable
from tests.desktop.briefing_helpers import body_text, lesson, store_with_lessons, write

AS_OF = date(2007, 12, 31)


def test_markup_escapes_and_strips():
    """&, < and > are escaped; bidi overrides and isolates are gone; line breaks survive as <br/>."""
    register_fonts()
    assert markup("a & <b>\nc") == "a &amp; &lt;b&gt;<br/>c"
    assert printable("abc\u202edef\u2066g\u2069") == "abcdefg"
    assert printable("rocket \U0001f680 ok") == "rocket [U+1F680] ok"
    assert printable("tab\there\x07") == "tab here"
    assert printable("Café – Ωμέγα") == "Café – Ωμέγα"


def test_reversing_override_and_emoji_in_the_pdf(qapp, tmp_path):
    """A finding with U+202E prints in typed order and one with an emoji prints a visible code."""
    store = store_with_lessons(
        tmp_path,
        [
            lesson("Override \u202eFOLLOWS in order", key="bidi"),
            lesson("Emoji \U0001f680 launch", key="emoji"),
        ],
    )
    with store:
        write(store, tmp_path / "t.pdf", as_of=AS_OF)
    text = body_text(tmp_path / "t.pdf")
    assert "Override FOLLOWS in order" in text and "\u202e" not in text
    assert "Emoji [U+1F680] launch" in text
