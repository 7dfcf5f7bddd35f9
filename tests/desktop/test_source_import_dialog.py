"""The import preview dialog (per-entry choice, apply to all, nothing written before Import), files
dropped on the sources window, "cited by" entries that open their owner, merging stored duplicates
from the window (undoable), and the searchable source picker."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QUndoStack
from PySide6.QtWidgets import QComboBox, QWidget

from db import ImportAction, ImportStatus, SourceInput
from desktop.events import StoreEvents
from desktop.lessons import LessonsFeature
from desktop.sources.import_dialog import ImportPreviewDialog
from desktop.sources.picker import make_searchable

DATA = Path(__file__).resolve().parent.parent / "data" / "references"


@pytest.fixture
def window(qtbot, mini_store):
    parent = QWidget()
    qtbot.addWidget(parent)
    feature = LessonsFeature(mini_store, StoreEvents(mini_store), QUndoStack(parent), parent)
    feature.messages = []
    feature.inform = feature.messages.append
    window = feature.show_sources()
    qtbot.addWidget(window)
    return window


def _with_osland(store):
    return store.sources.add(
        SourceInput(authors="Osland, K.", year="2004", title="The EU police mission in Bosnia and Herzegovina")
    )


def test_dialog_per_entry_choice_and_apply_to_all(qtbot, mini_store):
    """The dialog lists every entry with its status; Apply to all sets every duplicate; Import emits the choices."""
    _with_osland(mini_store)
    preview = mini_store.references.preview_import((DATA / "mendeley_export.bib").read_bytes(), "mendeley.bib")
    dialog = ImportPreviewDialog(preview)
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.table.rowCount() == 3
    assert [dialog.table.item(r, 1).text() for r in range(3)] == ["Duplicate", "New", "New"]
    assert dialog.choices() == {0: ImportAction.SKIP, 1: ImportAction.ADD, 2: ImportAction.ADD}
    dialog.all_action.setCurrentIndex(dialog.all_action.findData(ImportAction.MERGE))
    qtbot.mouseClick(dialog.apply_all_button, Qt.MouseButton.LeftButton)
    assert dialog.choices()[0] == ImportAction.MERGE
    dialog.set_action(2, ImportAction.SKIP)
    assert dialog.counts.text() == "Will add 1, merge 1, skip 1."
    assert len(mini_store.sources.all()) == 2  # nothing written by the preview
    with qtbot.waitSignal(dialog.import_chosen, timeout=1000) as signal:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert signal.args[0] == {0: ImportAction.MERGE, 1: ImportAction.ADD, 2: ImportAction.SKIP}


def test_window_import_through_the_dialog_merges_and_undoes(qtbot, window):
    """Choosing Merge in the preview fills the stored source; Undo takes the import back whole."""
    store = window.store
    kept = _with_osland(store)

    def answer(preview):
        dialog = ImportPreviewDialog(preview, window)
        qtbot.addWidget(dialog)
        dialog.open()
        dialog.set_action(0, ImportAction.MERGE)
        return dialog.choices()

    window.ask_import_choices = answer
    window.import_file(DATA / "mendeley_export.bib")
    assert store.sources.get(kept.id).doi == "10.1080/1353331042000249055"
    assert len(store.sources.all()) == 4 and "merged 1" in window.feature.messages[-1]
    window.undo_stack.undo()
    assert store.sources.get(kept.id).doi == "" and len(store.sources.all()) == 2
    window.undo_stack.redo()
    assert store.sources.get(kept.id).doi == "10.1080/1353331042000249055" and len(store.sources.all()) == 4


def _drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(QPoint(20, 20)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    return event


def test_dropped_reference_files_are_previewed_and_imported(qtbot, window, tmp_path):
    """Dropping a .ris and a .json imports both through the preview; other files are ignored."""
    seen = []
    window.ask_import_choices = lambda preview: seen.append(preview.format) or {}
    other = tmp_path / "notes.docx"
    other.write_bytes(b"x")
    before = len(window.store.sources.all())
    event = _drop(window, [DATA / "endnote_export.ris", DATA / "zotero_export.json", other])
    assert event.isAccepted()
    assert seen == ["ris", "csl-json"] and len(window.store.sources.all()) == before + 6
    seen.clear()
    _drop(window, [other])
    assert seen == []


def test_cited_by_entry_opens_the_citing_lesson(qtbot, window, monkeypatch):
    """Activating a lesson in "Cited by" asks the lessons feature to open it and emits owner_opened."""
    store = window.store
    cited = next(s for s in store.sources.all() if store.sources.cited_by(s.id))
    opened = []
    monkeypatch.setattr(window.feature, "edit_lesson", opened.append)
    window.select_source(cited.id)
    entries = store.sources.cited_by(cited.id)
    row = next(i for i, e in enumerate(entries) if e.owner_kind == "lesson")
    with qtbot.waitSignal(window.owner_opened, timeout=1000) as signal:
        window.cited_by.itemActivated.emit(window.cited_by.item(row))
    assert signal.args == ["lesson", entries[row].owner_id] and opened == [entries[row].owner_id]


def test_merge_duplicate_from_the_window_and_undo(qtbot, window):
    """The selected source merges with its stored duplicate after the question; Undo restores it."""
    store = window.store
    kept = _with_osland(store)
    duplicate = store.sources.add(
        SourceInput(
            authors="Osland, Kari M.",
            year="2004",
            title="The EU Police Mission in Bosnia and Herzegovina",
            doi="10.1/o",
        )
    )
    questions = []
    window.confirm_merge = lambda text: questions.append(text) or True
    window.refresh()
    window.select_source(duplicate.id)
    qtbot.mouseClick(window.findChild(QWidget, "mergeDuplicate"), Qt.MouseButton.LeftButton)
    assert questions and duplicate.key in questions[0]
    assert duplicate.id not in {s.id for s in store.sources.all()} and store.sources.get(kept.id).doi == "10.1/o"
    window.undo_stack.undo()
    assert store.sources.get(duplicate.id).doi == "10.1/o" and store.sources.get(kept.id).doi == ""


def test_source_picker_filters_by_author_year_and_title_words(qtbot):
    """Typed words in any order, accents ignored, leave only the matching sources; choosing one selects it."""
    combo = QComboBox()
    qtbot.addWidget(combo)
    for label, ident, title in (
        ("Osland (2004) — The EU Police Mission", "o", "The EU Police Mission in Bosnia and Herzegovina"),
        ("Tardy (2005) — EU-UN cooperation", "t", "EU-UN cooperation in peacekeeping"),
        ("Grünewald et al. (2006) — Réflexions", "g", "Réflexions sur la coopération"),
    ):
        combo.addItem(label, ident)
        combo.setItemData(combo.count() - 1, title, Qt.ItemDataRole.ToolTipRole)
    picker = make_searchable(combo)
    assert picker.search("2004 osland") == ["Osland (2004) — The EU Police Mission"]
    assert picker.search("grunewald cooperation") == ["Grünewald et al. (2006) — Réflexions"]
    assert picker.search("peacekeeping") == ["Tardy (2005) — EU-UN cooperation"]  # a word of the full title
    assert len(picker.search("")) == 3
    picker.search("tardy")
    picker._chosen(picker.filter.index(0, 0))
    assert combo.currentData() == "t"


def test_preview_statuses_reach_the_dialog_for_a_conflict(qtbot, mini_store):
    """A conflicting entry says which fields differ in its tooltip."""
    mini_store.sources.add(SourceInput(authors="X, Y.", year="1948", title="Another title", isbn="0070433062"))
    preview = mini_store.references.preview_import((DATA / "mendeley_export.bib").read_bytes(), "m.bib")
    row = next(e.index for e in preview.entries if e.status == ImportStatus.CONFLICT)
    dialog = ImportPreviewDialog(preview)
    qtbot.addWidget(dialog)
    assert dialog.table.item(row, 1).text() == "Conflict"
    assert "Title: library" in dialog.table.item(row, 2).toolTip() and "<qt>" not in dialog.table.item(row, 2).text()
