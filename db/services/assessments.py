"""The assessments service: append-only versions of each relationship's assessment and their rules."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from db import models
from db.convert import assessment_phases, assessment_records
from db.database import Service
from db.errors import NotFoundError, ValidationError
from db.events import EventKind
from db.records import AssessmentInput, AssessmentRecord
from db.services.shared import relationship_label, version_in_force
from db.types import utc_now
from db.vocabulary import MAX_MOTIVE_WEIGHT, MOTIVE_ORDER, Phase, phases_are_adjacent

MAX_SUMMARY = 20_000
MAX_RATIONALE = 10_000
MAX_LOCATOR = 100


def assessment_problems(draft: AssessmentInput, today: date | None = None) -> list[tuple[str, str]]:
    """Every broken rule of a submitted assessment as (field, message), in form order; empty when valid.

    Fields: "as_of", "phases", a motive's value, "summary", "citations". Editors show each message
    beside its field; `validate_assessment` raises the first.
    """
    today = today or date.today()
    problems: list[tuple[str, str]] = []
    if draft.as_of > today:
        problems.append(("as_of", "The assessment date is in the future: choose today or an earlier date."))
    if not 1 <= len(draft.phases) <= 2:
        problems.append(("phases", "Choose one phase, or two adjacent phases for a relationship in transition."))
    elif len(draft.phases) == 2 and not phases_are_adjacent(draft.phases[0], draft.phases[1]):
        problems.append(("phases", "Two phases must be adjacent, e.g. start-up and maintenance."))
    seen = set()
    for motive in draft.motives:
        field = motive.motive.value
        if motive.motive in seen:
            problems.append((field, f"The motive {motive.motive.label} is given twice."))
        seen.add(motive.motive)
        if not 0 <= motive.weight <= MAX_MOTIVE_WEIGHT:
            problems.append((field, f"{motive.motive.label}: a weight is between 0 (absent) and {MAX_MOTIVE_WEIGHT}."))
        elif motive.weight > 0 and not motive.rationale.strip():
            problems.append((field, f"{motive.motive.label} is weighted {motive.weight}: give its rationale."))
        if len(motive.rationale) > MAX_RATIONALE:
            problems.append((field, f"{motive.motive.label}: the rationale is longer than {MAX_RATIONALE} characters."))
    if len(draft.summary) > MAX_SUMMARY:
        problems.append(("summary", f"The summary is longer than {MAX_SUMMARY} characters."))
    for citation in draft.citations:
        if len(citation.locator) > MAX_LOCATOR:
            problems.append(("citations", f"A page locator is at most {MAX_LOCATOR} characters."))
            break
    return problems


def validate_assessment(draft: AssessmentInput, today: date | None = None) -> None:
    """Raise ValidationError naming the first broken rule of a submitted assessment."""
    problems = assessment_problems(draft, today)
    if problems:
        raise ValidationError(problems[0][1])


def phase_rank(phases: tuple[Phase, ...]) -> tuple[int, int]:
    return (max(p.order for p in phases), min(p.order for p in phases))


def is_reversal(previous: tuple[Phase, ...] | None, new: tuple[Phase, ...]) -> bool:
    """A move back to an earlier phase, or into "ending"."""
    if Phase.ENDING in new and (previous is None or Phase.ENDING not in previous):
        return True
    return previous is not None and phase_rank(new) < phase_rank(previous)


class AssessmentService(Service):
    """Append-only assessment versions: saving adds a version, nothing is overwritten."""

    def history(self, relationship_id: str) -> list[AssessmentRecord]:
        """Every version of a relationship's assessment, oldest first (by date described, then recorded)."""
        with self._read() as s:
            ids = s.scalars(
                select(models.AssessmentVersion.id)
                .where(models.AssessmentVersion.relationship_id == relationship_id)
                .order_by(models.AssessmentVersion.as_of, models.AssessmentVersion.recorded_at)
            ).all()
            return assessment_records(s, list(ids))

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
        `draft.reversal_rationale`. Returns the new record (its id undoes it through
        `retract`). Emits ASSESSMENTS. Raises ValidationError, NotFoundError.
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
                    )
                )
            s.flush()
            label = relationship_label(s, relationship)
            self._audit(
                s,
                "restore" if restored_from_id else "save",
                "assessment",
                row.id,
                f"{'Restored' if restored_from_id else 'Saved'} {label} assessment as of {draft.as_of.isoformat()}"
                + (" (reversal)" if reversal else ""),
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
            self._audit(
                s, "retract", "assessment", version_id, f"Undid saving {label} assessment as of {row.as_of.isoformat()}"
            )
        self._emit(EventKind.ASSESSMENTS, relationship_id, version_id)
