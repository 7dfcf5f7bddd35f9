"""Every citation panel of the assessment editor together: the whole assessment's and one per motive.
The sources are read once for all of them, the payload keeps each panel's rows, and a source made
with "New source…" is selected in the panel that asked for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from db import MOTIVE_ORDER, Motive
from desktop.assessments.citations import CitationsBox, CitationsPanel, MotiveCitations, ProblemLabel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from db import Store


class AssessmentCitations(QObject):
    """The editor's citations: `box` (the whole assessment's group) and `motives[motive]` (the
    foldable panel under each rationale). Emits `changed` when any panel's citations change,
    `message(text)` for a hint and `new_source_requested(panel)` for the panel whose "New source…"
    was clicked."""

    changed = Signal()
    message = Signal(str)
    new_source_requested = Signal(object)

    def __init__(self, store: Store, problem: ProblemLabel, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self._problem = problem
        self.box = CitationsBox(problem, parent)
        self.motives: dict[Motive, MotiveCitations] = {}
        self._attach(self.box.panel)

    def motive_widget(self, motive: Motive, parent: QWidget) -> MotiveCitations:
        """Make (and keep) the citations of `motive`, to lay out under its rationale."""
        widget = MotiveCitations(motive, self._problem, parent)
        self.motives[motive] = widget
        self._attach(widget.panel)
        return widget

    def _attach(self, panel: CitationsPanel) -> None:
        panel.message.connect(self.message)
        panel.new_source_requested.connect(lambda: self.new_source_requested.emit(panel))
        model = panel.citation_model
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self.changed)

    def panels(self) -> list[CitationsPanel]:
        return [self.box.panel, *(self.motives[m].panel for m in MOTIVE_ORDER if m in self.motives)]

    def reload_sources(self, select_id: str | None = None, in_panel: CitationsPanel | None = None) -> None:
        """Refill every panel's source list from the store's citable sources (read once); `select_id`
        becomes the chosen source of `in_panel` (of every panel when None)."""
        sources = self.store.sources.citable()
        for panel in self.panels():
            panel.set_sources(sources, select_id if in_panel in (None, panel) else None)

    def payload(self) -> tuple[list[list[str]], dict[str, list[list[str]]]]:
        """The whole assessment's rows and each motive's (by motive value), as a draft keeps them."""
        return self.box.panel.rows(), {m.value: w.panel.rows() for m, w in self.motives.items()}

    def load(self, whole: list, by_motive: dict) -> None:
        """Show a payload's citations (unknown motives and sources no longer citable are dropped)."""
        self.box.panel.load_rows(list(whole or []))
        for motive, widget in self.motives.items():
            widget.panel.load_rows(list((by_motive or {}).get(motive.value) or []))
