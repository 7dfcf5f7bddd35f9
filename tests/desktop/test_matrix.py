"""The motive matrix model: weights per relationship and motive, family subtotals, totals row."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from db import Motive
from desktop.comparison.table_model import RELATIONSHIP_ID_ROLE, ComparisonTableModel
from desktop.matrix.table_model import Column, MotiveMatrixTableModel


def test_matrix_model_passes_the_model_tester(qtmodeltester, default_store):
    """The matrix model follows Qt's model contract."""
    model = MotiveMatrixTableModel()
    model.set_state(default_store.quadrangle.state_as_of())
    qtmodeltester.check(model)


def test_comparison_model_passes_the_model_tester(qtmodeltester, default_store):
    """The comparison table model follows Qt's model contract."""
    model = ComparisonTableModel()
    model.set_rows(default_store.quadrangle.comparison_table())
    qtmodeltester.check(model)


def test_resource_dependence_recurs_in_every_relationship(default_store):
    """The totals row shows resource dependence present in all six relationships today."""
    model = MotiveMatrixTableModel()
    model.set_state(default_store.quadrangle.state_as_of())
    total_row = model.rowCount() - 1
    assert model.total(Column.RESOURCES) == (18, 6)
    assert model.index(total_row, Column.RESOURCES).data() == "18 · 6/6"
    assert model.index(total_row, 0).data(RELATIONSHIP_ID_ROLE) is None
    assert not model.flags(model.index(total_row, 0)) & Qt.ItemFlag.ItemIsSelectable


def test_matrix_cells_follow_the_assessment_in_force(default_store):
    """A cell shows the weight of the version in force on the state's date, blank when absent."""
    state = default_store.quadrangle.state_as_of(date(2001, 6, 1))
    model = MotiveMatrixTableModel()
    model.set_state(state)
    row = model.row_of(default_store.quadrangle.find_relationship("UN-EU").id)
    assessment = state.relationship(default_store.quadrangle.find_relationship("UN-EU").id).assessment
    assert model.index(row, Column.LEGITIMIZATION).data() == str(assessment.weight(Motive.LEGITIMIZATION))
    assert model.index(row, Column.SURVIVAL).data() == ""
    assert model.index(row, Column.MATERIALIST).data() == str(assessment.materialist_weight)
