"""Undo command for adding an organization (with its relationships to every other one)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from desktop.undo import ErrorReporter, StoreCommand

if TYPE_CHECKING:
    from db import Store


class AddOrganizationCommand(StoreCommand):
    """Add an organization through `store.quadrangle.add_organization`; undo removes it again.

    Perform it with `desktop.undo.perform`: a refusal (a taken code, an empty name...) is raised and
    nothing is pushed.
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
        founded: date | None = None,
        report: ErrorReporter | None = None,
    ) -> None:
        super().__init__(store, f"Add organization {code.strip().upper()}", report)
        self.code, self.name, self.kind = code, name, kind
        self.security_role_since, self.description, self.founded = security_role_since, description, founded
        self.organization_id: str | None = None

    def do(self) -> None:
        record = self.store.quadrangle.add_organization(
            self.code,
            self.name,
            self.kind,
            security_role_since=self.security_role_since,
            description=self.description,
            founded=self.founded,
        )
        self.organization_id = record.id

    def undo_it(self) -> None:
        if self.organization_id is not None:
            self.store.quadrangle.remove_organization(self.organization_id)
            self.organization_id = None
