"""Partial ISO dates ("2003", "2003-06", "2003-06-12") as the sources give them, with validation
and the earliest day each one can mean, so they compare with full dates."""

from __future__ import annotations

import re
from datetime import date

from db.errors import ValidationError

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> str:
    """Return `text` normalised, or raise ValidationError if it is not YYYY, YYYY-MM or YYYY-MM-DD."""
    value = text.strip()
    match = _PARTIAL.match(value)
    if not match:
        raise ValidationError(f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD.")
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValidationError(f"'{text}' is not a real calendar date.") from None
    return value


def earliest_day(partial: str) -> date:
    """The first day a partial date can mean: "2003" -> 2003-01-01."""
    match = _PARTIAL.match(partial)
    if not match:
        raise ValidationError(f"'{partial}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD.")
    year, month, day = match.groups()
    return date(int(year), int(month or 1), int(day or 1))


def latest_day(partial: str) -> date:
    """The last day a partial date can mean: "2003" -> 2003-12-31."""
    start = earliest_day(partial)
    parts = partial.count("-")
    if parts == 2:
        return start
    if parts == 1:
        next_month = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return date.fromordinal(next_month.toordinal() - 1)
    return date(start.year, 12, 31)
