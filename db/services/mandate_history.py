"""An operation's mandate history, inside the operations service's transactions: reading every
operation's changes at once, appending the change an edit makes, withdrawing it when the edit is undone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import models
from db.errors import ValidationError
from db.lesson_records import MandateChangeRecord
from db.partial_dates import earliest_day, latest_day
from db.types import new_id, utc_now


def mandate_change_record(row: models.OperationMandateChange) -> MandateChangeRecord:
    return MandateChangeRecord(
        id=row.id,
        operation_id=row.operation_id,
        effective_on=row.effective_on,
        old_mandate=row.old_mandate,
        new_mandate=row.new_mandate,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
    )


def mandate_histories(s: Session, operation_ids: Iterable[str]) -> dict[str, tuple[MandateChangeRecord, ...]]:
    """Each operation's mandate changes, oldest first by the day they took effect (then when recorded)."""
    change = models.OperationMandateChange
    found: dict[str, list[MandateChangeRecord]] = defaultdict(list)
    rows = s.scalars(
        select(change)
        .where(change.operation_id.in_(list(operation_ids)))
        .order_by(change.effective_on, change.recorded_at, change.id)
    )
    for row in rows:
        found[row.operation_id].append(mandate_change_record(row))
    return {operation_id: tuple(changes) for operation_id, changes in found.items()}


def check_effective_day(effective_on: date, start: str | None, end: str | None, acronym: str) -> None:
    """Refuse a mandate taking effect before the operation started or after it ended: the history
    would contradict the operation's own dates."""
    if start and effective_on < earliest_day(start):
        raise ValidationError(
            f"The new mandate of {acronym} cannot take effect on {effective_on.isoformat()}, before the "
            f"operation started ({start}): give a later date."
        )
    if end and effective_on > latest_day(end):
        raise ValidationError(
            f"The new mandate of {acronym} cannot take effect on {effective_on.isoformat()}, after the "
            f"operation ended ({end}): give an earlier date, or mark the edit as a correction of the text."
        )


def record_mandate_change(
    s: Session,
    operation_id: str,
    old_mandate: str,
    new_mandate: str,
    effective_on: date,
    actor: str,
    change_id: str | None = None,
) -> MandateChangeRecord:
    """Append one change (`change_id` lets a redo bring back the very same entry). Not flushed by the caller."""
    row = models.OperationMandateChange(
        id=change_id or new_id(),
        operation_id=operation_id,
        effective_on=effective_on,
        old_mandate=old_mandate,
        new_mandate=new_mandate,
        recorded_by=actor,
        recorded_at=utc_now(),
    )
    s.add(row)
    s.flush()
    return mandate_change_record(row)


def withdraw_mandate_change(s: Session, operation_id: str, change_id: str) -> MandateChangeRecord | None:
    """Remove the entry an edit added (its undo); None when it is no longer there."""
    row = s.get(models.OperationMandateChange, change_id)
    if row is None or row.operation_id != operation_id:
        return None
    record = mandate_change_record(row)
    s.delete(row)
    s.flush()
    return record
