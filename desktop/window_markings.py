"""The main window's marking level: the view ceiling (View > Show material up to), the status-bar
banner naming the highest marking on screen, the "Highest marking to include" question every export
asks, and the banner lines around a clipboard copy.

The ceiling filters the window exactly as an export limit filters a file: the window asks the store
for `state_as_of(..., max_marking=ceiling)` and filters the detail panel's lessons with the same
scheme, so an analyst sees what a briefing at that limit will hold. Secondary windows (lessons
browser, trash, theme overview, history, reversals, sources, operations) follow the same ceiling live
through a `CeilingLink`, each with its own banner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QMenu, QWidget

from db import MarkingScheme, withhold

if TYPE_CHECKING:
    from db import MarkingFilter, QuadrangleState, Store
    from desktop.main_window import MainWindow

EVERYTHING = "Everything"
# Banner colours, lowest level first (the last one for every level above).
_COLOURS = ("#2e7d32", "#1565c0", "#ef6c00", "#c62828")


def paint_banner(label: QLabel, scheme: MarkingScheme, level: str) -> None:
    """Show `level`'s banner line on `label`, in the colour of its rank."""
    label.setText(f" {scheme.banner(level)} ")
    rank = min(scheme.rank(level), len(_COLOURS) - 1)
    label.setStyleSheet(f"background: {_COLOURS[rank]}; color: white; font-weight: bold; padding: 0 6px;")


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
        """The records (lessons, sources...) the ceiling lets the window show, without their citations
        of sources above it (an export at that limit drops them too)."""
        if self.ceiling is None or self.window.store is None:
            return list(withhold(records, self.ceiling, self.scheme).kept)
        from db import MarkingFilter  # not before the first paint: it brings the lesson records

        return MarkingFilter(self.window.store, self.ceiling, self.scheme).kept(records)

    def show_level(self, state: QuadrangleState) -> None:
        """Put the highest marking of what `state` shows on the status-bar banner."""
        self.level = self.scheme.highest(state.contained_markings)
        paint_banner(self.banner, self.scheme, self.level)
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
        from PySide6.QtWidgets import QInputDialog  # not with the window: no first frame shows it

        chosen, ok = QInputDialog.getItem(self.window, title, "Highest marking to include:", items, current, False)
        if not ok:
            return False, None
        return True, None if chosen == EVERYTHING else chosen


def window_markings_of(widget: QObject | None) -> WindowMarkings | None:
    """The marking level of the main window `widget` belongs to (found up its parent chain), or None
    for a window shown on its own."""
    while widget is not None:
        markings = getattr(widget, "markings", None)
        if isinstance(markings, WindowMarkings):
            return markings
        widget = widget.parent()
    return None


class CeilingLink(QObject):
    """A secondary window's share of its main window's view ceiling: the same limit, followed live
    (`refresh()` is called after every change of the ceiling), and the window's own banner naming the
    highest marking it shows. Without a main window there is no ceiling.

    `reader()` is the MarkingFilter every refresh reads through; `show_level(markings)` paints the banner.
    """

    def __init__(self, widget: QWidget, store: Store, refresh: Callable[[], None]) -> None:
        super().__init__(widget)
        self.store = store
        self._refresh = refresh
        self.source = window_markings_of(widget.parent())
        self.banner = QLabel(widget)
        self.banner.setObjectName("markingBanner")
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.level = ""
        if self.source is not None:
            # A bound slot of this child object: Qt disconnects it when the window goes away.
            self.source.ceiling_changed.connect(self._ceiling_changed)

    @property
    def ceiling(self) -> str | None:
        return self.source.ceiling if self.source is not None else None

    def reader(self) -> MarkingFilter:
        """The store's records as the ceiling lets this window show them (the vocabulary read afresh)."""
        scheme = self.store.catalog.marking_scheme()
        ceiling = self.ceiling if self.ceiling is None or self.ceiling in scheme.levels else None
        from db import MarkingFilter  # not before the first paint: it brings the lesson records

        return MarkingFilter(self.store, ceiling, scheme)

    def known_lesson_markings(self) -> tuple[str, ...] | None:
        """The markings of every live lesson when the main window already holds them (no ceiling, its
        date today: lessons cannot be recorded later), else None (the caller reads them)."""
        window = self.source.window if self.source is not None else None
        state = getattr(window, "state", None)
        if window is None or state is None or self.ceiling is not None or window.as_of < date.today():
            return None
        return tuple(state.lesson_markings)

    def show_level(self, markings: Iterable[str], scheme: MarkingScheme | None = None) -> None:
        """Put the highest of `markings` (what the window shows) on its banner."""
        scheme = scheme or self.store.catalog.marking_scheme()
        self.level = scheme.highest(markings)
        paint_banner(self.banner, scheme, self.level)
        shown = f"material up to {self.ceiling}" if self.ceiling else "all material"
        self.banner.setToolTip(
            f"Highest marking in this window; showing {shown} (the main window's View > Show material up to)."
        )

    def _ceiling_changed(self, _level: object) -> None:
        self._refresh()

    def guard_copies(self) -> None:
        """Make Ctrl+C in every table and list of the window copy the whole table between the lines of
        the window's banner (as the main window's Copy table does), instead of Qt's default copy of one
        cell with no marking. Call once the window's views are built."""
        window = self.parent()
        assert isinstance(window, QWidget)
        for view in window.findChildren(QAbstractItemView):
            view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QAbstractItemView)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Copy)
            and watched.model() is not None
        ):
            self.copy_view(watched)
            return True
        return False

    def copy_view(self, view: QAbstractItemView) -> None:
        """Put `view`'s rows on the clipboard as HTML and text, each between two banner lines."""
        from desktop.state_tables import table_mime_data  # the HTML table writer, loaded when first used

        scheme = self.store.catalog.marking_scheme()
        window = self.parent()
        caption = window.windowTitle() if isinstance(window, QWidget) else ""
        QGuiApplication.clipboard().setMimeData(
            table_mime_data(view.model(), caption, scheme.banner(self.level or scheme.lowest))
        )
