"""The sources library window: import BibTeX and RIS files (undoable), refuse malformed files whole,
export BibTeX, add and edit sources, "cited by", and the model under qtmodeltester."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from db.bibtex import parse_bibtex
from desktop.events import StoreEvents
from desktop.lessons import LessonsFeature
from desktop.sources.table_model import SourceTableModel

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def window(qtbot, mini_store):
    parent = QWidget()
    qtbot.addWidget(parent)
    feature = LessonsFeature(mini_store, StoreEvents(mini_store), QUndoStack(parent), parent)
    feature.messages = []
    feature.inform = feature.messages.append
    window = feature.show_sources()
    qtbot.addWidget(window)
    # The preview's defaults (add the new, skip duplicates), as pressing Import in the dialog does.
    window.previews = []
    window.ask_import_choices = lambda preview: window.previews.append(preview) or {}
    return window


def test_import_bibtex_file_and_undo(qtbot, window):
    """Importing a Zotero .bib adds its entries in one undo step."""
    store = window.store
    before = len(store.sources.all())
    window.choose_import_file = lambda: DATA / "zotero_export.bib"
    qtbot.mouseClick(window.findChild(QWidget, "importSources"), Qt.MouseButton.LeftButton)
    assert len(store.sources.all()) == before + 4
    assert window.model.rowCount() == before + 4
    assert "Imported 4 source(s)" in window.feature.messages[-1]
    window.undo_stack.undo()
    assert len(store.sources.all()) == before
    window.undo_stack.redo()
    assert len(store.sources.all()) == before + 4


def test_import_ris_file(qtbot, window):
    """A .ris file is recognised and imported."""
    store = window.store
    before = {s.id for s in store.sources.all()}
    window.import_file(DATA / "zotero_export.ris")
    added = [s for s in store.sources.all() if s.id not in before]
    assert sorted((s.title, s.year) for s in added) == [
        ("A Secure Europe in a Better World", "2003"),
        ("EU-UN Cooperation in Peacekeeping: A Promising Relationship in a Constrained Environment", "2005"),
        ("Réflexions sur la coopération", "2006"),
    ]
    assert window.model.rowCount() == len(before) + 3


def test_malformed_block_is_shown_in_the_preview_and_cancel_writes_nothing(qtbot, window, tmp_path):
    """A block that cannot be read is listed in the preview with its line; cancelling imports nothing."""
    bad = tmp_path / "bad.bib"
    bad.write_text("@article{ok, title={Fine}}\n@article{broken, title = {never closed}\n", encoding="utf-8")
    before = window.store.sources.all()
    window.ask_import_choices = lambda preview: window.previews.append(preview) and None
    window.import_file(bad)
    (preview,) = window.previews
    assert [e.draft.key for e in preview.entries] == ["ok"]
    assert len(preview.problems) == 1 and preview.problems[0].startswith("line 2:")
    assert window.store.sources.all() == before
    assert "bad.bib" in window.feature.messages[-1] and "nothing was written" in window.feature.messages[-1]
    assert window.undo_stack.count() == 0


def test_unreadable_file_is_refused_with_one_line(qtbot, window, tmp_path):
    """A binary file is refused with one line naming it, before any preview."""
    bad = tmp_path / "picture.bib"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00")
    window.import_file(bad)
    assert window.previews == [] and "picture.bib" in window.feature.messages[-1]
    assert "\n" not in window.feature.messages[-1] and window.undo_stack.count() == 0


def test_export_bibtex(qtbot, window, tmp_path):
    """The library is written as BibTeX that parses back with every source."""
    target = tmp_path / "library.bib"
    window.choose_export_file = lambda: target
    qtbot.mouseClick(window.findChild(QWidget, "exportSources"), Qt.MouseButton.LeftButton)
    written = parse_bibtex(target.read_text(encoding="utf-8"))
    stored = window.store.sources.all()
    assert sorted((s.key, s.title, s.year) for s in written) == sorted((s.key, s.title, s.year) for s in stored)


def test_add_edit_and_cited_by(qtbot, window):
    """A source added and edited in the dialog is stored; a cited source lists its citers."""
    store = window.store
    dialog = window.add_source()
    qtbot.keyClicks(dialog.authors, "Osland, K.")
    qtbot.keyClicks(dialog.year, "2004")
    qtbot.keyClicks(dialog.title, "The EU Police Mission in Bosnia and Herzegovina")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    record = next(s for s in store.sources.all() if s.key == "osland-2004")
    window.select_source(record.id)
    editor = window.edit_current()
    editor.place.setText("Oslo")
    with qtbot.waitSignal(editor.accepted, timeout=1000):
        editor.submit()
    assert store.sources.get(record.id).place == "Oslo"
    cited = next(s for s in store.sources.all() if store.sources.cited_by(s.id))
    window.select_source(cited.id)
    texts = [window.cited_by.item(i).text() for i in range(window.cited_by.count())]
    assert texts == [c.label + (f"  (p. {c.locator})" if c.locator else "") for c in store.sources.cited_by(cited.id)]


def test_source_model_passes_modeltester(qtmodeltester, default_store):
    """The sources model is a valid Qt model."""
    model = SourceTableModel()
    model.set_rows(default_store.sources.all(), default_store.sources.citation_counts())
    qtmodeltester.check(model)


def test_library_editor_shows_and_edits_creators_with_their_roles(qtbot, window):
    """Editing a stored edited volume shows its editors in the creators table; turning one into a
    translator stores that role, and the untouched creator keeps its name suffix."""
    from db import Creator, CreatorRole, SourceInput

    store = window.store
    record = store.sources.add(
        SourceInput(
            authors="",
            title="Peace operations in Africa",
            year="2009",
            creators=(
                Creator(family="Pugh", given="Michael", role=CreatorRole.EDITOR, suffix="Jr."),
                Creator(family="Sidhu", given="W. P. S.", role=CreatorRole.EDITOR),
            ),
        )
    )
    window.refresh()
    window.select_source(record.id)
    editor = window.edit_current()
    table = editor.creators_table.table
    assert [(table.item(r, 1).text(), table.cellWidget(r, 0).currentText()) for r in range(table.rowCount())] == [
        ("Pugh", "Editor"),
        ("Sidhu", "Editor"),
    ]
    editor.creators_table.set_role(1, CreatorRole.TRANSLATOR)
    with qtbot.waitSignal(editor.accepted, timeout=1000):
        editor.submit()
    stored = store.sources.get(record.id).creators
    assert [(c.family, c.role, c.suffix) for c in stored] == [
        ("Pugh", CreatorRole.EDITOR, "Jr."),
        ("Sidhu", CreatorRole.TRANSLATOR, ""),
    ]


def test_library_editor_author_line_still_replaces_untouched_creators(qtbot, window):
    """With the creators table left as it was, a changed author line is what is stored."""
    store = window.store
    record = store.sources.all()[0]
    window.select_source(record.id)
    editor = window.edit_current()
    editor.authors.setText("Tardy, T.")
    with qtbot.waitSignal(editor.accepted, timeout=1000):
        editor.submit()
    assert [c.family for c in store.sources.get(record.id).creators] == ["Tardy"]
