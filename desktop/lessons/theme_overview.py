"""The theme overview: themes × relationships with lesson counts, so recurring challenges show at a
glance; activating a cell asks the lessons browser to show those lessons. It counts only what the
main window's view ceiling shows, and names the highest marking counted on its own banner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from db import ThemeOverview
from desktop.literal import isolate, literal_tooltip
from desktop.qt_build import named
from desktop.secondary import EmptyState
from desktop.window_markings import CeilingLink

if TYPE_CHECKING:
    from db import Store

THEME_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
RELATIONSHIP_ID_ROLE = Qt.ItemDataRole.UserRole + 2
COUNT_ROLE = Qt.ItemDataRole.UserRole + 3


class ThemeOverviewTableModel(QAbstractTableModel):
    """Rows are themes, columns the relationships then "All"; cells hold lesson counts."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._overview = ThemeOverview((), (), (), ())
        self._max = 1

    def set_overview(self, overview: ThemeOverview) -> None:
        self.beginResetModel()
        self._overview = overview
        self._max = max(overview.counts.values(), default=1) or 1
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._overview.theme_keys)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._overview.relationship_ids) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            labels = self._overview.relationship_labels
            return isolate(labels[section]) if section < len(labels) else ("All" if section == len(labels) else None)
        names = self._overview.theme_names
        return isolate(names[section]) if 0 <= section < len(names) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._overview.theme_keys):
            return None
        theme = self._overview.theme_keys[index.row()]
        total_column = index.column() == len(self._overview.relationship_ids)
        relationship = None if total_column else self._overview.relationship_ids[index.column()]
        count = self._overview.theme_total(theme) if relationship is None else self._overview.count(theme, relationship)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(count) if count else "·"
        if role == COUNT_ROLE:
            return count
        if role == THEME_KEY_ROLE:
            return theme
        if role == RELATIONSHIP_ID_ROLE:
            return relationship
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = "all relationships" if total_column else self._overview.relationship_labels[index.column()]
            return literal_tooltip(
                f"{count} lesson(s) on {self._overview.theme_names[index.row()]} in {where}: click to list them"
            )
        if role == Qt.ItemDataRole.BackgroundRole and count and not total_column:
            strength = count / self._max
            return QColor.fromHslF(0.58, 0.55, 0.96 - 0.42 * strength)
        if role == Qt.ItemDataRole.ForegroundRole and count and not total_column and count / self._max > 0.6:
            return QColor("white")
        return None


class ThemeOverviewWidget(QWidget):
    """The overview table; `cell_activated(theme_key, relationship_id or "")` on click."""

    cell_activated = Signal(str, str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("themeOverview")
        self.setWindowTitle("Theme overview")
        self._store = store
        self.ceiling = CeilingLink(self, store, self.refresh)
        self.model = ThemeOverviewTableModel(self)
        self.table = named(QTableView(self), "themeTable")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(self._activate)
        self.table.activated.connect(self._activate)
        note = QLabel(
            "Lessons per theme and relationship (not counting the trash). Click a cell to list its lessons.", self
        )
        note.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_state = EmptyState(
            self.table, lambda: "No themes yet. Themes are added from the lesson editor (Lessons > Add lesson…)."
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.ceiling.banner)
        layout.addWidget(note)
        layout.addWidget(self.table)
        self.resize(980, 330)
        self.refresh()
        self.ceiling.guard_copies()

    def refresh(self) -> None:
        """Recount at the ceiling (after a store change or a move of the ceiling)."""
        reader = self.ceiling.reader()
        overview, markings = reader.theme_overview(self.ceiling.known_lesson_markings())
        self.model.set_overview(overview)
        self.ceiling.show_level(markings, reader.scheme)

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.cell_activated.emit(index.data(THEME_KEY_ROLE), index.data(RELATIONSHIP_ID_ROLE) or "")
