"""The application starts: the main window opens on a store and shows its relationships."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QSettings

from desktop.comparison.table_model import ComparisonTableModel
from desktop.main_window import MainWindow
from desktop.settings import AppSettings


def make_window(qtbot, store, tmp_path) -> MainWindow:
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(store, settings)
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
    model.set_rows(default_store.comparison_table())
    qtmodeltester.check(model)


def test_quadrangle_starts_and_quits_after_its_first_paint(tmp_path):
    """`quadrangle --db NEW --quit-after-paint` creates the database, paints the window and exits 0."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    target = tmp_path / "new.db"
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--db", str(target), "--quit-after-paint"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert target.exists()
