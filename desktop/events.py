"""The event hub: the store's change announcements as Qt signals, so each view decides to refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from db import ChangeEvent

if TYPE_CHECKING:
    from db import Store


class StoreEvents(QObject):
    """Re-emits the store's ChangeEvents; `changed(kind, ids)` fires for every committed change."""

    changed = Signal(str, tuple)
    assessments_changed = Signal(tuple)
    organizations_changed = Signal(tuple)
    layout_changed = Signal(tuple)
    lessons_changed = Signal(tuple)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        store.subscribe(self._relay)

    def _relay(self, event: ChangeEvent) -> None:
        self.changed.emit(event.kind, event.ids)
        specific = {
            "assessments": self.assessments_changed,
            "organizations": self.organizations_changed,
            "layout": self.layout_changed,
            "lessons": self.lessons_changed,
        }.get(event.kind)
        if specific is not None:
            specific.emit(event.ids)

    def detach(self) -> None:
        self._store.unsubscribe(self._relay)
