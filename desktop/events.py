"""The application's one event hub: the store's change announcements as a Qt signal, built once at
start-up (desktop/app.py) and handed to every window and dialog that refreshes on a change."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from db import ChangeEvent, EventKind

if TYPE_CHECKING:
    from db import Store

log = logging.getLogger(__name__)

ViewListener = Callable[[EventKind, tuple[str, ...]], None]


class StoreEvents(QObject):
    """Relays the attached store's ChangeEvents: `changed(kind, ids)` fires for every committed change.

    Views subscribe with `listen(callback, *kinds)`, not by connecting to `changed`: a callback that
    raises is logged and skipped, so a view that fails to refresh never turns a committed change (a
    saved assessment) into a reported failure, and the other views still refresh.
    """

    changed = Signal(object, tuple)  # (EventKind, ids)

    def __init__(self, store: Store | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = None
        self._slots: set[ViewListener] = set()
        if store is not None:
            self.attach(store)

    def attach(self, store: Store) -> None:
        """Relay `store`'s changes from now on (the window's start-up attaches the store it opened)."""
        if self._store is store:
            return
        self.detach()
        self._store = store
        store.subscribe(self._relay)

    def detach(self) -> None:
        """Stop relaying; safe to call twice."""
        if self._store is not None:
            self._store.unsubscribe(self._relay)
            self._store = None

    def listen(self, callback: ViewListener, *kinds: EventKind) -> ViewListener:
        """Call `callback(kind, ids)` after every committed change of one of `kinds` (of any kind if
        none is given). Returns the connected slot, for `unlisten`."""
        wanted = frozenset(kinds)

        def guarded(kind: EventKind, ids: tuple[str, ...]) -> None:
            if wanted and kind not in wanted:
                return
            try:
                callback(kind, ids)
            except Exception:
                log.exception("a view failed to refresh after %s %s; the change itself was committed", kind, ids)

        self.changed.connect(guarded)
        self._slots.add(guarded)
        return guarded

    def unlisten(self, slot: ViewListener) -> None:
        """Disconnect a slot returned by `listen`; unknown slots are ignored."""
        if slot in self._slots:
            self._slots.discard(slot)
            self.changed.disconnect(slot)

    def listen_while_open(self, dialog, callback: ViewListener, *kinds: EventKind) -> None:
        """`listen` until `dialog` finishes or is destroyed (a closed dialog no longer refreshes)."""
        slot = self.listen(callback, *kinds)
        dialog.finished.connect(lambda _result: self.unlisten(slot))
        dialog.destroyed.connect(lambda _obj=None: self.unlisten(slot))

    def _relay(self, event: ChangeEvent) -> None:
        self.changed.emit(EventKind(event.kind), tuple(event.ids))
