"""A motive's own citations (issue 19) are printed with that motive's rationale in the briefing, PDF
and Word alike, and only the whole assessment's citations under its summary."""

from __future__ import annotations

from datetime import date

from db import AssessmentInput, CitationInput, Motive, MotiveAssessment, SourceInput
from desktop.briefing.build import write_briefing
from desktop.briefing.content import BriefingOptions
from tests.desktop.briefing_helpers import body_text, page_texts
from tests.desktop.test_briefing_portions import word_text

AS_OF = date(2008, 6, 30)


def _cite_resource_dependence(store):
    """UN–EU's assessment as of 2008-03-01: one whole-assessment citation (Whole, 2006) and one of
    resource dependence only (Motivecite, 2005: 44)."""
    whole = store.sources.add(SourceInput(authors="Whole, W.", year="2006", title="The whole picture"))
    own = store.sources.add(SourceInput(authors="Motivecite, M.", year="2005", title="Airlift and money"))
    relationship = store.quadrangle.find_relationship("UN-EU")
    current = store.quadrangle.state_as_of(AS_OF).relationship(relationship.id).assessment
    motives = tuple(
        MotiveAssessment(m.motive, m.weight, m.rationale or ("Depends on EU airlift." if m.weight else ""))
        for m in current.motives
    )
    store.assessments.save(
        AssessmentInput(
            relationship_id=relationship.id,
            as_of=date(2008, 3, 1),
            phases=current.phases,
            confidence=current.confidence,
            summary="Chad made the UN rely on EU capabilities.",
            motives=motives,
            citations=(
                CitationInput(whole.id, "3"),
                CitationInput(own.id, "44", motive=Motive.RESOURCE_DEPENDENCE),
            ),
        )
    )


def test_a_motives_citation_follows_its_rationale_in_pdf_and_word(default_store, tmp_path):
    _cite_resource_dependence(default_store)
    options = BriefingOptions(as_of=AS_OF, annex=False)
    for suffix in (".pdf", ".docx"):
        path = tmp_path / f"b{suffix}"
        write_briefing(default_store, options, path)
        text = body_text(path) if suffix == ".pdf" else word_text(path)
        summary_sources = text.index("Sources: Whole (2006: 3)")
        motive_sources = text.index("Sources: Motivecite (2005: 44)")
        assert "Motivecite" not in text[summary_sources : summary_sources + 80], suffix  # not with the summary
        assert text.rfind("Resource dependence", 0, motive_sources) > summary_sources, suffix  # in its motive's row


def test_a_comparison_report_is_headed_as_one(default_store, tmp_path):
    """The running header of a comparison report names it, not "Quadrangle briefing"."""
    from desktop.briefing.comparison import write_comparison

    path = tmp_path / "c.pdf"
    write_comparison(default_store, date(2003, 1, 1), date(2007, 12, 31), path, options=BriefingOptions())
    pages = page_texts(path)
    assert all("Quadrangle comparison report" in page for page in pages[1:])
    assert not any("Quadrangle briefing" in page for page in pages)


def test_side_by_side_prints_a_motives_citation_with_its_rationale(default_store, tmp_path):
    from desktop.briefing.compare_report import write_report

    _cite_resource_dependence(default_store)
    path = tmp_path / "s.pdf"
    write_report(default_store, path, relationships=("UN-EU",), as_of=AS_OF)
    text = " ".join(page_texts(path))
    assert "(Motivecite (2005: 44))" in text
    assert text.index("Motivecite (2005: 44)") < text.index("Whole (2006: 3)")
