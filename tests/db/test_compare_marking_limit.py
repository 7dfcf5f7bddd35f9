"""Comparing versions or dates up to a marking limit (issue 17 in the Compare dialog): each side is the
newest version at or below the limit, no citation of a source above it remains, a version above it is
refused."""

from __future__ import annotations

from datetime import date

import pytest

from db import ValidationError
from tests.markings_helpers import AS_OF, CONFIDENTIAL_TEXT, add_marked_material


def _texts(diff) -> str:
    return "\n".join(f"{f.before}\n{f.after}" for f in diff.fields)


def test_compare_dates_below_a_limit_uses_the_newest_allowed_version(mini_store):
    """At RESTRICTED the CONFIDENTIAL version in force is passed over for the UNCLASSIFIED one before it."""
    ids = add_marked_material(mini_store)
    everything = mini_store.history.compare_dates(ids["relationship"], date(2007, 1, 1), AS_OF)
    assert CONFIDENTIAL_TEXT in _texts(everything) and "Secretauthor" in _texts(everything)
    limited = mini_store.history.compare_dates(ids["relationship"], date(2007, 1, 1), AS_OF, max_marking="RESTRICTED")
    assert limited.after is not None and limited.after.marking == "UNCLASSIFIED"
    assert CONFIDENTIAL_TEXT not in _texts(limited) and "Secretauthor" not in _texts(limited)


def test_compare_below_a_limit_drops_citations_of_sources_above_it(mini_store):
    """At CONFIDENTIAL the CONFIDENTIAL version is shown without its citation of the SECRET source."""
    ids = add_marked_material(mini_store)
    diff = mini_store.history.compare_dates(ids["relationship"], date(2007, 1, 1), AS_OF, max_marking="CONFIDENTIAL")
    assert CONFIDENTIAL_TEXT in _texts(diff) and "Secretauthor" not in _texts(diff)


def test_compare_versions_refuses_a_version_above_the_limit(mini_store):
    """Naming a withheld version is refused, in one line."""
    ids = add_marked_material(mini_store)
    older = min(mini_store.assessments.history(ids["relationship"]), key=lambda v: v.as_of)
    with pytest.raises(ValidationError, match="marked above RESTRICTED"):
        mini_store.history.compare_versions(older.id, ids["version"], max_marking="RESTRICTED")
    assert mini_store.history.compare_versions(older.id, ids["version"]).after.summary == CONFIDENTIAL_TEXT
