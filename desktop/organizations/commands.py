"""Undo command for adding an organization (with its relationships to every other one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from db import QuadrangleError

if TYPE_CHECKING:
    from db import Store


class AddOrganizationCommand(QUndoCommand):
    """Add an organization through `store.quadrangle.add_organization`; undo removes it again.

    When the store refuses (a taken code, an empty name...) the command records the message in
    `error` and marks itself obsolete, so QUndoStack.push drops it instead of keeping a no-op step.
    """

    def __init__(
        self,
        store: Store,
        code: str,
        name: str,
        kind: str,
        *,
        security_role_since: int | None = None,
        description: str = "",
    ) -> None:
        super().__init__(f"Add organization {code.strip().upper()}")
        self._store = store
        self._values = dict(code=code, name=name, kind=kind)
        self._options = dict(security_role_since=security_role_since, description=description)
        self.organization_id: str | None = None
        self.error = ""

    def redo(self) -> None:
        try:
            record = self._store.quadrangle.add_organization(**self._values, **self._options)
        except QuadrangleError as exc:
            self.error = str(exc)
            self.setObsolete(True)
            return
        self.organization_id = record.id

    def undo(self) -> None:
        if self.organization_id is not None:
            self._store.quadrangle.remove_organization(self.organization_id)
            self.organization_id = None
