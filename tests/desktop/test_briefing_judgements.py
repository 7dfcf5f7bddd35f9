"""Key judgements first: one bottom-line sentence per relationship built from the data (phase and its
direction, dominant motives, confidence on a stated scale, age, due for review), and the PDF's
navigation (outline, clickable contents, document properties)."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader

from db import Confidence
from desktop.briefing.content import BriefingOptions, gather
from desktop.briefing.judgements import (
    age_words,
    confidence_words,
    judgements,
    months_between,
    plan_lessons,
    review_gap,
)
from tests.desktop.briefing_helpers import body_text, page_texts, split_pages, spread_lessons, store_with_lessons, write

AS_OF = date(2007, 12, 31)


def test_bottom_line_states_phase_direction_motives_confidence_and_age(default_store):
    """The UN–NATO sentence (start-up in 1995, start-up/maintenance in 2007) names its phase, the move from the previous version, the heaviest motives,
    the confidence in words with its place on the scale and how old the assessment is."""
    content = gather(default_store, BriefingOptions(as_of=AS_OF))
    found = {j.relationship: j for j in judgements(content)}
    un_eu = found["UN–NATO"].sentence
    section = next(s for s in content.sections if s.label == "UN–NATO")
    a = section.assessment
    assert un_eu.startswith(f"{a.phase_label} (advanced from {section.previous.phase_label} since ")
    top = max(m.weight for m in a.motives)
    for motive in a.motives:
        assert (motive.motive.label.lower() in un_eu) == (motive.weight == top)
    assert confidence_words(a.confidence) in un_eu
    assert "less than a month before this briefing's date." in un_eu and not found["UN–EU"].due


def test_old_assessments_are_due_for_review_with_the_interval_stated(default_store):
    """Three years after the last assessments every relationship is due for review, the interval can be
    changed, and the gap between the as-of date and the newest assessment is stated."""
    content = gather(default_store, BriefingOptions(as_of=date(2010, 12, 31)))
    found = judgements(content)
    assert all(j.due for j in found)
    assert all("due for review (older than 12 months)." in j.sentence for j in found)
    assert "3 years earlier" in review_gap(content)
    relaxed = gather(default_store, BriefingOptions(as_of=date(2010, 12, 31), review_months=48))
    assert not any(j.due for j in judgements(relaxed))


def test_a_relationship_not_yet_assessed_says_so(default_store):
    """Before NATO–AU's first assessment its line says it is not assessed and marks it for review."""
    content = gather(default_store, BriefingOptions(as_of=date(2004, 12, 31)))
    nato_au = next(j for j in judgements(content) if j.relationship == "NATO–AU")
    assert nato_au.sentence == "not assessed as of 31 December 2004; no judgement can be given." and nato_au.due


def test_words_for_ages_and_confidence():
    """Ages read as years and months; the confidence scale is 1 to 3."""
    assert months_between(date(2005, 12, 31), date(2007, 12, 31)) == 24
    assert months_between(date(2007, 1, 31), date(2007, 2, 27)) == 0
    assert age_words(14) == "1 year and 2 months" and age_words(0) == "less than a month"
    assert confidence_words(Confidence.LOW) == "low confidence (1 on the scale of 1 to 3)"


def test_front_page_comes_first_with_every_bottom_line(qapp, default_store, tmp_path):
    """Page 3 (after cover and contents) is the key judgements, with each relationship's sentence and
    the confidence scale explained."""
    path = tmp_path / "k.pdf"
    write(default_store, path, as_of=date(2009, 6, 30))
    front = split_pages(page_texts(path))[2]
    assert front.startswith("1 Key judgements")
    content = gather(default_store, BriefingOptions(as_of=date(2009, 6, 30)))
    for j in judgements(content):
        assert f"{j.relationship}: {j.sentence}" in front
    assert "three-step scale" in front and "1, low:" in front and "3, high:" in front
    assert "due for review" in front


def test_body_prints_the_most_significant_and_counts_the_rest(qapp, tmp_path):
    """With many lessons a theme prints its three most cited lessons and says how many more are in the annex."""
    store = store_with_lessons(tmp_path, spread_lessons(300))
    with store:
        content = gather(store, BriefingOptions(as_of=AS_OF))
        plan = plan_lessons(content)
        write(store, tmp_path / "s.pdf", as_of=AS_OF)
    text = body_text(tmp_path / "s.pdf")
    section = next(s for s in content.sections if s.label == "UN–EU")
    theme, lessons = max(section.lessons_by_theme, key=lambda item: len(item[1]))
    key = section.state.relationship.key
    assert len(plan.body_picks[(key, theme)]) == 3
    assert f"And {len(lessons) - 3} more on {theme.lower()} in Annex A" in text
    assert len(plan.number) == len(
        {lesson.id for s in content.sections for _, ls in s.lessons_by_theme for lesson in ls}
    )


def test_outline_contents_links_and_properties(qapp, default_store, tmp_path):
    """Every section and relationship is a bookmark, the contents entries are links, and the document
    properties carry title, subject, author, keywords and marking."""
    path = tmp_path / "o.pdf"
    write(default_store, path, as_of=AS_OF, analyst="A. Analyst")
    reader = PdfReader(str(path))

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(reader.outline))
    for name in (
        "1  Key judgements",
        "3  Comparison and motives",
        "11  Sources cited",
        "Annex A  Every lesson in full",
    ):
        assert name in outline
    for label in ("UN–EU", "NATO–EU", "UN–NATO", "UN–AU", "EU–AU", "NATO–AU"):
        assert any(t.endswith(label) for t in outline), label
    links = [a.get_object() for a in reader.pages[1].get("/Annots") or []]
    assert len([a for a in links if a.get("/Subtype") == "/Link"]) >= 13
    info = reader.metadata
    assert info.author == "A. Analyst" and "UNCLASSIFIED" in info["/Keywords"]


def test_cover_counts_relationships_when_there_are_many(default_store):
    """The cover lists a handful of relationships by name but counts hundreds (a 435-name list made a
    table row taller than the page and stopped the large database's briefing)."""
    import dataclasses

    from desktop.briefing.story import COVER_LISTS_UP_TO, _relationship_list

    content = gather(default_store, BriefingOptions(as_of=AS_OF))
    assert _relationship_list(content) == "UN–EU, NATO–EU, UN–NATO, UN–AU, EU–AU, NATO–AU"
    many = dataclasses.replace(content, sections=content.sections * (COVER_LISTS_UP_TO // 6 + 1))
    assert _relationship_list(many) == f"{len(many.sections)} relationships, each with its section (see the contents)"
