"""The 30-minute automatic backup: taken only when something changed since the last one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from db import EventKind, QuadrangleError

if TYPE_CHECKING:
    from db import Store
    from desktop.events import StoreEvents

AUTO_BACKUP_INTERVAL_MS = 30 * 60 * 1000


class AutoBackup(QObject):
    """Listens to the store's changes and backs up every `interval_ms` while there were any.

    `backed_up(path)` after a backup, `failed(message)` when one could not be taken (the next tick retries).
    """

    backed_up = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        store: Store,
        events: StoreEvents,
        parent: QObject | None = None,
        interval_ms: int = AUTO_BACKUP_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.events = events
        self.changed_since_backup = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)
        self._listening = events.listen(self._on_change)
        if not store.read_only and store.location.is_sqlite:
            self.timer.start()

    def _on_change(self, kind: EventKind, _ids: tuple[str, ...]) -> None:
        if kind != EventKind.RESTORED:  # a restore took its own backup first
            self.changed_since_backup = True

    def tick(self) -> None:
        if not self.changed_since_backup:
            return
        try:
            path = self.store.safety.take_backup("auto")
        except QuadrangleError as exc:
            self.failed.emit(str(exc))
            return
        self.changed_since_backup = False
        self.backed_up.emit(str(path))

    def backup_on_open(self) -> None:
        """The backup of a database as it was opened, deferred until after the window's first paint."""
        try:
            path = self.store.safety.take_backup("on open")
        except QuadrangleError as exc:
            self.failed.emit(str(exc))
            return
        self.store.backup_on_open_skipped = False
        self.backed_up.emit(str(path))

    def detach(self) -> None:
        self.timer.stop()
        self.events.unlisten(self._listening)
