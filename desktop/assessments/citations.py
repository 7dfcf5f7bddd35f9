"""The assessment editor's citations: the table of citations being edited and the box that adds
and removes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.literal import literal_role, literal_tooltip
from desktop.sources.picker import make_searchable

if TYPE_CHECKING:
    from db import SourceRecord, Store

SOURCE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ProblemLabel = Callable[[str, QWidget, list[QWidget]], QLabel]


class CitationTableModel(QAbstractTableModel):
    """The citations being edited: (source id, source label, page locator, quote), in citation order."""

    COLUMNS = ("Source", "Page", "Quote")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str, str]] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        source_id, label, locator, quote = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return literal_role(role, (label, locator, quote)[index.column()])
        if role == SOURCE_ID_ROLE:
            return source_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def citations(self) -> list[tuple[str, str, str, str]]:
        return list(self._rows)

    def set_citations(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append(self, row: tuple[str, str, str, str]) -> None:
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(row)
        self.endInsertRows()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()


class CitationsBox(QGroupBox):
    """The "Citations" group: the citations table, a source / page / quote row with "Add citation",
    "New source…" and "Remove citation". `problem(key, parent, widgets)` makes the validation label
    shown under the table; `message(text)` asks the editor to show a hint, `new_source_requested`
    to open the new-source dialog."""

    message = Signal(str)
    new_source_requested = Signal()

    def __init__(self, store: Store, problem: ProblemLabel, parent: QWidget | None = None) -> None:
        super().__init__("Citations", parent)
        self.store = store
        self._sources: list[SourceRecord] = []
        layout = QVBoxLayout(self)
        self.citation_model = CitationTableModel(self)
        self.citations_view = QTableView(self)
        self.citations_view.setObjectName("citationsView")
        self.citations_view.setModel(self.citation_model)
        self.citations_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.citations_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.citations_view.verticalHeader().setVisible(False)
        self.citations_view.verticalHeader().setDefaultSectionSize(24)
        self.citations_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.citations_view.horizontalHeader().setStretchLastSection(True)
        self.citations_view.setColumnWidth(0, 300)
        self.citations_view.setColumnWidth(1, 80)
        self.citations_view.setMinimumHeight(96)
        self.citations_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.citations_view)
        layout.addWidget(problem("citations", self, [self.citations_view]))

        add_row = QHBoxLayout()
        self.source_combo = QComboBox(self)
        self.source_combo.setObjectName("sourceCombo")
        self.source_combo.setMinimumWidth(260)
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        make_searchable(self.source_combo)  # type an author, year or title words to filter the list
        self.locator_edit = QLineEdit(self)
        self.locator_edit.setObjectName("locatorEdit")
        self.locator_edit.setPlaceholderText("Page, e.g. 49 or 12–14")
        self.locator_edit.setMaxLength(100)
        self.locator_edit.setFixedWidth(150)
        self.quote_edit = QLineEdit(self)
        self.quote_edit.setObjectName("quoteEdit")
        self.quote_edit.setPlaceholderText("Optional short quote")
        self.add_citation_button = QPushButton("Add citation", self)
        self.add_citation_button.setObjectName("addCitationButton")
        self.add_citation_button.setAutoDefault(False)
        self.add_citation_button.clicked.connect(self.add_citation)
        self.locator_edit.returnPressed.connect(self.add_citation)
        self.quote_edit.returnPressed.connect(self.add_citation)
        add_row.addWidget(self.source_combo, 2)
        add_row.addWidget(self.locator_edit)
        add_row.addWidget(self.quote_edit, 2)
        add_row.addWidget(self.add_citation_button)
        layout.addLayout(add_row)

        actions = QHBoxLayout()
        self.new_source_button = QPushButton("New source…", self)
        self.new_source_button.setObjectName("newSourceButton")
        self.new_source_button.setAutoDefault(False)
        self.new_source_button.clicked.connect(self.new_source_requested)
        self.remove_citation_button = QPushButton("Remove citation", self)
        self.remove_citation_button.setObjectName("removeCitationButton")
        self.remove_citation_button.setAutoDefault(False)
        self.remove_citation_button.clicked.connect(self.remove_citation)
        actions.addWidget(self.new_source_button)
        actions.addStretch(1)
        actions.addWidget(self.remove_citation_button)
        layout.addLayout(actions)
        self.reload_sources()

    def reload_sources(self, select_id: str | None = None) -> None:
        """Refill the source list from the store's citable sources, keeping (or selecting) one."""
        current = select_id or self.source_combo.currentData()
        self._sources = self.store.sources.citable()
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        for source in self._sources:
            title = source.title if len(source.title) <= 60 else source.title[:57] + "…"
            self.source_combo.addItem(f"{source.short} — {title}", source.id)
            self.source_combo.setItemData(
                self.source_combo.count() - 1, literal_tooltip(source.title), Qt.ItemDataRole.ToolTipRole
            )
        index = self.source_combo.findData(current) if current else -1
        self.source_combo.setCurrentIndex(max(index, 0) if self._sources else -1)
        self.source_combo.blockSignals(False)

    def source_label(self, source_id: str) -> str | None:
        return next((s.short for s in self._sources if s.id == source_id), None)

    def add_citation(self) -> None:
        source_id = self.source_combo.currentData()
        if not source_id:
            self.message.emit("Choose a source first (or create one with New source…).")
            return
        self.citation_model.append(
            (
                source_id,
                self.source_label(source_id) or "?",
                self.locator_edit.text().strip(),
                self.quote_edit.text().strip(),
            )
        )
        self.locator_edit.clear()
        self.quote_edit.clear()

    def remove_citation(self) -> None:
        index = self.citations_view.currentIndex()
        if index.isValid():
            self.citation_model.remove(index.row())
