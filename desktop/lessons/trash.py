"""The lessons trash: what was deleted, to restore it, or to destroy it as a separate explicit step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
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
from desktop.qt_build import named

if TYPE_CHECKING:
    from db import Store


class LessonTrashWidget(QWidget):
    """Trashed lessons; emits `restore_requested(ids)` and `purge_requested(ids)`."""

    restore_requested = Signal(list)
    purge_requested = Signal(list)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("lessonTrash")
        self.setWindowTitle("Trash — lessons")
        self.model = LessonTableModel(store, self)
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
            (Column.THEMES, 180),
            (Column.KIND, 80),
            (Column.DATE, 90),
            (Column.SOURCE, 140),
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.resize(1000, 460)
        self.refresh()

    def refresh(self) -> None:
        self.model.reload_labels()
        self.model.set_query("", LessonFilters(in_trash=True))

    def _emit(self, signal) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        ids = [self.model.index(r, 0).data(LESSON_ROLE).id for r in rows]
        if ids:
            signal.emit(ids)
