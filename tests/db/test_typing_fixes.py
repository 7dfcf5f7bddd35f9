"""Bugs found while making db/ type-check: each test failed on the code before the fix."""

import pytest

from db.bibtex import parse_bibtex_entries
from db.errors import ImportFormatError


def test_bibtex_value_starting_with_a_non_ascii_digit_is_refused_as_a_format_error():
    """A value such as '²' (str.isdigit() but not a regex digit) is an ImportFormatError, not a crash."""
    with pytest.raises(ImportFormatError):
        parse_bibtex_entries("@article{k, year = ²}")


def test_bibtex_bare_number_value_is_still_read():
    """A bare ASCII number stays a value, as before."""
    (entry,) = parse_bibtex_entries("@article{k, year = 2004}")
    assert entry.fields["year"] == "2004"
