"""Questions the assessment views ask the analyst, behind one replaceable object so tests can answer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget


class Prompter:
    """Asks yes/no questions and short texts with modal message boxes.

    Tests replace it (or its methods) with scripted answers; nothing else in the feature opens a
    modal box, so no test ever blocks in `exec()`.
    """

    def confirm(self, parent: QWidget | None, title: str, text: str, accept_label: str = "OK") -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        accept = box.addButton(accept_label, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is accept

    def ask_text(self, parent: QWidget | None, title: str, label: str) -> str | None:
        """A short multi-line answer, or None when cancelled."""
        text, ok = QInputDialog.getMultiLineText(parent, title, label)
        return text if ok else None

    def inform(self, parent: QWidget | None, title: str, text: str) -> None:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        box.exec()


class ScriptedPrompter(Prompter):
    """A Prompter that answers from lists (used by tests and headless runs); records what was asked."""

    def __init__(self, confirms: list[bool] | None = None, texts: list[str | None] | None = None) -> None:
        self.confirms = list(confirms or [])
        self.texts = list(texts or [])
        self.asked: list[str] = []

    def confirm(self, parent, title, text, accept_label="OK") -> bool:
        self.asked.append(text)
        return self.confirms.pop(0) if self.confirms else False

    def ask_text(self, parent, title, label) -> str | None:
        self.asked.append(label)
        return self.texts.pop(0) if self.texts else None

    def inform(self, parent, title, text) -> None:
        self.asked.append(text)
