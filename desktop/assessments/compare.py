"""Comparing two versions of an assessment, or the assessments in force on two dates, side by side
with the changed fields highlighted, or any relationships side by side on one date (all plain text),
up to a chosen marking; Export writes the comparison report of what is shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import AssessmentDiffRecord, AssessmentRecord, EventKind, QuadrangleError
from desktop.assessments.history import recorded_text
from desktop.assessments.style import CHANGED_BACKGROUND, CHANGED_MARK, DIALOG_STYLE
from desktop.comparison.marking_limit import ceiling_of, marking_limit_combo
from desktop.comparison.side_by_side_panel import SideBySidePanel
from desktop.literal import literal_role
from desktop.timeline.date_control import from_qdate

if TYPE_CHECKING:
    from db import Store
    from desktop.events import StoreEvents

CHANGED_ROLE = Qt.ItemDataRole.UserRole + 1
FIELD_KEY_ROLE = Qt.ItemDataRole.UserRole + 2


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class AssessmentDiffTableModel(QAbstractTableModel):
    """Rows are compared fields; columns: field, before, after. Changed rows are tinted and marked."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._diff: AssessmentDiffRecord | None = None

    @property
    def diff(self) -> AssessmentDiffRecord | None:
        return self._diff

    def set_diff(self, diff: AssessmentDiffRecord | None) -> None:
        self.beginResetModel()
        self._diff = diff
        self.endResetModel()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 2)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self._diff is None else len(self._diff.fields)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._diff is None:
            return None
        field = self._diff.fields[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == 0:
                return ("▸ " if field.changed else "   ") + field.label
            return literal_role(role, field.before if index.column() == 1 else field.after)
        if role == Qt.ItemDataRole.BackgroundRole and field.changed:
            return CHANGED_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and field.changed and index.column() == 0:
            return CHANGED_MARK
        if role == Qt.ItemDataRole.FontRole and field.changed and index.column() == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == CHANGED_ROLE:
            return field.changed
        if role == FIELD_KEY_ROLE:
            return field.key
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return "Field"
        if self._diff is None:
            return ("Before", "After")[section - 1]
        return ("Before: " + self._diff.before_label) if section == 1 else ("After: " + self._diff.after_label)


class ChangedOnlyProxy(QSortFilterProxyModel):
    """Hides unchanged rows when `changed_only` is set."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.changed_only = False

    def set_changed_only(self, value: bool) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 deprecates invalidateFilter for this pair
            self.beginFilterChange()
            self.changed_only = value
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.changed_only = value
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.changed_only:
            return True
        return bool(self.sourceModel().index(source_row, 0, source_parent).data(CHANGED_ROLE))


class CompareDialog(QDialog):
    """Pick two versions, or two dates, of one relationship and see them side by side; or tick any
    relationships and see them side by side on one date. "Highest marking to include" starts at the
    main window's view ceiling and filters every mode and the export alike.

    Open with `open()`; `compare_versions(a, b)` / `compare_dates(d1, d2)` /
    `compare_relationships(keys, day)` set the sides from code.
    """

    def __init__(self, store: Store, events: StoreEvents, relationship_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.relationship = store.quadrangle.relationship(relationship_id)
        self.setObjectName("compareDialog")
        self.setWindowTitle(f"Compare — {self.relationship.label}")
        self.setStyleSheet(DIALOG_STYLE)
        self._versions: list[AssessmentRecord] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        title = QLabel(f"Compare {self.relationship.label} assessments", self)
        title.setObjectName("dialogTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(title)

        modes = QHBoxLayout()
        self.versions_radio = QRadioButton("Two versions", self)
        self.dates_radio = QRadioButton("The state on two dates", self)
        self.side_by_side_radio = QRadioButton("Relationships side by side", self)
        self.versions_radio.setChecked(True)
        group = QButtonGroup(self)
        for radio in (self.versions_radio, self.dates_radio, self.side_by_side_radio):
            group.addButton(radio)
            modes.addWidget(radio)
        modes.addStretch(1)
        self.changed_only_check = QCheckBox("Only changed fields", self)
        modes.addWidget(self.changed_only_check)
        layout.addLayout(modes)
        self.limit_combo = marking_limit_combo(store, self, ceiling_of(parent))
        limit_row = QHBoxLayout()
        limit_row.addWidget(QLabel("Highest marking to include", self))
        limit_row.addWidget(self.limit_combo)
        limit_row.addStretch(1)
        layout.addLayout(limit_row)

        self.pickers = QStackedWidget(self)
        version_page = QWidget(self.pickers)
        grid = QGridLayout(version_page)
        grid.setContentsMargins(0, 0, 0, 0)
        self.before_combo = QComboBox(version_page)
        self.before_combo.setObjectName("beforeCombo")
        self.after_combo = QComboBox(version_page)
        self.after_combo.setObjectName("afterCombo")
        grid.addWidget(QLabel("Before", version_page), 0, 0)
        grid.addWidget(self.before_combo, 0, 1)
        grid.addWidget(QLabel("After", version_page), 1, 0)
        grid.addWidget(self.after_combo, 1, 1)
        grid.setColumnStretch(1, 1)
        date_page = QWidget(self.pickers)
        dates = QHBoxLayout(date_page)
        dates.setContentsMargins(0, 0, 0, 0)
        self.before_date = QDateEdit(date_page)
        self.after_date = QDateEdit(date_page)
        for edit in (self.before_date, self.after_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(QDate(1945, 1, 1))
            edit.setMaximumDate(QDate.currentDate())
        self.before_date.setObjectName("beforeDate")
        self.after_date.setObjectName("afterDate")
        dates.addWidget(QLabel("State on", date_page))
        dates.addWidget(self.before_date)
        dates.addWidget(QLabel("compared with the state on", date_page))
        dates.addWidget(self.after_date)
        dates.addStretch(1)
        self.pickers.addWidget(version_page)
        self.pickers.addWidget(date_page)
        layout.addWidget(self.pickers)

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("dialogSubtitle")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)

        self.model = AssessmentDiffTableModel(self)
        self.proxy = ChangedOnlyProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setObjectName("diffTable")
        self.table.setModel(self.proxy)
        self.table.setWordWrap(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.side_by_side = SideBySidePanel(store, self.relationship.key, self)
        self.side_by_side.setVisible(False)
        layout.addWidget(self.side_by_side, 1)

        footer = QHBoxLayout()
        # The two-date report of this relationship, or of the whole quadrangle (File > Export comparison...).
        self.every_relationship_check = QCheckBox("Report on every relationship", self)
        footer.addWidget(self.every_relationship_check)
        footer.addStretch(1)
        self.export_button = QPushButton("Export…", self)  # the comparison report (PDF, Word, CSV or Excel)
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export_report)
        footer.addWidget(self.export_button)
        close = QPushButton("Close", self)
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        footer.addWidget(close)
        layout.addLayout(footer)

        self._load_versions(initial=True)
        self.versions_radio.toggled.connect(self._mode_changed)
        self.before_combo.currentIndexChanged.connect(self.refresh)
        self.after_combo.currentIndexChanged.connect(self.refresh)
        self.before_date.dateChanged.connect(self.refresh)
        self.after_date.dateChanged.connect(self.refresh)
        self.changed_only_check.toggled.connect(self._changed_only)
        self.side_by_side_radio.toggled.connect(self._mode_changed)
        self.side_by_side.choice_changed.connect(self.refresh)
        self.limit_combo.currentIndexChanged.connect(self._limit_changed)
        events.listen_while_open(self, self._versions_changed, EventKind.ASSESSMENTS)
        self.refresh()
        self.resize(1040, 760)

    def _versions_changed(self, _kind: EventKind, _ids: tuple[str, ...]) -> None:
        """Keep both picks when they still exist; the list follows saves, restores and undos."""
        before, after = self.before_combo.currentData(), self.after_combo.currentData()
        self._load_versions()
        for combo, kept in ((self.before_combo, before), (self.after_combo, after)):
            index = combo.findData(kept)
            if index >= 0:
                combo.blockSignals(True)
                combo.setCurrentIndex(index)
                combo.blockSignals(False)
        self.refresh()

    @property
    def max_marking(self) -> str | None:
        """The chosen "Highest marking to include" (None: everything)."""
        return self.limit_combo.currentData()

    def _limit_changed(self) -> None:
        self._versions_changed(EventKind.ASSESSMENTS, ())  # versions above the limit leave the pickers

    def _load_versions(self, *, initial: bool = False) -> None:
        scheme = self.store.catalog.marking_scheme()
        self._versions = sorted(
            (
                v
                for v in self.store.assessments.history(self.relationship.id)
                if scheme.allows(v.marking, self.max_marking)
            ),
            key=lambda v: (v.as_of, v.recorded_at),
        )
        for combo in (self.before_combo, self.after_combo):
            combo.blockSignals(True)
            combo.clear()
            for version in self._versions:
                combo.addItem(
                    f"{version.as_of.isoformat()} · {version.phase_label} · recorded {recorded_text(version)} "
                    f"by {version.recorded_by}",
                    version.id,
                )
            combo.blockSignals(False)
        if self._versions:
            self.before_combo.setCurrentIndex(max(0, len(self._versions) - 2))
            self.after_combo.setCurrentIndex(len(self._versions) - 1)
        if initial:  # the dates are the user's once shown: a save or a new limit keeps them
            if self._versions:
                self.before_date.setDate(_qdate(self._versions[max(0, len(self._versions) - 2)].as_of))
            self.after_date.setDate(QDate.currentDate())

    def _mode_changed(self) -> None:
        side = self.side_by_side_radio.isChecked()
        self.pickers.setCurrentIndex(0 if self.versions_radio.isChecked() else 1)
        for widget in (self.pickers, self.table, self.changed_only_check, self.every_relationship_check):
            widget.setVisible(not side)
        self.side_by_side.setVisible(side)
        self.refresh()

    def _changed_only(self, value: bool) -> None:
        self.proxy.set_changed_only(value)
        self.table.resizeRowsToContents()

    def choose_report_path(self, suggestion: str) -> str:
        """Ask where to write the report (replaceable in tests)."""
        from desktop.briefing.compare_export import choose_report_path

        return choose_report_path(self, suggestion)

    def export_report(self) -> None:
        """Write the comparison report of what the dialog shows, up to its marking limit."""
        from desktop.briefing.compare_export import export_report

        if self.side_by_side_radio.isChecked():
            keys, day = self.side_by_side.chosen_keys(), self.side_by_side.as_of()
            if not keys:
                self.summary_label.setText("Tick the relationships to compare side by side.")
                return
            path = self.choose_report_path(f"side-by-side-{day}.pdf")
            if path:
                sentence = export_report(
                    self.store, Path(path), relationships=keys, as_of=day, max_marking=self.max_marking
                )
                self.summary_label.setText(sentence)
            return
        if self.versions_radio.isChecked():
            by_id = {v.id: v.as_of for v in self._versions}
            dates = [by_id.get(self.before_combo.currentData()), by_id.get(self.after_combo.currentData())]
        else:
            dates = [from_qdate(self.before_date.date()), from_qdate(self.after_date.date())]
        start, end = dates
        if start is None or end is None:
            return
        every = self.every_relationship_check.isChecked()
        path = self.choose_report_path(f"comparison-{'all' if every else self.relationship.key}-{start}-{end}.pdf")
        if path:
            sentence = export_report(
                self.store,
                Path(path),
                relationships=() if every else (self.relationship.key,),
                dates=(start, end),
                max_marking=self.max_marking,
            )
            self.summary_label.setText(sentence)

    def compare_relationships(self, keys: tuple[str, ...], as_of: date | None = None) -> None:
        self.side_by_side_radio.setChecked(True)
        self.side_by_side.choose(keys, as_of)

    def compare_versions(self, before_id: str, after_id: str) -> None:
        self.versions_radio.setChecked(True)
        self.before_combo.setCurrentIndex(self.before_combo.findData(before_id))
        self.after_combo.setCurrentIndex(self.after_combo.findData(after_id))
        self.refresh()

    def compare_dates(self, before: date, after: date) -> None:
        self.dates_radio.setChecked(True)
        self.before_date.setDate(_qdate(before))
        self.after_date.setDate(_qdate(after))
        self.refresh()

    def refresh(self) -> None:
        limit = self.max_marking
        if self.side_by_side_radio.isChecked():
            self.summary_label.setText(self.side_by_side.show_choice(limit))
            return
        try:
            if self.versions_radio.isChecked():
                before, after = self.before_combo.currentData(), self.after_combo.currentData()
                diff = (
                    self.store.history.compare_versions(before, after, max_marking=limit) if before and after else None
                )
            else:
                diff = self.store.history.compare_dates(
                    self.relationship.id,
                    from_qdate(self.before_date.date()),
                    from_qdate(self.after_date.date()),
                    max_marking=limit,
                )
        except QuadrangleError as exc:
            self.summary_label.setText(str(exc))
            self.model.set_diff(None)
            return
        self.model.set_diff(diff)
        self.table.resizeRowsToContents()
        if diff is None:
            self.summary_label.setText(
                "No version recorded yet: nothing to compare."
                if limit is None
                else f"No version at or below {limit}: nothing to compare."
            )
            return
        changed = [f.label for f in diff.fields if f.changed and f.key not in ("recorded", "as_of")]
        if not changed:
            self.summary_label.setText("The two sides agree on phase, motives, confidence, summary and citations.")
        else:
            self.summary_label.setText(
                f"{len(changed)} field{'s' if len(changed) != 1 else ''} changed: {', '.join(changed)}."
            )
