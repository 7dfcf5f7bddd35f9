"""Store helpers for the window's views: the comparison table of an already-loaded state.

The window loads `state_as_of` once per date and derives the diagram, the table and the matrix from
that one state, so the three views cannot disagree and a date change costs one read transaction.
"""

from __future__ import annotations

from db.records import ComparisonRow, QuadrangleState
from db.state import comparison_rows


class DiagramMixin:
    """Derivations from a QuadrangleState that need no database access."""

    @staticmethod
    def comparison_rows_of(state: QuadrangleState) -> list[ComparisonRow]:
        """The comparison table (the report's Figure 2) of `state`; no transaction, no events."""
        return comparison_rows(state)
