"""The lessons widgets: create, edit, delete and restore through the dialogs; search and filters in
the browser; the theme overview; undo; the menu hook; and the models under qtmodeltester."""

from __future__ import annotations

import re
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import QWidget

from db import LessonFilters, LessonInput, LessonKind
from desktop.events import StoreEvents
from desktop.lessons import LessonsFeature
from desktop.lessons.highlight import HIGHLIGHT, match_ranges
from desktop.lessons.table_model import Column, LessonTableModel
from desktop.lessons.theme_overview import ThemeOverviewTableModel


@pytest.fixture
def feature(qtbot, mini_store):
    parent = QWidget()
    qtbot.addWidget(parent)
    stack = QUndoStack(parent)
    feature = LessonsFeature(mini_store, StoreEvents(mini_store), stack, parent)
    feature.messages = []
    feature.inform = feature.messages.append
    feature.confirm = lambda question: True
    return feature


def add(store, finding, **extra) -> str:
    values = dict(
        finding=finding,
        kind=LessonKind.CHALLENGE,
        recorded_on=date(2008, 1, 1),
        relationship_ids=(store.quadrangle.relationships()[0].id,),
        theme_keys=(store.catalog.themes()[0].key,),
    )
    values.update(extra)
    return store.lessons.add(LessonInput(**values)).id


def check_first(widget) -> None:
    widget.item(0).setCheckState(Qt.CheckState.Checked)


def shown_ids(browser) -> list[str]:
    return [browser.model.hit(r).lesson.id for r in range(browser.model.rowCount())]


