"""The exchange import's bulk writer stores exactly what SQLAlchemy would: moments, dates and the rest."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import sqlite

from db import models
from db.exchange.bulk_insert import bind_processor, sqlite_utc_text

MOMENTS = [
    datetime(2024, 5, 1, 9, 30, tzinfo=UTC),
    datetime(2024, 5, 1, 9, 30, 0, 1, tzinfo=UTC),
    datetime(1, 1, 1, 12, 0, 0, 999999, tzinfo=timezone(timedelta(hours=-11))),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(2023, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=5, minutes=45))),
]


@pytest.mark.parametrize("moment", [*MOMENTS, None])
def test_a_utc_moment_is_stored_as_the_text_sqlalchemy_stores(moment):
    """The one-call conversion gives SQLite the same text as UTCDateTime then SQLite's DATETIME."""
    column_type = models.AuditEntry.__table__.c.at.type
    assert sqlite_utc_text(moment) == column_type._cached_bind_processor(sqlite.dialect())(moment)


def test_a_moment_without_offset_is_refused_as_sqlalchemy_refuses_it():
    """A naive datetime is an error on both ways of writing, never stored as if it were UTC."""
    with pytest.raises(ValueError, match="naive"):
        sqlite_utc_text(datetime(2024, 5, 1, 9, 30))


def test_other_columns_keep_sqlalchemys_own_conversion():
    """Dates, booleans and text go through the processors SQLAlchemy itself uses."""
    dialect = sqlite.dialect()
    lessons = models.Lesson.__table__
    assert bind_processor(lessons, "recorded_on", dialect)(date(2024, 5, 1)) == "2024-05-01"
    assert bind_processor(lessons, "finding", dialect) is None
    assert bind_processor(lessons, "created_at", dialect) is sqlite_utc_text
