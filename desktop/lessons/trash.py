"""The lessons trash: what was deleted, to restore it, or to destroy it as a separate explicit step;
like the browser it shows only what the main window's view ceiling allows, under its own banner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import LessonFilters
from desktop.lessons.table_model import LESSON_ROLE, Column, LessonTableModel
from desktop.literal import literal_role
from desktop.qt_build import named
from desktop.secondary import EmptyState
from desktop.window_markings import CeilingLink

if TYPE_CHECKING:
    from db import Store


DELETED_ON = len(Column)  # the trash's own columns, after the lesson's
DELETED_BY = len(Column) + 1
TRASH_HEADERS = {DELETED_ON: "Deleted on", DELETED_BY: "Deleted by"}
EMPTY_TRASH = (
    "The trash is empty. Lessons you move to the trash wait here until you restore them or delete them for good."
)


class LessonTrashTableModel(LessonTableModel):
    """The trashed lessons with, after the lesson's columns, when each was deleted and by whom (the
    deletion is the lesson's last change: its `deleted_at` and `updated_by`)."""

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column) + len(TRASH_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and section in TRASH_HEADERS
        ):
            return TRASH_HEADERS[section]
        return super().headerData(section, orientation, role)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.column() not in TRASH_HEADERS:
            return super().data(index, role)
        if not 0 <= index.row() < self.rowCount():
            return None
        lesson = self.hit(index.row()).lesson
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == DELETED_ON:
                text = lesson.deleted_at.astimezone().strftime("%Y-%m-%d %H:%M") if lesson.deleted_at else "—"
            else:
                text = lesson.updated_by or "—"
            return literal_role(role, text)
        if role == LESSON_ROLE:
            return lesson
        return None


class LessonTrashWidget(QWidget):
    """Trashed lessons; emits `restore_requested(ids)` and `purge_requested(ids)`."""

    restore_requested = Signal(list)
    purge_requested = Signal(list)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("lessonTrash")
        self.setWindowTitle("Trash — lessons")
        self._store = store
        self.model = LessonTrashTableModel(store, self)
        self.ceiling = CeilingLink(self, store, self.refresh)
        self.table = named(QTableView(self), "trashTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        for column, width in (
            (Column.RELATIONSHIPS, 110),
            (Column.OPERATION, 100),
            (Column.THEMES, 150),
            (Column.KIND, 80),
            (Column.DATE, 90),
            (Column.SOURCE, 110),
            (DELETED_ON, 120),
            (DELETED_BY, 110),
        ):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(Column.FINDING, QHeaderView.ResizeMode.Stretch)
        restore = named(QPushButton("Restore", self), "restore")
        restore.clicked.connect(lambda: self._emit(self.restore_requested))
        purge = named(QPushButton("Delete for good…", self), "purge")
        purge.clicked.connect(lambda: self._emit(self.purge_requested))
        note = QLabel("Deleted lessons stay here until you restore them or delete them for good.", self)
        note.setTextFormat(Qt.TextFormat.PlainText)
        buttons = QHBoxLayout()
        buttons.addWidget(note, 1)
        buttons.addWidget(restore)
        buttons.addWidget(purge)
        self.empty_state = EmptyState(self.table, lambda: EMPTY_TRASH)
        layout = QVBoxLayout(self)
        layout.addWidget(self.ceiling.banner)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.resize(1240, 460)  # the finding keeps ~300 px beside the eight other columns
        self.refresh()
        self.ceiling.guard_copies()

    def refresh(self) -> None:
        reader = self.ceiling.reader()
        self.model.reload_labels()
        self.model.set_query("", LessonFilters(in_trash=True), reader)
        markings = {s.id: s.marking for s in self._store.sources.citable()}
        self.ceiling.show_level(self.model.shown_markings(markings), reader.scheme)

    def _emit(self, signal) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        ids = [self.model.index(r, 0).data(LESSON_ROLE).id for r in rows]
        if ids:
            signal.emit(ids)
