"""Bugs found while making db/ type-check, kept fixed now that BibTeX is read by bibtexparser."""

from db.bibtex import parse_bibtex


def test_bibtex_value_starting_with_a_non_ascii_digit_is_read_not_a_crash():
    """A bare value such as '²' (str.isdigit() but not a regex digit) crashed the old hand-written
    reader with AttributeError; it is now read as the value it is."""
    (source,) = parse_bibtex("@article{k, title = {T}, author = {A, B}, year = ²}")
    assert source.year == "²" and source.title == "T"


def test_bibtex_bare_number_value_is_still_read():
    """A bare ASCII number stays a value, as before."""
    (source,) = parse_bibtex("@article{k, title = {T}, author = {A, B}, year = 2004}")
    assert source.year == "2004"
