"""The assessment form: its field groups (built here, laid out by the editor dialog) and its content
as plain JSON values (the payload a draft keeps): what a new version starts from, and the
AssessmentInput a payload describes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db import (
    MATERIALIST_MOTIVES,
    MOTIVE_ORDER,
    PHASE_ORDER,
    AssessmentInput,
    AssessmentRecord,
    CitationInput,
    Confidence,
    Motive,
    MotiveAssessment,
    Phase,
)
from desktop.timeline.typed_date import TypedDateEdit


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def new_version_payload(record: AssessmentRecord | None, default_marking: str) -> dict:
    """The form content for a new version based on `record` (describing today)."""
    motives = {m.value: [0, ""] for m in MOTIVE_ORDER}
    if record is None:
        return {
            "as_of": date.today().isoformat(),
            "phases": [Phase.COURTSHIP.value],
            "confidence": "moderate",
            "marking": default_marking,
            "summary": "",
            "motives": motives,
            "citations": [],
            "motive_citations": {m.value: [] for m in MOTIVE_ORDER},
            "reversal_rationale": "",
        }
    for m in record.motives:
        motives[m.motive.value] = [m.weight, m.rationale]
    return {
        "as_of": date.today().isoformat(),
        "phases": [p.value for p in record.phases],
        "confidence": record.confidence.value,
        "marking": record.marking,
        "summary": record.summary,
        "motives": motives,
        "citations": [[c.source_id, c.locator, c.quote] for c in record.whole_citations],
        "motive_citations": {
            m.value: [[c.source_id, c.locator, c.quote] for c in record.motive_citations(m)] for m in MOTIVE_ORDER
        },
        "reversal_rationale": "",
    }


def payload_citations(payload: dict) -> tuple[CitationInput, ...]:
    """The whole assessment's citations, then each motive's in motive order (a draft written before
    motives had citations has none)."""
    citations = [CitationInput(sid, loc, quote.strip()) for sid, loc, quote in payload["citations"]]
    by_motive = payload.get("motive_citations") or {}
    for motive in MOTIVE_ORDER:
        citations += [
            CitationInput(sid, loc, quote.strip(), motive) for sid, loc, quote in by_motive.get(motive.value, [])
        ]
    return tuple(citations)


def payload_input(relationship_id: str, payload: dict) -> AssessmentInput:
    """The AssessmentInput a form payload describes (texts stripped)."""
    return AssessmentInput(
        relationship_id=relationship_id,
        as_of=date.fromisoformat(payload["as_of"]),
        phases=tuple(Phase(p) for p in payload["phases"]),
        confidence=Confidence(payload["confidence"]),
        summary=payload["summary"].strip(),
        motives=tuple(MotiveAssessment(Motive(k), w, r.strip()) for k, (w, r) in payload["motives"].items()),
        marking=payload["marking"],
        citations=payload_citations(payload),
        reversal_rationale=payload["reversal_rationale"].strip(),
    )


ProblemLabel = Callable[[str, QWidget, list[QWidget]], QLabel]
WithProblem = Callable[..., QWidget]  # (key, widget, parent, highlighted=None) -> the widget over its label


@dataclass(frozen=True)
class GeneralFields:
    """The "Assessment" group: the date described, the phase (and transition), confidence, marking."""

    box: QGroupBox
    date_edit: QDateEdit
    phase_combo: QComboBox
    transition_check: QCheckBox
    confidence_combo: QComboBox
    marking_combo: QComboBox


def build_general_box(parent: QWidget, markings: list[str], with_problem: WithProblem) -> GeneralFields:
    """The "Assessment" group; `with_problem` puts a field over its validation label."""
    general = QGroupBox("Assessment", parent)
    form = QFormLayout(general)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    date_edit = TypedDateEdit(general)  # a whole date can be typed or pasted
    date_edit.setObjectName("dateEdit")
    date_edit.setCalendarPopup(True)
    date_edit.setDisplayFormat("yyyy-MM-dd")
    date_edit.setMinimumDate(QDate(1945, 1, 1))
    date_edit.setMaximumDate(QDate.currentDate())
    date_edit.setToolTip("The date the assessment describes (today or earlier).")
    form.addRow("Describes the state on", with_problem("as_of", date_edit, general))

    phase_row = QWidget(general)
    phase_layout = QVBoxLayout(phase_row)
    phase_layout.setContentsMargins(0, 0, 0, 0)
    phase_layout.setSpacing(4)
    phase_combo = QComboBox(phase_row)
    phase_combo.setObjectName("phaseCombo")
    for phase in PHASE_ORDER:
        phase_combo.addItem(phase.label, phase.value)
    transition_check = QCheckBox(phase_row)
    transition_check.setObjectName("transitionCheck")
    transition_check.setMinimumWidth(
        transition_check.fontMetrics().horizontalAdvance("In transition to maintenance") + 32
    )
    phase_layout.addWidget(phase_combo, 0, Qt.AlignmentFlag.AlignLeft)
    phase_layout.addWidget(transition_check)
    form.addRow("Phase", with_problem("phases", phase_row, general, [phase_combo]))

    confidence_combo = QComboBox(general)
    confidence_combo.setObjectName("confidenceCombo")
    for confidence in Confidence:
        confidence_combo.addItem(confidence.label, confidence.value)
    form.addRow("Analytic confidence", confidence_combo)
    marking_combo = QComboBox(general)
    marking_combo.setObjectName("markingCombo")
    for marking in markings:
        marking_combo.addItem(marking, marking)
    form.addRow("Marking", marking_combo)
    return GeneralFields(general, date_edit, phase_combo, transition_check, confidence_combo, marking_combo)


def build_motives_box(
    parent: QWidget, problem: ProblemLabel, citations_for: Callable[[Motive, QWidget], QWidget]
) -> tuple[QGroupBox, dict[Motive, QSpinBox], dict[Motive, QPlainTextEdit]]:
    """The motives group: per motive its name and family, a 0-3 weight, a rationale (with its
    validation label made by `problem`) and under it the motive's citations (`citations_for`).
    Returns the group, the weight spins and the rationales."""
    motives = QGroupBox("Motives (weight 0 = absent … 3 = dominant)", parent)
    grid = QGridLayout(motives)
    grid.setColumnStretch(2, 1)
    grid.setHorizontalSpacing(10)
    weight_spins: dict[Motive, QSpinBox] = {}
    rationale_edits: dict[Motive, QPlainTextEdit] = {}
    for row, motive in enumerate(MOTIVE_ORDER):
        name = QLabel(motive.label, motives)
        family = QLabel("materialist" if motive in MATERIALIST_MOTIVES else "ideational", motives)
        family.setObjectName("familyTag")
        labels = QVBoxLayout()
        labels.setSpacing(0)
        labels.addWidget(name)
        labels.addWidget(family)
        labels.addStretch(1)
        spin = QSpinBox(motives)
        spin.setObjectName(f"weight_{motive.value}")
        spin.setRange(0, 3)
        spin.setAccessibleName(f"{motive.label} weight")
        rationale = QPlainTextEdit(motives)
        rationale.setObjectName(f"rationale_{motive.value}")
        rationale.setPlaceholderText(f"Why {motive.name_text} matters (or why it is absent).")
        rationale.setTabChangesFocus(True)
        rationale.setFixedHeight(58)
        rationale.setAccessibleName(f"{motive.label} rationale")
        weight_spins[motive] = spin
        rationale_edits[motive] = rationale
        grid.addLayout(labels, row * 3, 0)
        grid.addWidget(spin, row * 3, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(rationale, row * 3, 2)
        grid.addWidget(problem(motive.value, motives, [rationale]), row * 3 + 1, 2)
        grid.addWidget(citations_for(motive, motives), row * 3 + 2, 2)
    return motives, weight_spins, rationale_edits


def build_reversal_box(parent: QWidget, with_problem: WithProblem) -> tuple[QGroupBox, QLabel, QPlainTextEdit]:
    """The "Reversal" group (hidden until the version would be one): a note and the rationale."""
    box = QGroupBox("Reversal", parent)
    box.setObjectName("reversalBox")
    reversal_layout = QVBoxLayout(box)
    note = QLabel(box)
    note.setTextFormat(Qt.TextFormat.PlainText)
    note.setWordWrap(True)
    reversal_layout.addWidget(note)
    edit = QPlainTextEdit(box)
    edit.setObjectName("reversalRationale")
    edit.setPlaceholderText("Why the relationship moved back (required).")
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(60)
    reversal_layout.addWidget(with_problem("reversal", edit, box))
    return box, note, edit


def reversal_text(label: str, draft: AssessmentInput) -> str:
    """What the reversal note says about a version that moves `label`'s relationship back."""
    new = "/".join(p.label if i == 0 else p.value for i, p in enumerate(draft.phases))
    if Phase.ENDING in draft.phases:
        move = f"moves {label} into ending ({new})"
    else:
        move = f"moves {label} back to an earlier phase ({new})"
    return f"This version {move}. It will be flagged as a reversal and listed under View > Reversals; say why below."


def current_version_note(current: AssessmentRecord | None) -> str:
    """The editor's subtitle: what saving does, and the version it starts from."""
    if current is None:
        return "No version recorded yet: this will be the first."
    return (
        f"Saving records a new version; earlier versions stay as they are. Current version: as of "
        f"{current.as_of.isoformat()}, {current.phase_label}, recorded by {current.recorded_by}."
    )
