"""The window shows its level (issue 17): a status-bar banner with the highest marking on screen, a
view ceiling that filters every view as an export limit does, marked copies and diagram exports, and
the Markings dialog."""

from __future__ import annotations

import unicodedata
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from db import Store
from desktop.diagram.texts import counts_text, phase_text
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.settings import AppSettings
from tests.markings_helpers import CONFIDENTIAL_TEXT, SECRET_TEXTS, add_marked_material

SVG_TEXT = "{http://www.w3.org/2000/svg}text"


@pytest.fixture
def window(qtbot, mini_db_path, tmp_path):
    store = Store.open(mini_db_path, actor="tester")
    add_marked_material(store)
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(store, settings, StoreEvents(store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    store.close()


def _ceiling_action(window, text):
    return next(a for a in window.markings.menu.actions() if a.text() == text)


def test_the_banner_names_the_highest_marking_on_screen_and_follows_the_ceiling(window):
    """Without a ceiling the SECRET lesson counted on the card makes the screen SECRET; at
    UNCLASSIFIED every view shows only what an UNCLASSIFIED export would hold."""
    assert window.markings.banner.text().strip() == "SECRET"
    assert [a.text() for a in window.markings.menu.actions()] == [
        "Everything",
        "UNCLASSIFIED",
        "RESTRICTED",
        "CONFIDENTIAL",
        "SECRET",
    ]
    assert window.markings.menu.menuAction() in window.view_menu.actions()
    rel = window.state.relationships[0]
    assert rel.assessment.summary == CONFIDENTIAL_TEXT and counts_text(rel).startswith("3 lessons")

    _ceiling_action(window, "UNCLASSIFIED").trigger()
    assert window.markings.ceiling == "UNCLASSIFIED" and _ceiling_action(window, "UNCLASSIFIED").isChecked()
    assert window.markings.banner.text().strip() == "UNCLASSIFIED"
    rel = window.state.relationships[0]
    assert rel.assessment.summary != CONFIDENTIAL_TEXT and counts_text(rel).startswith("2 lessons")
    window.select_relationship(rel.relationship.id)
    panel = window.detail_panel
    lessons = [panel.lessons.item(i).text() for i in range(panel.lessons.count())]
    assert len(lessons) == 2 and not any("Secret finding OMX" in text for text in lessons)
    assert CONFIDENTIAL_TEXT not in panel.summary.text()
    assert window.comparison_model.rowCount() == 1


def test_an_assessment_with_no_version_at_the_ceiling_says_withheld(window):
    """The diagram, table and panel say "withheld", not "not assessed", and show nothing of the version."""
    from datetime import date

    from db import AssessmentInput, comparison_rows

    rel_id = window.state.relationships[0].relationship.id
    first = window.store.assessments.history(rel_id)[0]
    window.store.assessments.save(
        AssessmentInput(
            relationship_id=rel_id,
            as_of=date(2002, 6, 30),
            phases=first.phases,
            confidence=first.confidence,
            summary="Early secret view PLK",
            motives=first.motives,
            marking="SECRET",
        )
    )
    window.set_as_of(date(2002, 12, 31))
    window.markings.set_ceiling("CONFIDENTIAL")
    window.select_relationship(rel_id)
    rel = window.state.relationships[0]
    assert rel.assessment is None and rel.assessment_withheld
    assert phase_text(rel) == "Withheld"
    assert comparison_rows(window.state)[0].phase_label == "withheld"
    assert "withheld" in window.detail_panel.phase.text()
    assert "PLK" not in window.detail_panel.summary.text()


def test_copying_the_table_carries_the_banner_and_obeys_the_ceiling(window):
    """Edit > Copy table: the banner above and below, the rows as the ceiling shows them."""
    window.markings.set_ceiling("RESTRICTED")
    window.copy_action.trigger()
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0] == lines[-1] == "UNCLASSIFIED"
    window.markings.set_ceiling(None)
    window.copy_action.trigger()
    lines = QApplication.clipboard().text().splitlines()
    assert lines[0] == lines[-1] == "SECRET"


@pytest.mark.parametrize("suffix", [".svg", ".pdf", ".png"])
def test_the_diagram_export_has_a_banner_top_and_bottom_and_honours_its_limit(window, tmp_path, suffix):
    """The limit asked for ("Highest marking to include") is drawn off screen; the banner is on the
    image twice; no text of a withheld item is in the file."""
    target = tmp_path / f"diagram{suffix}"

    def ask():
        window.export_limit = "UNCLASSIFIED"  # as the "Highest marking to include" question would
        return str(target)

    window.ask_export_path = ask
    window.select_relationship(window.state.relationships[0].relationship.id)  # its card is shown
    window.export_action.trigger()
    assert window.markings.ceiling is None  # the screen itself is unchanged
    if suffix == ".svg":
        root = ElementTree.parse(target).getroot()
        texts = [" ".join(e.text.split()) for e in root.iter(SVG_TEXT) if e.text]
        assert texts.count("UNCLASSIFIED") == 2
        assert not any("3 lessons" in t for t in texts)
        body = target.read_text(encoding="utf-8")
    elif suffix == ".pdf":
        body = unicodedata.normalize("NFKC", PdfReader(str(target)).pages[0].extract_text())
        assert body.count("UNCLASSIFIED") == 2
    else:
        image = QImage(str(target))
        assert image.text("Title") == "UNCLASSIFIED"
        body = ""
    for secret in (*SECRET_TEXTS, CONFIDENTIAL_TEXT):
        assert secret not in body


def test_the_csv_exports_take_a_limit(window, tmp_path):
    """File > Export lessons as CSV at UNCLASSIFIED: no withheld lesson, source or theme named."""

    def choose(title, name):
        window.briefing.limit = "UNCLASSIFIED"
        return str(tmp_path / name)

    window.briefing.choose_csv_path = choose
    written = window.briefing.export_lessons()
    text = written.read_text(encoding="utf-8-sig")  # Excel's byte-order mark first
    assert text.splitlines()[0] == "UNCLASSIFIED"
    assert "Open finding citing a secret source" in text
    for secret in SECRET_TEXTS:
        assert secret not in text
    table = window.briefing.export_table().read_text(encoding="utf-8-sig")
    assert table.splitlines()[0] == "UNCLASSIFIED" and CONFIDENTIAL_TEXT not in table


def test_the_markings_dialog_edits_the_vocabulary_and_refuses_removing_one_in_use(window, qtbot):
    """Edit > Markings…: removing SECRET (in use) is refused with what uses it; adding a level with a
    handling statement is saved, and the window's ceiling menu and banner follow."""
    from desktop.main_menus import show_markings_dialog

    dialog = show_markings_dialog(window)
    qtbot.addWidget(dialog)
    assert window.markings_action in window.edit_menu.actions()
    dialog.levels_edit.setPlainText("UNCLASSIFIED\nRESTRICTED\nCONFIDENTIAL")
    assert not dialog.save()
    assert "SECRET is in use" in dialog.message.text() and dialog.isVisible()
    dialog.levels_edit.setPlainText("UNCLASSIFIED\nRESTRICTED\nCONFIDENTIAL\nSECRET\nCOSMIC TOP SECRET")
    dialog.handling_edit.setText("REL TO NATO/EU")
    assert dialog.save()
    assert window.store.catalog.marking_scheme().levels[-1] == "COSMIC TOP SECRET"
    assert [a.text() for a in window.markings.menu.actions()][-1] == "COSMIC TOP SECRET"
    assert window.markings.banner.text().strip() == "SECRET//REL TO NATO/EU"


def test_the_sources_library_export_takes_a_limit_and_is_marked(qtbot, window, tmp_path):
    """Sources window > Export: the highest marking to include is honoured and the file is marked."""
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QWidget

    from desktop.lessons import LessonsFeature

    parent = QWidget()
    qtbot.addWidget(parent)
    feature = LessonsFeature(window.store, StoreEvents(window.store), QUndoStack(parent), parent)
    feature.messages = []
    feature.inform = feature.messages.append
    library = feature.show_sources()
    qtbot.addWidget(library)
    target = tmp_path / "library.bib"

    def choose():
        library.export_limit = "CONFIDENTIAL"
        return target

    library.choose_export_file = choose
    library.export_file()
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == text.splitlines()[-1] == "@comment{Marking: UNCLASSIFIED}"
    assert "Secretauthor" not in text and "tardy-2005" in text
    assert "1 source above CONFIDENTIAL left out" in feature.messages[-1]


def test_a_markings_edit_is_one_undo_step_and_ctrl_z_restores_the_previous_scheme(window, qtbot):
    """Save through the dialog, then the main window's Undo: the previous levels, caveats and handling
    statement come back (banner and ceiling menu too); Redo applies the edit again."""
    from desktop.main_menus import show_markings_dialog

    before = window.store.catalog.marking_scheme()
    dialog = show_markings_dialog(window)
    qtbot.addWidget(dialog)
    dialog.levels_edit.setPlainText("UNCLASSIFIED\nRESTRICTED\nCONFIDENTIAL\nSECRET\nCOSMIC TOP SECRET")
    dialog.caveats_edit.setText("NOFORN")
    dialog.handling_edit.setText("REL TO NATO/EU")
    assert dialog.save()
    assert window.undo_stack.undoText() == "Edit markings (add COSMIC TOP SECRET; caveats; handling statement)"
    assert "Edit markings (add COSMIC TOP SECRET" in window.undo_action.text()
    assert window.markings.banner.text().strip() == "SECRET//NOFORN//REL TO NATO/EU"

    window.undo_action.trigger()
    assert window.store.catalog.marking_scheme() == before
    assert window.markings.banner.text().strip() == "SECRET"
    assert [a.text() for a in window.markings.menu.actions()][-1] == "SECRET"
    window.redo_action.trigger()
    after = window.store.catalog.marking_scheme()
    assert after.levels[-1] == "COSMIC TOP SECRET" and after.handling == "REL TO NATO/EU"


def test_a_refused_or_empty_markings_edit_leaves_the_scheme_and_the_undo_stack_as_they_were(window, qtbot):
    """Removing SECRET (a lesson carries it) is refused with what uses it: no step, no change; saving
    the scheme unchanged is no step either."""
    from desktop.main_menus import show_markings_dialog

    before = window.store.catalog.marking_scheme()
    steps = window.undo_stack.count()
    dialog = show_markings_dialog(window)
    qtbot.addWidget(dialog)
    dialog.levels_edit.setPlainText("UNCLASSIFIED\nRESTRICTED\nCONFIDENTIAL")
    assert not dialog.save()
    assert "SECRET is in use" in dialog.message.text()
    assert window.undo_stack.count() == steps and window.store.catalog.marking_scheme() == before
    dialog.levels_edit.setPlainText("\n".join(before.levels))
    assert dialog.save()
    assert window.undo_stack.count() == steps and window.store.catalog.marking_scheme() == before


def test_undoing_a_new_level_now_in_use_is_refused_and_changes_nothing(window, qtbot):
    """Add a level, mark a lesson with it, then Undo: the store refuses (the level is in use), the
    status bar says why, the scheme keeps the level and the step leaves the stack."""
    import dataclasses

    from db import LessonInput
    from desktop.main_menus import show_markings_dialog

    dialog = show_markings_dialog(window)
    qtbot.addWidget(dialog)
    dialog.levels_edit.setPlainText("UNCLASSIFIED\nRESTRICTED\nCONFIDENTIAL\nSECRET\nTOP SECRET")
    assert dialog.save()
    store = window.store
    lesson = store.lessons.all()[0]
    draft = dataclasses.replace(LessonInput.from_record(lesson), marking="TOP SECRET")
    store.lessons.update(lesson.id, draft, lesson.revision)
    window.undo_action.trigger()
    assert store.catalog.marking_scheme().levels[-1] == "TOP SECRET"
    assert "TOP SECRET is in use" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 0


def test_the_markings_dialog_refuses_a_look_alike_level(window, qtbot):
    """Typing "UNCLASSІFIED" (a Cyrillic І) as a new top level is refused in the dialog: the message
    says why, the dialog stays open, and the vocabulary and undo stack are unchanged."""
    from desktop.main_menus import show_markings_dialog

    before = window.store.catalog.marking_scheme()
    dialog = show_markings_dialog(window)
    qtbot.addWidget(dialog)
    dialog.levels_edit.setPlainText("\n".join((*before.levels, "UNCLASSІFIED")))
    assert not dialog.save()
    assert "mixes Latin and Cyrillic letters" in dialog.message.text() and dialog.isVisible()
    assert window.store.catalog.marking_scheme() == before and window.undo_stack.count() == 0
