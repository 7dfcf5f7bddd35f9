"""The audit log view: entries, filters, live refresh and paging."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from db import AssessmentInput, Confidence, Motive, MotiveAssessment, Phase
from desktop.audit import view as audit_view
from desktop.audit.view import AuditLogDialog
from desktop.events import StoreEvents


def _save(store, summary: str):
    rel = store.quadrangle.relationships()[0]
    return store.assessments.save(
        AssessmentInput(
            relationship_id=rel.id,
            as_of=date(2010, 1, 1),
            phases=(Phase.MAINTENANCE,),
            confidence=Confidence.HIGH,
            summary=summary,
            motives=tuple(MotiveAssessment(m, 0) for m in Motive),
        )
    )


def _rows(dialog) -> list[list[str]]:
    model = dialog.table.model()
    return [[model.index(r, c).data() for c in range(1, 5)] for r in range(model.rowCount())]


def test_audit_log_lists_changes_and_filters_them(qtbot, mini_store):
    """Saves by two analysts appear newest first; the Who, Action and search filters narrow the list."""
    _save(mini_store, "one")
    mini_store.actor = "Kristin"
    _save(mini_store, "two")
    dialog = AuditLogDialog(mini_store, StoreEvents(mini_store))
    qtbot.addWidget(dialog)
    dialog.open()
    assert _rows(dialog)[0] == [
        "Kristin",
        "save",
        "assessment",
        "Saved UN–EU assessment as of 2010-01-01 — summary: “one” → “two”",
    ]
    assert _rows(dialog)[-1][1] == "seed" and dialog.count_label.text() == "3 entries shown, newest first."
    dialog.actor_combo.setCurrentIndex(dialog.actor_combo.findText("tester"))
    assert [r[0] for r in _rows(dialog)] == ["tester"]
    dialog.actor_combo.setCurrentIndex(0)
    dialog.action_combo.setCurrentIndex(dialog.action_combo.findText("seed"))
    assert [r[1] for r in _rows(dialog)] == ["seed"]
    dialog.clear_filters()
    qtbot.keyClicks(dialog.text_edit, "UN-EU")  # the summary has an en dash: no match
    dialog.apply_filters()
    assert _rows(dialog) == []
    dialog.text_edit.clear()
    qtbot.keyClicks(dialog.text_edit, "ASSESSMENT AS OF")
    with qtbot.waitSignal(dialog.model.modelReset, timeout=3000):
        pass  # the debounced search runs once typing pauses
    assert len(_rows(dialog)) == 2


def test_date_filter_excludes_entries_outside_the_range(qtbot, mini_store):
    """Ticking "to" with a date before today hides today's entries."""
    dialog = AuditLogDialog(mini_store, StoreEvents(mini_store))
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.model.rowCount() == 1
    dialog.until_edit.setDate(dialog.until_edit.date().addDays(-1))
    qtbot.mouseClick(dialog.until_check, Qt.MouseButton.LeftButton)
    assert dialog.until_edit.isEnabled() and dialog.model.rowCount() == 0
    qtbot.mouseClick(dialog.until_check, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 1


def test_audit_log_refreshes_after_a_change(qtbot, mini_store):
    """A change made while the view is open appears at the top, and its actor joins the Who menu."""
    dialog = AuditLogDialog(mini_store, StoreEvents(mini_store))
    qtbot.addWidget(dialog)
    dialog.open()
    mini_store.actor = "Newcomer"
    _save(mini_store, "live")
    assert _rows(dialog)[0][0] == "Newcomer" and dialog.actor_combo.findText("Newcomer") >= 0


def test_audit_model_pages_with_fetch_more(qtbot, qtmodeltester, mini_store, monkeypatch):
    """The model loads a page at a time and fetches the rest on demand; it passes Qt's model tester."""
    monkeypatch.setattr(audit_view, "PAGE_SIZE", 2)
    for n in range(4):
        _save(mini_store, f"s{n}")
    model = audit_view.AuditLogTableModel(mini_store)
    model.set_filter(audit_view.AuditFilter())
    assert model.rowCount() == 2 and model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 5
    qtmodeltester.check(model)


def test_a_source_edit_shows_its_fields_before_and_after(qtbot, mini_store):
    """The audit-log window's What column shows a source edit's changed fields, old and new."""
    from dataclasses import replace

    from db import SourceInput

    source = mini_store.sources.all()[0]
    mini_store.sources.update(source.id, replace(SourceInput.from_record(source), year="1999"), source.revision)
    dialog = AuditLogDialog(mini_store, StoreEvents(mini_store))
    qtbot.addWidget(dialog)
    dialog.open()
    newest = _rows(dialog)[0]
    assert newest[1:3] == ["edit", "source"]
    assert newest[3] == f"Edited source {source.key} — year: “{source.year}” → “1999”"


def test_a_typed_date_filters_and_an_unreadable_one_is_said(qtbot, mini_store):
    """A whole date typed in "to" filters the list (with an empty state saying what to do); text that is
    no date is refused in words under the table."""
    dialog = AuditLogDialog(mini_store, StoreEvents(mini_store))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.until_check, Qt.MouseButton.LeftButton)
    edit = dialog.until_edit
    edit.setFocus()
    edit.lineEdit().selectAll()
    qtbot.keyClicks(edit, "2001-06-30")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter in a filter field does not close the log
    assert dialog.current_filter().until == date(2001, 6, 30)
    assert dialog.model.rowCount() == 0
    assert dialog.empty_state.label.isVisible() and "Clear filters" in dialog.empty_state.label.text()
    edit.lineEdit().selectAll()
    qtbot.keyClicks(edit, "yesterday")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert dialog.date_problem.isVisible() and "Cannot read “yesterday”" in dialog.date_problem.text()
    assert dialog.current_filter().until == date(2001, 6, 30)


def test_ctrl_w_closes_the_audit_log(qtbot, mini_store):
    """Like every secondary window, the audit log closes on Ctrl+W and has a Close button."""
    dialog = AuditLogDialog(mini_store, StoreEvents(mini_store))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    assert dialog.chrome.close_button.isVisible()
    dialog.chrome.close_action.trigger()
    assert not dialog.isVisible()


def test_the_audit_log_shares_undo_and_remembers_its_size(qtbot, mini_store, tmp_path):
    """Ctrl+Z in the audit log undoes the analyst's last step; closed and opened again, it has the same size."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack

    from desktop.organizations.commands import AddOrganizationCommand
    from desktop.settings import AppSettings

    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    stack = QUndoStack()
    stack.push(AddOrganizationCommand(mini_store, "OSCE", "OSCE", "regional"))
    dialog = AuditLogDialog(mini_store, StoreEvents(mini_store), undo_stack=stack, settings=settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.chrome.undo_action.trigger()
    assert "OSCE" not in {o.code for o in mini_store.quadrangle.organizations()}
    dialog.resize(780, 500)
    dialog.close()
    again = AuditLogDialog(mini_store, StoreEvents(mini_store), undo_stack=stack, settings=settings)
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == (780, 500)
