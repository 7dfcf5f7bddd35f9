"""The dated state the diagram draws: the version in force per relationship matches the history."""

from __future__ import annotations

from datetime import date

from db import comparison_rows


def test_state_holds_the_latest_version_not_after_the_date(default_store):
    """For several dates, each relationship's assessment is the newest version dated on or before it."""
    histories = {r.id: default_store.assessments.history(r.id) for r in default_store.quadrangle.relationships()}
    for when in (date(1995, 6, 1), date(2001, 6, 1), date(2004, 12, 31), date(2007, 12, 31), date.today()):
        state = default_store.quadrangle.state_as_of(when)
        for rel_state in state.relationships:
            earlier = [v for v in histories[rel_state.relationship.id] if v.as_of <= when]
            expected = max(earlier, key=lambda v: (v.as_of, v.recorded_at)) if earlier else None
            assert rel_state.assessment == expected


def test_comparison_rows_of_a_state_match_the_comparison_table(default_store):
    """The window's table (derived from its one state) equals the store's own comparison table."""
    when = date(2005, 6, 1)
    assert comparison_rows(default_store.quadrangle.state_as_of(when)) == default_store.quadrangle.comparison_table(
        when
    )
