"""The assessment editor's "New source" dialog holds the full bibliographic record (the sources
library's own form) and creators with their roles, driven through its widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit

from db import CreatorRole, ItemType
from desktop.assessments.editor import AssessmentEditorDialog
from desktop.assessments.sources import NewSourceDialog
from desktop.events import StoreEvents
from desktop.sources.editor import SourceDialog


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type_cell(qtbot, table, row: int, column: int, text: str) -> None:
    table.setCurrentCell(row, column)
    table.editItem(table.item(row, column))
    (editor,) = [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]  # the open cell editor
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the event loop
    qtbot.waitUntil(lambda: table.item(row, column).text() == text)


def test_new_source_takes_the_full_record_with_creators_and_roles(qtbot, mini_store):
    """A chapter with an author, two editors and an institution, pages, DOI, ISBN, URL and access
    date, document symbol and marking is stored as typed, and becomes the chosen source to cite."""
    relationship = mini_store.quadrangle.relationships()[0]
    editor = AssessmentEditorDialog(mini_store, StoreEvents(mini_store), relationship.id, undo_stack=QUndoStack())
    qtbot.addWidget(editor)
    editor.open()
    _click(qtbot, editor.new_source_button)
    dialog = editor.source_dialog
    assert isinstance(dialog, NewSourceDialog) and isinstance(dialog, SourceDialog)  # the library's own form
    dialog.item_type.setCurrentIndex(dialog.item_type.findData(ItemType.CHAPTER.value))
    creators = dialog.creators_table
    for role, family, given in (
        (CreatorRole.AUTHOR, "de Coning", "Cedric"),
        (CreatorRole.EDITOR, "Pugh", "Michael"),
        (CreatorRole.EDITOR, "Sidhu", "W. P. S."),
    ):
        _click(qtbot, creators.add_button)
        row = creators.table.rowCount() - 1
        creators.set_role(row, role)
        _type_cell(qtbot, creators.table, row, 1, family)
        _type_cell(qtbot, creators.table, row, 2, given)
    _click(qtbot, creators.add_button)
    _type_cell(qtbot, creators.table, 3, 1, "African Union Commission")
    creators.set_institution(3, True)
    for name, text in (
        ("year", "2007"),
        ("date", "2007-05"),
        ("title", "The African Union and hybrid missions"),
        ("container", "The United Nations and Regional Security"),
        ("volume", "2"),
        ("issue", "3"),
        ("pages", "41-58"),
        ("publisher", "Lynne Rienner"),
        ("place", "Boulder"),
        ("document_symbol", "S/2007/307"),
        ("doi", "10.1080/13533310500201894"),
        ("isbn", "978-1-58826-123-4"),
        ("issn", "1353-3312"),
        ("url", "https://example.org/chapter"),
        ("accessed", "2024-03-01"),
    ):
        qtbot.keyClicks(getattr(dialog, name), text)
    dialog.marking.setCurrentIndex(dialog.marking.count() - 1)
    with qtbot.waitSignal(dialog.source_added) as added:
        _click(qtbot, dialog.save_button)
    stored = mini_store.sources.get(added.args[0].id)
    assert stored.item_type == ItemType.CHAPTER
    assert [(c.role, c.family or c.literal, c.given) for c in stored.creators] == [
        (CreatorRole.AUTHOR, "de Coning", "Cedric"),
        (CreatorRole.EDITOR, "Pugh", "Michael"),
        (CreatorRole.EDITOR, "Sidhu", "W. P. S."),
        (CreatorRole.AUTHOR, "African Union Commission", ""),
    ]
    assert stored.creators[3].is_institution
    assert (stored.container, stored.volume, stored.issue, stored.pages) == (
        "The United Nations and Regional Security",
        "2",
        "3",
        "41-58",
    )
    assert (stored.publisher, stored.place, stored.date, stored.document_symbol) == (
        "Lynne Rienner",
        "Boulder",
        "2007-05",
        "S/2007/307",
    )
    assert (stored.doi, stored.isbn, stored.issn) == ("10.1080/13533310500201894", "978-1-58826-123-4", "1353-3312")
    assert (stored.url, stored.accessed) == ("https://example.org/chapter", "2024-03-01")
    assert stored.marking == dialog.marking.currentData() != "UNCLASSIFIED"
    assert stored.authors.startswith("de Coning")
    assert editor.source_combo.currentData() == stored.id


def test_a_refused_source_keeps_the_dialog_open_and_adds_nothing(qtbot, mini_store):
    """Without a title the store's one-line reason is shown and nothing is added."""
    before = len(mini_store.sources.all())
    dialog = NewSourceDialog(mini_store, mini_store.sources.add)
    qtbot.addWidget(dialog)
    dialog.open()
    _click(qtbot, dialog.creators_table.add_button)
    _type_cell(qtbot, dialog.creators_table.table, 0, 1, "Tardy")
    _click(qtbot, dialog.save_button)
    assert dialog.isVisible() and dialog.error.text() == "Give the source its title."
    assert len(mini_store.sources.all()) == before