def test_create_edit_delete_restore_through_widgets(qtbot, feature):
    """A lesson typed into the editor is saved, edited, moved to the trash and restored, all via widgets."""
    store = feature.store
    browser = feature.show_browser()
    qtbot.addWidget(browser)
    before = store.lessons.count()

    qtbot.mouseClick(browser.findChild(QWidget, "addLesson"), Qt.MouseButton.LeftButton)
    dialog = feature.dialogs[-1]
    qtbot.keyClicks(dialog.finding, "Liaison officers arrived too late in Bunia.")
    qtbot.keyClicks(dialog.recommendation, "Deploy liaison teams first.")
    check_first(dialog.relationships)
    check_first(dialog.themes)
    qtbot.mouseClick(dialog.findChild(QWidget, "addCitation"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.citations.cellWidget(0, 1), "15-17")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.error.isVisible(), dialog.error.text()
    assert store.lessons.count() == before + 1
    created = store.lessons.search("Bunia liaison").hits[0].lesson
    assert created.recommendation == "Deploy liaison teams first." and created.citations[0].locator == "15-17"
    assert created.created_by == "tester"

    browser.refresh()
    assert browser.select_lesson(created.id)
    qtbot.mouseClick(browser.findChild(QWidget, "editLesson"), Qt.MouseButton.LeftButton)
    editor = feature.dialogs[-1]
    assert editor.finding.toPlainText() == created.finding
    editor.finding.selectAll()
    qtbot.keyClicks(editor.finding, "Liaison officers arrived on time.")
    with qtbot.waitSignal(editor.accepted):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert store.lessons.get(created.id).finding == "Liaison officers arrived on time."
    assert store.lessons.get(created.id).revision == 2

    browser.refresh()
    browser.select_lesson(created.id)
    qtbot.mouseClick(browser.findChild(QWidget, "deleteLesson"), Qt.MouseButton.LeftButton)
    assert store.lessons.get(created.id).deleted_at is not None
    assert created.id not in shown_ids(browser) or browser.refresh() or created.id not in shown_ids(browser)

    trash = feature.show_trash()
    qtbot.addWidget(trash)
    trash.refresh()
    trash.table.selectRow(0)
    qtbot.mouseClick(trash.findChild(QWidget, "restore"), Qt.MouseButton.LeftButton)
    assert store.lessons.get(created.id).deleted_at is None


def test_undo_and_redo_every_lesson_edit(qtbot, feature):
    """Add, edit and delete are each undone and redone through the undo stack."""
    store = feature.store
    dialog = feature.add_lesson(relationship_id=store.quadrangle.relationships()[0].id)
    qtbot.keyClicks(dialog.finding, "Radios were incompatible.")
    check_first(dialog.themes)
    dialog.submit()
    lesson_id = store.lessons.search("incompatible").hits[0].lesson.id
    editor = feature.edit_lesson(lesson_id)
    editor.finding.setPlainText("Radios were compatible after all.")
    editor.submit()
    feature.delete_lessons([lesson_id])
    stack = feature.undo_stack
    assert stack.count() == 3

    stack.undo()
    assert store.lessons.get(lesson_id).deleted_at is None
    stack.undo()
    assert store.lessons.get(lesson_id).finding == "Radios were incompatible."
    stack.undo()
    assert store.lessons.search("incompatible").hits == ()
    stack.redo()
    assert store.lessons.get(lesson_id).finding == "Radios were incompatible."
    stack.redo()
    assert store.lessons.get(lesson_id).finding == "Radios were compatible after all."
    stack.redo()
    assert store.lessons.get(lesson_id).deleted_at is not None
    assert feature.messages == []


def test_editor_prefills_relationship_and_shows_validation(qtbot, feature):
    """ "Add lesson..." arrives with the relationship ticked; saving without a finding explains why."""
    relationship = feature.store.quadrangle.relationships()[0]
    dialog = feature.add_lesson(relationship_id=relationship.id)
    assert dialog.draft().relationship_ids == (relationship.id,)
    check_first(dialog.themes)
    dialog.submit()
    assert dialog.isVisible() and "finding" in dialog.error.text()


def test_conflict_in_editor_keeps_dialog_open_then_overwrites(qtbot, feature):
    """When another analyst saved first, Save explains it; saving again overwrites deliberately."""
    store = feature.store
    lesson_id = add(store, "Original text.")
    dialog = feature.edit_lesson(lesson_id)
    other = store.lessons.get(lesson_id)
    store.lessons.update(
        lesson_id,
        LessonInput.from_record(other).__class__(
            **{**LessonInput.from_record(other).__dict__, "finding": "Their text."}
        ),
        other.revision,
    )
    dialog.finding.setPlainText("My text.")
    dialog.submit()
    assert dialog.isVisible() and "saved this record since" in dialog.error.text()
    assert store.lessons.get(lesson_id).finding == "Their text."
    with qtbot.waitSignal(dialog.accepted):
        dialog.submit()
    assert store.lessons.get(lesson_id).finding == "My text."


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("route-clearance", {"target"}),
        ('"unbalanced', {"target"}),
        ("NEAR(", {"target"}),
        ("cafe", {"accent"}),
        ("clearance", {"target", "other"}),
    ],
)
def test_search_as_you_type_finds_the_right_rows(qtbot, feature, typed, expected):
    """Typed text, including hyphens, quotes, operators and missing accents, finds the right lessons."""
    store = feature.store
    ids = {
        "target": add(store, "Route-clearance was unbalanced near Kindu."),
        "other": add(store, "Clearance of mines took weeks."),
        "accent": add(store, "Meetings at the Café du Lac went well."),
    }
    browser = feature.show_browser()
    qtbot.addWidget(browser)
    qtbot.keyClicks(browser.search, typed)
    wanted = {ids[name] for name in expected}
    qtbot.waitUntil(lambda: set(shown_ids(browser)) == wanted, timeout=2000)
    assert tuple(browser.model.terms) == tuple(re.findall(r"\w+", typed.lower()))  # the words highlighted
    assert browser.status.text().endswith("best matches first")


def test_filters_narrow_the_rows(qtbot, feature):
    """Kind, theme, date and relationship filters narrow the browser to matching lessons."""
    store = feature.store
    theme = store.catalog.add_theme("Route clearance")
    success = add(store, "It worked.", kind=LessonKind.SUCCESS, theme_keys=(theme.key,), recorded_on=date(2005, 5, 5))
    challenge = add(store, "It failed.")
    browser = feature.show_browser()
    qtbot.addWidget(browser)
    browser.refresh()
    browser.kind.setCurrentIndex(browser.kind.findData(LessonKind.SUCCESS.value))
    assert success in shown_ids(browser) and challenge not in shown_ids(browser)
    browser.clear_filters()
    browser.theme.setCurrentIndex(browser.theme.findData(theme.key))
    assert shown_ids(browser) == [success]
    browser.clear_filters()
    from PySide6.QtCore import QDate

    browser.date_to.setDate(QDate(2006, 1, 1))
    assert success in shown_ids(browser) and challenge not in shown_ids(browser)
    browser.clear_filters()
    assert {success, challenge} <= set(shown_ids(browser))
    assert browser.status.text().startswith(f"{store.lessons.count()} lessons")


