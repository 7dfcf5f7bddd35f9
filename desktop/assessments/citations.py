"""The assessment editor's citations: the table of citations being edited, the panel that adds and
removes them (a searchable source picker, page, quote), the "Citations" group of the whole assessment
and the foldable citations of one motive."""

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
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.literal import literal_role, literal_tooltip
from desktop.sources.picker import make_searchable

if TYPE_CHECKING:
    from db import Motive, SourceRecord

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


class CitationsPanel(QWidget):
    """A citations table over a source / page / quote row with "Add citation", "New source…" and
    "Remove citation". `problem(key, parent, widgets)` makes the validation label shown under the
    table (`key` is "citations" or "citations.<motive>"); `message(text)` asks the editor to show a
    hint, `new_source_requested` to open the new-source dialog. The sources offered are set by the
    editor (`set_sources`), read once for every panel. `compact` makes the smaller panel of a motive."""

    message = Signal(str)
    new_source_requested = Signal()

    def __init__(self, problem: ProblemLabel, key: str, parent: QWidget | None = None, *, compact: bool = False):
        super().__init__(parent)
        self.key = key
        self._sources: list[SourceRecord] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
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
        self.citations_view.setColumnWidth(0, 260 if compact else 300)
        self.citations_view.setColumnWidth(1, 80)
        self.citations_view.setMinimumHeight(72 if compact else 96)
        if compact:
            self.citations_view.setMaximumHeight(110)
        self.citations_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.citations_view)
        layout.addWidget(problem(key, self, [self.citations_view]))

        add_row = QHBoxLayout()
        self.source_combo = QComboBox(self)
        self.source_combo.setObjectName("sourceCombo")
        self.source_combo.setMinimumWidth(220 if compact else 260)
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

    def set_sources(self, sources: list[SourceRecord], select_id: str | None = None) -> None:
        """Refill the source list with `sources`, keeping the chosen one (or selecting `select_id`)."""
        current = select_id or self.source_combo.currentData()
        self._sources = sources
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        for source in sources:
            title = source.title if len(source.title) <= 60 else source.title[:57] + "…"
            self.source_combo.addItem(f"{source.short} — {title}", source.id)
            self.source_combo.setItemData(
                self.source_combo.count() - 1, literal_tooltip(source.title), Qt.ItemDataRole.ToolTipRole
            )
        index = self.source_combo.findData(current) if current else -1
        self.source_combo.setCurrentIndex(max(index, 0) if sources else -1)
        self.source_combo.blockSignals(False)

    def source_label(self, source_id: str) -> str | None:
        return next((s.short for s in self._sources if s.id == source_id), None)

    def rows(self) -> list[list[str]]:
        """The citations as the payload keeps them: [source id, page, quote] each."""
        return [[sid, locator, quote] for sid, _, locator, quote in self.citation_model.citations()]

    def load_rows(self, items: list) -> None:
        """Show the payload's [source id, page, quote] items; a source no longer citable is dropped."""
        rows = []
        for item in items:
            source_id, locator, quote = (list(item) + ["", "", ""])[:3]
            label = self.source_label(source_id)
            if label is not None:  # a source removed since the draft was written is dropped
                rows.append((source_id, label, str(locator), str(quote)))
        self.citation_model.set_citations(rows)

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


class CitationsBox(QGroupBox):
    """The "Citations" group of the whole assessment: one CitationsPanel (`panel`)."""

    def __init__(self, problem: ProblemLabel, parent: QWidget | None = None) -> None:
        super().__init__("Citations of the whole assessment", parent)
        layout = QVBoxLayout(self)
        self.panel = CitationsPanel(problem, "citations", self)
        layout.addWidget(self.panel)


class MotiveCitations(QWidget):
    """One motive's citations under its rationale: a "Citations (n)" toggle that unfolds its
    CitationsPanel (`panel`), unfolded from the start when the motive has citations."""

    def __init__(self, motive: Motive, problem: ProblemLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.motive = motive
        self.setObjectName(f"citations_{motive.value}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName(f"citationsToggle_{motive.value}")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setAccessibleName(f"{motive.label} citations")
        self.panel = CitationsPanel(problem, f"citations.{motive.value}", self, compact=True)
        self.panel.setVisible(False)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.panel)
        self.toggle.toggled.connect(self._toggled)
        model = self.panel.citation_model
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._update_text)
        self._update_text()

    def _toggled(self, shown: bool) -> None:
        self.panel.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def _update_text(self, *_) -> None:
        count = self.panel.citation_model.rowCount()
        self.toggle.setText(f"Citations for {self.motive.label.lower()} ({count})")
        if count and not self.toggle.isChecked():
            self.toggle.setChecked(True)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if self.toggle.isChecked() else Qt.ArrowType.RightArrow)
