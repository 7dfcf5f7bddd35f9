"""Edit > Markings…: the organisation's marking vocabulary (lowest first), with the caveats and the
handling statement printed after the level on every banner ("NATO SECRET//REL TO NATO/EU"). A save
is one step on the window's undo stack (`SetMarkingsCommand`), so Ctrl+Z puts the previous scheme back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from db import MarkingScheme, QuadrangleError
from desktop.undo import ErrorReporter, StoreCommand, perform

if TYPE_CHECKING:
    from db import Store


def describe_change(before: MarkingScheme, after: MarkingScheme) -> str:
    """The undo text of a change of scheme: "Edit markings (add COSMIC TOP SECRET; handling statement)"."""
    parts = []
    added = [n for n in after.levels if n not in before.levels]
    removed = [n for n in before.levels if n not in after.levels]
    if added:
        parts.append("add " + ", ".join(added))
    if removed:
        parts.append("remove " + ", ".join(removed))
    kept_before = [n for n in before.levels if n in after.levels]
    if not added and not removed and kept_before != list(after.levels):
        parts.append("reorder")
    if before.caveats != after.caveats:
        parts.append("caveats")
    if before.handling != after.handling:
        parts.append("handling statement")
    return "Edit markings" + (f" ({'; '.join(parts)})" if parts else "")


class SetMarkingsCommand(StoreCommand):
    """Replace the marking scheme (`store.catalog.set_markings`); undo puts the previous one back.

    A refused change (a level in use removed or renamed) raises from `perform` and pushes nothing; a
    save that changes nothing is no step. An undo the store refuses (a level added since put to use)
    is reported and dropped, and the scheme stays as it is."""

    def __init__(self, store: Store, scheme: MarkingScheme, report: ErrorReporter | None = None) -> None:
        super().__init__(store, describe_change(store.catalog.marking_scheme(), scheme), report)
        self.scheme = scheme
        self.previous: MarkingScheme | None = None

    def do(self) -> None:
        before = self.store.catalog.marking_scheme()
        if before == self.scheme:
            self.setObsolete(True)  # nothing to change: no undo step
            return
        self.previous = self.store.catalog.set_markings(
            self.scheme.levels, caveats=self.scheme.caveats, handling=self.scheme.handling
        )

    def undo_it(self) -> None:
        if self.previous is not None:
            previous = self.previous
            self.store.catalog.set_markings(previous.levels, caveats=previous.caveats, handling=previous.handling)


class MarkingsDialog(QDialog):
    """One level per line, lowest first. Saving pushes a SetMarkingsCommand on `undo_stack` (the
    parent window's when not given); the store refuses to remove or rename a level in use (the
    message says what uses it) so no item changes marking, and a refusal leaves the stack as it was."""

    def __init__(self, store: Store, parent=None, *, undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.undo_stack = undo_stack if undo_stack is not None else getattr(parent, "undo_stack", None)
        self.setWindowTitle("Markings")
        scheme = store.catalog.marking_scheme()
        intro = QLabel(
            "The markings of this database, lowest first, one per line. A marking in use can be moved, "
            "not removed or renamed. Caveats and the handling statement follow the level on every banner.",
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.levels_edit = QPlainTextEdit("\n".join(scheme.levels), self)
        self.levels_edit.setObjectName("markingLevels")
        self.caveats_edit = QLineEdit(scheme.caveats, self)
        self.caveats_edit.setPlaceholderText("e.g. NOFORN (optional)")
        self.handling_edit = QLineEdit(scheme.handling, self)
        self.handling_edit.setPlaceholderText("e.g. REL TO NATO/EU (optional)")
        self.message = QLabel(self)
        self.message.setObjectName("markingsMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Levels (lowest first):", self.levels_edit)
        form.addRow("Caveats:", self.caveats_edit)
        form.addRow("Handling statement:", self.handling_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not store.read_only)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def levels(self) -> list[str]:
        return [line.strip() for line in self.levels_edit.toPlainText().splitlines() if line.strip()]

    def save(self) -> bool:
        """Save the vocabulary as one undo step; on refusal the reason is shown and the dialog stays open."""
        scheme = MarkingScheme(
            levels=tuple(self.levels()),
            caveats=self.caveats_edit.text().strip(),
            handling=self.handling_edit.text().strip(),
        )
        try:
            perform(self.undo_stack, SetMarkingsCommand(self.store, scheme, _status_reporter(self.parent())))
        except QuadrangleError as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True


def _status_reporter(window) -> ErrorReporter:
    """Where a later undo or redo the store refused is told: the window's status bar (the dialog may
    be gone by then)."""

    def report(message: str) -> None:
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(message, 10000)

    return report
