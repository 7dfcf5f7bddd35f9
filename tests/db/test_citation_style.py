"""Citations formatted by CSL styles (citeproc-py, styles shipped in resources/csl/): the report's
short cites and the Chicago author-date bibliography."""

from __future__ import annotations

from db import SourceRecord, bibliography, citation_styles, short_citation
from db.references.legacy import creators_from_authors
from db.references.style import CSL_FOLDER, short_citations


def _source(key: str, authors: str, year: str, title: str, **extra) -> SourceRecord:
    return SourceRecord(
        id=key, key=key, authors=authors, year=year, title=title, creators=creators_from_authors(authors), **extra
    )


TARDY = _source(
    "tardy-2005",
    "Tardy, T.",
    "2005",
    "EU-UN cooperation",
    item_type="journal-article",
    container="International Peacekeeping",
    volume="11",
    issue="4",
    pages="49–68",
    date="2005",
)
CHILD = _source(
    "child-et-al-2005",
    "Child, J., D. Faulkner & S. Tallman",
    "2005",
    "Cooperative Strategy",
    item_type="book",
    publisher="Oxford University Press",
    place="Oxford",
    date="2005",
)
PUGH = _source(
    "pugh-sidhu-2003b",
    "Pugh, M. & W. P. S. Sidhu (Eds.)",
    "2003",
    "The UN and regional security",
    item_type="book",
    date="2003",
)
COUNCIL_A = _source("council-eu-2003a", "Council of the EU", "2003", "Joint Action 2003/92", date="2003")
COUNCIL_B = _source("council-eu-2003b", "Council of the EU", "2003", "Joint Action 2003/423", date="2003")


def test_short_cites_as_the_report_writes_them():
    """One author with a page, two editors, three authors (et al.)."""
    assert short_citation(TARDY, "49") == "Tardy (2005: 49)"
    assert short_citation(PUGH) == "Pugh and Sidhu (2003)"
    assert short_citation(CHILD) == "Child et al. (2005)"


def test_same_author_and_year_get_a_and_b():
    """Two Council of the EU sources of 2003 cited together are 2003a and 2003b, in key order."""
    assert short_citations([(COUNCIL_B, "3"), (COUNCIL_A, "")]) == [
        "Council of the EU (2003b: 3)",
        "Council of the EU (2003a)",
    ]
    assert short_citation(COUNCIL_A) == "Council of the EU (2003)"


def test_chicago_author_date_bibliography():
    """The default style gives Chicago author-date entries, sorted by author."""
    entries = bibliography([TARDY, CHILD])
    assert entries[0].startswith("Child, J., D. Faulkner, and S. Tallman. 2005. Cooperative Strategy.")
    assert entries[1] == "Tardy, T. 2005. “EU-UN Cooperation”. International Peacekeeping 11 (4): 49–68."


def test_html_bibliography_escapes_user_text():
    """A title with markup is escaped in the HTML output."""
    (entry,) = bibliography([_source("x", "Smith, A.", "2001", "<b>Bold</b> & claims", date="2001")], html=True)
    assert "<b>Bold</b>" not in entry and "&lt;b&gt;" in entry


def test_styles_are_shipped_with_their_licence():
    """Chicago author-date is the default shipped style and the folder holds its CC BY-SA licence."""
    assert citation_styles()[0][0] == "chicago-author-date"
    assert "by-sa/3.0" in (CSL_FOLDER / "chicago-author-date.csl").read_text(encoding="utf-8")
    assert "CC BY-SA 3.0" in (CSL_FOLDER / "LICENSE.txt").read_text(encoding="utf-8")
