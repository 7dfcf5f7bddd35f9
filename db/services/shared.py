"""Plain functions several store services share: labels, the version in force, optimistic locking
(compare-and-set on a row's revision) and moving a record to or from the trash."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session

from db import models
from db.errors import ConflictError, NotFoundError, ValidationError
from db.types import utc_now

R = TypeVar("R")


def excerpt(text: str, length: int = 60) -> str:
    """`text` on one line, cut to `length` characters with an ellipsis, for audit-log summaries."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def relationship_label(s: Session, relationship: models.Relationship) -> str:
    """ "UN–EU": the codes of a relationship's two organizations, in display order."""
    first = s.get_one(models.Organization, relationship.org_a_id)
    second = s.get_one(models.Organization, relationship.org_b_id)
    a, b = sorted((first, second), key=lambda o: (o.position, o.code))
    return f"{a.code}–{b.code}"


def version_in_force(
    s: Session, relationship_id: str, as_of: date, *, allowed: frozenset[str] | None = None
) -> models.AssessmentVersion | None:
    """The assessment version describing `as_of`: latest date not after it, latest recorded among equals;
    with `allowed` (marking names), the latest of those marked with one of them."""
    query = select(models.AssessmentVersion).where(
        models.AssessmentVersion.relationship_id == relationship_id,
        models.AssessmentVersion.as_of <= as_of,
    )
    if allowed is not None:
        query = query.where(models.AssessmentVersion.marking.in_(allowed))
    order = (models.AssessmentVersion.as_of.desc(), models.AssessmentVersion.recorded_at.desc())
    return s.scalars(query.order_by(*order).limit(1)).first()


def bump_revision(
    s: Session,
    model: Any,
    row: Any,
    expected_revision: int,
    *,
    actor: str,
    record_of: Callable[[Session, Any], Any],
    **values: Any,
) -> None:
    """Compare-and-set on the revision: update `values` only if the row is still at `expected_revision`
    (true on every database, not just under SQLite's write lock). Raises ConflictError carrying the
    record as now saved (built by `record_of`), or NotFoundError when the row was removed meanwhile."""
    # Session.execute is typed as returning Result, but an UPDATE gives a CursorResult (with rowcount).
    result = cast(
        "CursorResult[Any]",
        s.execute(
            update(model)
            .where(model.id == row.id, model.revision == expected_revision)
            .values(revision=expected_revision + 1, updated_at=utc_now(), updated_by=actor, **values)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        # On a server the other save may have committed after this transaction read the row: read it
        # again so the message names the right analyst and the conflict carries what is saved now.
        try:
            s.refresh(row)
        except InvalidRequestError:
            raise NotFoundError("Someone else removed this record since you opened it.") from None
        who = row.updated_by or "another analyst"
        raise ConflictError(
            f"{who} saved this record since you opened it (revision {row.revision}, you had {expected_revision}): "
            "reload it and apply your change again.",
            current=record_of(s, row),
        )


def set_trashed(
    s: Session,
    model: Any,
    record_id: str,
    trashed: bool,
    expected_revision: int | None,
    *,
    actor: str,
    noun: str,
    record_of: Callable[[Session, Any], R],
    missing: str | None = None,
) -> tuple[Any, R]:
    """Move the `model` row `record_id` to the trash (or back), with optimistic locking, inside the
    caller's write transaction; the caller writes the audit row and emits the event. Returns the row
    and its record as now saved. Raises NotFoundError, ValidationError (already there), ConflictError."""
    row = s.get(model, record_id)
    if row is None:
        raise NotFoundError(missing or f"That {noun} no longer exists.")
    if (row.deleted_at is not None) == trashed:
        raise ValidationError(
            f"That {noun} is already in the trash." if trashed else f"That {noun} is not in the trash."
        )
    expected = row.revision if expected_revision is None else expected_revision
    bump_revision(s, model, row, expected, actor=actor, record_of=record_of, deleted_at=utc_now() if trashed else None)
    s.flush()
    s.refresh(row)
    return row, record_of(s, row)
