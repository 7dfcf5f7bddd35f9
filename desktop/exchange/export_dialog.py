"""File > Export for exchange...: choose relationships, operations, a date range and a marking limit, and
write the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db import QuadrangleError, check_target
from desktop import __version__
from desktop.comparison.marking_limit import ceiling_of, marking_limit_combo
from desktop.timeline.date_control import from_qdate

if TYPE_CHECKING:
    from db import Store


class ExportExchangeDialog(QDialog):
    """Asks what to export and where; on Export calls `Store.export_exchange` once and emits `exported(manifest)`."""

    exported = Signal(object)

    def __init__(self, store: Store, *, folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Export for exchange")
        self.setObjectName("exportExchangeDialog")

        intro = QLabel(
            "Write the selected assessments and lessons, with the sources and operations they refer to, "
            "to one file for another workstation. Nothing in the trash, no settings, no drafts.",
            self,
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)

        self.all_relationships = QCheckBox("All relationships", self)
        self.all_relationships.setChecked(True)
        self.relationship_list = QListWidget(self)
        self.relationship_list.setObjectName("relationshipList")
        for record in store.quadrangle.relationships():
            item = QListWidgetItem(record.label, self.relationship_list)
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.relationship_list.setMaximumHeight(180)
        self.relationship_list.setEnabled(False)
        self.all_relationships.toggled.connect(lambda on: self.relationship_list.setEnabled(not on))

        self.all_operations = QCheckBox("Lessons of all operations", self)
        self.all_operations.setChecked(True)
        self.operation_list = QListWidget(self)
        self.operation_list.setObjectName("operationList")
        for operation in store.operations.all():
            item = QListWidgetItem(f"{operation.acronym} — {operation.name}", self.operation_list)
            item.setData(Qt.ItemDataRole.UserRole, operation.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.operation_list.setMaximumHeight(140)
        self.operation_list.setEnabled(False)
        self.all_operations.toggled.connect(lambda on: self.operation_list.setEnabled(not on))

        self.use_since = QCheckBox("Only what was recorded or changed since", self)
        self.since_edit = QDateEdit(QDate.currentDate().addMonths(-1), self)
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_edit.setEnabled(False)
        self.use_since.toggled.connect(self.since_edit.setEnabled)
        self.use_until = QCheckBox("until", self)
        self.until_edit = QDateEdit(QDate.currentDate(), self)
        self.until_edit.setCalendarPopup(True)
        self.until_edit.setDisplayFormat("yyyy-MM-dd")
        self.until_edit.setEnabled(False)
        self.use_until.toggled.connect(self.until_edit.setEnabled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.use_since)
        since_row.addWidget(self.since_edit)
        since_row.addWidget(self.use_until)
        since_row.addWidget(self.until_edit)
        since_row.addStretch()

        # Starts at the main window's view ceiling: the file holds what the screen shows.
        self.marking_combo = marking_limit_combo(store, self, ceiling_of(parent))

        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("exportPath")
        stamp = date.today().isoformat()
        self.path_edit.setText(str(Path(folder or Path.home()) / f"quadrangle-exchange-{store.actor}-{stamp}.json"))
        browse = QPushButton("Browse...", self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        form = QFormLayout()
        form.addRow("Relationships:", self.all_relationships)
        form.addRow("", self.relationship_list)
        form.addRow("Operations:", self.all_operations)
        form.addRow("", self.operation_list)
        form.addRow("Date:", since_row)
        form.addRow("Highest marking to include:", self.marking_combo)
        form.addRow("File:", path_row)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("exportButton")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(640, 560)

    def selected_relationship_ids(self) -> list[str] | None:
        if self.all_relationships.isChecked():
            return None
        return [
            self.relationship_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.relationship_list.count())
            if self.relationship_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def selected_operation_ids(self) -> list[str] | None:
        """None for no restriction; otherwise the ticked operations, whose lessons alone are exported."""
        if self.all_operations.isChecked():
            return None
        return [
            self.operation_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.operation_list.count())
            if self.operation_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export for exchange", self.path_edit.text(), "Exchange files (*.json)"
        )
        if path:
            self.path_edit.setText(path)
            self._confirmed_path = path  # the file dialog asked before returning an existing file

    def confirm_replace(self, path: str) -> bool:
        """Ask before replacing an existing file whose name was typed in (replaceable in tests)."""
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(
            self, "Export for exchange", f"{path} already exists. Replace it?", buttons, QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def export(self) -> None:
        path = self.path_edit.text().strip()
        if not path:
            self.show_error("Choose the file to write.")
            return
        protect = (str(self.store.location.path),) if self.store.location.is_sqlite else ()
        try:
            # The database, its companions and folders, a device, an SQLite file: refused outright.
            check_target(path, protect=protect, overwrite=True)
        except QuadrangleError as exc:
            self.show_error(str(exc))
            return
        if Path(path).expanduser().exists() and path != getattr(self, "_confirmed_path", None):
            if not self.confirm_replace(path):
                return
        since = from_qdate(self.since_edit.date()) if self.use_since.isChecked() else None
        until = from_qdate(self.until_edit.date()) if self.use_until.isChecked() else None
        try:
            manifest = self.store.exchange.export(
                path,
                relationships=self.selected_relationship_ids(),
                since=since,
                max_marking=self.marking_combo.currentData(),
                app_version=__version__,
                operations=self.selected_operation_ids(),
                until=until,
            )
        except QuadrangleError as exc:
            self.show_error(str(exc))
            return
        self.exported.emit(manifest)
        self.accept()

    def show_error(self, message: str) -> None:
        """Tell the user why nothing was exported (replaceable in tests)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Export for exchange", message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.open()
