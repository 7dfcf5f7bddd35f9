"""Undo commands of the diagram: moving organizations on the layout (desktop/undo.py: pushing
performs the action)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.undo import ErrorReporter, StoreCommand

if TYPE_CHECKING:
    from db import Store


class MoveOrganizationCommand(StoreCommand):
    """Save new diagram positions of organizations; undo puts back the previous ones (None = automatic).

    One command per drag, pushed when the mouse is released.
    """

    def __init__(
        self,
        store: Store,
        positions: dict[str, tuple[float, float]],
        text: str = "Move organization",
        report: ErrorReporter | None = None,
    ) -> None:
        super().__init__(store, text, report)
        self._positions: dict[str, tuple[float, float] | None] = dict(positions)
        self._previous: dict[str, tuple[float, float] | None] = {}

    def do(self) -> None:
        self._previous = self.store.quadrangle.set_layout(self._positions)

    def undo_it(self) -> None:
        self.store.quadrangle.set_layout(self._previous)


class ResetLayoutCommand(StoreCommand):
    """Return every organization to its automatic place on the polygon; undo restores the saved layout."""

    def __init__(self, store: Store, organization_ids: list[str], report: ErrorReporter | None = None) -> None:
        super().__init__(store, "Reset diagram layout", report)
        self._ids = list(organization_ids)
        self._previous: dict[str, tuple[float, float] | None] = {}

    def do(self) -> None:
        self._previous = self.store.quadrangle.set_layout({org_id: None for org_id in self._ids})

    def undo_it(self) -> None:
        self.store.quadrangle.set_layout(self._previous)
