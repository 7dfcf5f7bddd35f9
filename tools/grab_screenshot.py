"""Grab the main window on the built-in dataset to docs/screenshot.png (for the README).

Usage: QT_QPA_PLATFORM=offscreen python tools/grab_screenshot.py [OUT.png]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from db import Store
from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.settings import AppSettings


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "screenshot.png"
    app = QApplication(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="quadrangle-shot-"))
    store = Store.open(folder / "quadrangle.db", actor="analyst")
    settings = AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(store, settings, StoreEvents(store))
    window.resize(1280, 800)
    window.show()
    window.select_relationship(store.quadrangle.find_relationship("UN-EU").id)
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(out))
    window.close()
    store.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
