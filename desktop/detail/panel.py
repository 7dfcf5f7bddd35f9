"""DetailPanel: the selected relationship as of the window's date: its assessment, motives, milestones,
cooperation on the ground and lessons, plus buttons other features add (`add_action`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from db import MOTIVE_ORDER, CooperationRecord, RelationshipState
from desktop.diagram.style import phase_colour, plain_tooltip

if TYPE_CHECKING:  # the lessons' and milestones' records load with the store, after the first paint
    from db import LessonRecord, MilestoneRecord


def plain_label(text: str = "", *, wrap: bool = True, object_name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


def heading(text: str) -> QLabel:
    label = plain_label(text, wrap=False)
    bold = QFont(label.font())
    bold.setBold(True)
    label.setFont(bold)
    label.setContentsMargins(0, 8, 0, 0)
    return label


class DetailPanel(QScrollArea):
    """Read-only view of one relationship; `show_relationship` fills it, `clear` empties it.

    `add_action(action)` adds a button for an action about the selected relationship (e.g. "Add
    lesson..."); the action itself reads the window's selection when triggered.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(260)
        self.relationship_id: str | None = None
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)

        self.title = plain_label("No relationship selected", wrap=False, object_name="detailTitle")
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.45)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.swatch = QLabel(body)
        self.swatch.setFixedSize(14, 14)
        title_row = QHBoxLayout()
        title_row.addWidget(self.swatch)
        title_row.addWidget(self.title, 1)
        layout.addLayout(title_row)

        self.phase = plain_label(object_name="detailPhase")
        self.review = plain_label(object_name="detailReview")
        self.review.setStyleSheet("QLabel { background: #FFF7B3; border: 1px solid #8A7D00; padding: 3px; }")
        self.review.hide()
        layout.addWidget(self.phase)
        layout.addWidget(self.review)

        self.actions_row = QHBoxLayout()
        self.actions_row.setContentsMargins(0, 4, 0, 4)
        self.actions_row.addStretch(1)
        layout.addLayout(self.actions_row)

        self.summary_heading = heading("Assessment")
        self.summary = plain_label(object_name="detailSummary")
        self.motives_heading = heading("Motives")
        self.motives = plain_label(object_name="detailMotives")
        self.cooperation_heading = heading("Cooperation on the ground")
        self.cooperation = plain_label(object_name="detailCooperation")
        self.milestones_heading = heading("Milestones")
        self.milestones = self._list("detailMilestones")
        self.lessons_heading = heading("Lessons")
        self.lessons = self._list("detailLessons")
        self._sections = (
            self.summary_heading,
            self.summary,
            self.motives_heading,
            self.motives,
            self.cooperation_heading,
            self.cooperation,
            self.milestones_heading,
            self.milestones,
            self.lessons_heading,
            self.lessons,
        )
        for widget in self._sections:
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(body)
        self._buttons: list[QToolButton] = []
        self.clear()

    def _list(self, name: str) -> QListWidget:
        widget = QListWidget(self)
        widget.setObjectName(name)
        widget.setWordWrap(True)
        widget.setSpacing(2)
        widget.setTextElideMode(Qt.TextElideMode.ElideNone)
        widget.setMinimumHeight(60)
        widget.setMaximumHeight(240)
        widget.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        widget.setFrameShape(QFrame.Shape.StyledPanel)
        return widget

    def add_action(self, action: QAction) -> QToolButton:
        """Show `action` as a button in the panel (enabled while a relationship is selected)."""
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setEnabled(self.relationship_id is not None)
        self.actions_row.insertWidget(self.actions_row.count() - 1, button)
        self._buttons.append(button)
        return button

    def clear(self) -> None:
        self.relationship_id = None
        self.title.setText("No relationship selected")
        self.swatch.setStyleSheet("")
        self.phase.setText("Select a relationship in the diagram, the table or the matrix.")
        self.review.hide()
        for text in (self.summary, self.motives, self.cooperation):
            text.clear()
        self.milestones.clear()
        self.lessons.clear()
        for widget in self._sections:
            widget.hide()
        for button in self._buttons:
            button.setEnabled(False)

    def show_relationship(
        self,
        state: RelationshipState,
        as_of: date,
        milestones: list[MilestoneRecord],
        cooperation: list[CooperationRecord],
        lessons: list[LessonRecord],
    ) -> None:
        """Fill the panel with `state` (as of `as_of`); milestones and lessons after that date are left out."""
        self.relationship_id = state.relationship.id
        assessment = state.assessment
        for widget in self._sections:
            widget.show()
        self.title.setText(state.relationship.label)
        colour = phase_colour(assessment.phases[-1] if assessment else None)
        self.swatch.setStyleSheet(f"background: {colour.name()}; border: 1px solid #333;")
        if assessment is None and state.assessment_withheld:
            self.phase.setText("Assessment withheld: it is marked above the material shown.")
            self.summary.setText("Raise View > Show material up to, if you are cleared, to see it.")
            self.motives.setText("—")
        elif assessment is None:
            self.phase.setText(f"Not assessed as of {as_of.isoformat()}.")
            self.summary.setText("No assessment had been recorded by this date.")
            self.motives.setText("—")
        else:
            self.phase.setText(
                f"{assessment.phase_label} · {assessment.confidence.label} confidence · "
                f"assessed as of {assessment.as_of.isoformat()} by {assessment.recorded_by}"
            )
            self.summary.setText(assessment.summary or "(no summary)")
            lines = []
            for motive in MOTIVE_ORDER:
                weight = assessment.weight(motive)
                if weight:
                    rationale = next((m.rationale for m in assessment.motives if m.motive == motive), "")
                    lines.append(
                        f"{motive.label} ({motive.family.value}, {weight}/3)" + (f": {rationale}" if rationale else "")
                    )
            self.motives.setText("\n\n".join(lines) or "No motive recorded.")
        if state.needs_review:
            evidence = state.latest_evidence  # never None when an assessment needs review
            self.review.setText(
                "Needs review: no assessment yet."
                if assessment is None or evidence is None
                else f"Needs review: evidence from {evidence.isoformat()} is newer than the assessment."
            )
            self.review.show()
        else:
            self.review.hide()
        places = [c for c in cooperation if c.visible_in(as_of.year)]
        self.cooperation.setText(
            "\n".join(
                f"{c.location} ({c.period_label(as_of.year)})"
                + (f": {', '.join(c.operation_acronyms)}" if c.operation_acronyms else "")
                for c in places
            )
            or "None recorded by this date."
        )
        cutoff = as_of.isoformat()
        self.milestones.clear()
        shown = [m for m in milestones if m.date <= cutoff]
        for milestone in shown:
            item = QListWidgetItem(f"{milestone.date}  {milestone.title}")
            item.setToolTip(plain_tooltip(milestone.description) if milestone.description else "")
            self.milestones.addItem(item)
        later = len(milestones) - len(shown)
        self.milestones_heading.setText(f"Milestones ({len(shown)}" + (f", {later} later)" if later else ")"))
        self.lessons.clear()
        known = [lesson for lesson in lessons if lesson.recorded_on <= as_of]
        for lesson in known:
            item = QListWidgetItem(f"{lesson.kind.label}: {lesson.finding}")
            item.setToolTip(plain_tooltip(lesson.recommendation) if lesson.recommendation else "")
            self.lessons.addItem(item)
        self.lessons_heading.setText(f"Lessons ({len(known)})")
        for button in self._buttons:
            button.setEnabled(True)
