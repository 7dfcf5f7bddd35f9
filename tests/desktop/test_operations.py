"""The operations view: add and edit through the dialog, trash with undo, a lesson from an
operation, adding it to field cooperation, and the model under qtmodeltester."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from db import OperationInput, OperationStatus
from desktop.events import StoreEvents
from desktop.lessons import LessonsFeature
from desktop.operations.table_model import OperationTableModel


@pytest.fixture
def window(qtbot, mini_store):
    parent = QWidget()
    qtbot.addWidget(parent)
    feature = LessonsFeature(mini_store, StoreEvents(mini_store), QUndoStack(parent), parent)
    feature.messages = []
    feature.inform = feature.messages.append
    window = feature.show_operations()
    qtbot.addWidget(window)
    return window


def test_add_and_edit_operation_through_dialog(qtbot, window):
    """An operation typed into the dialog is stored; editing it bumps its revision; undo reverts."""
    store = window.store
    qtbot.mouseClick(window.findChild(QWidget, "addOperation"), Qt.MouseButton.LeftButton)
    dialog = window.dialog
    qtbot.keyClicks(dialog.acronym, "Artemis")
    qtbot.keyClicks(dialog.name, "Operation Artemis")
    qtbot.keyClicks(dialog.location, "Bunia, DR Congo")
    dialog.lead.setCurrentIndex(dialog.lead.findData("EU"))
    dialog.status.setCurrentIndex(dialog.status.findData("completed"))
    qtbot.keyClicks(dialog.start, "2003-06")
    qtbot.keyClicks(dialog.end, "2003-09")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    record = next(o for o in store.operations.all() if o.acronym == "Artemis")
    assert record.lead_code == "EU" and record.end == "2003-09" and record.status.value == "completed"

    window.select_operation(record.id)
    editor = window.edit_current()
    editor.mandate.setText("UNSC resolution 1484")
    with qtbot.waitSignal(editor.accepted, timeout=1000):
        editor.submit()
    assert store.operations.get(record.id).mandate == "UNSC resolution 1484"
    window.undo_stack.undo()
    assert store.operations.get(record.id).mandate == ""
    window.undo_stack.undo()
    assert record.id not in {o.id for o in store.operations.all()}


def test_bad_dates_are_explained_in_the_dialog(qtbot, window):
    """A date the store refuses is explained and the dialog stays open."""
    dialog = window.add_operation()
    dialog.acronym.setText("X")
    dialog.name.setText("Y")
    dialog.start.setText("June 2003")
    dialog.submit()
    assert dialog.isVisible() and "June 2003" in dialog.error.text()


def test_delete_undo_and_lesson_from_operation(qtbot, window):
    """Trashing an operation is undoable; "Add lesson..." pre-fills the operation; "Show lessons" filters."""
    store = window.store
    operation = store.operations.all()[0]
    window.select_operation(operation.id)
    qtbot.mouseClick(window.findChild(QWidget, "deleteOperation"), Qt.MouseButton.LeftButton)
    assert operation.id not in {o.id for o in store.operations.all()}
    window.undo_stack.undo()
    assert operation.id in {o.id for o in store.operations.all()}
    qtbot.waitUntil(lambda: window.model.row_of(operation.id) >= 0, timeout=1000)
    window.select_operation(operation.id)
    qtbot.mouseClick(window.findChild(QWidget, "addLessonFromOperation"), Qt.MouseButton.LeftButton)
    dialog = window.feature.dialogs[-1]
    assert dialog.draft().operation_id == operation.id
    dialog.reject()
    qtbot.mouseClick(window.findChild(QWidget, "showOperationLessons"), Qt.MouseButton.LeftButton)
    assert window.feature.browser().filters().operation_id == operation.id


def test_add_to_field_cooperation_is_undoable(qtbot, window):
    """An operation joins a relationship's field cooperation, shows it as touched, and undo removes it."""
    store = window.store
    record = store.operations.add(
        OperationInput(
            acronym="AMIS",
            name="AU Mission in Sudan",
            status=OperationStatus.ONGOING,
            location="Darfur",
            lead_code="EU",
            start="2004",
        )
    )
    relationship = store.quadrangle.relationships()[0]
    qtbot.waitUntil(lambda: window.model.row_of(record.id) >= 0, timeout=1000)
    before = store.catalog.cooperation(relationship.id)
    window.select_operation(record.id)
    window.choose_relationship = lambda _record: relationship.id
    qtbot.mouseClick(window.findChild(QWidget, "addToCooperation"), Qt.MouseButton.LeftButton)
    after = store.catalog.cooperation(relationship.id)
    (joined,) = [c for c in after if c not in before]
    assert len(after) == len(before) + 1
    assert (joined.location, joined.start_year, joined.operation_acronyms) == ("Darfur", 2004, ("AMIS",))
    assert "Relationships touched: " in window.detail.text() and relationship.label in window.detail.text()
    window.undo_stack.undo()
    assert store.catalog.cooperation(relationship.id) == before


def test_operation_model_passes_modeltester(qtmodeltester, default_store):
    """The operations model is a valid Qt model."""
    model = OperationTableModel()
    model.set_rows(default_store.operations.all(), default_store.operations.lesson_counts())
    qtmodeltester.check(model)


def _tab_order(dialog) -> list[str]:
    names, widget = [], dialog.nextInFocusChain()
    while widget is not dialog:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible() and widget.objectName():
            names.append(widget.objectName())
        widget = widget.nextInFocusChain()
    return names


def test_tab_reaches_the_organizations_before_save(qtbot, window):
    """Tab walks the form from top to bottom: the organizations involved come after the lead
    organization, and Save and Cancel come last."""
    dialog = window.add_operation()
    qtbot.waitExposed(dialog)
    dialog.save_button.setObjectName("save")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).setObjectName("cancel")
    order = _tab_order(dialog)
    assert order.index("lead") < order.index("organizations") < order.index("notes")
    assert order[-2:] == ["save", "cancel"]
    dialog.reject()


