"""Peak memory of the window's everyday actions on one database (issue 22: under 250 MB on the large
one), measured in a child process of its own: `python -m tests.benchmarks.window_memory DB` opens the
window, changes the date back and forth, opens the lessons browser and searches it, and prints the
process's peak resident memory in MiB. Not part of the test run."""

from __future__ import annotations

import resource
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path


def main(database: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from db import Store
    from desktop.events import StoreEvents
    from desktop.lessons.browser import LessonsBrowser
    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="quadrangle-bench-memory-"))
    with Store.open(database, actor="benchmark", backup_on_open=False, read_only=True) as store:
        settings = AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(store, settings, StoreEvents(store))
        window.show()
        app.processEvents()
        for i in range(12):
            window.set_as_of(date(1996, 3, 1) + timedelta(days=800 * i))
            app.processEvents()
        window.set_as_of(date.today())
        browser = LessonsBrowser(store)
        browser.show()
        app.processEvents()
        for text in ("mandate", "information sharing", "logistics Darfur", "t"):
            store.lessons.search(text, None, 100, 0)
            app.processEvents()
        browser.close()
        window.close()
        app.processEvents()
    print(f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
