"""Helpers for the marking tests: material at several levels in the mini store, and its tell-tale texts."""

from __future__ import annotations

from datetime import date

from db import AssessmentInput, CitationInput, LessonKind, Store
from db.lesson_records import LessonInput, SourceInput

LEVELS = ("UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET")
AS_OF = date(2008, 6, 30)
# Text only the CONFIDENTIAL assessment carries, and text only SECRET items carry.
CONFIDENTIAL_TEXT = "Confidential summary KVX"
SECRET_TEXTS = ("Secretauthor", "Hidden title ZQX", "Secret finding OMX", "Covert liaison QQT")


def add_marked_material(store: Store) -> dict[str, str]:
    """A SECRET source, a theme only a SECRET lesson uses, a CONFIDENTIAL assessment version newer than
    the UNCLASSIFIED one (citing the SECRET source), a SECRET lesson and an UNCLASSIFIED lesson citing
    the SECRET source. Returns their ids by name."""
    store.catalog.set_markings(list(LEVELS))
    rel = store.quadrangle.relationships()[0]
    source = store.sources.add(
        SourceInput(authors="Secretauthor, S.", year="2020", title="Hidden title ZQX", marking="SECRET")
    )
    theme = store.catalog.add_theme("Covert liaison QQT")
    current = store.quadrangle.state_as_of(AS_OF).relationship(rel.id).assessment
    version = store.assessments.save(
        AssessmentInput(
            relationship_id=rel.id,
            as_of=date(2008, 1, 31),
            phases=current.phases,
            confidence=current.confidence,
            summary=CONFIDENTIAL_TEXT,
            motives=current.motives,
            marking="CONFIDENTIAL",
            citations=(CitationInput(source.id, "44"),),
        )
    )
    secret = store.lessons.add(
        LessonInput(
            finding="Secret finding OMX",
            kind=LessonKind.CHALLENGE,
            recorded_on=date(2008, 2, 1),
            relationship_ids=(rel.id,),
            theme_keys=(theme.key,),
            recommendation="Keep it close",
            marking="SECRET",
        )
    )
    open_lesson = store.lessons.add(
        LessonInput(
            finding="Open finding citing a secret source",
            kind=LessonKind.SUCCESS,
            recorded_on=date(2008, 2, 2),
            relationship_ids=(rel.id,),
            theme_keys=("mandate",),
            citations=(CitationInput(source.id, "44"),),
        )
    )
    return {
        "relationship": rel.id,
        "source": source.id,
        "version": version.id,
        "secret_lesson": secret.id,
        "open_lesson": open_lesson.id,
    }


REVERSAL_SECRET_TEXT = "Secret rationale RVX"


def add_marked_reversals(store: Store, relationship_id: str) -> None:
    """After `add_marked_material`: an UNCLASSIFIED reversal back to courtship from the CONFIDENTIAL
    version, then a SECRET step forward and a SECRET reversal whose rationale only it carries."""
    from db import Phase

    current = store.assessments.history(relationship_id)[-1]

    def save(day: date, phase: Phase, marking: str, rationale: str = "", summary: str = "") -> None:
        store.assessments.save(
            AssessmentInput(
                relationship_id=relationship_id,
                as_of=day,
                phases=(phase,),
                confidence=current.confidence,
                summary=summary or f"Step of {day.isoformat()}",
                motives=current.motives,
                marking=marking,
                reversal_rationale=rationale,
            )
        )

    save(date(2008, 3, 1), Phase.COURTSHIP, "UNCLASSIFIED", "Open rationale after a classified step")
    save(date(2008, 4, 1), Phase.MAINTENANCE, "SECRET", summary="Secret step forward")
    save(date(2008, 5, 1), Phase.COURTSHIP, "SECRET", REVERSAL_SECRET_TEXT)
