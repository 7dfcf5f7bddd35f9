"""Exchange between offline workstations in the window: File > Export for exchange... and
File > Import exchange file..."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

__all__ = ["install_exchange"]


def install_exchange(window) -> None:
    """Add the two exchange actions to the window's File menu, above Quit."""
    menu = window.file_menu
    first = menu.actions()[0] if menu.actions() else None
    export_action = QAction("Export for e&xchange...", window)
    export_action.setObjectName("exportExchangeAction")
    import_action = QAction("&Import exchange file...", window)
    import_action.setObjectName("importExchangeAction")

    def export() -> None:
        from desktop.exchange.export_dialog import ExportExchangeDialog  # loaded on first use, not at start-up

        dialog = ExportExchangeDialog(window.store, folder=window.settings.last_export_folder, parent=window)
        dialog.exported.connect(lambda manifest: _remember_folder(window, manifest.path))
        dialog.exported.connect(lambda manifest: window.statusBar().showMessage(f"Exported {manifest.path.name}", 8000))
        dialog.open()

    def import_file() -> None:
        path, _ = QFileDialog.getOpenFileName(
            window, "Import exchange file", window.settings.last_export_folder, "Exchange files (*.json);;All files (*)"
        )
        if path:
            from desktop.exchange.import_dialog import ImportExchangeDialog

            ImportExchangeDialog(window.store, path, parent=window).open()

    export_action.triggered.connect(export)
    import_action.triggered.connect(import_file)
    menu.insertAction(first, export_action)
    menu.insertAction(first, import_action)
    menu.insertSeparator(first)
    window.export_exchange_action = export_action
    window.import_exchange_action = import_action


def _remember_folder(window, path) -> None:
    window.settings.last_export_folder = str(path.parent)
