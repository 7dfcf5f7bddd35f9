"""Database files from the window: File > New database…, Open database… (Ctrl+O), Open recent, a `.db`
dropped on the window, the read-only marker, and "Open" / "Show in folder" after an export.

One window shows one store (the store's lock, backups and events belong to one process), so another
database opens in a new Quadrangle process, exactly as `quadrangle --db FILE` would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu, QMessageBox

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

SQLITE_HEADER = b"SQLite format 3\x00"
DATABASE_FILTER = "Quadrangle databases (*.db *.sqlite *.sqlite3);;All files (*)"
MAX_RECENT = 8


def database_problem(path: Path) -> str:
    """Why `path` cannot be a Quadrangle database file, or "" (read with plain `open()`, never SQLite)."""
    try:
        if path.is_dir():
            return f"{path} is a folder, not a database file."
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"Cannot read {path}: {exc.strerror or exc}."
    if header != SQLITE_HEADER:
        return f"{path} is not a Quadrangle database (not an SQLite file)."
    return ""


class FilesFeature(QObject):
    """The File menu's database actions and the window's drop target.

    Replaceable in tests: `ask_open_path`, `ask_new_path`, `warn(message)`, `launch(path)` (starts
    Quadrangle on a file) and `open_url(url)`.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.new_action = QAction("&New database…", window)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_database)
        self.open_action = QAction("&Open database…", window)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.open_database)
        self.recent_menu = QMenu("Open &recent", window)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        # The database group goes just above the window's own "Add organization…" (the exchange
        # feature keeps the top of the menu for its two actions).
        anchor = window.add_organization_action
        window.file_menu.insertActions(anchor, [self.new_action, self.open_action])
        window.file_menu.insertMenu(anchor, self.recent_menu)
        window.file_menu.insertSeparator(anchor)
        self._fill_recent()
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        self.read_only_label: QLabel | None = None
        store = window.store
        if store is not None:
            self.remember(store.location.display)
            if store.read_only:
                self._mark_read_only()

    # -- replaceable -----------------------------------------------------------------------------

    def ask_open_path(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open database", self._folder(), DATABASE_FILTER)
        return path or None

    def ask_new_path(self) -> str | None:
        suggested = str(Path(self._folder()) / "new-quadrangle.db")
        path, _ = QFileDialog.getSaveFileName(self.window, "New database", suggested, DATABASE_FILTER)
        return path or None

    def warn(self, message: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Open database", message, QMessageBox.StandardButton.Ok, self.window
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def launch(self, path: str) -> None:
        """Start Quadrangle on `path` in its own process (its own lock, backups and window)."""
        subprocess.Popen(  # noqa: S603 - our own interpreter and module, the path as one argument
            [sys.executable, "-m", "desktop.cli", "--db", path],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
        )

    def open_url(self, url: QUrl) -> bool:
        return QDesktopServices.openUrl(url)

    # -- actions ---------------------------------------------------------------------------------

    def open_database(self) -> str | None:
        """Ask for a database; a file that cannot be one is refused and the chooser offered again."""
        while True:
            path = self.ask_open_path()
            if not path:
                return None
            if self.open_path(path):
                return path

    def open_path(self, path: str) -> bool:
        """Open `path` in a new window when it can be a Quadrangle database; otherwise say why (False)."""
        problem = database_problem(Path(path))
        if problem:
            self.warn(f"{problem}\n\nChoose another file.")
            return False
        if self._is_current(path):
            self.window.raise_()
            self.window.activateWindow()
            return True
        self.remember(path)
        self.launch(path)
        self.window.statusBar().showMessage(f"Opening {path} in a new window…", 5000)
        return True

    def new_database(self) -> str | None:
        """Ask where to create a database; Quadrangle creates and seeds it in a new window."""
        path = self.ask_new_path()
        if not path:
            return None
        if os.path.lexists(path):
            self.warn(f"{path} already exists: choose a new file name (use Open database… to open it).")
            return None
        self.remember(path)
        self.launch(path)
        self.window.statusBar().showMessage(f"Creating {path} in a new window…", 5000)
        return path

    def remember(self, path: str) -> None:
        if "://" in path:
            return  # a team server is chosen in File > Team database…, not here
        recent = [p for p in self.window.settings.recent_databases if p != path]
        self.window.settings.recent_databases = [path, *recent][:MAX_RECENT]

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.window.settings.recent_databases if not self._is_current(p)]
        for number, path in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {path}" if number < 10 else path)
            action.setData(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(recent))

    def _is_current(self, path: str) -> bool:
        store = self.window.store
        if store is None:
            return False
        try:
            return Path(path).resolve() == Path(store.location.display).resolve()
        except OSError:
            return False

    def _folder(self) -> str:
        store = self.window.store
        if store is not None and "://" not in store.location.display:
            return str(Path(store.location.display).parent)
        return str(Path.home())

    def _mark_read_only(self) -> None:
        window = self.window
        window.setWindowTitle(f"{window.windowTitle()} — read-only")
        self.read_only_label = QLabel("Read-only", window)
        self.read_only_label.setObjectName("readOnlyLabel")
        self.read_only_label.setAccessibleName("Database opened read-only")
        self.read_only_label.setToolTip("Another Quadrangle is writing this database: nothing can be changed here.")
        self.read_only_label.setStyleSheet("font-weight: bold; padding: 0 6px;")
        window.statusBar().insertPermanentWidget(0, self.read_only_label)

    # -- after an export -------------------------------------------------------------------------

    def show_exported(self, path: Path, what: str = "the diagram") -> QMessageBox:
        """Say where the export went, with "Open" (the file) and "Show in folder" (its folder)."""
        box = QMessageBox(self.window)
        box.setObjectName("exportedBox")
        box.setWindowTitle("Exported")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Exported {what} to\n{path}")
        open_button = box.addButton("&Open", QMessageBox.ButtonRole.AcceptRole)
        folder_button = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        open_button.clicked.connect(lambda: self.open_url(QUrl.fromLocalFile(str(path))))
        folder_button.clicked.connect(lambda: self.open_url(QUrl.fromLocalFile(str(path.parent))))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # -- dropping a file -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.window and event.type() == QEvent.Type.DragEnter:
            assert isinstance(event, QDragEnterEvent)
            if self._dropped_path(event) is not None:
                event.acceptProposedAction()
                return True
        if watched is self.window and event.type() == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            path = self._dropped_path(event)
            if path is not None:
                event.acceptProposedAction()
                self.open_path(path)
                return True
        return False

    @staticmethod
    def _dropped_path(event: QDropEvent | QDragEnterEvent) -> str | None:
        urls = event.mimeData().urls() if event.mimeData() is not None else []
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        path = urls[0].toLocalFile()
        return path if path.lower().endswith((".db", ".sqlite", ".sqlite3")) else None


def install_files(window: MainWindow) -> FilesFeature:
    feature = FilesFeature(window)
    setattr(window, "files_feature", feature)  # noqa: B010 - a feature's handle on the window, as the others
    return feature


__all__ = ["FilesFeature", "database_problem", "install_files"]