def test_matched_words_are_painted_highlighted(qtbot, feature):
    """The matched word in the finding cell is painted with the highlight colour."""
    add(feature.store, "Interoperability failed badly.")
    browser = feature.show_browser()
    qtbot.addWidget(browser)
    browser.resize(1200, 500)
    browser.search.setText("interoperability")
    browser.apply()
    browser.table.clearSelection()
    image = browser.table.viewport().grab().toImage()
    rect = browser.table.visualRect(browser.model.index(0, Column.FINDING))
    colours = {image.pixelColor(x, rect.center().y()).name() for x in range(rect.left(), rect.right(), 2)}
    assert QColor(HIGHLIGHT).name() in colours
    assert match_ranges("Café <b>cafe</b> caféteria", ["cafe"]) == [(0, 4), (8, 4), (17, 9)]


def test_theme_overview_click_filters_browser(qtbot, feature):
    """Clicking a cell of the theme overview lists that theme's lessons for that relationship."""
    store = feature.store
    lesson_id = add(store, "Mandates overlapped.")
    overview = feature.show_theme_overview()
    qtbot.addWidget(overview)
    overview.refresh()
    theme_key, relationship_id = store.catalog.themes()[0].key, store.quadrangle.relationships()[0].id
    row = overview.model._overview.theme_keys.index(theme_key)
    column = overview.model._overview.relationship_ids.index(relationship_id)
    index = overview.model.index(row, column)
    assert index.data() != "·"
    qtbot.mouseClick(
        overview.table.viewport(), Qt.MouseButton.LeftButton, pos=overview.table.visualRect(index).center()
    )
    browser = feature.browser()
    assert browser.filters() == LessonFilters(theme_key=theme_key, relationship_id=relationship_id)
    assert lesson_id in shown_ids(browser)
    assert len(shown_ids(browser)) == int(index.data())


def test_purge_needs_confirmation(qtbot, feature):
    """Deleting for good happens only from the trash and only after confirming."""
    store = feature.store
    lesson_id = add(store, "Temporary.")
    store.lessons.delete(lesson_id)
    feature.confirm = lambda question: False
    feature.purge_lessons([lesson_id])
    assert store.lessons.get(lesson_id).deleted_at is not None
    feature.confirm = lambda question: True
    feature.purge_lessons([lesson_id])
    assert lesson_id not in {lesson.id for lesson in store.lessons.trashed()}


def test_lesson_model_passes_modeltester_and_loads_lazily(qtbot, qtmodeltester, mini_store):
    """The lazy model is a valid Qt model and fetches pages on demand, never everything at once."""
    for n in range(12):
        add(mini_store, f"Lesson number {n}.")
    model = LessonTableModel(mini_store, page_size=5)
    model.set_query("", LessonFilters())
    assert model.rowCount() == 5 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 10
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == mini_store.lessons.count()
    searched = LessonTableModel(mini_store, page_size=5)
    searched.set_query("lesson number", LessonFilters())
    assert searched.terms == ("lesson", "number") and searched.rowCount() == 5
    qtmodeltester.check(searched)


def test_theme_overview_model_passes_modeltester(qtmodeltester, default_store):
    """The overview model is a valid Qt model."""
    model = ThemeOverviewTableModel()
    model.set_overview(default_store.lessons.theme_overview())
    qtmodeltester.check(model)


def test_install_lessons_adds_menu_to_main_window(qtbot, mini_db_path):
    """The main window gets a Lessons menu; Ctrl+L opens the browser; Add lesson uses the selection."""
    from PySide6.QtCore import QSettings

    from db import Store
    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    store = Store.open(mini_db_path, actor="tester")
    try:
        window = MainWindow(
            store,
            AppSettings(QSettings(str(mini_db_path.with_suffix(".ini")), QSettings.Format.IniFormat)),
            StoreEvents(store),
        )
        qtbot.addWidget(window)
        titles = [a.text() for a in window.menuBar().actions()]
        assert "&Lessons" in titles
        feature = window.lessons_feature
        assert feature.actions["browser"].shortcut().toString() == "Ctrl+L"
        feature.actions["browser"].trigger()
        assert feature.browser().isVisible()
        window.comparison_view.selectRow(0)
        selected = window.selected_relationship_id()
        feature.actions["add"].trigger()
        assert feature.dialogs[-1].draft().relationship_ids == (selected,)
        feature.dialogs[-1].reject()
        window.close()
    finally:
        store.close()
