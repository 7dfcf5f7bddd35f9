"""Starting the window: the QApplication, injected settings, the store, and the main window."""

from __future__ import annotations

import argparse
import os
import sys

from db import QuadrangleError


def run_gui(args: argparse.Namespace, open_store) -> int:
    from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.backups.startup import ask_with_message_box, open_with_recovery
    from desktop.main_window import MainWindow
    from desktop.paths import prefer_database
    from desktop.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Quadrangle")
    app.setApplicationName("Quadrangle")
    settings = AppSettings(QSettings())
    if not getattr(args, "analyst", None) and settings.analyst_name:
        args.analyst = settings.analyst_name
    args.db = prefer_database(getattr(args, "db", None), settings.database_url)
    try:
        ask = ask_with_message_box if os.environ.get("QT_QPA_PLATFORM") != "offscreen" else (lambda *_: False)
        store = open_with_recovery(args, open_store, ask)  # offers read-only / the newest good backup
    except QuadrangleError as exc:
        if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
            QMessageBox.critical(None, "Quadrangle cannot open the database", str(exc))
        raise
    window = MainWindow(store, settings)

    if args.quit_after_paint:

        class FirstPaint(QObject):
            def eventFilter(self, watched, event):  # noqa: N802 - Qt override
                if event.type() == QEvent.Type.Paint:
                    QTimer.singleShot(0, app.quit)
                return False

        painted = FirstPaint(window)
        window.installEventFilter(painted)
    window.show()
    try:
        return app.exec()
    finally:
        store.close()
