"""RecordEditorDialog: the frame shared by the editors of items edited in place (a lesson, an
operation, a source): the red one-line reason under the form, Save and Cancel, and saving through
`desktop.conflicts.try_save` (optimistic locking: a conflict is shown, saving again overwrites)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLayout, QVBoxLayout, QWidget

from desktop.captions import make_error_line
from desktop.conflicts import try_save
from desktop.qt_build import named

DraftT = TypeVar("DraftT")


class RecordEditorDialog(QDialog, Generic[DraftT]):
    """Subclasses build their fields, call `lay_out(...)` once, and implement `draft()`.
    `save(draft, expected_revision)` stores the draft or raises a QuadrangleError."""

    def __init__(
        self, save: Callable[[DraftT, int | None], None], expected_revision: int | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.expected_revision = expected_revision

    def lay_out(self, *parts: QLayout | QWidget | tuple[QWidget, int]) -> None:
        """Stack `parts` (layouts, widgets, or (widget, stretch)) above the error line and the buttons.
        Those two are made here, after the fields, so that Tab reaches Save and Cancel last."""
        self.error = named(QLabel(self), "error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        make_error_line(self.error)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        for part in parts:
            if isinstance(part, QLayout):
                layout.addLayout(part)
            elif isinstance(part, tuple):
                layout.addWidget(*part)
            else:
                layout.addWidget(part)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def draft(self) -> DraftT:
        """The input the fields describe (a LessonInput, an OperationInput...)."""
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def submit(self) -> None:
        """Save through the callback; close on success, show the reason otherwise."""
        saved, self.expected_revision = try_save(self._save, self.draft(), self.expected_revision, self.show_error)
        if saved:
            self.accept()
