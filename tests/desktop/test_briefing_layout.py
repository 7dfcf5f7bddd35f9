"""The PDF's one-pass layout: contents several pages long laid out last and moved behind the cover with
the right page numbers, "page X of Y" across all of it, and long paragraphs split between pages with
at least two lines on each side."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from desktop.briefing.build import write_blocks
from desktop.briefing.model import Contents, Cover, Document, Heading, Para, runs
from desktop.briefing.style import load_style
from tests.desktop.briefing_helpers import page_texts, split_pages

SECTIONS = 160


def _document(blocks) -> Document:
    return Document("t", "s", "a", (), "UNCLASSIFIED", "As of 1 January 2000", tuple(blocks))


@pytest.mark.parametrize("front_pages", [1, 2])
def test_long_contents_sit_behind_the_cover_with_the_right_page_numbers(qapp, tmp_path, front_pages):
    """160 sections: the contents fill several pages right after the cover (one page or two), and each
    entry gives the page its section starts on; every page says "page X of Y" with the final numbers."""
    blocks: list = [Cover("Title", "Sub", "Org", (("Marking", "UNCLASSIFIED"),), "Note.")]
    if front_pages == 2:
        blocks += [Heading(1, "Distribution"), Para(runs("Distribution list."))]
    blocks.append(Contents())
    for i in range(SECTIONS):
        blocks.append(Heading(1, f"Section {i:03d}", key=f"s{i}", toc=True, number=str(i + 1)))
        blocks += [Para(runs(f"Body of section {i:03d}, line {k}. " * (1 + i % 9))) for k in range(1 + i % 4)]
    path = tmp_path / "c.pdf"
    total = write_blocks(_document(blocks), load_style(), path, ".pdf", lowest="UNCLASSIFIED")
    pages = page_texts(path)
    assert len(pages) == total
    bodies = split_pages(pages)  # the running text of every page, "page X of Y" included
    first = front_pages + 1
    contents = [n for n in range(first, len(bodies) + 1) if not re.match(r"\d+ Section \d{3} Body", bodies[n - 1])]
    assert contents == list(range(first, first + len(contents))) and len(contents) >= 3
    assert bodies[first - 1].startswith("Contents ")
    assert front_pages == 1 or bodies[1].startswith("Distribution Distribution list.")
    starts = {}
    for n, body in enumerate(bodies, start=1):
        found = re.match(r"(\d+) (Section \d{3}) Body", body)
        if found:
            starts[found.group(2)] = n
    assert len(starts) == SECTIONS
    listed = {}
    for n in contents:
        text = PdfReader(str(path)).pages[n - 1].extract_text(extraction_mode="layout")
        for title, page in re.findall(r"\d+ +(Section \d{3})[ .]*?(\d+) *$", text, flags=re.M):
            listed[title] = int(page)
    assert listed == starts


def _rows_of_words(page) -> int:
    """How many lines of the page carry the long paragraph's words ("w012")."""
    rows: set[int] = set()

    def visit(text, cm, tm, font, size):
        if re.search(r"w\d{3}", text):
            rows.add(round(tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return len(rows)


def test_a_long_paragraph_splits_with_two_lines_each_side(qapp, tmp_path):
    """Paragraphs of every length around a page foot: none leaves a single line alone on either page,
    and each word is printed once."""
    seen_split = False
    for filler in range(38, 50):
        blocks: list = [Heading(1, "Start", key="start", toc=True)]
        blocks += [Para(runs(f"Filler {i}.")) for i in range(filler)]
        blocks.append(Para(runs(" ".join(f"w{k:03d}" for k in range(90)))))
        path = tmp_path / f"p{filler}.pdf"
        write_blocks(_document(blocks), load_style(), path, ".pdf", lowest="UNCLASSIFIED")
        text = " ".join(split_pages(page_texts(path)))
        assert all(text.count(f"w{k:03d}") == 1 for k in range(90)), filler
        rows = [_rows_of_words(page) for page in PdfReader(str(path)).pages]
        used = [r for r in rows if r]
        assert all(r >= 2 for r in used), (filler, rows)
        seen_split = seen_split or len(used) > 1
    assert seen_split
