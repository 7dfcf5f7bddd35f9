"""DetailPanel: the selected relationship as of the window's date: its assessment, motives, milestones,
cooperation on the ground and lessons, plus buttons other features add (`add_action`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QResizeEvent, QWheelEvent
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

from db import MOTIVE_ORDER, CooperationRecord, RelationshipState, ReviewStatus, Staleness
from desktop.diagram.style import phase_colour, plain_tooltip
from desktop.literal import isolate

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


RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class GrowingList(QListWidget):
    """A list as tall as its items (the panel scrolls, not the list): it never scrolls itself, so
    the mouse wheel over it scrolls the panel, and it grows with the panel's width and its items."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def content_height(self) -> int:
        rows = sum(self.sizeHintForRow(row) + 2 * self.spacing() for row in range(self.count()))
        return max(rows, self.fontMetrics().height() + 8) + 2 * self.frameWidth() + 4

    def fit_height(self) -> None:
        self.setFixedHeight(self.content_height())

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.content_height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # wrapped items change height with the width
            self.doItemsLayout()
            self.fit_height()

    def wheelEvent(self, e: QWheelEvent) -> None:
        # The wheel scrolls the panel around the list (sent on explicitly: Qt only propagates an
        # ignored wheel event that came from the window system).
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is None:
            e.ignore()
            return
        QCoreApplication.sendEvent(area.verticalScrollBar(), e)


