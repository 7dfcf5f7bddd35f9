"""The detail panel's and the operations window's labels show user text literally: plain text, each field
isolated so a U+202E in it cannot reverse what follows (issue 20's first point, for labels)."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QWidget

from db import AssessmentInput, Confidence, Motive, MotiveAssessment, OperationInput, OperationStatus, Phase
from desktop.detail.panel import DetailPanel
from desktop.events import StoreEvents
from desktop.lessons import LessonsFeature
from tests.desktop.test_first_week import HOSTILE, _literal_problem


def _label_problems(widget: QWidget) -> list[str]:
    problems = []
    for label in widget.findChildren(QLabel):
        text = label.text()
        if "esrever" not in text:
            continue
        if label.textFormat() != Qt.TextFormat.PlainText:
            problems.append(f"{label.objectName()}: not plain text")
        if problem := _literal_problem(text, Qt.ItemDataRole.DisplayRole):
            problems.append(f"{label.objectName()}: {problem}")
    return problems


def test_the_detail_panel_isolates_every_field(qtbot, mini_store):
    """An analyst's name, a cooperation place and an operation's acronym with an override stay in their field."""
    rel = mini_store.quadrangle.relationships()[0]
    operation = mini_store.operations.add(
        OperationInput(acronym="HOST \u202eesrever", name="Hostile", status=OperationStatus.ONGOING, location=HOSTILE)
    )
    mini_store.operations.add_to_cooperation(operation.id, rel.id)
    mini_store.actor = "Kristin \u202eesrever"
    mini_store.assessments.save(
        AssessmentInput(
            relationship_id=rel.id,
            as_of=date(2010, 1, 1),
            phases=(Phase.MAINTENANCE,),
            confidence=Confidence.HIGH,
            summary="Summary",
            motives=tuple(MotiveAssessment(m, 0) for m in Motive),
        )
    )
    state = mini_store.quadrangle.state_as_of(date.today()).relationship(rel.id)
    panel = DetailPanel()
    qtbot.addWidget(panel)
    panel.show_relationship(state, date.today(), [], mini_store.catalog.cooperation(rel.id), [])
    seen = [label.objectName() for label in panel.findChildren(QLabel) if "esrever" in label.text()]
    assert {"detailPhase", "detailCooperation"} <= set(seen)
    assert _label_problems(panel) == []


def test_the_operations_detail_isolates_every_field_and_its_mandate_history(qtbot, mini_store):
    """Name, place, mandate, notes and each mandate change of an operation are shown literally."""
    parent = QWidget()
    qtbot.addWidget(parent)
    feature = LessonsFeature(mini_store, StoreEvents(mini_store), QUndoStack(parent), parent)
    record = mini_store.operations.add(
        OperationInput(
            acronym="HOST",
            name=HOSTILE,
            status=OperationStatus.ONGOING,
            location=HOSTILE,
            mandate=HOSTILE,
            notes=HOSTILE,
        )
    )
    draft = dataclasses.replace(OperationInput.from_record(record), mandate="New " + HOSTILE)
    mini_store.operations.update(record.id, draft, record.revision)
    window = feature.show_operations()
    qtbot.addWidget(window)
    window.select_operation(record.id)
    assert "Mandate history" in window.detail.text()
    assert _label_problems(window) == []
