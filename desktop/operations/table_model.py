"""OperationTableModel: one row per operation (a few hundred at most, so held whole)."""

from __future__ import annotations

from enum import IntEnum

from db import DASH, OperationRecord
from desktop.records.table_model import RECORD_ID_ROLE, RECORD_ROLE, SORT_ROLE, LibraryTableModel

OPERATION_ID_ROLE = RECORD_ID_ROLE
OPERATION_ROLE = RECORD_ROLE
__all__ = ["OPERATION_ID_ROLE", "OPERATION_ROLE", "SORT_ROLE", "Column", "OperationTableModel"]


class Column(IntEnum):
    ACRONYM = 0
    NAME = 1
    LOCATION = 2
    LEAD = 3
    ORGANIZATIONS = 4
    PERIOD = 5
    STATUS = 6
    LESSONS = 7


HEADERS = {
    Column.ACRONYM: "Acronym",
    Column.NAME: "Name",
    Column.LOCATION: "Location",
    Column.LEAD: "Lead",
    Column.ORGANIZATIONS: "Organizations",
    Column.PERIOD: "Period",
    Column.STATUS: "Status",
    Column.LESSONS: "Lessons",
}


class OperationTableModel(LibraryTableModel):
    """Operations with the number of lessons drawn from each."""

    headers = tuple(HEADERS[column] for column in Column)
    count_column = Column.LESSONS
    _confirmations: dict[str, str] = {}

    def set_confirmations(self, texts: dict[str, str]) -> None:
        """The Status column's words per operation id (db.operation_confirmation); call before set_rows."""
        self._confirmations = dict(texts)

    def _sort_key(self, record: OperationRecord, column: int):
        if column == Column.PERIOD:
            return record.start or "9999"
        return super()._sort_key(record, column)

    def _text(self, record: OperationRecord, column: int) -> str:
        if column == Column.ACRONYM:
            return record.acronym
        if column == Column.NAME:
            return record.name
        if column == Column.LOCATION:
            return record.location
        if column == Column.LEAD:
            return record.lead_code or DASH
        if column == Column.ORGANIZATIONS:
            return ", ".join(record.organization_codes)
        if column == Column.PERIOD:
            return record.period_label()
        return self._confirmations.get(record.id) or record.status.value.capitalize()
