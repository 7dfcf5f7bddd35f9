"""DraftKeeper: keeps the assessment editor's unsaved form in the store's drafts, so typing
survives a crash: written AUTOSAVE_MS after the last change and when the editor closes, dropped
when the form is back to where it started, saved or discarded."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

if TYPE_CHECKING:
    from db import DraftRecord, Store

DRAFT_KIND = "assessment"
AUTOSAVE_MS = 1000


class DraftKeeper(QObject):
    """The draft of one relationship's editor. `payload()` gives the form's content; `initial` is the
    content it opened with (a form back to it keeps no draft). Store errors are raised
    (QuadrangleError) for the editor to show; `timeout` of the autosave calls `on_due`."""

    def __init__(
        self, store: Store, key: str, payload: Callable[[], dict], on_due: Callable[[], None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.key = key
        self.payload = payload
        self.initial: dict = {}
        self.settled = False  # saved or discarded: closing must not write a draft
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(on_due)

    @property
    def pending(self) -> bool:
        """A change not yet written (the autosave is waiting)."""
        return self._timer.isActive()

    def schedule(self) -> None:
        """A change was made: write it AUTOSAVE_MS after the last one."""
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def load(self) -> DraftRecord | None:
        """The draft left by an earlier editor of this relationship, if any."""
        return self.store.drafts.load(DRAFT_KIND, self.key)

    def write(self) -> bool:
        """Write the form to the drafts (or drop the draft when the form is back to its start); True
        when a draft was written. Nothing happens once settled or on a read-only database."""
        self._timer.stop()
        if self.settled or self.store.read_only:
            return False
        payload = self.payload()
        if payload == self.initial:
            self.store.drafts.discard(DRAFT_KIND, self.key)
            return False
        self.store.drafts.save(DRAFT_KIND, self.key, payload)
        return True

    def settle(self) -> None:
        """The form was saved or discarded: stop autosaving for good."""
        self.settled = True
        self._timer.stop()

    def discard(self) -> None:
        self.store.drafts.discard(DRAFT_KIND, self.key)


def build_draft_banner(parent: QWidget) -> tuple[QFrame, QLabel]:
    """The hidden banner that says a draft was restored (or that nothing can be saved)."""
    banner = QFrame(parent)
    banner.setObjectName("draftBanner")
    layout = QHBoxLayout(banner)
    layout.setContentsMargins(10, 6, 10, 6)
    label = QLabel(banner)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    layout.addWidget(label, 1)
    banner.hide()
    return banner, label
