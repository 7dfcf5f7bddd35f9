"""The "New source" dialog of the assessment editor's citation pickers: the sources library's own
editor (the full bibliographic record) with a table of creators and their roles beneath it."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db import Creator, CreatorRole, SourceInput, SourceRecord
from desktop.qt_build import named
from desktop.sources.editor import SourceDialog

if TYPE_CHECKING:
    from db import Store

ROLE_LABELS = {CreatorRole.AUTHOR: "Author", CreatorRole.EDITOR: "Editor", CreatorRole.TRANSLATOR: "Translator"}


class CreatorsTable(QGroupBox):
    """Creators one per row: a role, a family name (or an institution's whole name, ticked as one
    name never split) and given names. Empty rows are ignored."""

    COLUMNS = ("Role", "Family name / institution", "Given names", "Institution")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Creators with their roles (replace the author line when given)", parent)
        layout = QVBoxLayout(self)
        self.table = named(QTableWidget(0, len(self.COLUMNS), self), "creatorsTable")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(90)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = named(QPushButton("Add creator", self), "addCreatorButton")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button = named(QPushButton("Remove creator", self), "removeCreatorButton")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_row)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)

    def add_row(self, role: CreatorRole = CreatorRole.AUTHOR, family: str = "", given: str = "") -> int:
        """Append a creator row (focused on its family name); returns its row number."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        combo = QComboBox(self.table)
        for value, label in ROLE_LABELS.items():
            combo.addItem(label, value.value)
        combo.setCurrentIndex(max(combo.findData(role.value), 0))
        self.table.setCellWidget(row, 0, combo)
        self.table.setItem(row, 1, QTableWidgetItem(family))
        self.table.setItem(row, 2, QTableWidgetItem(given))
        institution = QTableWidgetItem()
        institution.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        institution.setCheckState(Qt.CheckState.Unchecked)
        self.table.setItem(row, 3, institution)
        self.table.setCurrentCell(row, 1)
        return row

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            row = self.table.rowCount() - 1
        if row >= 0:
            self.table.removeRow(row)

    def set_role(self, row: int, role: CreatorRole) -> None:
        combo = self.table.cellWidget(row, 0)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(role.value))

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None  # add_row gives every cell its item
        return item

    def set_institution(self, row: int, institution: bool) -> None:
        item = self._item(row, 3)
        item.setCheckState(Qt.CheckState.Checked if institution else Qt.CheckState.Unchecked)

    def creators(self) -> tuple[Creator, ...]:
        """The filled rows as creators, in table order."""
        result = []
        for row in range(self.table.rowCount()):
            combo = self.table.cellWidget(row, 0)
            assert isinstance(combo, QComboBox)
            role = CreatorRole(combo.currentData())
            family = self._item(row, 1).text().strip()
            given = self._item(row, 2).text().strip()
            if not (family or given):
                continue
            if self._item(row, 3).checkState() == Qt.CheckState.Checked:
                result.append(Creator(literal=" ".join(p for p in (family, given) if p), role=role))
            else:
                result.append(Creator(family=family, given=given, role=role))
        return tuple(result)


class NewSourceDialog(SourceDialog):
    """The library's source editor, adding through `add(draft)` (the editor's undoable
    AddSourceCommand) on Save and emitting `source_added(SourceRecord)`. Creators typed in the
    table replace the author line. A refused source keeps the dialog open with the store's message.
    Open with `open()`."""

    source_added = Signal(object)

    def __init__(self, store: Store, add: Callable[[SourceInput], SourceRecord], parent=None) -> None:
        self._add = add
        self._record: SourceRecord | None = None
        super().__init__(store, self._store_draft, parent)
        self.setObjectName("newSourceDialog")
        self.setWindowTitle("New source")
        self.creators_table = CreatorsTable(self)
        layout = self.layout()
        assert isinstance(layout, QBoxLayout)  # lay_out stacks the form, the error line and the buttons
        layout.insertWidget(1, self.creators_table)
        self.save_button.setText("Add source")

    def _store_draft(self, draft: SourceInput, _expected_revision: int | None) -> None:
        self._record = self._add(draft)

    def draft(self) -> SourceInput:
        draft = super().draft()
        creators = self.creators_table.creators()
        if creators:  # the store derives the author line from them
            draft = dataclasses.replace(draft, creators=creators, authors="")
        return draft

    def accept(self) -> None:
        if self._record is not None:
            self.source_added.emit(self._record)
        super().accept()