class DetailPanel(QScrollArea):
    """Read-only view of one relationship; `show_relationship` fills it, `clear` empties it.

    `add_action(action)` adds a button for an action about the selected relationship (e.g. "Add
    lesson..."); the action itself reads the window's selection when triggered. A double-click (or
    Enter) on a lesson emits `lesson_activated(lesson_id)`, on a milestone `milestone_activated(id)`.
    """

    lesson_activated = Signal(str)
    milestone_activated = Signal(str)

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
        # Its own ink on its own yellow: the palette's text colour would vanish on it in a dark theme.
        self.review.setStyleSheet(
            "QLabel { background: #FFF7B3; color: #1F1F1F; border: 1px solid #8A7D00; padding: 3px; }"
        )
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
        self.milestones.itemActivated.connect(lambda item: self.milestone_activated.emit(item.data(RECORD_ID_ROLE)))
        self.lessons_heading = heading("Lessons")
        self.lessons = self._list("detailLessons")
        self.lessons.itemActivated.connect(lambda item: self.lesson_activated.emit(item.data(RECORD_ID_ROLE)))
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

    def _list(self, name: str) -> GrowingList:
        widget = GrowingList(self)
        widget.setObjectName(name)
        widget.setWordWrap(True)
        widget.setSpacing(2)
        widget.setTextElideMode(Qt.TextElideMode.ElideNone)
        widget.setFrameShape(QFrame.Shape.StyledPanel)
        return widget

    @staticmethod
    def _cooperation_line(place: CooperationRecord, as_of: date, unconfirmed: dict[str, str]) -> str:
        """ "Kosovo (1999–present): KFOR (ongoing as of 2007, not confirmed since)": an operation
        nothing has confirmed within the review interval says so beside its acronym."""
        line = f"{isolate(place.location)} ({place.period_label(as_of.year)})"
        if not place.operation_acronyms:
            return line
        named = [
            isolate(acronym) + (f" ({unconfirmed[acronym].lower()})" if acronym in unconfirmed else "")
            for acronym in place.operation_acronyms
        ]
        return f"{line}: {', '.join(named)}"

    @staticmethod
    def _review_text(state: RelationshipState, staleness: Staleness | None) -> str:
        """What the review note says ("" for none): the staleness sentence and, for more than one newer
        item, each of them ("mandate of EUFOR changed on 2008-09-24"); the state's own rule when no
        staleness is given."""
        if staleness is not None:
            if staleness.status is ReviewStatus.CURRENT:
                return ""
            lines = [isolate(staleness.sentence)]  # it quotes milestone titles and acronyms
            if staleness.status is ReviewStatus.NEWER_EVIDENCE and len(staleness.newer) > 1:
                lines += [f"• {isolate(line)}" for line in staleness.newer_lines]  # the sentence names the newest
            return "\n".join(lines)
        if not state.needs_review:
            return ""
        evidence = state.latest_evidence
        if state.assessment is None or evidence is None:
            return "Needs review: no assessment yet."
        return f"Needs review: evidence from {evidence.isoformat()} is newer than the assessment."

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
        for section in self._sections:
            section.hide()
        for button in self._buttons:
            button.setEnabled(False)

    def show_relationship(
        self,
        state: RelationshipState,
        as_of: date,
        milestones: list[MilestoneRecord],
        cooperation: list[CooperationRecord],
        lessons: list[LessonRecord],
        staleness: Staleness | None = None,
    ) -> None:
        """Fill the panel with `state` (as of `as_of`); milestones and lessons after that date are left
        out. Another relationship than the one shown starts at the top of the panel. `staleness` (the
        window's review status of it) says why it needs review, each newer item on its own line."""
        if state.relationship.id != self.relationship_id:
            self.verticalScrollBar().setValue(0)
        self.relationship_id = state.relationship.id
        assessment = state.assessment
        for widget in self._sections:
            widget.show()
        self.title.setText(isolate(state.relationship.label))
        colour = phase_colour(assessment.phases[-1] if assessment else None)
        self.swatch.setStyleSheet(f"background: {colour.name()}; border: 1px solid palette(window-text);")
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
                f"assessed as of {assessment.as_of.isoformat()} by {isolate(assessment.recorded_by)}"
            )
            self.summary.setText(isolate(assessment.summary) or "(no summary)")
            lines = []
            for motive in MOTIVE_ORDER:
                weight = assessment.weight(motive)
                if weight:
                    rationale = next((m.rationale for m in assessment.motives if m.motive == motive), "")
                    lines.append(
                        f"{motive.label} ({motive.family.value}, {weight}/3)"
                        + (f": {isolate(rationale)}" if rationale else "")
                    )
            self.motives.setText("\n\n".join(lines) or "No motive recorded.")
        review = self._review_text(state, staleness)
        self.review.setText(review)
        self.review.setVisible(bool(review))
        places = [c for c in cooperation if c.visible_in(as_of.year)]
        unconfirmed = dict(staleness.unconfirmed) if staleness is not None else {}
        self.cooperation.setText(
            "\n".join(self._cooperation_line(c, as_of, unconfirmed) for c in places) or "None recorded by this date."
        )
        cutoff = as_of.isoformat()
        self.milestones.clear()
        shown = [m for m in milestones if m.date <= cutoff]
        for milestone in shown:
            item = QListWidgetItem(f"{milestone.date}  {isolate(milestone.title)}")
            item.setData(RECORD_ID_ROLE, milestone.id)
            item.setToolTip(plain_tooltip(milestone.description) if milestone.description else "")
            self.milestones.addItem(item)
        self.milestones.fit_height()
        later = len(milestones) - len(shown)
        self.milestones_heading.setText(f"Milestones ({len(shown)}" + (f", {later} later)" if later else ")"))
        self.lessons.clear()
        known = [lesson for lesson in lessons if lesson.recorded_on <= as_of]
        for lesson in known:
            item = QListWidgetItem(f"{lesson.kind.label}: {isolate(lesson.finding)}")
            item.setData(RECORD_ID_ROLE, lesson.id)
            item.setToolTip(plain_tooltip(lesson.recommendation) if lesson.recommendation else "")
            self.lessons.addItem(item)
        self.lessons.fit_height()
        self.lessons_heading.setText(f"Lessons ({len(known)})")
        for button in self._buttons:
            button.setEnabled(True)
