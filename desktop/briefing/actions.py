"""The briefing's menu actions in the main window: File > Export briefing..., Export table as CSV...,
Export lessons as CSV..."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

if TYPE_CHECKING:
    from desktop.briefing.dialog import BriefingDialog

# The dialog, the content reader and the CSV writers load when first used, not while the window
# builds its first frame.


class BriefingActions:
    """Owns the export actions of one main window; `window` needs `store`, `as_of`, `settings`, `file_menu`."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.dialog: BriefingDialog | None = None
        self.briefing_action = QAction("Export &briefing…", window, shortcut=QKeySequence("Ctrl+P"))
        self.briefing_action.setObjectName("exportBriefingAction")
        self.briefing_action.triggered.connect(self.open_dialog)
        self.table_action = QAction("Export &table as CSV…", window)
        self.table_action.setObjectName("exportTableCsvAction")
        self.table_action.triggered.connect(self.export_table)
        self.lessons_action = QAction("Export &lessons as CSV…", window)
        self.lessons_action.setObjectName("exportLessonsCsvAction")
        self.lessons_action.triggered.connect(self.export_lessons)
        menu = window.file_menu
        actions = menu.actions()
        export = getattr(window, "export_action", None)  # File > Export diagram...: exports stay together
        if export in actions and actions.index(export) + 1 < len(actions):
            before = actions[actions.index(export) + 1]
        else:
            before = actions[-1] if actions else None  # keep Quit last
            menu.insertSeparator(before)
        for action in (self.briefing_action, self.table_action, self.lessons_action):
            menu.insertAction(before, action)

    def _folder(self) -> str:
        settings = getattr(self.window, "settings", None)
        return settings.last_export_folder if settings is not None else ""

    def _remember(self, path: Path) -> None:
        settings = getattr(self.window, "settings", None)
        if settings is not None:
            settings.last_export_folder = str(path.parent)

    def open_dialog(self) -> BriefingDialog:
        from desktop.briefing.dialog import BriefingDialog

        window = self.window
        dialog = BriefingDialog(
            window.store, as_of=window.as_of, folder=self._folder(), analyst=window.store.actor, parent=window
        )
        dialog.finished.connect(lambda _: dialog.last_written and self._remember(dialog.last_written))
        self.dialog = dialog
        dialog.open()
        return dialog

    def choose_csv_path(self, title: str, name: str) -> str:
        """Ask where to save a CSV file (replaceable in tests)."""
        start = str(Path(self._folder() or Path.home()) / name)
        path, _ = QFileDialog.getSaveFileName(self.window, title, start, "CSV files (*.csv)")
        return path

    def _write(self, path: str, text: str) -> Path | None:
        from desktop.briefing.csv_export import write_csv

        target = Path(path)
        try:
            write_csv(target, text)
        except OSError as exc:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Export failed",
                f"Cannot write {target}: {exc.strerror or exc}",
                parent=self.window,
            )
            box.open()
            return None
        self._remember(target)
        self.window.statusBar().showMessage(f"Wrote {target}", 5000)
        return target

    def export_table(self) -> Path | None:
        """The comparison table as on screen (same date) as CSV."""
        from desktop.briefing.csv_export import comparison_rows_csv

        as_of = self.window.as_of
        path = self.choose_csv_path("Export table as CSV", f"comparison-{as_of.isoformat()}.csv")
        if not path:
            return None
        return self._write(path, comparison_rows_csv(self.window.store.quadrangle.comparison_table(as_of)))

    def export_lessons(self) -> Path | None:
        """Every lesson recorded by the window's date, as CSV."""
        from db import QuadrangleError
        from desktop.briefing.content import BriefingOptions, gather
        from desktop.briefing.csv_export import lessons_as_csv

        as_of = self.window.as_of
        path = self.choose_csv_path("Export lessons as CSV", f"lessons-{as_of.isoformat()}.csv")
        if not path:
            return None
        try:
            content = gather(self.window.store, BriefingOptions(as_of=as_of))
        except QuadrangleError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)
            return None
        return self._write(path, lessons_as_csv(content))


def install_briefing(window: QMainWindow) -> BriefingActions:
    """Add the briefing and CSV export actions to `window`'s File menu; kept on `window.briefing`."""
    window.briefing = BriefingActions(window)
    return window.briefing
