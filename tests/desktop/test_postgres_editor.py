"""The lesson editor on a shared server: a colleague's earlier save and a server that goes away both
leave the dialog open with everything typed, and saving again works once the cause is dealt with."""

from __future__ import annotations

import os

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget
from sqlalchemy import text

from db import LessonInput, Store
from desktop.events import StoreEvents
from desktop.lessons import LessonsFeature
from tests.conftest import MINI_DATASET

pytestmark = pytest.mark.postgres


def _feature(qtbot, store: Store) -> LessonsFeature:
    parent = QWidget()
    qtbot.addWidget(parent)
    feature = LessonsFeature(store, StoreEvents(store), QUndoStack(parent), parent)
    feature.inform = lambda message: None
    feature.confirm = lambda question: True
    return feature


def test_colleagues_save_keeps_my_dialog_and_text(qtbot, pg_database):
    """Bob's editor, opened before Alice saved, refuses his save naming Alice, keeps his text, and a second
    Save deliberately overwrites; the audit log names both analysts."""
    url = pg_database("mini")
    with Store.open(url, actor="alice") as alice, Store.open(url, actor="bob") as bob:
        lesson = bob.lessons.all()[0]
        dialog = _feature(qtbot, bob).edit_lesson(lesson.id)
        seen = alice.lessons.get(lesson.id)
        alice.lessons.update(
            lesson.id,
            LessonInput(**{**LessonInput.from_record(seen).__dict__, "finding": "Alice's text."}),
            seen.revision,
        )
        dialog.finding.setPlainText("Bob's text.")
        dialog.submit()
        assert dialog.isVisible()
        assert dialog.error.text().startswith("alice saved this record since you opened it")
        assert dialog.finding.toPlainText() == "Bob's text."
        assert bob.lessons.get(lesson.id).finding == "Alice's text."
        with qtbot.waitSignal(dialog.accepted):
            dialog.submit()
        assert alice.lessons.get(lesson.id).finding == "Bob's text."
        with bob.database.read() as s:
            actors = s.execute(text("SELECT actor FROM audit_log WHERE action = 'edit' ORDER BY at")).scalars().all()
        assert actors == ["alice", "bob"]


def test_server_gone_keeps_the_dialog_and_what_was_typed(qtbot):
    """With the server down, Save shows one line naming the server and keeps the dialog and its text; once
    the server is back, the same Save goes through."""
    from tests.pg_server import start_server

    server = start_server()
    try:
        url = server.url(server.create_database(), password="never-shown")
        with Store.open(url, actor="analyst", dataset_path=MINI_DATASET) as store:
            lesson = store.lessons.all()[0]
            dialog = _feature(qtbot, store).edit_lesson(lesson.id)
            dialog.finding.setPlainText("Typed while the server was away.")
            server.halt()
            dialog.submit()
            assert dialog.isVisible()
            message = dialog.error.text()
            assert f"database server at {server.host}:{server.port}" in message and "never-shown" not in message
            assert dialog.finding.toPlainText() == "Typed while the server was away."
            if os.environ.get("QUADRANGLE_SCREENSHOTS"):
                dialog.grab().save(os.path.join(os.environ["QUADRANGLE_SCREENSHOTS"], "server-gone.png"))
            server.start()
            with qtbot.waitSignal(dialog.accepted):
                dialog.submit()
            assert store.lessons.get(lesson.id).finding == "Typed while the server was away."
    finally:
        server.stop()
