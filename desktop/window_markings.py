"""The main window's marking level: the view ceiling (View > Show material up to), the status-bar
banner naming the highest marking on screen, the "Highest marking to include" question every export
asks, and the banner lines around a clipboard copy.

The ceiling filters the window exactly as an export limit filters a file: the window asks the store
for `state_as_of(..., max_marking=ceiling)` and filters the detail panel's lessons with the same
scheme, so an analyst sees what a briefing at that limit will hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QInputDialog, QLabel, QMenu

from db import MarkingScheme, withhold

if TYPE_CHECKING:
    from db import QuadrangleState, Store
    from desktop.main_window import MainWindow

EVERYTHING = "Everything"
# Banner colours, lowest level first (the last one for every level above).
_COLOURS = ("#2e7d32", "#1565c0", "#ef6c00", "#c62828")


class WindowMarkings(QObject):
    """Owns one window's ceiling and banner. `ceiling_changed(level or None)` after a change."""

    ceiling_changed = Signal(object)

    def __init__(self, window: MainWindow, status_bar) -> None:
        super().__init__(window)
        self.window = window
        self.scheme = MarkingScheme()
        self.ceiling: str | None = None
        self.level = self.scheme.lowest
        self.banner = QLabel(window)
        self.banner.setObjectName("markingBanner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        status_bar.addPermanentWidget(self.banner)
        self.menu = QMenu("Show &material up to", window)
        self.menu.setObjectName("viewCeilingMenu")
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self._rebuild_menu()

    def load(self, store: Store) -> None:
        """Read the store's vocabulary again (after an edit of the markings); a ceiling no longer in it
        falls back to everything."""
        self.scheme = store.catalog.marking_scheme()
        if self.ceiling is not None and self.ceiling not in self.scheme.levels:
            self.ceiling = None
        self._rebuild_menu()

    def _rebuild_menu(self) -> None:
        self.menu.clear()
        for action in self._group.actions():
            self._group.removeAction(action)
        for level in (None, *self.scheme.levels):
            item = QAction(EVERYTHING if level is None else level, self.menu)
            item.setCheckable(True)
            item.setChecked(level == self.ceiling)
            item.setData(level)
            item.triggered.connect(lambda _checked=False, chosen=level: self.set_ceiling(chosen))
            self._group.addAction(item)
            self.menu.addAction(item)

    def set_ceiling(self, level: str | None) -> None:
        """Show material up to `level` (a level of the vocabulary, resolved strictly; None: everything)."""
        level = self.scheme.resolve_limit(level)
        for item in self._group.actions():
            item.setChecked(item.data() == level)
        if level != self.ceiling:
            self.ceiling = level
            self.ceiling_changed.emit(level)

    def filter(self, records: Iterable) -> list:
        """The records (lessons, sources...) the ceiling lets the window show."""
        return list(withhold(records, self.ceiling, self.scheme).kept)

    def show_level(self, state: QuadrangleState) -> None:
        """Put the highest marking of what `state` shows on the status-bar banner."""
        self.level = self.scheme.highest(state.contained_markings)
        self.banner.setText(f" {self.scheme.banner(self.level)} ")
        rank = min(self.scheme.rank(self.level), len(_COLOURS) - 1)
        self.banner.setStyleSheet(f"background: {_COLOURS[rank]}; color: white; font-weight: bold; padding: 0 6px;")
        shown = f"material up to {self.ceiling}" if self.ceiling else "all material"
        self.banner.setToolTip(f"Highest marking on screen; showing {shown} (View > Show material up to).")

    def marked(self, text: str) -> str:
        """`text` between two banner lines (what a clipboard copy carries)."""
        line = self.scheme.banner(self.level)
        return f"{line}\n{text.rstrip(chr(10))}\n{line}\n"

    def scene_at(self, limit: str | None, scene, state: QuadrangleState | None, new_scene):
        """The scene to export at `limit` and its banner: the window's own when the limit is the
        ceiling, else one drawn off screen (`new_scene()`) from the state at that limit."""
        if limit != self.ceiling or state is None:
            assert self.window.store is not None
            state = self.window.store.quadrangle.state_as_of(self.window.as_of, max_marking=limit)
            scene = new_scene()
            scene.set_state(state)
        return scene, self.scheme.banner(self.scheme.highest(state.contained_markings))

    def ask_export_limit(self, title: str) -> tuple[bool, str | None]:
        """Ask "Highest marking to include" (the ceiling preselected); (False, None) when cancelled.
        Replaceable in tests."""
        items = [EVERYTHING, *self.scheme.levels]
        current = items.index(self.ceiling) if self.ceiling in items else 0
        chosen, ok = QInputDialog.getItem(self.window, title, "Highest marking to include:", items, current, False)
        if not ok:
            return False, None
        return True, None if chosen == EVERYTHING else chosen
