"""Issue 20, part A, driven through the real widgets: literal user text in every item model, one
editor per record, undo and redo from every window, secondary windows that close and remember
their place, the typed date field, the detail panel and status bar, and a precise audit log."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6 import QtGui
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPoint,
    QPointF,
    QSettings,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QStatusTipEvent, QTextDocument, QUndoStack, QWheelEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialogButtonBox, QMessageBox, QWidget

from db import (
    AssessmentInput,
    Confidence,
    LessonInput,
    LessonKind,
    Motive,
    MotiveAssessment,
    OperationInput,
    OperationStatus,
    Phase,
    SourceInput,
)
from desktop.events import StoreEvents
from desktop.lessons import LessonsFeature
from desktop.lessons.commands import EditLessonCommand
from desktop.lessons.trash import DELETED_BY, DELETED_ON
from desktop.literal import FSI, PDI
from desktop.main_window import MainWindow
from desktop.settings import AppSettings
from desktop.undo import perform

MARKUP = "Coordination <b>failed</b> & <img src='/etc/hosts'>"
OVERRIDE = "\u202eesrever"
HOSTILE = f"{MARKUP} {OVERRIDE}"
LONG = "x" * 19_900  # with HOSTILE, the longest a field may be (20,000)
ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.WhatsThisRole,
)


@pytest.fixture
def settings(tmp_path):
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def feature(qtbot, mini_store, settings):
    parent = QWidget()
    qtbot.addWidget(parent)
    feature = LessonsFeature(mini_store, StoreEvents(mini_store), QUndoStack(parent), parent, settings=settings)
    feature.messages = []
    feature.inform = feature.messages.append
    feature.confirm = lambda question: True
    return feature


def _lesson(store, finding: str = "Liaison officers helped", **extra) -> str:
    values = dict(
        finding=finding,
        kind=LessonKind.CHALLENGE,
        recorded_on=date(2008, 1, 1),
        relationship_ids=(store.quadrangle.relationships()[0].id,),
        theme_keys=(store.catalog.themes()[0].key,),
    )
    values.update(extra)
    return store.lessons.add(LessonInput(**values)).id


def _rendered(value: str, role: int) -> str:
    """What Qt shows for a string in `role`: tooltips and "What's this" are rich text when they look like it."""
    if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole) and QtGui.Qt.mightBeRichText(value):
        document = QTextDocument()
        document.setHtml(value)
        return document.toPlainText()
    return value


def _literal_problem(value: str, role: int) -> str:
    """Why `value` (in `role`) does not show user text literally, or ""."""
    shown = _rendered(value, role)
    if ("<b>failed</b>" in value or "&lt;b&gt;failed" in value) and "<b>failed</b>" not in shown:
        return "markup rendered"
    if "src=" in value and "/etc/hosts" in value and "<img src='/etc/hosts'>" not in shown:
        return "image rendered"
    for line in shown.split("\n"):
        depth = 0
        for char in line:
            if char in "\u2066\u2067" + FSI:
                depth += 1
            elif char == PDI:
                depth = max(0, depth - 1)
            elif char == "\u202e" and depth == 0:
                return "direction override not isolated"
    if role == Qt.ItemDataRole.ToolTipRole and len(shown) > 2_100:
        return f"a {len(shown)}-character tooltip"
    return ""


def _count(model: QAbstractItemModel, columns: bool, parent: QModelIndex = QModelIndex()) -> int:
    # Qt's own list models (inside QListWidget, QComboBox) make columnCount private to Python.
    try:
        return model.columnCount(parent) if columns else model.rowCount(parent)
    except TypeError:
        return 1 if columns else model.rowCount()


def _walk(model: QAbstractItemModel, parent: QModelIndex = QModelIndex()):
    for row in range(_count(model, False, parent)):
        for column in range(_count(model, True, parent)):
            index = model.index(row, column, parent)
            yield index
            if not isinstance(model, QAbstractTableModel | QAbstractListModel) and _count(model, False, index) > 0:
                yield from _walk(model, index)


def _seed_hostile(store) -> None:
    rel = store.quadrangle.relationships()[0]
    store.catalog.add_theme(f"Theme {HOSTILE}")
    _lesson(store, HOSTILE, recommendation=HOSTILE + " " + LONG)
    trashed = _lesson(store, HOSTILE + " (trashed)")
    store.lessons.delete(trashed)
    store.operations.add(
        OperationInput(acronym="HOST", name=HOSTILE, status=OperationStatus.ONGOING, location=HOSTILE, notes=LONG)
    )
    store.sources.add(SourceInput(authors=HOSTILE, year="2001", title=HOSTILE + " " + LONG))
    store.assessments.save(
        AssessmentInput(
            relationship_id=rel.id,
            as_of=date(2010, 1, 1),
            phases=(Phase.MAINTENANCE,),
            confidence=Confidence.HIGH,
            summary=HOSTILE,
            motives=tuple(
                MotiveAssessment(m, 2 if m == Motive.ORGANIZATIONAL_SURVIVAL else 0, HOSTILE) for m in Motive
            ),
        )
    )


def test_every_item_model_shows_hostile_text_literally(qtbot, mini_store, settings):
    """Markup, an <img>, a U+202E and 20,000 characters in every field: every role of every item
    model of every window (cells and headers) shows them literally, isolated, tooltips bounded."""
    _seed_hostile(mini_store)
    window = MainWindow(mini_store, settings, StoreEvents(mini_store))
    qtbot.addWidget(window)
    window.show()
    window.set_as_of(date.today())
    window.select_relationship(mini_store.quadrangle.relationships()[0].id)
    feature = window.lessons_feature
    feature.show_browser()
    feature.show_trash()
    feature.show_theme_overview()
    feature.show_operations()
    feature.show_sources()
    controller = window.assessments
    controller.open_audit_log()
    controller.open_history(mini_store.quadrangle.relationships()[0].id)
    controller.open_reversals()
    qtbot.wait(10)
    models = {id(m): m for w in QApplication.topLevelWidgets() for m in w.findChildren(QAbstractItemModel)}
    problems = []
    hostile_seen = 0
    for model in models.values():
        for index in _walk(model):
            for role in ROLES:
                value = index.data(role)
                if isinstance(value, str):
                    hostile_seen += "<b>failed</b>" in _rendered(value, role)
                    if problem := _literal_problem(value, role):
                        problems.append(
                            f"{type(model).__name__}[{index.row()},{index.column()}] role {role}: {problem}"
                        )
        for orientation in (Qt.Orientation.Horizontal, Qt.Orientation.Vertical):
            count = _count(model, orientation == Qt.Orientation.Horizontal)
            for section in range(count):
                for role in ROLES:
                    value = model.headerData(section, orientation, role)
                    if isinstance(value, str) and (problem := _literal_problem(value, role)):
                        problems.append(f"{type(model).__name__} header {section}: {problem}")
    assert hostile_seen > 10  # the walk saw the hostile text in many models
    assert problems == [], "\n".join(problems)


def test_qt_text_engine_keeps_an_isolated_override_inside_its_field():
    """Rendered by Qt, an isolated U+202E reverses only its own field: the text after it keeps its order."""
    from PySide6.QtGui import QFont, QTextLayout

    from desktop.literal import isolate

    def visual_x_of(text: str, needle: str) -> list[float]:
        layout = QTextLayout(text, QFont())
        layout.beginLayout()
        line = layout.createLine()
        layout.endLayout()
        start = text.index(needle)
        return [line.cursorToX(start + i)[0] for i in range(len(needle))]

    plain = visual_x_of("\u202eabc" + " after", "after")
    isolated = visual_x_of(isolate("\u202eabc") + " after", "after")
    assert plain != sorted(plain)  # without the isolate, "after" is drawn reversed
    assert isolated == sorted(isolated)


def test_double_click_opens_one_editor_and_reopening_raises_it(qtbot, feature):
    """A double-click on a lesson opens one editor (not two); opening it again raises that editor."""
    _lesson(feature.store)
    browser = feature.show_browser()
    qtbot.addWidget(browser)
    qtbot.waitExposed(browser)
    rect = browser.table.visualRect(browser.model.index(0, 0))
    qtbot.mouseClick(browser.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(browser.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(feature.dialogs) == 1
    lesson_id = browser.model.hit(0).lesson.id
    assert feature.edit_lesson(lesson_id) is feature.dialogs[0]
    assert len(feature.dialogs) == 1


def test_operations_window_opens_one_editor_per_record(qtbot, feature):
    """Asking twice to edit the same operation gives the one open editor."""
    window = feature.show_operations()
    qtbot.addWidget(window)
    window.table.selectRow(0)
    first = window.edit_current()
    assert first is not None and window.edit_current() is first


def _press(qtbot, widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    widget.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is widget.windowHandle())
    qtbot.keyClick(widget.focusWidget() or widget, key, modifier)


@pytest.mark.parametrize("which", ["show_browser", "show_trash", "show_operations", "show_sources"])
def test_ctrl_z_and_ctrl_shift_z_work_in_every_secondary_window(qtbot, feature, which):
    """A step made anywhere is undone by Ctrl+Z and redone by Ctrl+Shift+Z in each secondary window,
    which also has an Edit menu with Undo and Redo."""
    lesson_id = _lesson(feature.store)
    feature.delete_lessons([lesson_id])
    assert feature.store.lessons.get(lesson_id).deleted_at is not None
    window = getattr(feature, which)()
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    window.findChildren(QAbstractItemView)[0].setFocus()
    menu_texts = [a.text() for a in window.chrome.menu_bar.actions()[0].menu().actions()]
    assert any(t.startswith("&Undo") for t in menu_texts) and any(t.startswith("&Redo") for t in menu_texts)
    _press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert feature.store.lessons.get(lesson_id).deleted_at is None
    _press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert feature.store.lessons.get(lesson_id).deleted_at is not None


@pytest.mark.parametrize(
    ("which", "key", "modifier"),
    [
        ("show_browser", Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        ("show_trash", Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        ("show_theme_overview", Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        ("show_operations", Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
        ("show_sources", Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    ],
)
def test_secondary_windows_close_on_esc_ctrl_w_and_their_close_button(qtbot, feature, which, key, modifier):
    """Each secondary window closes on Esc or Ctrl+W, and on its Close button."""
    window = getattr(feature, which)()
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    _press(qtbot, window, key, modifier)
    assert not window.isVisible()
    getattr(feature, which)()
    qtbot.waitExposed(window)
    window.chrome.close_button.button(QDialogButtonBox.StandardButton.Close).click()
    assert not window.isVisible()


def test_secondary_window_geometry_is_remembered(qtbot, mini_store, settings):
    """A resized trash window comes back at that size in the next session."""
    parent = QWidget()
    qtbot.addWidget(parent)
    first = LessonsFeature(mini_store, StoreEvents(mini_store), QUndoStack(parent), parent, settings=settings)
    trash = first.show_trash()
    qtbot.waitExposed(trash)
    trash.resize(790, 420)
    trash.close()
    again = LessonsFeature(mini_store, StoreEvents(mini_store), QUndoStack(parent), parent, settings=settings)
    reopened = again.show_trash()
    qtbot.addWidget(reopened)
    qtbot.waitExposed(reopened)
    assert (reopened.width(), reopened.height()) == (790, 420)


def test_trash_shows_who_deleted_what_and_when_and_an_empty_state(qtbot, feature):
    """The trash says it is empty when it is, and lists each deleted lesson with when and by whom."""
    trash = feature.show_trash()
    qtbot.addWidget(trash)
    qtbot.waitExposed(trash)
    assert trash.empty_state.label.isVisible() and "trash is empty" in trash.empty_state.label.text()
    lesson_id = _lesson(feature.store)
    feature.delete_lessons([lesson_id])
    feature.refresh_windows()
    assert not trash.empty_state.label.isVisible()
    model = trash.model
    assert model.headerData(DELETED_ON, Qt.Orientation.Horizontal) == "Deleted on"
    assert model.headerData(DELETED_BY, Qt.Orientation.Horizontal) == "Deleted by"
    assert model.index(0, DELETED_BY).data() == "tester"
    assert model.index(0, DELETED_ON).data().startswith(date.today().isoformat()[:4])


def test_a_search_with_no_match_says_so(qtbot, feature):
    """A search that finds nothing shows what to do instead of a blank table."""
    browser = feature.show_browser()
    qtbot.addWidget(browser)
    qtbot.waitExposed(browser)
    browser.search.setText("zzzqqqnomatch")
    browser.apply()
    assert browser.empty_state.label.isVisible()
    assert "No lesson matches “zzzqqqnomatch”" in browser.empty_state.label.text()
    browser.search.clear()
    browser.apply()
    assert not browser.empty_state.label.isVisible()


@pytest.fixture
def window(qtbot, mini_store, settings):
    window = MainWindow(mini_store, settings, StoreEvents(mini_store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _type_date(qtbot, window, text: str) -> None:
    edit = window.date_control.date_edit
    edit.setFocus()
    edit.lineEdit().selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_a_typed_iso_date_is_the_date_shown(qtbot, window):
    """Select all, type 2004-06-30, Enter: the window shows 30 June 2004 (not this year's 30 June)."""
    _type_date(qtbot, window, "2004-06-30")
    assert window.as_of == date(2004, 6, 30)


def test_a_pasted_date_in_the_locale_form_is_read(qtbot, window):
    """A pasted day-first date (30.06.2004) is read as that date."""
    QGuiApplication.clipboard().setText(" 30.06.2004\n")
    edit = window.date_control.date_edit
    edit.setFocus()
    edit.lineEdit().selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert window.as_of == date(2004, 6, 30)


def test_an_unreadable_date_is_refused_visibly(qtbot, window):
    """Typed text that is no date leaves the date as it was and says why, beside the field."""
    before = window.as_of
    _type_date(qtbot, window, "last tuesday")
    assert window.as_of == before
    problem = window.date_control.problem
    assert problem.isVisible() and "last tuesday" in problem.text()
    _type_date(qtbot, window, "2003-01-01")
    assert window.as_of == date(2003, 1, 1) and not problem.isVisible()


def test_detail_panel_scrolls_to_top_grows_its_lists_and_opens_a_lesson(qtbot, default_store, settings):
    """A new relationship starts at the panel's top; the lessons list is as tall as its items and
    leaves the wheel to the panel; a double-click on a lesson opens its editor."""
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    store = window.store
    first, second = (r.id for r in store.quadrangle.relationships()[:2])
    for n in range(8):
        _lesson(store, f"Lesson {n} " + "with a long finding that wraps " * 4, relationship_ids=(first,))
    window.resize(1000, 500)
    window.select_relationship(first)
    panel = window.detail_panel
    lessons = panel.lessons
    qtbot.waitUntil(lambda: lessons.count() >= 8)
    assert lessons.height() >= sum(lessons.sizeHintForRow(r) for r in range(lessons.count()))
    bar = panel.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the panel lays out on the next pass of the event loop
    wheel = QWheelEvent(
        QPointF(10, 10), QPointF(lessons.mapToGlobal(QPoint(10, 10))), QPoint(), QPoint(0, -120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(lessons.viewport(), wheel)
    assert bar.value() > 0  # the wheel over the list scrolled the panel
    window.select_relationship(second)
    assert bar.value() == 0
    window.select_relationship(first)
    item = lessons.item(0)
    rect = lessons.visualItemRect(item)
    panel.ensureWidgetVisible(lessons)
    qtbot.mouseClick(lessons.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(lessons.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(window.lessons_feature.editors) == 1


def test_status_bar_keeps_its_summary_after_a_menu_hover(qtbot, window):
    """A menu's status tip covers the summary only while it is shown."""
    summary = window.summary_label
    before = summary.text()
    assert "relationships" in before and "review" in before and summary.isVisible()
    QApplication.sendEvent(window, QStatusTipEvent("Open the lessons browser"))
    QApplication.sendEvent(window, QStatusTipEvent(""))
    assert summary.isVisible() and summary.text() == before


def _entries(store, n: int = 1):
    return store.audit.entries(limit=n)


def test_audit_log_tells_undo_redo_and_fields_changed(qtbot, mini_store):
    """Undoing a lesson edit is logged as an undo with the fields put back, a redo as a redo."""
    stack = QUndoStack()
    lesson_id = _lesson(mini_store, "Old finding")
    lesson = mini_store.lessons.get(lesson_id)
    draft = LessonInput.from_record(lesson)
    edited = LessonInput(**{**draft.__dict__, "finding": "New finding"})
    perform(stack, EditLessonCommand(mini_store, lesson_id, edited, lesson.revision))
    entry = _entries(mini_store)[0]
    assert entry.action == "edit" and "finding: “Old finding” → “New finding”" in entry.summary
    stack.undo()
    entry = _entries(mini_store)[0]
    assert entry.action == "undo"
    assert entry.summary.startswith("Undid “Edit lesson “New finding””")
    assert "finding: “New finding” → “Old finding”" in entry.summary
    stack.redo()
    entry = _entries(mini_store)[0]
    assert entry.action == "redo" and entry.summary.startswith("Redid “Edit lesson")


def test_undoing_a_restore_is_logged_as_undoing_a_restore(qtbot, mini_store):
    """Undo of a restored version says it undid a restore, not a save."""
    from desktop.assessments.commands import RestoreAssessmentCommand

    rel = mini_store.quadrangle.relationships()[0]
    history = mini_store.assessments.history(rel.id)
    stack = QUndoStack()
    perform(stack, RestoreAssessmentCommand(mini_store, history[-1].id, "UN–EU"))
    assert _entries(mini_store)[0].action == "restore"
    stack.undo()
    entry = _entries(mini_store)[0]
    assert entry.action == "undo" and "Undid restoring" in entry.summary and "saving" not in entry.summary


def test_double_click_on_a_milestone_shows_it_in_full(qtbot, window):
    """A double-click on a milestone in the detail panel opens the milestone, in plain text."""
    rel = window.store.quadrangle.relationships()[0]
    window.select_relationship(rel.id)
    milestones = window.detail_panel.milestones
    qtbot.waitUntil(lambda: milestones.count() > 0)
    rect = milestones.visualItemRect(milestones.item(0))
    window.detail_panel.ensureWidgetVisible(milestones)
    qtbot.mouseClick(milestones.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(milestones.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    boxes = [b for b in window.findChildren(QMessageBox) if b.windowTitle() == "Milestone"]
    assert len(boxes) == 1 and "Joint declaration" in boxes[0].text()
    assert boxes[0].textFormat() == Qt.TextFormat.PlainText
