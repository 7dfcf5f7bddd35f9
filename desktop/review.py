"""The main window's staleness: each relationship's review status on the view's date (db/staleness.py)
and the relationships with an unsaved assessment draft, read once per store change, not per date."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from db import ReviewStatus, Staleness, quadrangle_staleness

if TYPE_CHECKING:
    from db import MilestoneRecord, OperationRecord, QuadrangleState, Store
    from desktop.settings import AppSettings

ASSESSMENT_DRAFT_KIND = "assessment"  # desktop/assessments/drafts.py's DRAFT_KIND


class ReviewTracker:
    """Computes `staleness(state)` from the state and the (cached) milestones and operations; `forget()`
    after any store change. `drafts()` are this analyst's relationships with an assessment draft."""

    def __init__(self, settings: AppSettings) -> None:
        self.settings = settings
        self.store: Store | None = None
        self._milestones: list[MilestoneRecord] | None = None
        self._operations: list[OperationRecord] | None = None
        self._lesson_days: dict[str, date] = {}

    def attach(self, store: Store) -> None:
        self.store = store
        self.forget()

    def forget(self) -> None:
        self._milestones = self._operations = None

    def staleness(self, state: QuadrangleState) -> dict[str, Staleness]:
        if self.store is None:
            return quadrangle_staleness(state, review_months=self.settings.review_months)
        if self._milestones is None or self._operations is None:
            self._milestones = self.store.catalog.milestones()
            self._operations = self.store.operations.all()
            self._lesson_days = self.store.operations.latest_lesson_days()
        return quadrangle_staleness(
            state, self._milestones, self._operations, self.settings.review_months, self._lesson_days
        )

    def drafts(self) -> set[str]:
        if self.store is None:
            return set()
        try:
            return self.store.drafts.targets(ASSESSMENT_DRAFT_KIND)
        except Exception:  # noqa: BLE001 - a marker must never stop the window from showing the state
            return set()


def status_summary(staleness: dict[str, Staleness]) -> str:
    """The status bar's counts: "2 due for review · 1 newer evidence · 3 never assessed"."""
    counts = {status: 0 for status in ReviewStatus}
    for item in staleness.values():
        counts[item.status] += 1
    parts = [
        f"{counts[ReviewStatus.DUE]} due for review",
        f"{counts[ReviewStatus.NEWER_EVIDENCE]} with newer evidence",
        f"{counts[ReviewStatus.NEVER_ASSESSED]} never assessed",
    ]
    return " · ".join(parts)
