"""Python's cyclic garbage collector paused while the window starts, resumed once it is ready (issue 22).

Start-up allocates hundreds of thousands of objects that live as long as the process (modules, classes,
SQLAlchemy's mappers and caches) and hardly any garbage cycles. Each full collection walks all of them:
on this project's machine they cost 100-150 ms of the time to "ready to edit". `pause()` disables the
collector; `resume()` moves everything alive into the permanent generation (`gc.freeze`, so later
collections no longer walk the start-up objects: shorter pauses while the analyst works) and enables it.
"""

from __future__ import annotations

import gc


class StartupCollector:
    """Pauses the collector once and resumes it once, however many paths reach `resume()`."""

    def __init__(self) -> None:
        self._paused = False

    def pause(self) -> None:
        """Disable the collector if it is enabled (a caller that disabled it keeps it off)."""
        if gc.isenabled():
            gc.disable()
            self._paused = True

    def resume(self) -> None:
        """Freeze what start-up left alive and enable the collector again; only the first call acts."""
        if self._paused:
            self._paused = False
            gc.freeze()
            gc.enable()
