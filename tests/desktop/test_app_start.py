"""The application starts: the main window opens on a store and shows its relationships."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction

from desktop.comparison.table_model import ComparisonTableModel
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.settings import AppSettings


def make_window(qtbot, store, tmp_path) -> MainWindow:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(store, settings, StoreEvents(store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_main_window_shows_the_six_relationships(qtbot, default_store, tmp_path):
    """On the default dataset the comparison table lists the six relationships with their phases."""
    window = make_window(qtbot, default_store, tmp_path)
    model = window.comparison_view.model()
    labels = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert labels == ["UN–EU", "NATO–EU", "UN–NATO", "UN–AU", "EU–AU", "NATO–AU"]
    assert model.index(2, 1).data() == "Start-up/maintenance"


def test_the_comparison_model_passes_the_model_tester(qtmodeltester, default_store):
    """The Qt model contract holds for the comparison table."""
    model = ComparisonTableModel()
    model.set_rows(default_store.quadrangle.comparison_table())
    qtmodeltester.check(model)


def test_quadrangle_starts_and_quits_after_its_first_paint(tmp_path):
    """`quadrangle --db NEW --quit-after-paint` creates the database, paints the window and exits 0."""
    from db import Store

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    target = tmp_path / "new.db"
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--db", str(target), "--quit-after-paint"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    with Store.open(target, read_only=True) as store:  # created and seeded with the report's dataset
        assert [o.code for o in store.quadrangle.organizations()] == ["UN", "NATO", "EU", "AU"]
        assert len(store.quadrangle.relationships()) == 6


def test_the_first_frame_comes_from_the_snapshot_and_the_store_attaches_after(qtbot, default_db_path, tmp_path):
    """A window built from the start-up snapshot shows the relationships; attaching the store completes it."""
    from db import Store, read_startup_snapshot

    Store.open(default_db_path).close()  # closing leaves the snapshot
    snapshot = read_startup_snapshot(default_db_path)
    assert snapshot is not None
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(None, settings, StoreEvents(), first_state=snapshot, location_display=str(default_db_path))
    qtbot.addWidget(window)
    model = window.comparison_view.model()
    assert model.rowCount() == 6 and window.store is None
    assert window.findChild(QAction, "backupsAction") is None
    with Store.open(default_db_path) as store:
        window.attach_store(store)
        assert window.store is store and model.rowCount() == 6
        assert window.findChild(QAction, "backupsAction") is not None


def test_the_first_paint_does_not_wait_for_the_database_machinery(tmp_path):
    """With a valid snapshot, neither SQLAlchemy nor the headless commands (nor the features' dialogs,
    nor the lesson and source records, nor hashlib's OpenSSL and `secrets`) are imported when the window
    first paints, and PySide has created none of the dialog classes no first frame shows (a QWizard would
    mean it had to create every class of QtWidgets)."""
    target = tmp_path / "snap.db"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--db", str(target), "--quit-when-ready"],
        check=True,
        capture_output=True,
        env=env,
        timeout=120,
    )
    probe = (
        "import sys; from desktop.cli import main; "
        f"status = main(['--db', {str(target)!r}, '--quit-after-paint']); "
        "import PySide6.QtWidgets as widgets; "
        "print('sqlalchemy' in sys.modules, 'desktop.cli.table' in sys.modules,"
        " 'desktop.backups.dialog' in sys.modules, 'db.lesson_records' in sys.modules,"
        " 'hashlib' in sys.modules, 'secrets' in sys.modules,"
        " sorted({'QWizard', 'QMessageBox', 'QFileDialog', 'QInputDialog', 'QDialog'} & set(vars(widgets))) != [],"
        " status)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.split() == ["False"] * 7 + ["0"], result.stderr


def test_attaching_to_the_snapshot_it_painted_from_builds_no_lesson_index(qtbot, default_db_path, tmp_path):
    """The store adopts the snapshot on screen: the window is ready without recomputing today's state or
    building the lesson-date index; another date builds it, and a change to the database ends the trust."""
    from datetime import date

    from db import Store, read_startup_snapshot_with_fingerprint

    Store.open(default_db_path).close()  # closing leaves the snapshot
    found = read_startup_snapshot_with_fingerprint(default_db_path)
    assert found is not None
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(None, settings, StoreEvents(), first_state=found[0], location_display=str(default_db_path))
    qtbot.addWidget(window)
    with Store.open(default_db_path, backup_on_open=False) as store:
        store.adopt_startup_snapshot(*found)
        window.attach_store(store)
        assert window.state == found[0]
        assert store.database.lesson_index._fingerprint is None  # never built
        window.set_as_of(date(2010, 1, 1))
        assert store.database.lesson_index._fingerprint is not None
        window.set_as_of(date.today())
        assert window.state == found[0]
        first = store.quadrangle.organizations()[0]
        store.quadrangle.set_layout({first.id: (1.0, 2.0)})
        assert not store.quadrangle.trusted_state_is_current()
        moved = next(o for o in store.quadrangle.state_as_of().organizations if o.id == first.id)
        assert (moved.layout_x, moved.layout_y) == (1.0, 2.0)


def test_the_window_is_ready_from_its_snapshot_without_the_lesson_index(tmp_path):
    """`quadrangle --quit-when-ready` on a database with a valid snapshot never counts lessons by date
    (0.25 s at 100,000 lessons) before it is ready, nor on closing."""
    target = tmp_path / "snap.db"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    argv = [sys.executable, "-m", "desktop.cli", "--db", str(target), "--quit-when-ready"]
    subprocess.run(argv, check=True, capture_output=True, env=env, timeout=120)
    probe = (
        "import db.state; from desktop.cli import main; calls = []; real = db.state.LessonDateIndex.counts\n"
        "def counting(self, *args):\n    calls.append(1)\n    return real(self, *args)\n"
        "db.state.LessonDateIndex.counts = counting\n"
        f"status = main(['--db', {str(target)!r}, '--quit-when-ready']); print(len(calls), status)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.split() == ["0", "0"], result.stderr


def test_the_window_is_ready_without_loading_what_no_first_action_needs(tmp_path):
    """Ready to edit imports neither the dataset's validation (pydantic), Alembic, the reference-file
    readers (bibtexparser, rispy), citation styles (citeproc) nor the briefing's PDF and Word engines."""
    target = tmp_path / "snap.db"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    argv = [sys.executable, "-m", "desktop.cli", "--db", str(target), "--quit-when-ready"]
    subprocess.run(argv, check=True, capture_output=True, env=env, timeout=120)
    heavy = ("pydantic", "alembic", "bibtexparser", "rispy", "citeproc", "reportlab", "docx")
    probe = (
        "import sys; from desktop.cli import main; "
        f"status = main(['--db', {str(target)!r}, '--quit-when-ready']); "
        f"print(status, *sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r})))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.split() == ["0"], result.stderr
