"""File > Backups...: the list of backups, "Back up now", and "Restore..." (which backs up first)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from db import QuadrangleError
from desktop.backups.table_model import BackupsTableModel

if TYPE_CHECKING:
    from db import Store


class BackupsDialog(QDialog):
    """Lists the store's backups; `backed_up(path)` and `restored(path)` fire after each action succeeded.

    `confirm(title, text) -> bool` asks before a restore; tests replace it.
    """

    backed_up = Signal(str)
    restored = Signal(str)

    def __init__(self, store: Store, parent=None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Backups")
        self.resize(640, 380)
        intro = QLabel(
            "Quadrangle backs up this database when it opens it, before upgrades and imports, and every 30 minutes "
            "while you work. Restoring a backup first backs up the current state, so a restore can be undone.",
            self,
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.model = BackupsTableModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("backupsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.message = QLabel(self)
        self.message.setObjectName("backupsMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox(self)
        self.backup_button = QPushButton("&Back up now", self)
        self.restore_button = QPushButton("&Restore...", self)
        buttons.addButton(self.backup_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        if store.read_only:
            self.message.setText("This database is open read-only: backups can be listed but not taken or restored.")
        self.reload()

    def reload(self) -> None:
        self.model.set_backups(self.store.safety.backups())
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = not self.store.read_only and self.store.location.is_sqlite
        self.backup_button.setEnabled(writable)
        self.restore_button.setEnabled(writable and self.view.selectionModel().hasSelection())

    def selected_backup(self):
        rows = self.view.selectionModel().selectedRows()
        return self.model.backup_at(rows[0].row()) if rows else None

    def back_up_now(self) -> None:
        try:
            path = self.store.safety.take_backup("manual")
        except QuadrangleError as exc:
            self.message.setText(str(exc))
            return
        if path is None:
            self.message.setText("A server database is backed up by its own tools.")
            return
        self.reload()
        self.message.setText(f"Backed up to {path.name}.")
        self.backed_up.emit(str(path))

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None:
            return
        when = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M")
        if not self.confirm(
            "Restore backup",
            f"Replace the database's content with the backup taken {when}? The current state is backed up first, "
            "so this can be undone by restoring that backup.",
        ):
            return
        try:
            before = self.store.safety.restore_backup(Path(backup.path))
        except QuadrangleError as exc:
            self.message.setText(str(exc))
            return
        self.reload()
        self.message.setText(f"Restored the backup taken {when}. The state before it is kept as {before.name}.")
        self.restored.emit(str(backup.path))

    def confirm(self, title: str, text: str) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        return box.exec() == QMessageBox.StandardButton.Yes
