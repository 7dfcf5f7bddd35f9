"""The assessments service: append-only versions of each relationship's assessment and their rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select

from db import models
from db.convert import assessment_phases, assessment_records
from db.database import Service
from db.errors import NotFoundError, ValidationError
from db.events import EventKind
from db.records import AssessmentInput, AssessmentRecord
from db.services.audit import with_changes
from db.services.shared import relationship_label, version_in_force
from db.types import utc_now
from db.validation import assessment_problems, validate_assessment
from db.vocabulary import MOTIVE_ORDER, Phase


def phase_rank(phases: tuple[Phase, ...]) -> tuple[int, int]:
    return (max(p.order for p in phases), min(p.order for p in phases))


def is_reversal(previous: tuple[Phase, ...] | None, new: tuple[Phase, ...]) -> bool:
    """A move back to an earlier phase, or into "ending"."""
    if Phase.ENDING in new and (previous is None or Phase.ENDING not in previous):
        return True
    return previous is not None and phase_rank(new) < phase_rank(previous)


def version_fields(
    previous: models.AssessmentVersion | None, row: models.AssessmentVersion
) -> list[tuple[str, object, object]]:
    """The (label, before, after) of what a new version changes against the version in force on its
    date (`previous`, None for the first), for the audit log."""

    def phase(version: models.AssessmentVersion | None) -> str:
        return "" if version is None else version.phase + (f"/{version.phase_to}" if version.phase_to else "")

    def weights(version: models.AssessmentVersion | None) -> str:
        if version is None:
            return ""
        return ", ".join(
            f"{m.motive} {m.weight}" for m in sorted(version.motives, key=lambda m: m.position) if m.weight
        )

    return [
        ("phase", phase(previous), phase(row)),
        ("confidence", previous.confidence if previous else "", row.confidence),
        ("summary", previous.summary if previous else "", row.summary),
        ("motives", weights(previous), weights(row)),
        ("marking", previous.marking if previous else "", row.marking),
    ]


# A history's order: by the date described, then when recorded (the id settles a tie, so that
# `history` and `histories` agree whatever the database returns first).
_HISTORY_ORDER = (models.AssessmentVersion.as_of, models.AssessmentVersion.recorded_at, models.AssessmentVersion.id)
# Version ids bound per read of `histories`: well under any database's limit on bound parameters.
_VERSIONS_PER_READ = 2_000


class AssessmentService(Service):
    """Append-only assessment versions: saving adds a version, nothing is overwritten."""

    def history(self, relationship_id: str) -> list[AssessmentRecord]:
        """Every version of a relationship's assessment, oldest first (by date described, then recorded)."""
        with self._read() as s:
            ids = s.scalars(
                select(models.AssessmentVersion.id)
                .where(models.AssessmentVersion.relationship_id == relationship_id)
                .order_by(*_HISTORY_ORDER)
            ).all()
            return assessment_records(s, list(ids))

    def histories(self, relationship_ids: Iterable[str] | None = None) -> dict[str, list[AssessmentRecord]]:
        """`history` of every relationship (or of those given) in one read: each relationship
        that has versions maps to them, oldest first. Exports of the whole quadrangle read it
        once, where a `history` call per relationship costs a transaction and three selects each
        (435 of them for the large benchmark database)."""
        version = models.AssessmentVersion
        query = select(version.id, version.relationship_id).order_by(*_HISTORY_ORDER)
        wanted = None if relationship_ids is None else set(relationship_ids)
        found: dict[str, list[AssessmentRecord]] = {}
        with self._read() as s:
            rows = [row for row in s.execute(query).all() if wanted is None or row[1] in wanted]
            ids = [row[0] for row in rows]
            for start in range(0, len(ids), _VERSIONS_PER_READ):
                for record in assessment_records(s, ids[start : start + _VERSIONS_PER_READ]):
                    found.setdefault(record.relationship_id, []).append(record)
        return found

    def previous_versions(
        self, current: dict[str, AssessmentRecord], allowed: Callable[[str], bool] | None = None
    ) -> dict[str, AssessmentRecord]:
        """For each relationship's version in `current`, the version before it: the latest (by date
        described, then recorded) of the others described earlier, among those whose marking
        `allowed` accepts (None: any). A relationship with no such version is left out. One read of every
        version's dates and marking, then full records of the few chosen, where a briefing of the
        large benchmark database read all 20,000 versions in full for 435 of them."""
        version = models.AssessmentVersion
        query = select(version.id, version.relationship_id, version.as_of, version.marking).order_by(*_HISTORY_ORDER)
        chosen: dict[str, str] = {}
        with self._read() as s:
            for version_id, relationship_id, as_of, marking in s.execute(query).all():
                now = current.get(relationship_id)
                if now is None or version_id == now.id or as_of >= now.as_of:
                    continue
                if allowed is None or allowed(marking):
                    chosen[relationship_id] = version_id  # the order makes the last one seen the latest
            records = assessment_records(s, list(chosen.values()))
        return {record.relationship_id: record for record in records}

    def get(self, version_id: str) -> AssessmentRecord:
        """One version; NotFoundError when there is none with that id."""
        with self._read() as s:
            records = assessment_records(s, [version_id])
            if not records:
                raise NotFoundError(f"No assessment version with id {version_id}.")
            return records[0]

    def problems(self, draft: AssessmentInput, today: date | None = None) -> list[tuple[str, str]]:
        """Every broken rule of `draft` as (field, message), for editors to show beside each field.
        No transaction (the rules need no data); the reversal rule is `would_reverse`."""
        return assessment_problems(draft, today)

    def would_reverse(self, draft: AssessmentInput) -> bool:
        """True when saving `draft` moves the relationship back a phase or into "ending" (it then
        needs a reversal rationale)."""
        with self._read() as s:
            previous = version_in_force(s, draft.relationship_id, draft.as_of)
            return is_reversal(assessment_phases(previous) if previous else None, draft.phases)

    def save(self, draft: AssessmentInput, *, restored_from_id: str | None = None) -> AssessmentRecord:
        """Record a new version of a relationship's assessment; earlier versions stay as they are.

        One write transaction; the version is attributed to this store's analyst and logged in the
        audit log. A move back a phase or into "ending" is flagged as a reversal and needs
        `draft.reversal_rationale`. `draft.citations` holds the whole assessment's citations and each
        motive's (a CitationInput with `motive` set), stored in that order. Returns the new record (its
        id undoes it through `retract`). Emits ASSESSMENTS. Raises ValidationError, NotFoundError.
        """
        validate_assessment(draft)
        with self._write() as s:
            relationship = s.get(models.Relationship, draft.relationship_id)
            if relationship is None:
                raise NotFoundError("That relationship no longer exists.")
            if s.get(models.Marking, draft.marking) is None:
                raise ValidationError(f"Unknown marking '{draft.marking}': choose one from the list.")
            previous = version_in_force(s, draft.relationship_id, draft.as_of)
            reversal = is_reversal(assessment_phases(previous) if previous else None, draft.phases)
            if reversal and not draft.reversal_rationale.strip():
                raise ValidationError(
                    "This moves the relationship back a phase (or into ending): give a rationale for the reversal."
                )
            weights = {m.motive: m for m in draft.motives}
            row = models.AssessmentVersion(
                relationship_id=draft.relationship_id,
                as_of=draft.as_of,
                recorded_at=utc_now(),
                recorded_by=self.actor,
                phase=draft.phases[0].value,
                phase_to=draft.phases[1].value if len(draft.phases) == 2 else None,
                confidence=draft.confidence.value,
                summary=draft.summary,
                marking=draft.marking,
                is_reversal=reversal,
                reversal_rationale=draft.reversal_rationale.strip() if reversal else "",
                restored_from_id=restored_from_id,
                motives=[
                    models.AssessmentMotive(
                        motive=motive.value,
                        position=position,
                        weight=weights[motive].weight if motive in weights else 0,
                        rationale=weights[motive].rationale if motive in weights else "",
                    )
                    for position, motive in enumerate(MOTIVE_ORDER)
                ],
            )
            s.add(row)
            s.flush()
            for position, citation in enumerate(draft.citations):
                if s.get(models.Source, citation.source_id) is None:
                    raise ValidationError("A cited source no longer exists: pick it again.")
                s.add(
                    models.Citation(
                        source_id=citation.source_id,
                        locator=citation.locator.strip(),
                        quote=citation.quote,
                        position=position,
                        assessment_version_id=row.id,
                        motive=citation.motive.value if citation.motive is not None else None,
                    )
                )
            s.flush()
            label = relationship_label(s, relationship)
            self._audit(
                s,
                "restore" if restored_from_id else "save",
                "assessment",
                row.id,
                with_changes(
                    f"{'Restored' if restored_from_id else 'Saved'} {label} assessment as of {draft.as_of.isoformat()}"
                    + (" (reversal)" if reversal else ""),
                    version_fields(previous, row),
                ),
            )
            record = assessment_records(s, [row.id])[0]
        self._emit(EventKind.ASSESSMENTS, record.relationship_id, record.id)
        return record

    def retract(self, version_id: str) -> None:
        """Undo the save of a version (the Edit > Undo of a save): removes it, and is refused for a
        version that another version restored. Logged in the audit log. Emits ASSESSMENTS."""
        with self._write() as s:
            row = s.get(models.AssessmentVersion, version_id)
            if row is None:
                raise NotFoundError("That assessment version no longer exists.")
            if s.scalar(
                select(models.AssessmentVersion.id).where(models.AssessmentVersion.restored_from_id == version_id)
            ):
                raise ValidationError("A later version restores this one: it cannot be retracted.")
            relationship_id = row.relationship_id
            label = relationship_label(s, s.get(models.Relationship, relationship_id))
            s.delete(row)
            verb = "Undid restoring" if row.restored_from_id else "Undid saving"  # a restore is not a save
            self._audit(
                s, "retract", "assessment", version_id, f"{verb} {label} assessment as of {row.as_of.isoformat()}"
            )
        self._emit(EventKind.ASSESSMENTS, relationship_id, version_id)
