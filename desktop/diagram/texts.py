"""The words the diagram shows for a relationship: its phase, its counts, its hover summary."""

from __future__ import annotations

from db import MOTIVE_ORDER, RelationshipState, ReviewStatus, Staleness


def phase_text(state: RelationshipState) -> str:
    if state.assessment is None:
        return "Withheld" if state.assessment_withheld else "Not assessed"
    return state.assessment.phase_label


def counts_text(state: RelationshipState) -> str:
    lessons = f"{state.lesson_count} lesson{'s' if state.lesson_count != 1 else ''}"
    ops = f"{state.ongoing_operation_count} op{'s' if state.ongoing_operation_count != 1 else ''}"
    return f"{lessons} · {ops}"


def card_phase_text(state: RelationshipState, staleness: Staleness | None, draft_pending: bool = False) -> str:
    """The card's second line: the phase, then what needs attention ("due for review", "draft")."""
    parts = [phase_text(state)]
    if staleness is not None and staleness.status in (ReviewStatus.DUE, ReviewStatus.NEWER_EVIDENCE):
        parts.append(staleness.short_label)
    if draft_pending:
        parts.append("draft")
    return " · ".join(parts)


def summary_text(
    state: RelationshipState, as_of_year: int, staleness: Staleness | None = None, draft_pending: bool = False
) -> str:
    """The plain-text summary shown when hovering an edge."""
    rel, assessment = state.relationship, state.assessment
    lines = [rel.label]
    if assessment is None:
        lines.append(
            "Assessment withheld (above the marking shown)."
            if state.assessment_withheld
            else "Not assessed by this date."
        )
    else:
        lines.append(
            f"Phase: {assessment.phase_label} (assessed as of {assessment.as_of.isoformat()}, "
            f"{assessment.confidence.value} confidence)"
        )
        motives = [f"{m.label} ({assessment.weight(m)})" for m in MOTIVE_ORDER if assessment.weight(m) > 0]
        lines.append("Motives: " + (", ".join(motives) if motives else "none recorded"))
        lines.append(
            f"Materialist weight {assessment.materialist_weight} · ideational weight {assessment.ideational_weight}"
        )
    lines.append(f"Lessons: {state.lesson_count} · ongoing operations: {state.ongoing_operation_count}")
    cooperation = state.cooperation_labels(as_of_year)
    if cooperation:
        lines.append("Cooperation on the ground: " + "; ".join(cooperation))
    if draft_pending:
        lines.append("Draft: an unsaved assessment is waiting in the editor's drafts.")
    if staleness is not None:
        if staleness.status is not ReviewStatus.CURRENT:
            lines.append(staleness.sentence)
    elif state.needs_review:
        if assessment is None:
            lines.append("Needs review: no assessment yet.")
        else:
            evidence = state.latest_evidence.isoformat() if state.latest_evidence else "newer"
            lines.append(f"Needs review: newer evidence ({evidence}) than the assessment.")
    return "\n".join(lines)
