"""The "New source" dialog of the assessment editor's citation pickers: the sources library's own
editor (the full bibliographic record, creators with their roles), adding through the editor's
undoable command."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal

from db import SourceInput, SourceRecord
from desktop.sources.editor import SourceDialog

if TYPE_CHECKING:
    from db import Store


class NewSourceDialog(SourceDialog):
    """The library's source editor, adding through `add(draft)` (the editor's undoable
    AddSourceCommand) on Save and emitting `source_added(SourceRecord)`. Creators typed in the
    table replace the author line. A refused source keeps the dialog open with the store's message.
    Open with `open()`."""

    source_added = Signal(object)

    def __init__(self, store: Store, add: Callable[[SourceInput], SourceRecord], parent=None) -> None:
        self._add = add
        self._record: SourceRecord | None = None
        super().__init__(store, self._store_draft, parent)
        self.setObjectName("newSourceDialog")
        self.setWindowTitle("New source")
        self.save_button.setText("Add source")

    def _store_draft(self, draft: SourceInput, _expected_revision: int | None) -> None:
        self._record = self._add(draft)

    def accept(self) -> None:
        if self._record is not None:
            self.source_added.emit(self._record)
        super().accept()
