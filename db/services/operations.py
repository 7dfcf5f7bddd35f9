"""The operations service: create and edit (optimistic locking), trash and restore, the lessons and
relationships of an operation, and linking it to a relationship's field cooperation."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import delete, func, select

from db import models
from db.convert import organization_record, relationship_record
from db.database import Service
from db.errors import NotFoundError, ValidationError
from db.events import EventKind
from db.lesson_records import OperationChange, OperationInput, OperationRecord
from db.records import CooperationRecord, RelationshipRecord
from db.services.audit import with_changes
from db.services.catalog import markings_at_or_below
from db.services.mandate_history import (
    check_effective_day,
    mandate_histories,
    record_mandate_change,
    withdraw_mandate_change,
)
from db.services.shared import bump_revision, set_trashed
from db.state import cooperation_record
from db.types import new_id, utc_now
from db.validation import validate_operation
from db.vocabulary import OperationStatus


def operation_fields(before: OperationRecord, after: OperationRecord) -> list[tuple[str, object, object]]:
    """The (label, before, after) of each field of an operation an edit can change, for the audit log."""
    return [
        ("acronym", before.acronym, after.acronym),
        ("name", before.name, after.name),
        ("location", before.location, after.location),
        ("lead", before.lead_code or "", after.lead_code or ""),
        ("organizations", ", ".join(before.organization_codes), ", ".join(after.organization_codes)),
        ("start", before.start or "", after.start or ""),
        ("end", before.end or "", after.end or ""),
        ("status", before.status.value, after.status.value),
        ("mandate", before.mandate, after.mandate),
        ("notes", before.notes, after.notes),
    ]


class OperationService(Service):
    """Operations (missions) and their links to lessons and field cooperation."""

    def all(self, *, in_trash: bool = False) -> list[OperationRecord]:
        """Every operation not in the trash (or, with `in_trash`, those in it), by start date."""
        with self._read() as s:
            query = select(models.Operation).where(
                models.Operation.deleted_at.is_not(None) if in_trash else models.Operation.deleted_at.is_(None)
            )
            rows = list(
                s.scalars(query.order_by(models.Operation.start.asc().nulls_first(), models.Operation.acronym))
            )  # NULLs first on every engine
            return self._operation_records(s, rows)

    def get(self, operation_id: str) -> OperationRecord:
        """One operation, in the trash or not. Raises NotFoundError."""
        with self._read() as s:
            row = s.get(models.Operation, operation_id)
            if row is None:
                raise NotFoundError("That operation no longer exists.")
            return self._operation_records(s, [row])[0]

    def _operation_records(self, s, rows: list[models.Operation]) -> list[OperationRecord]:
        codes = {o.id: o.code for o in s.scalars(select(models.Organization))}
        members: dict[str, list[str]] = defaultdict(list)
        ids = [r.id for r in rows]
        for op_id, org_id in s.execute(
            select(models.OperationOrganization.operation_id, models.OperationOrganization.organization_id).where(
                models.OperationOrganization.operation_id.in_(ids)
            )
        ):
            members[op_id].append(codes[org_id])
        histories = mandate_histories(s, ids)
        return [
            OperationRecord(
                id=r.id,
                acronym=r.acronym,
                name=r.name,
                location=r.location,
                lead_code=codes.get(r.lead_org_id) if r.lead_org_id else None,
                organization_codes=tuple(sorted(members.get(r.id, ()))),
                start=r.start,
                end=r.end,
                status=OperationStatus(r.status),
                mandate=r.mandate,
                notes=r.notes,
                revision=r.revision,
                mandate_history=histories.get(r.id, ()),
            )
            for r in rows
        ]

    @staticmethod
    def _lesson_conditions(max_marking: str | None) -> list:
        conditions = [models.Lesson.deleted_at.is_(None), models.Lesson.operation_id.is_not(None)]
        if max_marking is not None:  # the view ceiling: only lessons at or below this exact level
            conditions.append(models.Lesson.marking.in_(markings_at_or_below(max_marking)))
        return conditions

    def lesson_counts(self, *, max_marking: str | None = None) -> dict[str, int]:
        """Number of lessons (not in the trash; at or below `max_marking` when given) per operation id."""
        with self._read() as s:
            return dict(
                s.execute(
                    select(models.Lesson.operation_id, func.count())
                    .where(*self._lesson_conditions(max_marking))
                    .group_by(models.Lesson.operation_id)
                ).all()
            )

    def latest_lesson_days(self, *, max_marking: str | None = None) -> dict[str, date]:
        """The date of the newest lesson (not in the trash; at or below `max_marking` when given) drawn
        from each operation, by operation id: the last time anyone confirmed the operation was still
        running. One read transaction."""
        # One seek per operation in ix_lessons_operation_newest (a grouped scan read every lesson).
        newest = (
            select(func.max(models.Lesson.recorded_on))
            .where(models.Lesson.operation_id == models.Operation.id, *self._lesson_conditions(max_marking))
            .scalar_subquery()
        )
        with self._read() as s:
            rows = s.execute(select(models.Operation.id, newest)).all()
        result: dict[str, date] = {}
        for operation_id, newest in rows:
            if newest is not None:
                result[operation_id] = newest if isinstance(newest, date) else date.fromisoformat(str(newest)[:10])
        return result

    def relationships(self, operation_id: str) -> list[RelationshipRecord]:
        """The relationships an operation touches: through its lessons and its field cooperation."""
        with self._read() as s:
            from_lessons = (
                select(models.LessonRelationship.relationship_id)
                .join(models.Lesson, models.Lesson.id == models.LessonRelationship.lesson_id)
                .where(models.Lesson.operation_id == operation_id, models.Lesson.deleted_at.is_(None))
            )
            from_cooperation = (
                select(models.FieldCooperation.relationship_id)
                .join(
                    models.FieldCooperationOperation,
                    models.FieldCooperationOperation.field_cooperation_id == models.FieldCooperation.id,
                )
                .where(models.FieldCooperationOperation.operation_id == operation_id)
            )
            ids = set(s.scalars(from_lessons)) | set(s.scalars(from_cooperation))
            organizations = {o.id: organization_record(o) for o in s.scalars(select(models.Organization))}
            rows = s.scalars(
                select(models.Relationship)
                .where(models.Relationship.id.in_(ids))
                .order_by(models.Relationship.position)
            )
            return [relationship_record(r, organizations) for r in rows]

    def add(self, draft: OperationInput, *, operation_id: str | None = None) -> OperationRecord:
        """Record a new operation. One write transaction, audited. Returns it (`retract`
        undoes it). Emits OPERATIONS. Raises ValidationError (bad field, acronym taken)."""
        validate_operation(draft)
        now = utc_now()
        with self._write() as s:
            lead_id, member_ids = self._check_operation(s, draft, None)
            row = models.Operation(
                id=operation_id or new_id(),
                **_operation_columns(draft, lead_id),
                created_at=now,
                updated_at=now,
                created_by=self.actor,
                updated_by=self.actor,
                revision=1,
            )
            s.add(row)
            s.flush()
            for org_id in member_ids:
                s.add(models.OperationOrganization(operation_id=row.id, organization_id=org_id))
            self._audit(s, "add", "operation", row.id, f"Added operation {row.acronym}")
            s.flush()
            record = self._operation_records(s, [row])[0]
        self._emit(EventKind.OPERATIONS, record.id)
        return record

    def update(
        self,
        operation_id: str,
        draft: OperationInput,
        expected_revision: int,
        *,
        withdraw_mandate_change_id: str | None = None,
        mandate_change_id: str | None = None,
    ) -> OperationChange:
        """Save an edited operation if nobody saved it since `expected_revision`. Audited; bumps the
        revision. Returns before/after. Emits OPERATIONS. Raises ConflictError, NotFoundError,
        ValidationError (a bad field; a changed mandate taking effect before the operation started).

        A changed mandate is kept in the operation's mandate history, in effect from
        `draft.mandate_effective` (today when not given; within the operation's dates), in the same
        transaction, unless `draft.mandate_correction` says only its text was corrected;
        `mandate_change_id` gives that entry its id (a redo). An undo passes
        `withdraw_mandate_change_id`, the entry the edit being undone added: it is removed instead of
        a reverse change being recorded."""
        validate_operation(draft)
        with self._write() as s:
            row = s.get(models.Operation, operation_id)
            if row is None:
                raise NotFoundError("That operation no longer exists.")
            before = self._operation_records(s, [row])[0]
            lead_id, member_ids = self._check_operation(s, draft, operation_id)
            columns = _operation_columns(draft, lead_id)
            mandate_changed = columns["mandate"] != before.mandate and not draft.mandate_correction
            effective_on = draft.mandate_effective or date.today()
            if mandate_changed and withdraw_mandate_change_id is None:
                check_effective_day(effective_on, columns["start"], columns["end"], columns["acronym"])
            bump_revision(
                s,
                models.Operation,
                row,
                expected_revision,
                actor=self.actor,
                record_of=self._record_of,
                **columns,
            )
            s.execute(
                delete(models.OperationOrganization).where(models.OperationOrganization.operation_id == operation_id)
            )
            for org_id in member_ids:
                s.add(models.OperationOrganization(operation_id=operation_id, organization_id=org_id))
            change = None
            history_note = ""
            if withdraw_mandate_change_id is not None:
                withdrawn = withdraw_mandate_change(s, operation_id, withdraw_mandate_change_id)
                if withdrawn is not None:
                    history_note = f"; mandate change of {withdrawn.effective_on.isoformat()} withdrawn"
            elif mandate_changed:
                change = record_mandate_change(
                    s, operation_id, before.mandate, columns["mandate"], effective_on, self.actor, mandate_change_id
                )
                history_note = f"; new mandate in effect from {effective_on.isoformat()}"
            elif columns["mandate"] != before.mandate:
                history_note = "; the mandate's text corrected (no change of mandate kept)"
            s.flush()
            s.refresh(row)
            after = self._operation_records(s, [row])[0]
            self._audit(
                s,
                "edit",
                "operation",
                operation_id,
                with_changes(f"Edited operation {draft.acronym.strip()}", operation_fields(before, after))
                + history_note,
            )
        self._emit(EventKind.OPERATIONS, operation_id)
        return OperationChange(before=before, after=after, mandate_change=change)

    def delete(self, operation_id: str, expected_revision: int | None = None) -> OperationRecord:
        """Move an operation to the trash; its lessons keep pointing at it. `restore` undoes it."""
        return self._set_trashed(operation_id, True, expected_revision)

    def restore(self, operation_id: str, expected_revision: int | None = None) -> OperationRecord:
        """Take an operation out of the trash (undo of `delete`)."""
        return self._set_trashed(operation_id, False, expected_revision)

    def _set_trashed(self, operation_id: str, trashed: bool, expected_revision: int | None) -> OperationRecord:
        with self._write() as s:
            row, record = set_trashed(
                s,
                models.Operation,
                operation_id,
                trashed,
                expected_revision,
                actor=self.actor,
                noun="operation",
                record_of=self._record_of,
            )
            self._audit(
                s,
                "delete" if trashed else "restore",
                "operation",
                operation_id,
                f"{'Moved operation to the trash' if trashed else 'Restored operation'} {row.acronym}",
            )
        self._emit(EventKind.OPERATIONS, operation_id)
        return record

    def _record_of(self, s, row: models.Operation) -> OperationRecord:
        return self._operation_records(s, [row])[0]

    def retract(self, operation_id: str) -> None:
        """Undo the creation of an operation; refused while lessons or field cooperation refer to it."""
        with self._write() as s:
            row = s.get(models.Operation, operation_id)
            if row is None:
                raise NotFoundError("That operation no longer exists.")
            if s.scalar(
                select(models.Lesson.id).where(models.Lesson.operation_id == operation_id).limit(1)
            ) or s.scalar(
                select(models.FieldCooperationOperation.operation_id)
                .where(models.FieldCooperationOperation.operation_id == operation_id)
                .limit(1)
            ):
                raise ValidationError(f"Lessons or field cooperation refer to {row.acronym}: it cannot be removed.")
            s.execute(
                delete(models.OperationOrganization).where(models.OperationOrganization.operation_id == operation_id)
            )
            s.execute(
                delete(models.OperationMandateChange).where(models.OperationMandateChange.operation_id == operation_id)
            )
            s.delete(row)
            self._audit(s, "retract", "operation", operation_id, f"Undid adding operation {row.acronym}")
        self._emit(EventKind.OPERATIONS, operation_id)

    def add_to_cooperation(self, operation_id: str, relationship_id: str) -> CooperationRecord:
        """Add the operation to a relationship's field cooperation (Figure 2's "cooperation on the
        ground"), with its location, years and status. Returns the new entry (`remove_cooperation`
        undoes it). Emits COOPERATION. Raises NotFoundError, ValidationError when already there."""
        with self._write() as s:
            operation = s.get(models.Operation, operation_id)
            relationship = s.get(models.Relationship, relationship_id)
            if operation is None or relationship is None:
                raise NotFoundError("The operation or the relationship no longer exists.")
            already = s.scalar(
                select(models.FieldCooperation.id)
                .join(
                    models.FieldCooperationOperation,
                    models.FieldCooperationOperation.field_cooperation_id == models.FieldCooperation.id,
                )
                .where(
                    models.FieldCooperation.relationship_id == relationship_id,
                    models.FieldCooperationOperation.operation_id == operation_id,
                )
            )
            if already:
                raise ValidationError(f"{operation.acronym} is already part of this relationship's field cooperation.")
            position = (
                s.scalar(
                    select(func.max(models.FieldCooperation.position)).where(
                        models.FieldCooperation.relationship_id == relationship_id
                    )
                )
                or 0
            ) + 1
            start_year = int(operation.start[:4]) if operation.start else None
            end_year = int(operation.end[:4]) if operation.end else None
            row = models.FieldCooperation(
                relationship_id=relationship_id,
                location=operation.location or operation.acronym,
                start_year=start_year,
                end_year=end_year,
                status=operation.status,
                planned_since=None if start_year else utc_now().year,
                position=position,
                created_at=utc_now(),
            )
            s.add(row)
            s.flush()
            s.add(models.FieldCooperationOperation(field_cooperation_id=row.id, operation_id=operation_id))
            self._audit(s, "add", "cooperation", row.id, f"Added {operation.acronym} to field cooperation")
            record = cooperation_record(row, (operation.acronym,))
        self._emit(EventKind.COOPERATION, relationship_id, record.id)
        return record

    def remove_cooperation(self, cooperation_id: str) -> None:
        """Remove a field-cooperation entry (undo of `add_to_cooperation`). Emits COOPERATION."""
        with self._write() as s:
            row = s.get(models.FieldCooperation, cooperation_id)
            if row is None:
                raise NotFoundError("That field cooperation entry no longer exists.")
            relationship_id = row.relationship_id
            s.execute(
                delete(models.FieldCooperationOperation).where(
                    models.FieldCooperationOperation.field_cooperation_id == cooperation_id
                )
            )
            s.delete(row)
            self._audit(s, "remove", "cooperation", cooperation_id, f"Removed field cooperation in {row.location}")
        self._emit(EventKind.COOPERATION, relationship_id, cooperation_id)

    def _check_operation(self, s, draft: OperationInput, operation_id: str | None) -> tuple[str | None, list[str]]:
        taken = s.scalar(
            select(models.Operation.id).where(func.lower(models.Operation.acronym) == draft.acronym.strip().lower())
        )
        if taken and taken != operation_id:
            raise ValidationError(f"An operation named {draft.acronym.strip()} already exists: choose another acronym.")
        ids = {o.code: o.id for o in s.scalars(select(models.Organization))}
        codes = list(dict.fromkeys([c for c in [draft.lead_code, *draft.organization_codes] if c]))
        unknown = [c for c in codes if c not in ids]
        if unknown:
            raise ValidationError(f"Unknown organization '{unknown[0]}'.")
        return (ids[draft.lead_code] if draft.lead_code else None), [ids[c] for c in codes]


def _operation_columns(draft: OperationInput, lead_id: str | None) -> dict:
    """The operation row's edited columns from a submitted draft (the same for a new row and an edit)."""
    return {
        "acronym": draft.acronym.strip(),
        "name": draft.name.strip(),
        "location": draft.location.strip(),
        "lead_org_id": lead_id,
        "start": draft.start or None,
        "end": draft.end or None,
        "status": draft.status.value,
        "mandate": draft.mandate.strip(),
        "notes": draft.notes.strip(),
    }
