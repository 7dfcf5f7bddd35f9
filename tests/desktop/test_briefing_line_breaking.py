"""Line breaking of the briefing's fast text (desktop/briefing/line_breaking.py): every line fits its
width, no line could have taken the next word, and no character is lost, doubled or moved, whatever
the spacing, faces, punctuation or word lengths."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics

from desktop.briefing.fonts import BOLD, ITALIC, REGULAR, register_fonts
from desktop.briefing.line_breaking import FUZZ, HANGING, LineBreaker

register_fonts()
FACES = (REGULAR, BOLD, ITALIC)
WORDS = ["UN", "NATO", "the", "a", "cooperation", "KFOR's", ".", ",", ";", ")", "Kosovo", "x" * 70, "Ωμέγα", ""]


def breaker() -> LineBreaker:
    return LineBreaker(lambda face: pdfmetrics.getFont(face).stringWidth)


def width(line, size: float) -> float:
    """The drawn width of a line: where its last frag ends, measured by the font itself."""
    if not line:
        return 0.0
    last = line[-1]
    return last.x + pdfmetrics.stringWidth(last.text, last.font, size)


pieces = st.lists(
    st.tuples(
        st.lists(st.sampled_from(WORDS), max_size=30).flatmap(
            lambda words: st.lists(
                st.sampled_from([" ", " ", "  ", "\n"]), min_size=len(words), max_size=len(words)
            ).map(lambda gaps: "".join(w + g for w, g in zip(words, gaps, strict=True)))
        ),
        st.sampled_from(FACES),
        st.sampled_from([None, "lesson-1"]),
    ),
    min_size=1,
    max_size=3,
)


@settings(max_examples=300, deadline=None)
@given(pieces=pieces, size=st.sampled_from([8.0, 9.5, 14.0]), room=st.sampled_from([60.0, 180.0, 451.3]))
def test_lines_fit_are_greedy_and_keep_every_character(pieces, size, room):
    runs = [(text, face, "0 0 0 rg", link) for text, face, link in pieces]
    lines = breaker().lines(runs, size, room, room)
    typed = "".join(text for text, _, _ in pieces)
    for number, line in enumerate(lines):
        single_cut = len(line) == 1 and " " not in line[0].text.strip(" ")
        hanging = bool(line) and line[-1].text in HANGING
        if not single_cut and not hanging:
            assert width(line, size) <= room + FUZZ, (number, line)
        # frags sit end to end: each starts where the one before it ends
        for before, after in zip(line, line[1:], strict=False):
            assert abs(before.x + pdfmetrics.stringWidth(before.text, before.font, size) - after.x) < 1e-6
    # Nothing lost or doubled: the printed characters, spaces and breaks aside, are the typed ones in order.
    printed = "".join(frag.text for line in lines for frag in line)
    assert printed.replace(" ", "") == typed.replace(" ", "").replace("\n", "")


def test_greedy_a_line_takes_every_word_that_fits():
    words = "the cooperation of the UN and NATO in Kosovo was close from the start".split()
    lines = breaker().lines([(" ".join(words), REGULAR, "0 0 0 rg", None)], 10, 120, 120)
    texts = [line[0].text for line in lines]
    assert " ".join(texts) == " ".join(words)
    for text, following in zip(texts, texts[1:], strict=False):
        longer = text + " " + following.split(" ")[0]
        assert pdfmetrics.stringWidth(longer, REGULAR, 10) > 120  # the next word would not have fitted


def test_a_word_longer_than_a_line_is_cut_and_the_rest_follows_on():
    word = "x" * 400
    lines = breaker().lines([(word + " end", REGULAR, "0 0 0 rg", None)], 10, 100, 100)
    assert [f.text for line in lines for f in line][-1] == "end"  # on a line of its own: the space was the break
    assert "".join(f.text for line in lines[:-1] for f in line) == word
    assert all(width(line, 10) <= 100 + FUZZ for line in lines)
    assert len(lines) > 4


def test_spaces_at_a_break_are_dropped_and_newlines_start_lines():
    room = pdfmetrics.stringWidth("gamma", REGULAR, 10) + 2
    lines = breaker().lines([("alpha   beta\ngamma", REGULAR, "0 0 0 rg", None)], 10, room, room)
    assert [[f.text for f in line] for line in lines] == [["alpha"], ["beta"], ["gamma"]]


def test_a_lone_closing_mark_hangs_rather_than_starting_a_line():
    text = "cooperation ."
    full = pdfmetrics.stringWidth("cooperation", REGULAR, 10)
    lines = breaker().lines([("cooperation", REGULAR, "c", None), (" .", BOLD, "c", None)], 10, full + 1, full + 1)
    assert "".join(f.text for f in lines[0]).strip() == text.replace(" .", "")
    # the mark follows the word on the next line only when a space separates them; alone it hangs
    hung = breaker().lines([("cooperation", REGULAR, "c", None), (".", BOLD, "c", None)], 10, full + 1, full + 1)
    assert len(hung) == 1 and hung[0][-1].text == "."


def test_a_link_frag_knows_its_width():
    lines = breaker().lines([("see ", REGULAR, "c", None), ("A.12 and A.13", BOLD, "c", "lesson-1")], 10, 60, 60)
    for line in lines:
        for frag in line:
            if frag.link:
                assert abs(frag.width - pdfmetrics.stringWidth(frag.text, BOLD, 10)) < 1e-6
