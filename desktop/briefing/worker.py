"""Writing a briefing off the interface thread, with progress and Cancel.

The diagram is recorded on the interface thread before the thread starts (scenes are GUI objects);
the thread then reads the store (each read opens its own short session) and paints the PDF.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QThread, Signal

from db import QuadrangleError, Store
from desktop.briefing.content import BriefingCancelledError, BriefingOptions

_RUNNING: set[QThread] = set()


ThreadT = TypeVar("ThreadT", bound=QThread)


def keep_alive(thread: ThreadT) -> ThreadT:
    """Hold a parentless thread until it finishes: a QThread destroyed while running aborts the
    process, and a dialog closed mid-export must not take its thread with it."""
    _RUNNING.add(thread)
    thread.finished.connect(lambda: _RUNNING.discard(thread))
    return thread


class BriefingExportThread(QThread):
    """Runs `write_briefing`; emits `progressed(done, total, text)` and exactly one of
    `succeeded(path, pages)`, `failed(message)` or `cancelled()`."""

    progressed = Signal(int, int, str)
    succeeded = Signal(str, int)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, store: Store, options: BriefingOptions, path: Path, diagram: bytes | None, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._options = options
        self._path = Path(path)
        self._diagram = diagram
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the export to stop at its next check (between sections and every few pages)."""
        self._cancel.set()

    def run(self) -> None:
        from desktop.briefing.build import write_briefing

        try:
            result = write_briefing(
                self._store,
                self._options,
                self._path,
                diagram=self._diagram,
                progress=self.progressed.emit,
                cancelled=self._cancel.is_set,
            )
        except BriefingCancelledError:
            self.cancelled.emit()
        except QuadrangleError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"Cannot write {self._path}: {exc.strerror or exc}")
        else:
            self.succeeded.emit(str(result.path), result.pages)


class BriefingPreviewThread(QThread):
    """Reads what a briefing with `options` would include, off the interface thread; emits
    `ready(generation, content)` or `failed(generation, message)` so stale answers can be ignored."""

    ready = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self, store: Store, options: BriefingOptions, generation: int, parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._options = options
        self.generation = generation

    def run(self) -> None:
        from desktop.briefing.content import gather

        try:
            content = gather(self._store, self._options)
        except QuadrangleError as exc:
            self.failed.emit(self.generation, str(exc))
        else:
            self.ready.emit(self.generation, content)
