"""The Compare dialog's "Relationships side by side" page: tick any relationships, pick a date, and see
them in columns (phase, confidence, motive weights, cooperation, summary, marking), read through the
same function as the side-by-side report (desktop/briefing/side_by_side.py), so the screen and the
exported file agree. All text plain."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import DASH, MOTIVE_ORDER
from desktop.literal import literal_role
from desktop.timeline.date_control import from_qdate

if TYPE_CHECKING:
    from db import Store
    from desktop.briefing.side_by_side import SideBySideContent

KEY_ROLE = Qt.ItemDataRole.UserRole + 1


def _field_rows(content: SideBySideContent) -> list[tuple[str, list[str]]]:
    """(field, one text per relationship) in the report's order."""
    entries = content.entries

    def each(text_of) -> list[str]:
        return [text_of(e) for e in entries]

    def assessed(text_of):
        return lambda e: text_of(e.assessment) if e.assessment is not None else DASH

    rows = [
        ("Phase", each(lambda e: e.status)),
        ("Confidence", each(assessed(lambda a: a.confidence.label))),
        ("Assessed on", each(assessed(lambda a: a.as_of.isoformat()))),
    ]
    rows += [(m.label, each(lambda e, m=m: e.weight_text(m))) for m in MOTIVE_ORDER]
    rows.append(("Cooperation", each(lambda e: "\n".join(e.state.cooperation_labels(content.as_of.year)) or DASH)))
    rows.append(("Summary", each(assessed(lambda a: a.summary or DASH))))
    rows.append(("Marking", each(content.row_marking)))
    return rows


class SideBySideTableModel(QAbstractTableModel):
    """Rows are fields, columns the chosen relationships (after the field column)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._labels: tuple[str, ...] = ()
        self._rows: list[tuple[str, list[str]]] = []

    def set_content(self, content: SideBySideContent | None) -> None:
        self.beginResetModel()
        self._labels = content.labels if content is not None else ()
        self._rows = _field_rows(content) if content is not None else []
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self._labels)))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or not self._labels else 1 + len(self._labels)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        name, values = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return literal_role(role, name if index.column() == 0 else values[index.column() - 1])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return "Field" if section == 0 else self._labels[section - 1] if section <= len(self._labels) else None


class SideBySidePanel(QWidget):
    """The relationship checklist, the date and the side-by-side table. `choice_changed` after a tick
    or a date change; `show(max_marking)` reads and shows the choice and returns the sentence to show."""

    choice_changed = Signal()

    def __init__(self, store: Store, first_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.relationship_list = QListWidget(self)
        self.relationship_list.setObjectName("sideBySideRelationships")
        self.relationship_list.setMaximumHeight(120)
        for record in store.quadrangle.relationships():
            item = QListWidgetItem(record.label, self.relationship_list)
            item.setData(KEY_ROLE, record.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if record.key == first_key else Qt.CheckState.Unchecked)
        chosen = QVBoxLayout()
        chosen.addWidget(QLabel("Relationships", self))
        chosen.addWidget(self.relationship_list)
        top.addLayout(chosen, 1)
        when = QVBoxLayout()
        when.addWidget(QLabel("As of", self))
        self.as_of_edit = QDateEdit(self)
        self.as_of_edit.setObjectName("sideBySideDate")
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self.as_of_edit.setMinimumDate(QDate(1945, 1, 1))
        self.as_of_edit.setMaximumDate(QDate.currentDate())
        self.as_of_edit.setDate(QDate.currentDate())
        when.addWidget(self.as_of_edit)
        when.addStretch(1)
        top.addLayout(when)
        layout.addLayout(top)
        self.model = SideBySideTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("sideBySideTable")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(150)
        layout.addWidget(self.table, 1)
        self.relationship_list.itemChanged.connect(lambda _item: self.choice_changed.emit())
        self.as_of_edit.dateChanged.connect(lambda _day: self.choice_changed.emit())

    def chosen_keys(self) -> tuple[str, ...]:
        """The ticked relationships ("UN-EU"...), in the list's order."""
        items = (self.relationship_list.item(row) for row in range(self.relationship_list.count()))
        return tuple(item.data(KEY_ROLE) for item in items if item.checkState() == Qt.CheckState.Checked)

    def choose(self, keys: tuple[str, ...], as_of: date | None = None) -> None:
        """Tick exactly `keys` (and set the date) from code, as a user would."""
        quiet = (self.relationship_list, self.as_of_edit)
        for widget in quiet:
            widget.blockSignals(True)
        for row in range(self.relationship_list.count()):
            item = self.relationship_list.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.data(KEY_ROLE) in keys else Qt.CheckState.Unchecked)
        if as_of is not None:
            self.as_of_edit.setDate(QDate(as_of.year, as_of.month, as_of.day))
        for widget in quiet:
            widget.blockSignals(False)
        self.choice_changed.emit()

    def as_of(self) -> date:
        return from_qdate(self.as_of_edit.date())

    def show_choice(self, max_marking: str | None) -> str:
        """Read the ticked relationships as of the date up to `max_marking` and show them; returns
        the sentence for the dialog (what is shown, or why nothing is)."""
        from db import QuadrangleError
        from desktop.briefing.side_by_side import gather_side_by_side

        keys = self.chosen_keys()
        if not keys:
            self.model.set_content(None)
            return "Tick the relationships to compare side by side."
        try:
            content = gather_side_by_side(self.store, keys, self.as_of(), max_marking=max_marking)
        except QuadrangleError as exc:
            self.model.set_content(None)
            return str(exc)
        self.model.set_content(content)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.resizeRowsToContents()
        note = f" {content.note[0].upper()}{content.note[1:]}." if content.note else ""
        return f"{len(content.entries)} relationship(s) as of {content.as_of.isoformat()}, {content.marking}.{note}"
