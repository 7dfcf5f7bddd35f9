"""Writing a validated dataset into an empty store, in one transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from db import models
from db.dataset import Dataset, relationship_key, stable_id
from db.references.columns import source_columns
from db.vocabulary import MOTIVE_ORDER


def seed_dataset(session: Session, dataset: Dataset) -> None:
    """Insert every record of `dataset` with its deterministic UUID. The caller owns the transaction."""
    recorded_at = dataset.recorded_at
    if recorded_at.tzinfo is None:
        raise ValueError("dataset recorded_at must carry a time zone")
    author = dataset.recorded_by
    stamp = {"created_at": recorded_at, "updated_at": recorded_at, "created_by": author, "updated_by": author}

    for marking in dataset.markings:
        session.merge(models.Marking(name=marking.name, rank=marking.rank))
    for position, theme in enumerate(dataset.themes):
        session.add(models.Theme(id=stable_id("theme", theme.key), key=theme.key, name=theme.name, position=position))

    org_ids: dict[str, str] = {}
    for position, org in enumerate(dataset.organizations):
        org_ids[org.code] = stable_id("organization", org.code)
        session.add(
            models.Organization(
                id=org_ids[org.code],
                code=org.code,
                name=org.name,
                kind=org.kind.value,
                security_role_since=org.security_role_since,
                description=org.description,
                founded=org.founded,
                position=position,
                **stamp,
            )
        )
    session.flush()

    # Every pair of organizations gets its relationship: those the dataset describes first, in its
    # order (the report's), then the others.
    # The dataset's model holds exactly two codes per relationship.
    pairs: list[tuple[str, str]] = [(a, b) for a, b in (r.organizations for r in dataset.relationships)]
    codes = [o.code for o in dataset.organizations]
    pairs += [
        (a, b)
        for i, a in enumerate(codes)
        for b in codes[i + 1 :]
        if relationship_key((a, b)) not in {relationship_key(p) for p in pairs}
    ]
    rel_ids: dict[str, str] = {}
    for position, (first, second) in enumerate(pairs):
        key = relationship_key((first, second))
        rel_ids[key] = stable_id("relationship", key)
        a, b = sorted((org_ids[first], org_ids[second]))
        session.add(
            models.Relationship(id=rel_ids[key], org_a_id=a, org_b_id=b, position=position, created_at=recorded_at)
        )

    source_ids: dict[str, str] = {}
    for source in dataset.sources:
        source_ids[source.key] = stable_id("source", source.key)
        session.add(models.Source(id=source_ids[source.key], **source_columns(source), **stamp))

    operation_ids: dict[str, str] = {}
    for operation in dataset.operations:
        op_id = operation_ids[operation.acronym] = stable_id("operation", operation.acronym)
        session.add(
            models.Operation(
                id=op_id,
                acronym=operation.acronym,
                name=operation.name,
                location=operation.location,
                lead_org_id=org_ids.get(operation.lead) if operation.lead else None,
                start=operation.start,
                end=operation.end,
                status=operation.status.value,
                mandate=operation.mandate,
                notes=operation.notes,
                **stamp,
            )
        )
        for code in dict.fromkeys([c for c in [operation.lead, *operation.organizations] if c]):
            session.add(models.OperationOrganization(operation_id=op_id, organization_id=org_ids[code]))
    session.flush()

    def add_citations(citations, owner_field: str, owner_id: str) -> None:
        for position, citation in enumerate(citations):
            session.add(
                models.Citation(
                    id=stable_id("citation", owner_id, position),
                    source_id=source_ids[citation.source],
                    locator=citation.locator,
                    quote=citation.quote,
                    position=position,
                    **{owner_field: owner_id},
                )
            )

    for rel in dataset.relationships:
        key = relationship_key(rel.organizations)
        rel_id = rel_ids[key]
        for assessment in rel.assessments:
            version_id = stable_id("assessment", key, assessment.as_of.isoformat())
            session.add(
                models.AssessmentVersion(
                    id=version_id,
                    relationship_id=rel_id,
                    as_of=assessment.as_of,
                    recorded_at=recorded_at,
                    recorded_by=author,
                    phase=assessment.phase[0].value,
                    phase_to=assessment.phase[1].value if len(assessment.phase) == 2 else None,
                    confidence=assessment.confidence.value,
                    summary=assessment.summary,
                    marking=assessment.marking,
                    origin=dataset.title,
                    motives=[
                        models.AssessmentMotive(
                            motive=motive.value,
                            position=position,
                            weight=assessment.motives[motive].weight,
                            rationale=assessment.motives[motive].rationale,
                        )
                        for position, motive in enumerate(MOTIVE_ORDER)
                    ],
                )
            )
            session.flush()
            add_citations(assessment.citations, "assessment_version_id", version_id)
        for position, item in enumerate(rel.cooperation):
            coop_id = stable_id("cooperation", key, position)
            session.add(
                models.FieldCooperation(
                    id=coop_id,
                    relationship_id=rel_id,
                    location=item.location,
                    start_year=item.start,
                    end_year=item.end,
                    status=item.status.value,
                    planned_since=item.planned_since,
                    note=item.note,
                    position=position,
                    created_at=recorded_at,
                )
            )
            for acronym in dict.fromkeys(item.operations):
                session.add(
                    models.FieldCooperationOperation(field_cooperation_id=coop_id, operation_id=operation_ids[acronym])
                )
        for milestone in rel.milestones:
            milestone_id = stable_id("milestone", key, milestone.date, milestone.title)
            session.add(
                models.Milestone(
                    id=milestone_id,
                    relationship_id=rel_id,
                    date=milestone.date,
                    kind=milestone.kind.value,
                    title=milestone.title,
                    description=milestone.description,
                    **stamp,
                )
            )
            session.flush()
            add_citations(milestone.citations, "milestone_id", milestone_id)

    theme_ids = {t.key: stable_id("theme", t.key) for t in dataset.themes}
    for lesson in dataset.lessons:
        lesson_id = stable_id("lesson", lesson.key)
        session.add(
            models.Lesson(
                id=lesson_id,
                key=lesson.key,
                operation_id=operation_ids[lesson.operation] if lesson.operation else None,
                kind=lesson.kind.value,
                finding=lesson.finding,
                recommendation=lesson.recommendation,
                recorded_on=lesson.recorded_on,
                marking=lesson.marking,
                **stamp,
            )
        )
        session.flush()
        for pair in lesson.relationships:
            session.add(models.LessonRelationship(lesson_id=lesson_id, relationship_id=rel_ids[relationship_key(pair)]))
        for theme_key in dict.fromkeys(lesson.themes):
            session.add(models.LessonTheme(lesson_id=lesson_id, theme_id=theme_ids[theme_key]))
        add_citations(lesson.citations, "lesson_id", lesson_id)

    session.add(models.Meta(key="seeded_from", value=f"{dataset.title} ({date.today().isoformat()})"))
