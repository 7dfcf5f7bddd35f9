"""Undo commands of the diagram: moving organizations on the layout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from db import QuadrangleError

if TYPE_CHECKING:
    from db import Store


class MoveOrganizationCommand(QUndoCommand):
    """Save new diagram positions of organizations; undo puts back the previous ones (None = automatic).

    One command per drag, pushed when the mouse is released.
    """

    def __init__(
        self, store: Store, positions: dict[str, tuple[float, float]], text: str = "Move organization"
    ) -> None:
        super().__init__(text)
        self._store = store
        self._positions = dict(positions)
        self._previous: dict[str, tuple[float, float] | None] = {}
        self.error = ""

    def redo(self) -> None:
        try:
            self._previous = self._store.quadrangle.set_layout(self._positions)
        except QuadrangleError as exc:
            # Gone (its addition was undone and redone under a new id) or not writable: drop the step.
            self.error = str(exc)
            self.setObsolete(True)

    def undo(self) -> None:
        try:
            self._store.quadrangle.set_layout(self._previous)
        except QuadrangleError as exc:
            self.error = str(exc)
            self.setObsolete(True)


class ResetLayoutCommand(QUndoCommand):
    """Return every organization to its automatic place on the polygon; undo restores the saved layout."""

    def __init__(self, store: Store, organization_ids: list[str]) -> None:
        super().__init__("Reset diagram layout")
        self._store = store
        self._ids = list(organization_ids)
        self._previous: dict[str, tuple[float, float] | None] = {}

    def redo(self) -> None:
        try:
            self._previous = self._store.quadrangle.set_layout({org_id: None for org_id in self._ids})
        except QuadrangleError:
            self.setObsolete(True)

    def undo(self) -> None:
        try:
            self._store.quadrangle.set_layout(self._previous)
        except QuadrangleError:
            self.setObsolete(True)
