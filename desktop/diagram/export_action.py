"""File > Export diagram, as the main window runs it: the marking limit and the file asked for, the
diagram at that limit (with its banner) written through the safe writer, the folder remembered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from db import QuadrangleError
from desktop.diagram.export import SUFFIXES, export_diagram
from desktop.diagram.scene import QuadrangleScene

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def export_diagram_from(window: MainWindow) -> None:
    """Ask (through `window.ask_export_path`, replaceable in tests), then export; a refusal is shown
    in one message box and nothing is written."""
    window.export_limit = window.markings.ceiling  # what is on screen, unless the question changes it
    path = window.ask_export_path()
    limit = window.export_limit
    if not path:
        return
    confirmed = True  # the file dialog asked before returning an existing file's name
    if not path.lower().endswith(SUFFIXES):
        path += ".png"
        confirmed = False  # a name the dialog was not asked about: never replaced
    store = window.store
    protect = (str(store.location.file),) if store is not None and store.location.is_sqlite else ()
    try:
        scene, banner = window.markings.scene_at(limit, window.scene, window.state, lambda: QuadrangleScene(window))
        written = export_diagram(scene, path, banner=banner, protect=protect, overwrite=confirmed)
    except QuadrangleError as exc:
        QMessageBox.warning(window, "Export diagram", str(exc))
        return
    window.settings.last_export_folder = str(written.parent)
    window.statusBar().showMessage(f"Exported the diagram to {written}", 5000)
    files = getattr(window, "files_feature", None)
    if files is not None:
        files.show_exported(written)  # "Open" and "Show in folder"
