"""The comparison table (the report's Figure 2) derived from a QuadrangleState. Light: records only."""

from __future__ import annotations

from db.records import ComparisonRow, QuadrangleState


def comparison_rows(state: QuadrangleState) -> list[ComparisonRow]:
    """One row per relationship as of the state's date: phase, motives present, cooperation, confidence."""
    rows = []
    for rel_state in state.relationships:
        rel, assessment = rel_state.relationship, rel_state.assessment
        rows.append(
            ComparisonRow(
                relationship_id=rel.id,
                organizations=rel.codes,
                label=rel.label,
                phases=tuple(p.value for p in assessment.phases) if assessment else (),
                phase_label=assessment.phase_label
                if assessment
                else ("withheld" if rel_state.assessment_withheld else "not assessed"),
                motives=tuple(m.name_text for m in assessment.present_motives) if assessment else (),
                cooperation=rel_state.cooperation_labels(state.as_of.year),
                last_assessed=assessment.as_of if assessment else None,
                confidence=assessment.confidence.value if assessment else "",
                marking=assessment.marking if assessment else "",
            )
        )
    return rows
