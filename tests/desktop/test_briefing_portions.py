"""Portion marks (issue 17): in the PDF and in the Word briefing every item carries its marking right
before its text, the lowest level included: each relationship's judgement and assessment, each lesson
in the body and the annex, each milestone and place of cooperation, each new operation and each
source in the bibliography."""

from __future__ import annotations

from datetime import date

import pytest
from docx import Document as WordDocument

from desktop.briefing.build import write_briefing
from desktop.briefing.content import BriefingOptions
from tests.desktop.briefing_helpers import body_text, lesson, normalise, spread_lessons, store_with_lessons

AS_OF = date(2007, 12, 31)


def word_text(path) -> str:
    word = WordDocument(str(path))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return normalise(" ".join(parts))


@pytest.fixture
def marked_store(tmp_path):
    """The built-in dataset plus a CONFIDENTIAL lesson and an unclassified one, with enough other
    lessons that both kinds also land in the annex."""
    extra = spread_lessons(60)
    extra.append(lesson("Confidential finding QZX about liaison officers.", key="conf-1", marking="CONFIDENTIAL"))
    extra.append(lesson("Open finding QZY about airlift slots.", key="open-1"))
    extra[7]["marking"] = "CONFIDENTIAL"
    with store_with_lessons(tmp_path, extra) as store:
        yield store


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_every_item_carries_its_portion_mark(qapp, marked_store, tmp_path, suffix):
    """A CONFIDENTIAL lesson's finding is preceded by "(CONFIDENTIAL)", an unclassified one by the
    lowest level's mark, in the body and the annex; judgements, assessments, milestones, places,
    operations and sources carry theirs."""
    path = tmp_path / f"b{suffix}"
    options = BriefingOptions(as_of=AS_OF, since=date(2004, 1, 1))
    write_briefing(marked_store, options, path)
    text = body_text(path, marking="CONFIDENTIAL") if suffix == ".pdf" else word_text(path)
    assert text.count("(CONFIDENTIAL) Confidential finding QZX") == 1
    assert text.count("(UNCLASSIFIED) Open finding QZY") == 1
    assert "(CONFIDENTIAL) Finding 00007:" in text  # lessons of the body and the annex alike
    assert "(UNCLASSIFIED) Finding 00001:" in text
    assert "Confidential finding QZX" not in text.replace("(CONFIDENTIAL) Confidential finding QZX", "")
    assert "(UNCLASSIFIED) UN–EU: Maintenance" in text  # the key judgement
    assert "(UNCLASSIFIED) Phase: Maintenance" in text  # the section's assessment
    assert "(UNCLASSIFIED) EUPM takes over from the UN's IPTF" in text  # a milestone
    assert "(UNCLASSIFIED) Bosnia and Herzegovina" in text  # a place of cooperation on the ground
    assert "(UNCLASSIFIED) EUFOR" in text  # a new operation since 2004
    assert "(UNCLASSIFIED) Tardy, T." in text or "(UNCLASSIFIED) Tardy" in text  # a bibliography entry


def test_each_item_keeps_its_own_mark(qapp, tmp_path):
    """A RESTRICTED lesson raises the banner, not its neighbours' marks: the judgements stay unclassified."""
    extra = [lesson("Restricted finding RQX on convoys.", key="r-1", marking="RESTRICTED")]
    with store_with_lessons(tmp_path, extra) as store:
        write_briefing(store, BriefingOptions(as_of=AS_OF), tmp_path / "r.pdf")
    text = body_text(tmp_path / "r.pdf", marking="RESTRICTED")
    assert text.count("(RESTRICTED) Restricted finding RQX") == 1
    assert "(UNCLASSIFIED) NATO–EU: " in text
