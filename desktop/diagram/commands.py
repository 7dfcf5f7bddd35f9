"""Undo commands of the diagram: moving organizations on the layout."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from db import Store


class MoveOrganizationCommand(QUndoCommand):
    """Save new diagram positions of organizations; undo puts back the previous ones (None = automatic).

    One command per drag, pushed when the mouse is released.
    """

    def __init__(self, store: Store, positions: dict[str, tuple[float, float]], text: str = "Move organization") -> None:
        super().__init__(text)
        self._store = store
        self._positions = dict(positions)
        self._previous: dict[str, tuple[float, float] | None] = {}

    def redo(self) -> None:
        self._previous = self._store.set_layout(self._positions)

    def undo(self) -> None:
        self._store.set_layout(self._previous)


class ResetLayoutCommand(QUndoCommand):
    """Return every organization to its automatic place on the polygon; undo restores the saved layout."""

    def __init__(self, store: Store, organization_ids: list[str]) -> None:
        super().__init__("Reset diagram layout")
        self._store = store
        self._ids = list(organization_ids)
        self._previous: dict[str, tuple[float, float] | None] = {}

    def redo(self) -> None:
        self._previous = self._store.set_layout({org_id: None for org_id in self._ids})

    def undo(self) -> None:
        self._store.set_layout(self._previous)
