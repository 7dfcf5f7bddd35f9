"""SourceTableModel: one row per source of the library (thousands at most, so held whole)."""

from __future__ import annotations

from enum import IntEnum

from db import SourceRecord
from desktop.records.table_model import RECORD_ID_ROLE, RECORD_ROLE, SORT_ROLE, LibraryTableModel

SOURCE_ID_ROLE = RECORD_ID_ROLE
SOURCE_ROLE = RECORD_ROLE
__all__ = ["SOURCE_ID_ROLE", "SOURCE_ROLE", "SORT_ROLE", "Column", "SourceTableModel"]


class Column(IntEnum):
    AUTHORS = 0
    YEAR = 1
    TITLE = 2
    CONTAINER = 3
    PUBLISHER = 4
    PLACE = 5
    CITED = 6
    KEY = 7


HEADERS = {
    Column.AUTHORS: "Author(s)",
    Column.YEAR: "Year",
    Column.TITLE: "Title",
    Column.CONTAINER: "Journal / in",
    Column.PUBLISHER: "Publisher",
    Column.PLACE: "Place",
    Column.CITED: "Cited",
    Column.KEY: "Key",
}


class SourceTableModel(LibraryTableModel):
    """Sources with the number of citations of each."""

    headers = tuple(HEADERS[column] for column in Column)
    count_column = Column.CITED

    def _text(self, record: SourceRecord, column: int) -> str:
        return {
            Column.AUTHORS: record.authors,
            Column.YEAR: record.year,
            Column.TITLE: record.title,
            Column.CONTAINER: record.container,
            Column.PUBLISHER: record.publisher,
            Column.PLACE: record.place,
            Column.KEY: record.key,
        }[Column(column)]
