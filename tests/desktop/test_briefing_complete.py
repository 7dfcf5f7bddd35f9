"""Nothing lost, ever: every included lesson's finding, recommendation and citations appear exactly
once in the PDF's extracted text, on A4 and Letter, with 1,000 (and, slow, 10,000) added lessons; no
heading ends a page; every page carries the marking at top and bottom and "page X of Y"."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from db import MarkingRecord
from desktop.briefing.build import write_briefing
from desktop.briefing.content import BriefingOptions, MarkingScale, gather
from desktop.briefing.judgements import plan_lessons
from desktop.briefing.model import Heading
from desktop.briefing.story import briefing_document
from desktop.briefing.style import load_style
from desktop.briefing.text import printable
from tests.desktop.briefing_helpers import (
    body_text,
    normalise,
    page_texts,
    split_pages,
    spread_lessons,
    store_with_lessons,
)

AS_OF = date(2007, 12, 31)
MARGIN_BOTTOM_PT = 20 * 72 / 25.4  # style.json's bottom margin: the body ends above it


def expected_blocks(store, options: BriefingOptions) -> tuple[list[str], list[str], list[str]]:
    """For each lesson printed in full: its whole block, its finding and its recommendation, as a
    reader's text search sees them."""
    content = gather(store, options)
    plan = plan_lessons(content)
    blocks, findings, recs = [], [], []
    seen = set()
    for section in content.sections:
        for _, lessons in section.lessons_by_theme:
            for lesson in lessons:
                if lesson.id in seen or not (lesson.id in plan.in_body or options.annex):
                    continue
                seen.add(lesson.id)
                text = f"{plan.number[lesson.id]} {lesson.kind.label}. ({lesson.marking}) {printable(lesson.finding)}"
                if lesson.recommendation:
                    text += f" Recommendation: {printable(lesson.recommendation)}"
                    recs.append(normalise(printable(lesson.recommendation)))
                if lesson.citations:
                    text += " " + "; ".join(c.text for c in lesson.citations)
                blocks.append(normalise(text))
                findings.append(normalise(printable(lesson.finding)))
    return blocks, findings, recs


def headings(store, options: BriefingOptions) -> set[str]:
    content = gather(store, options)
    document = briefing_document(content, load_style(), None, MarkingScale(store).lowest())
    return {normalise(b.title) for b in document.walk() if isinstance(b, Heading)} | {"Contents"}


def last_body_lines(path: Path) -> list[str]:
    """The lowest line of text above the footer on each page (by the text's position on the page)."""
    result = []
    for page in PdfReader(str(path)).pages:
        rows: dict[int, list[tuple[float, str]]] = {}

        def visit(text, cm, tm, font, size, rows=rows):
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if y > MARGIN_BOTTOM_PT + 1:
                rows.setdefault(round(y), []).append((x, text))

        page.extract_text(visitor_text=visit)
        if not rows:
            result.append("")
            continue
        low = min(rows)
        line = " ".join(t for _, t in sorted(rows[low]))
        result.append(normalise(line))
    return result


def occurrences(text: str, blocks: list[str]) -> dict[str, int]:
    """How often each lesson block occurs. A block starts with its number ("A.12 "), so only the places
    where that number stands need looking at: one pass over the text, fast at 10,000 lessons."""
    starts: dict[str, list[int]] = {}
    for match in re.finditer(r"(?<!\S)A\.\d+ ", text):
        starts.setdefault(match.group(0), []).append(match.start())
    return {b: sum(1 for p in starts.get(b.split(" ", 1)[0] + " ", ()) if text.startswith(b, p)) for b in blocks}


def check_briefing(store, path: Path, options: BriefingOptions, *, sample: int | None = None) -> list[str]:
    """Write the briefing and check every lesson block once, no stranded heading, the running text of
    every page; findings and recommendations are also counted alone (every `sample`-th at large sizes)."""
    write_briefing(store, options, path)
    pages = page_texts(path)
    text = " ".join(split_pages(pages))  # asserts the running text of every page
    blocks, findings, recs = expected_blocks(store, options)
    assert blocks
    counts = occurrences(text, blocks)
    missing = [b[:80] for b in blocks if counts[b] != 1]
    assert not missing, f"{len(missing)} lesson(s) not exactly once, e.g. {missing[:3]}"
    step = sample or 1
    assert [f[:60] for f in findings[::step] if text.count(f) != 1] == []
    assert [r[:60] for r in recs[::step] if text.count(r) != 1] == []
    names = headings(store, options)
    stranded = [(n, line) for n, line in enumerate(last_body_lines(path), start=1) if line in names]
    assert not stranded, f"headings ending a page: {stranded[:5]}"
    return pages


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_default_dataset_prints_every_lesson_once(qapp, default_store, tmp_path, paper):
    """On the built-in dataset, on A4 and Letter, every lesson is printed exactly once and nothing is
    stranded (the UN–NATO civil–military lesson once went missing on A4)."""
    options = BriefingOptions(as_of=AS_OF, since=date(2004, 1, 1), paper=paper)
    check_briefing(default_store, tmp_path / f"{paper}.pdf", options)
    text = body_text(tmp_path / f"{paper}.pdf")
    assert text.count("KFOR's core purpose is to assist UNMIK") == 1


def test_without_annex_the_body_lessons_are_printed_once_and_the_rest_counted(qapp, tmp_path):
    """--no-annex: the body's lessons are printed once and each theme says how many more it leaves out."""
    store = store_with_lessons(tmp_path, spread_lessons(120))
    with store:
        options = BriefingOptions(as_of=AS_OF, annex=False)
        check_briefing(store, tmp_path / "n.pdf", options)
        text = body_text(tmp_path / "n.pdf")
    assert "Annex A Every lesson in full" not in text and "printed in full in Annex A" not in text
    assert "more on" in text and "not printed (the annex is switched off)" in text


def test_a_thousand_added_lessons_are_all_printed_once(qapp, tmp_path):
    """1,000 lessons over every relationship and theme: each printed exactly once, none stranded."""
    store = store_with_lessons(tmp_path, spread_lessons(1000))
    with store:
        pages = check_briefing(store, tmp_path / "k.pdf", BriefingOptions(as_of=AS_OF, since=date(2005, 1, 1)))
    assert len(pages) > 50


@pytest.mark.slow
def test_ten_thousand_added_lessons_are_all_printed_once(qapp, tmp_path):
    """10,000 lessons: the same guarantee at size."""
    store = store_with_lessons(tmp_path, spread_lessons(10_000))
    with store:
        check_briefing(store, tmp_path / "t.pdf", BriefingOptions(as_of=AS_OF, paper="letter"), sample=10)


def test_restricted_marking_on_every_page(qapp, tmp_path):
    """A RESTRICTED lesson raises the marking printed at the top and bottom of every page."""
    extra = spread_lessons(30)
    extra[3]["marking"] = "RESTRICTED"
    store = store_with_lessons(tmp_path, extra)
    with store:
        assert "RESTRICTED" in [m.name for m in store.catalog.markings() if isinstance(m, MarkingRecord)]
        write_briefing(store, BriefingOptions(as_of=AS_OF), tmp_path / "r.pdf")
    pages = page_texts(tmp_path / "r.pdf")
    split_pages(pages, "RESTRICTED")
    assert "Success. (RESTRICTED) Finding 00003" in " ".join(pages)
