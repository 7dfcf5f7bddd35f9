"""CreatorsTable: a source's creators one per row with their roles (author, editor, translator) and an
institution kept as one name, as the library's source editor and the citation pickers' "New source"
dialog show them."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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

from db import Creator, CreatorRole
from desktop.qt_build import named

# The stored creator a row was loaded from, so an untouched row keeps what the table has no column
# for (a name suffix such as "Jr.").
ORIGINAL = Qt.ItemDataRole.UserRole + 1

ROLE_LABELS = {CreatorRole.AUTHOR: "Author", CreatorRole.EDITOR: "Editor", CreatorRole.TRANSLATOR: "Translator"}


class CreatorsTable(QGroupBox):
    """Creators one per row: a role, a family name (or an institution's whole name, ticked as one
    name never split) and given names. Empty rows are ignored."""

    COLUMNS = ("Role", "Family name / institution", "Given names", "Institution")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Creators with their roles (the author line follows them)", parent)
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

    def load(self, creators: tuple[Creator, ...]) -> None:
        """Show a stored source's creators, each row remembering the creator it came from."""
        self.table.setRowCount(0)
        for creator in creators:
            family, given = (creator.literal, "") if creator.literal else (creator.family, creator.given)
            row = self.add_row(creator.role, family, given)
            self.set_institution(row, creator.is_institution)
            self._item(row, 1).setData(ORIGINAL, creator)
        self.table.setCurrentCell(-1, -1)

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
                creator = Creator(literal=" ".join(p for p in (family, given) if p), role=role)
            else:
                creator = Creator(family=family, given=given, role=role)
            original = self._item(row, 1).data(ORIGINAL)
            if isinstance(original, Creator) and original == dataclasses.replace(creator, suffix=original.suffix):
                creator = original  # untouched: keep its suffix
            result.append(creator)
        return tuple(result)
