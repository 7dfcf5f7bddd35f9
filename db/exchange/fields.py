"""The field types of exchange-file entries: bounded, valid-Unicode text, UUIDs, UTC moments, partial
dates, positions and years, checked by pydantic as a file is read (db/exchange/format.py's models)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, StringConstraints

from db.errors import QuadrangleError
from db.partial_dates import parse_partial_date

MAX_TEXT = 100_000


def _valid_unicode(value: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text holds invalid Unicode (a lone surrogate)") from None
    return value


# Every text field is a str with length bounds and a valid-Unicode check. The aliases are spelled out
# (not built by a helper function) because a type checker only accepts literal Annotated[...] aliases.
_UNICODE = AfterValidator(_valid_unicode)


def _utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):  # 9999-12-31T23:59:59-12:00 is past the last moment Python has
        raise ValueError(f"{value.isoformat()} is not a moment that can be given in UTC") from None


def _partial(value: str) -> str:
    try:
        return parse_partial_date(value)
    except QuadrangleError as exc:
        raise ValueError(str(exc)) from None


Uuid = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
Stamp = Annotated[AwareDatetime, AfterValidator(_utc)]
Name = Annotated[str, StringConstraints(max_length=200, min_length=0), _UNICODE]
ShortText = Annotated[str, StringConstraints(max_length=300, min_length=0), _UNICODE]
LongText = Annotated[str, StringConstraints(max_length=MAX_TEXT, min_length=0), _UNICODE]
# Keys and codes are checked as text only: the rules for new ones belong to the editing features, and a
# record this database accepted must be able to travel.
Key = Annotated[str, StringConstraints(max_length=120, min_length=1), _UNICODE]
Code = Annotated[str, StringConstraints(max_length=16, min_length=1), _UNICODE]
MarkingName = Annotated[str, StringConstraints(max_length=60, min_length=1), _UNICODE]
YearText = Annotated[str, StringConstraints(max_length=16, min_length=0), _UNICODE]
Acronym = Annotated[str, StringConstraints(max_length=60, min_length=1), _UNICODE]
Locator = Annotated[str, StringConstraints(max_length=100, min_length=0), _UNICODE]
RelationshipKey = Annotated[str, StringConstraints(max_length=40, min_length=0), _UNICODE]
OperationKey = Annotated[str, StringConstraints(max_length=60, min_length=0), _UNICODE]
AppVersion = Annotated[str, StringConstraints(max_length=40, min_length=0), _UNICODE]
PartialDate = Annotated[str, StringConstraints(max_length=10), AfterValidator(_partial)]
Position = Annotated[int, Field(ge=-1_000_000, le=1_000_000)]
Year = Annotated[int, Field(ge=1000, le=3000)]
