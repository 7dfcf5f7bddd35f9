"""LessonTableModel: the lessons browser's rows, loaded a page at a time from `Store.search_lessons`
(never every lesson at once), with the searched words of each row for highlighting."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from db import DASH, LessonFilters, LessonHit
from desktop.literal import isolate, literal_tooltip

if TYPE_CHECKING:
    from db import MarkingFilter, Store

PAGE_SIZE = 100  # a screenful is ~30 rows; each further page is fetched as the view scrolls

LESSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1
LESSON_ROLE = Qt.ItemDataRole.UserRole + 2
MATCHED_TERMS_ROLE = Qt.ItemDataRole.UserRole + 3
SCORE_ROLE = Qt.ItemDataRole.UserRole + 4


class Column(IntEnum):
    FINDING = 0
    RELATIONSHIPS = 1
    OPERATION = 2
    THEMES = 3
    KIND = 4
    DATE = 5
    SOURCE = 6


HEADERS = {
    Column.FINDING: "Finding",
    Column.RELATIONSHIPS: "Relationship",
    Column.OPERATION: "Operation",
    Column.THEMES: "Themes",
    Column.KIND: "Kind",
    Column.DATE: "Recorded",
    Column.SOURCE: "Source",
}


class LessonTableModel(QAbstractTableModel):
    """Rows of LessonHit for the current search text and filters; `set_query` starts over, and the
    view pulls further pages through canFetchMore/fetchMore as it scrolls. With a `reader` (the view
    ceiling's MarkingFilter) only lessons at or below its limit are fetched, and their citations of
    withheld sources are dropped before any cell shows them."""

    def __init__(self, store: Store, parent=None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._store = store
        self._page_size = page_size
        self._hits: list[LessonHit] = []
        self._has_more = False
        self._text = ""
        self._filters = LessonFilters()
        self.terms: tuple[str, ...] = ()
        self._resetting = False
        self.reader: MarkingFilter | None = None
        self.reload_labels()

    # -- queries -----------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self._text

    @property
    def filters(self) -> LessonFilters:
        return self._filters

    def reload_labels(self) -> None:
        """Re-read the small look-ups (relationship, operation and theme names) the cells show."""
        self._relationships = {r.id: r.label for r in self._store.quadrangle.relationships()}
        self._operations = {o.id: o.acronym for o in self._store.operations.all()}
        self._operations.update({o.id: o.acronym for o in self._store.operations.all(in_trash=True)})
        self._themes = {t.key: t.name for t in self._store.catalog.themes()}

    def set_query(
        self, text: str = "", filters: LessonFilters | None = None, reader: MarkingFilter | None = None
    ) -> None:
        """Show the first page of lessons matching `text` and `filters`, as `reader` lets them be seen."""
        self._text = text
        self._filters = filters or LessonFilters()
        self.reader = reader
        self.refresh()

    def limited_filters(self) -> LessonFilters:
        """The filters with the reader's limit: what the store is asked for (the count too)."""
        limit = self.reader.limit if self.reader is not None else None
        return dataclasses.replace(self._filters, max_marking=limit)

    def _seen(self, hits) -> list[LessonHit]:
        if self.reader is None or self.reader.unlimited:
            return list(hits)
        return [dataclasses.replace(h, lesson=self.reader.cleaned(h.lesson)) for h in hits]

    def shown_markings(self, source_markings: Mapping[str, str]) -> Iterator[str]:
        """The markings of the loaded lessons and of the sources their shown citations name."""
        for hit in self._hits:
            yield hit.lesson.marking
            yield from (source_markings[c.source_id] for c in hit.lesson.citations if c.source_id in source_markings)

    def refresh(self) -> None:
        """Reload from the first page (after a change in the store)."""
        page = self._store.lessons.search(self._text, self.limited_filters(), self._page_size, 0)
        self._resetting = True
        self.beginResetModel()
        self._hits = self._seen(page.hits)
        self._has_more = page.has_more
        self.terms = page.terms
        self.endResetModel()
        self._resetting = False

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._has_more and not self._resetting

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        if parent.isValid() or not self._has_more or self._resetting:
            return
        page = self._store.lessons.search(self._text, self.limited_filters(), self._page_size, len(self._hits))
        self._has_more = page.has_more
        known = {h.lesson.id for h in self._hits}
        fresh = [h for h in self._seen(page.hits) if h.lesson.id not in known]
        if fresh:
            self.beginInsertRows(QModelIndex(), len(self._hits), len(self._hits) + len(fresh) - 1)
            self._hits.extend(fresh)
            self.endInsertRows()

    def hit(self, row: int) -> LessonHit:
        return self._hits[row]

    def row_of(self, lesson_id: str) -> int:
        return next((i for i, h in enumerate(self._hits) if h.lesson.id == lesson_id), -1)

    # -- Qt model ------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(Column)
        ):
            return HEADERS[Column(section)]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return isolate(self._text_of(hit, column))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.FINDING:
                lesson = hit.lesson
                return literal_tooltip(
                    lesson.finding + (f"\n\nRecommendation: {lesson.recommendation}" if lesson.recommendation else "")
                )
            return literal_tooltip(self._text_of(hit, column))
        if role == LESSON_ID_ROLE:
            return hit.lesson.id
        if role == LESSON_ROLE:
            return hit.lesson
        if role == MATCHED_TERMS_ROLE:
            return list(hit.matched_terms)
        if role == SCORE_ROLE:
            return hit.score
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.DATE:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text_of(self, hit: LessonHit, column: Column) -> str:
        lesson = hit.lesson
        if column == Column.FINDING:
            return " ".join(lesson.finding.split())
        if column == Column.RELATIONSHIPS:
            return ", ".join(self._relationships.get(r, "?") for r in lesson.relationship_ids)
        if column == Column.OPERATION:
            return self._operations.get(lesson.operation_id, DASH) if lesson.operation_id else DASH
        if column == Column.THEMES:
            return ", ".join(self._themes.get(k, k) for k in lesson.theme_keys)
        if column == Column.KIND:
            return lesson.kind.label
        if column == Column.DATE:
            return lesson.recorded_on.isoformat()
        return "; ".join(c.text for c in lesson.citations) or DASH
