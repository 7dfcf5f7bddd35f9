"""The history service: comparing versions or dates of an assessment, restoring a version, and the
reversals across all relationships, all built on the append-only assessment versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select

from db import models
from db.convert import assessment_records
from db.database import Database, Service
from db.errors import NotFoundError, ValidationError
from db.history_records import AssessmentDiffRecord, FieldDiff, ReversalRecord
from db.markings import without_citations
from db.records import AssessmentInput, AssessmentRecord, CitationInput, CitationRecord
from db.services.assessments import AssessmentService
from db.services.shared import relationship_label, version_in_force
from db.state import _allowed_markings
from db.vocabulary import MOTIVE_ORDER

ABSENT = "—"


def _version_label(record: AssessmentRecord) -> str:
    return f"Version as of {record.as_of.isoformat()}"


def _citation_lines(citations: tuple[CitationRecord, ...]) -> str:
    lines = []
    for citation in citations:
        line = citation.text
        if citation.quote:
            line += f" “{citation.quote}”"
        lines.append(line)
    return "\n".join(lines)


def assessment_fields(record: AssessmentRecord | None) -> list[tuple[str, str, str]]:
    """The compared fields of an assessment as (key, label, plain text), in display order: each
    motive's weight, rationale and citations ("<motive>.citations"), then the whole assessment's."""

    def value(getter) -> str:
        return getter(record) if record is not None else ABSENT

    fields = [
        ("as_of", "Date described", value(lambda r: r.as_of.isoformat())),
        ("phase", "Phase", value(lambda r: r.phase_label)),
        ("confidence", "Confidence", value(lambda r: r.confidence.label)),
        ("marking", "Marking", value(lambda r: r.marking)),
    ]
    for motive in MOTIVE_ORDER:
        fields.append(
            (f"{motive.value}.weight", f"{motive.label}: weight", value(lambda r, m=motive: str(r.weight(m))))
        )
        fields.append(
            (
                f"{motive.value}.rationale",
                f"{motive.label}: rationale",
                value(lambda r, m=motive: next((x.rationale for x in r.motives if x.motive == m), "")),
            )
        )
        fields.append(
            (
                f"{motive.value}.citations",
                f"{motive.label}: citations",
                value(lambda r, m=motive: _citation_lines(r.motive_citations(m))),
            )
        )
    fields += [
        ("summary", "Summary", value(lambda r: r.summary)),
        ("citations", "Citations", value(lambda r: _citation_lines(r.whole_citations))),
        ("reversal", "Reversal rationale", value(lambda r: r.reversal_rationale if r.is_reversal else "")),
        ("recorded", "Recorded", value(lambda r: f"{r.recorded_at:%Y-%m-%d %H:%M} UTC by {r.recorded_by}")),
    ]
    return fields


def diff_assessments(
    relationship_id: str,
    relationship_label: str,
    before: AssessmentRecord | None,
    after: AssessmentRecord | None,
    before_label: str,
    after_label: str,
) -> AssessmentDiffRecord:
    left = assessment_fields(before)
    right = assessment_fields(after)
    return AssessmentDiffRecord(
        relationship_id=relationship_id,
        relationship_label=relationship_label,
        before=before,
        after=after,
        before_label=before_label,
        after_label=after_label,
        fields=tuple(FieldDiff(key, label, b, a) for (key, label, b), (_, _, a) in zip(left, right, strict=True)),
    )


def _cited_within(s, records: list, allowed: frozenset[str] | None) -> list:
    """`records` (None stays None) without their citations of sources marked outside `allowed`."""
    if allowed is None:
        return records
    blocked = set(s.scalars(select(models.Source.id).where(models.Source.marking.not_in(allowed))))
    return [without_citations(r, blocked)[0] if r is not None else None for r in records]


class HistoryService(Service):
    """History-level reads and writes built on the append-only assessment versions."""

    def __init__(self, database: Database, assessments: AssessmentService) -> None:
        super().__init__(database)
        self._assessments = assessments

    # -- comparing ------------------------------------------------------------------------------

    def compare_versions(
        self, before_id: str, after_id: str, *, max_marking: str | None = None
    ) -> AssessmentDiffRecord:
        """Two versions of one relationship's assessment, field by field. One read transaction.
        With `max_marking` (an exact level), a version above it is refused and citations of sources
        above it are left out. Raises NotFoundError for an unknown id, ValidationError for versions of
        two relationships or one above `max_marking`."""
        with self._read() as s:
            allowed = _allowed_markings(s, max_marking)
            rows = []
            for version_id in (before_id, after_id):
                row = s.get(models.AssessmentVersion, version_id)
                if row is None:
                    raise NotFoundError(f"No assessment version with id {version_id}.")
                if allowed is not None and row.marking not in allowed:
                    raise ValidationError(f"That version is marked above {max_marking}: it is withheld.")
                rows.append(row)
            if rows[0].relationship_id != rows[1].relationship_id:
                raise ValidationError("Those versions assess two different relationships: pick versions of one.")
            before, after = _cited_within(s, assessment_records(s, [r.id for r in rows]), allowed)
            label = relationship_label(s, s.get(models.Relationship, before.relationship_id))
        return diff_assessments(
            before.relationship_id, label, before, after, _version_label(before), _version_label(after)
        )

    def compare_dates(
        self, relationship_id: str, before: date, after: date, *, max_marking: str | None = None
    ) -> AssessmentDiffRecord:
        """The assessment in force on `before` against the one in force on `after` (either may be
        missing when nothing was assessed yet). With `max_marking` (an exact level), each side is the
        newest version on or before its day at or below it (as `state_as_of` chooses), citing no source
        above it. One read transaction. Raises NotFoundError."""
        with self._read() as s:
            relationship = s.get(models.Relationship, relationship_id)
            if relationship is None:
                raise NotFoundError("That relationship no longer exists.")
            allowed = _allowed_markings(s, max_marking)
            records: list[AssessmentRecord | None] = []
            for day in (before, after):
                row = version_in_force(s, relationship_id, day, allowed=allowed)
                records.append(assessment_records(s, [row.id])[0] if row is not None else None)
            records = _cited_within(s, records, allowed)
            label = relationship_label(s, relationship)
        return diff_assessments(
            relationship_id,
            label,
            records[0],
            records[1],
            f"State on {before.isoformat()}",
            f"State on {after.isoformat()}",
        )

    # -- restoring ------------------------------------------------------------------------------

    def restore_version(
        self, version_id: str, *, as_of: date | None = None, reversal_rationale: str = ""
    ) -> AssessmentRecord:
        """Record a new version equal to `version_id` (history only grows), with `restored_from_id` set.

        The new version describes `as_of`, by default the date of the relationship's latest version,
        so that it is the one in force from then on. Restoring an earlier phase is a reversal like
        any other and needs `reversal_rationale`. Returns the new record; undo with
        `store.assessments.retract`. Emits ASSESSMENTS. Raises NotFoundError, ValidationError.
        """
        with self._read() as s:
            row = s.get(models.AssessmentVersion, version_id)
            if row is None:
                raise NotFoundError("That assessment version no longer exists.")
            original = assessment_records(s, [row.id])[0]
            latest = s.scalar(
                select(func.max(models.AssessmentVersion.as_of)).where(
                    models.AssessmentVersion.relationship_id == original.relationship_id
                )
            )
        draft = restore_input(original, as_of or max(latest, original.as_of), reversal_rationale)
        # AssessmentService.save re-checks everything in its own write transaction, so a version saved
        # meanwhile by someone else is taken into account for the reversal rule.
        return self._assessments.save(draft, restored_from_id=version_id)

    def would_restore_reverse(self, version_id: str, as_of: date | None = None) -> bool:
        """True when restoring `version_id` would move the relationship back (so it needs a rationale)."""
        original = self._assessments.get(version_id)
        history = self._assessments.history(original.relationship_id)
        day = as_of or max(max(v.as_of for v in history), original.as_of)
        return self._assessments.would_reverse(restore_input(original, day, ""))

    # -- reversals ------------------------------------------------------------------------------

    def reversals(self) -> list[ReversalRecord]:
        """Every version flagged as a reversal, across all relationships, in relationship order and
        then by date described. One read transaction."""
        with self._read() as s:
            flagged = list(
                s.scalars(select(models.AssessmentVersion).where(models.AssessmentVersion.is_reversal.is_(True)))
            )
            if not flagged:
                return []
            relationship_ids = {r.relationship_id for r in flagged}
            timelines: dict[str, list[tuple[date, datetime, str]]] = {}
            for rel_id, as_of, recorded_at, phase, phase_to in s.execute(
                select(
                    models.AssessmentVersion.relationship_id,
                    models.AssessmentVersion.as_of,
                    models.AssessmentVersion.recorded_at,
                    models.AssessmentVersion.phase,
                    models.AssessmentVersion.phase_to,
                ).where(models.AssessmentVersion.relationship_id.in_(relationship_ids))
            ):
                label = phase.capitalize() + (f"/{phase_to}" if phase_to else "")
                timelines.setdefault(rel_id, []).append((as_of, recorded_at, label))
            records = assessment_records(s, [r.id for r in flagged])
            relationships = {
                r.id: r
                for r in s.scalars(select(models.Relationship).where(models.Relationship.id.in_(relationship_ids)))
            }
            result = []
            for record in records:
                earlier = [
                    t for t in timelines[record.relationship_id] if (t[0], t[1]) < (record.as_of, record.recorded_at)
                ]
                previous = max(earlier)[2] if earlier else ABSENT
                relationship = relationships[record.relationship_id]
                result.append(
                    (
                        relationship.position,
                        record.as_of,
                        record.recorded_at,
                        ReversalRecord(record.relationship_id, relationship_label(s, relationship), record, previous),
                    )
                )
        return [r for *_, r in sorted(result, key=lambda item: item[:3])]


def restore_input(original: AssessmentRecord, as_of: date, reversal_rationale: str) -> AssessmentInput:
    """The AssessmentInput that re-records `original` as describing `as_of`."""
    return AssessmentInput(
        relationship_id=original.relationship_id,
        as_of=as_of,
        phases=original.phases,
        confidence=original.confidence,
        summary=original.summary,
        motives=original.motives,
        marking=original.marking,
        # Each citation keeps its motive: a restored version cites what the original cited, where it cited it.
        citations=tuple(CitationInput(c.source_id, c.locator, c.quote, c.motive) for c in original.citations),
        reversal_rationale=reversal_rationale,
    )