def test_a_changed_mandate_asks_its_date_and_shows_in_the_history(qtbot, window):
    """Changing the mandate in the editor shows a date field; the day typed there is kept in the
    mandate history, shown in the operation's record; undo withdraws the entry, redo brings it back."""
    store = window.store
    record = store.operations.add(
        OperationInput(
            acronym="EUFOR Althea",
            name="EU force in Bosnia",
            status=OperationStatus.ONGOING,
            start="2004-12-02",
            mandate="UNSC resolution 1575",
        )
    )
    window.refresh()
    window.select_operation(record.id)
    editor = window.edit_current()
    assert not editor.mandate_effective.isVisibleTo(editor)
    editor.notes.setPlainText("Checked.")
    assert not editor.mandate_effective.isVisibleTo(editor)
    editor.mandate.selectAll()
    qtbot.keyClicks(editor.mandate, "UNSC resolution 1639")
    assert editor.mandate_effective.isVisibleTo(editor) and editor.mandate_correction.isVisibleTo(editor)
    editor.mandate_effective.lineEdit().selectAll()
    qtbot.keyClicks(editor.mandate_effective.lineEdit(), "2005-11-21")
    with qtbot.waitSignal(editor.accepted, timeout=1000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    (change,) = store.operations.get(record.id).mandate_history
    assert (change.effective_on.isoformat(), change.old_mandate, change.new_mandate) == (
        "2005-11-21",
        "UNSC resolution 1575",
        "UNSC resolution 1639",
    )
    window.select_operation(record.id)
    assert "2005-11-21: “UNSC resolution 1575” → “UNSC resolution 1639”" in window.detail.text()
    window.undo_stack.undo()
    undone = store.operations.get(record.id)
    assert undone.mandate == "UNSC resolution 1575" and undone.mandate_history == ()
    window.undo_stack.redo()
    assert [h.id for h in store.operations.get(record.id).mandate_history] == [change.id]


def test_an_unreadable_mandate_date_is_refused_and_nothing_is_saved(qtbot, window):
    """A mandate date that cannot be read is said in the dialog, which stays open; the store is unchanged."""
    store = window.store
    record = store.operations.add(
        OperationInput(acronym="EUPM II", name="EU police mission", status=OperationStatus.ONGOING, start="2003-01")
    )
    window.refresh()
    window.select_operation(record.id)
    editor = window.edit_current()
    qtbot.keyClicks(editor.mandate, "Council Joint Action 2002/210")
    editor.mandate_effective.lineEdit().selectAll()
    qtbot.keyClicks(editor.mandate_effective.lineEdit(), "next spring")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible() and not editor.error.isHidden()
    assert "Cannot read “next spring”" in editor.error.text()
    assert store.operations.get(record.id).mandate == ""


def test_a_mandate_dated_before_the_start_is_explained(qtbot, window):
    """The store's refusal of a mandate dated before the operation started is shown, nothing saved."""
    store = window.store
    record = store.operations.add(
        OperationInput(
            acronym="MINURCAT", name="UN mission in CAR and Chad", status=OperationStatus.ONGOING, start="2007-09-25"
        )
    )
    window.refresh()
    window.select_operation(record.id)
    editor = window.edit_current()
    qtbot.keyClicks(editor.mandate, "UNSC resolution 1778")
    editor.mandate_effective.setDate(QDate(2007, 1, 1))
    editor.submit()
    assert "before the operation started" in editor.error.text() and editor.isVisible()
    assert store.operations.get(record.id).mandate_history == ()


def test_a_corrected_mandate_text_keeps_no_history_entry(qtbot, window):
    """Ticking "only a correction" saves the new text without a history entry (it is no newer
    evidence); undo and redo keep it a correction."""
    store = window.store
    record = store.operations.add(
        OperationInput(
            acronym="UNMIS II",
            name="UN mission in Sudan",
            status=OperationStatus.ONGOING,
            start="2005-03-24",
            mandate="UNSC resolution 1950",
        )
    )
    window.refresh()
    window.select_operation(record.id)
    editor = window.edit_current()
    editor.mandate.selectAll()
    qtbot.keyClicks(editor.mandate, "UNSC resolution 1590")
    qtbot.mouseClick(editor.mandate_correction, Qt.MouseButton.LeftButton)
    assert not editor.mandate_effective.isEnabled()
    with qtbot.waitSignal(editor.accepted, timeout=1000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    corrected = store.operations.get(record.id)
    assert corrected.mandate == "UNSC resolution 1590" and corrected.mandate_history == ()
    window.undo_stack.undo()
    assert store.operations.get(record.id).mandate == "UNSC resolution 1950"
    window.undo_stack.redo()
    assert store.operations.get(record.id).mandate_history == ()


def test_an_ended_operations_new_mandate_defaults_to_its_end(qtbot, window):
    """For an operation that ended, the date offered is its last day, not today (which the store refuses)."""
    store = window.store
    record = store.operations.add(
        OperationInput(
            acronym="Artemis II",
            name="Operation Artemis",
            status=OperationStatus.COMPLETED,
            start="2003-06",
            end="2003-09",
        )
    )
    window.refresh()
    window.select_operation(record.id)
    editor = window.edit_current()
    qtbot.keyClicks(editor.mandate, "UNSC resolution 1484")
    assert editor.mandate_effective.date() == QDate(2003, 9, 30)
    with qtbot.waitSignal(editor.accepted, timeout=1000):
        editor.submit()
    assert store.operations.get(record.id).mandate_history[0].effective_on.isoformat() == "2003-09-30"
