"""The briefing's menu actions in the main window: File > Export briefing..., Export table (CSV or Excel)...,
Export lessons (CSV or Excel)... (Excel when the name ends in .xlsx), Export comparison..."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

if TYPE_CHECKING:
    from desktop.assessments.compare import CompareDialog
    from desktop.briefing.dialog import BriefingDialog
    from desktop.main_window import MainWindow

# The dialog, the content reader and the CSV writers load when first used, not while the window
# builds its first frame.

SPREADSHEET_FILTERS = "CSV files (*.csv);;Excel workbooks (*.xlsx)"


class BriefingActions:
    """Owns the export actions of one main window; `window` needs `store`, `as_of`, `settings`, `file_menu`."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: BriefingDialog | None = None
        self.limit: str | None = None  # the highest marking the CSV being exported may include
        self.briefing_action = QAction("Export &briefing…", window, shortcut=QKeySequence("Ctrl+P"))
        self.briefing_action.setObjectName("exportBriefingAction")
        self.briefing_action.triggered.connect(self.open_dialog)
        self.table_action = QAction("Export &table (CSV or Excel)…", window)
        self.table_action.setObjectName("exportTableCsvAction")
        self.table_action.triggered.connect(self.export_table)
        self.lessons_action = QAction("Export &lessons (CSV or Excel)…", window)
        self.lessons_action.setObjectName("exportLessonsCsvAction")
        self.lessons_action.triggered.connect(self.export_lessons)
        self.comparison_action = QAction("Export &comparison…", window)
        self.comparison_action.setObjectName("exportComparisonAction")
        self.comparison_action.triggered.connect(self.open_comparison)
        menu = window.file_menu
        actions = menu.actions()
        export = getattr(window, "export_action", None)  # File > Export diagram...: exports stay together
        before: QAction | None
        if export in actions and actions.index(export) + 1 < len(actions):
            before = actions[actions.index(export) + 1]
        else:
            before = actions[-1] if actions else None  # keep Quit last
            if before is not None:
                menu.insertSeparator(before)
        for action in (self.briefing_action, self.table_action, self.lessons_action, self.comparison_action):
            if before is not None:
                menu.insertAction(before, action)
            else:
                menu.addAction(action)

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
        store = window.store
        assert store is not None  # the action is enabled once the store is attached
        dialog = BriefingDialog(store, as_of=window.as_of, folder=self._folder(), analyst=store.actor, parent=window)

        def remember_written(_result: int) -> None:
            if dialog.last_written:
                self._remember(dialog.last_written)

        dialog.finished.connect(remember_written)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_comparison(self) -> CompareDialog:
        """The Compare dialog set to the whole quadrangle a year before the window's date and on it
        (the selected relationship's fields on screen), its Export writing the report of every
        relationship; the dialog's limit starts at the window's ceiling."""
        from datetime import date

        from desktop.assessments.compare import CompareDialog

        window = self.window
        store = window.store
        assert store is not None  # the action is enabled once the store is attached
        relationship_id = window.selected_relationship_id() or store.quadrangle.relationships()[0].id
        dialog = CompareDialog(store, window.events, relationship_id, parent=window)
        dialog.every_relationship_check.setChecked(True)
        end = window.as_of
        start = date(end.year - 1, end.month, 28 if (end.month, end.day) == (2, 29) else end.day)
        dialog.compare_dates(start, end)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def choose_csv_path(self, title: str, name: str) -> str:
        """Ask the highest marking to include (into `limit`), then where to save a CSV file (replaceable
        in tests)."""
        chosen, self.limit = self.window.ask_export_limit(title)
        if not chosen:
            return ""
        start = str(Path(self._folder() or Path.home()) / name)
        path, chosen_filter = QFileDialog.getSaveFileName(self.window, title, start, SPREADSHEET_FILTERS)
        if path and "xlsx" in chosen_filter and not path.lower().endswith((".csv", ".xlsx")):
            path += ".xlsx"
        return path

    def _write(self, path: str, text: str, sheet=None) -> Path | None:
        """Write CSV `text`, or the Excel `sheet` when there is one, never onto the open database."""
        from db import QuadrangleError
        from desktop.briefing.csv_export import write_csv
        from desktop.briefing.xlsx_export import write_xlsx

        target = Path(path)
        store = self.window.store
        protect = (store.location.file,) if store is not None and store.location.is_sqlite else ()
        try:
            if sheet is not None:
                write_xlsx(target, sheet, protect, author=store.actor if store is not None else "")
            else:
                write_csv(target, text, protect)
        except (OSError, QuadrangleError) as exc:
            reason = f"Cannot write {target}: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)
            box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", reason, parent=self.window)
            box.open()
            return None
        self._remember(target)
        self.window.statusBar().showMessage(f"Wrote {target}", 5000)
        return target

    def export_table(self) -> Path | None:
        """The comparison table as on screen (same date, up to the chosen marking) as marked CSV or Excel."""
        from desktop.marked_exports import table_export, table_sheet

        return self._export_marked(
            "Export table (CSV or Excel)",
            "comparison",
            lambda store, as_of, limit: table_export(store, as_of, "csv", max_marking=limit),
            lambda store, as_of, limit: table_sheet(store, as_of, max_marking=limit),
        )

    def export_lessons(self) -> Path | None:
        """Every lesson recorded by the window's date up to the chosen marking, as marked CSV or Excel."""
        from desktop.marked_exports import lessons_export, lessons_sheet

        return self._export_marked(
            "Export lessons (CSV or Excel)",
            "lessons",
            lambda store, as_of, limit: lessons_export(store, as_of, max_marking=limit),
            lambda store, as_of, limit: lessons_sheet(store, as_of, max_marking=limit),
        )

    def _export_marked(self, title: str, stem: str, make, make_sheet) -> Path | None:
        """Ask the highest marking to include (the window's ceiling first), then the file; write it."""
        from db import QuadrangleError

        self.limit = self.window.markings.ceiling  # what is on screen, unless choose_csv_path asks otherwise
        as_of = self.window.as_of
        path = self.choose_csv_path(title, f"{stem}-{as_of.isoformat()}.csv")
        if not path:
            return None
        workbook = path.lower().endswith(".xlsx")
        try:
            if workbook:
                sheet, _ = make_sheet(self.window.store, as_of, self.limit)
            else:
                sheet, text = None, make(self.window.store, as_of, self.limit).text
        except QuadrangleError as exc:
            self.window.statusBar().showMessage(str(exc), 8000)
            return None
        return self._write(path, "" if workbook else text, sheet)


def install_briefing(window: MainWindow) -> BriefingActions:
    """Add the briefing and CSV export actions to `window`'s File menu; kept on `window.briefing`."""
    window.briefing = BriefingActions(window)
    return window.briefing
