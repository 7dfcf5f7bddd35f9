"""Starting the window: the QApplication, injected settings, the one event hub, the store, and the
main window.

When the database holds a start-up snapshot that still matches it (db/snapshot.py), the window
paints its first frame from that snapshot and opens the store right after, so the first paint does
not wait for SQLAlchemy, the migration check, the writer lock or the opening backup.
"""

from __future__ import annotations

import argparse
import os
import sys

from db import QuadrangleError, read_startup_snapshot_with_fingerprint, redact
from desktop.paths import prefer_database, resolve_database

STARTUP_GC_LIMIT_MS = 10_000


def run_gui(args: argparse.Namespace, open_store) -> int:
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop import pyside_import_hook
    from desktop.startup_gc import StartupCollector

    collector = StartupCollector()
    collector.pause()  # until the window is ready: 100-150 ms of collections over objects that stay

    pyside_import_hook.uninstall()  # before the window's and the store's modules load (5 ms and 15 ms)

    from desktop.events import StoreEvents
    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Quadrangle")
    app.setApplicationName("Quadrangle")
    settings = AppSettings(QSettings())
    events = StoreEvents()  # the one hub; attached to the store when it is open (MainWindow.attach_store)
    if not getattr(args, "analyst", None) and settings.analyst_name:
        args.analyst = settings.analyst_name
    args.db = prefer_database(getattr(args, "db", None), settings.database_url)
    interactive = os.environ.get("QT_QPA_PLATFORM") != "offscreen"

    def open_checked():
        from desktop.backups.startup import ask_with_message_box, open_with_recovery

        ask = ask_with_message_box if interactive else (lambda *_: False)
        if not interactive:
            return open_with_recovery(args, open_store, ask)  # offers read-only / the newest good backup
        from desktop.files.startup import ask_with_file_dialog, open_or_choose

        def show_refusal(reason: str) -> None:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "Quadrangle cannot open the database", redact(reason))

        return open_or_choose(
            lambda: open_with_recovery(args, open_store, ask),
            lambda path: setattr(args, "db", path),
            ask_with_file_dialog,  # a refused file offers the chooser again
            show_refusal,
        )

    target, _ = resolve_database(getattr(args, "db", None))
    found = read_startup_snapshot_with_fingerprint(target) if "://" not in target else None
    snapshot = found[0] if found is not None else None
    opened: dict = {}
    failure: list[QuadrangleError] = []

    if snapshot is None:
        opened["store"] = open_checked()
        window = MainWindow(opened["store"], settings, events)
    else:
        window = MainWindow(None, settings, events, first_state=snapshot, location_display=target)

        def finish_opening() -> None:
            try:
                opened["store"] = open_checked()
            except QuadrangleError as exc:
                failure.append(exc)
                window.close()
                app.quit()
                return
            # Today's state is the snapshot already on screen while nothing changed: attaching does not
            # recompute it, so the window is ready without building the lesson-date index (issue 22).
            assert found is not None  # the snapshot branch
            opened["store"].adopt_startup_snapshot(*found)
            window.attach_store(opened["store"])
            window.statusBar().clearMessage()
            collector.resume()
            if args.quit_when_ready:
                app.quit()

    class FirstPaint(QObject):
        """Acts once, on the window's first paint: quit (timing runs) or finish opening the store."""

        def eventFilter(self, watched, event):  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                if snapshot is None:
                    collector.resume()  # the store was attached before the window was shown
                if args.quit_after_paint:
                    QTimer.singleShot(0, app.quit)
                elif snapshot is not None:
                    QTimer.singleShot(0, finish_opening)
                elif args.quit_when_ready:
                    QTimer.singleShot(0, app.quit)
            return False

    first_paint = FirstPaint(window)
    window.installEventFilter(first_paint)
    window.show()
    # A window that is never painted (hidden at once, an unusual window manager) must not leave the
    # collector off for the whole session.
    QTimer.singleShot(STARTUP_GC_LIMIT_MS, collector.resume)
    try:
        status = app.exec()
    finally:
        collector.resume()
        if "store" in opened:
            opened["store"].close()
        if QApplication.platformName() == "offscreen":
            # Qt's offscreen clipboard frees a copy's mime data after the application is gone (SIGSEGV
            # at exit); a real desktop hands the clipboard over to its manager instead, so keep it there.
            QApplication.clipboard().clear()
    if failure:
        raise failure[0]
    return status
