"""The searchable source picker: any source combo box becomes a field where typing an author, a year
or title words (in any order, accents ignored) filters the list as you type, with keyboard
completion; the combo keeps its items and `currentData()`, so the editor using it is unchanged."""

from __future__ import annotations

import html
import unicodedata

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit


def plain_tooltip(text: str) -> str:
    """Tooltip markup that shows `text` literally (Qt guesses rich text in tooltips)."""
    return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class SourceFilterModel(QSortFilterProxyModel):
    """Rows whose label (and tooltip: the full title) hold every typed word."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_query(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 deprecates invalidateFilter for this pair
            self.beginFilterChange()
            self._words = _folded(text).split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = _folded(text).split()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._words:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        label = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        extra = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
        haystack = _folded(label + " " + html.unescape(extra))
        return all(word in haystack for word in self._words)


class SourcePicker:
    """Makes `combo` searchable (see the module docstring). Kept alive by the combo (its parent)."""

    def __init__(self, combo: QComboBox) -> None:
        self.combo = combo
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = combo.lineEdit()
        assert line is not None  # an editable combo always has its line edit
        self.line: QLineEdit = line
        line.setPlaceholderText("Type an author, a year or words of the title…")
        self.filter = SourceFilterModel(combo)
        self.filter.setSourceModel(combo.model())
        self.completer = QCompleter(self.filter, combo)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        combo.setCompleter(self.completer)
        line.textEdited.connect(self._typed)
        # The index overload of activated (the text one would lose the row); the stub does not model overloads.
        self.completer.activated[QModelIndex].connect(self._chosen)  # type: ignore[index]
        line.editingFinished.connect(self._settle)

    def _typed(self, text: str) -> None:
        self.filter.set_query(text)
        if self.filter.rowCount():
            self.completer.complete()

    def _chosen(self, index: QModelIndex) -> None:
        row = self.filter.mapToSource(index).row()
        if row >= 0:
            self.combo.setCurrentIndex(row)
            self.line.setText(self.combo.itemText(row))

    def _settle(self) -> None:
        """Leaving the field shows the chosen source again (typed words that chose nothing are dropped)
        or, when the words match exactly one source, chooses it."""
        if self.filter._words and self.filter.rowCount() == 1:
            self._chosen(self.filter.index(0, 0))
        elif self.combo.currentIndex() >= 0:
            self.line.setText(self.combo.itemText(self.combo.currentIndex()))
        self.filter.set_query("")

    def search(self, text: str) -> list[str]:
        """The labels the typed `text` leaves in the list (what the popup shows), for tests and scripts."""
        self.line.setText(text)
        self._typed(text)
        return [self.filter.index(r, 0).data() for r in range(self.filter.rowCount())]


def make_searchable(combo: QComboBox) -> SourcePicker:
    """Make `combo` filter its sources as the analyst types; returns its picker."""
    picker = SourcePicker(combo)
    combo.setProperty("sourcePicker", True)
    setattr(combo, "_source_picker", picker)  # noqa: B010 - the picker lives as long as its combo's wrapper
    return picker
