"""The main window's size, layout and splitters, kept in the settings between sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def restore_geometry(window: MainWindow, first_run_size: tuple[int, int]) -> None:
    """Put the window back as it was left, or give a first run a sensible size and split."""
    settings = window.settings
    geometry = settings.window_geometry
    if geometry is None or not window.restoreGeometry(geometry):
        window.resize(*first_run_size)
        window.main_splitter.setSizes([first_run_size[0] - 340, 340])
        window.left_splitter.setSizes([470, 250])
    state = settings.window_state
    if state is not None:
        window.restoreState(state)
    for name, splitter in (("main", window.main_splitter), ("left", window.left_splitter)):
        saved = settings.splitter_state(name)
        if saved is not None:
            splitter.restoreState(saved)


def save_geometry(window: MainWindow) -> None:
    """Keep the window's geometry, toolbar/dock state and splitter positions for the next session."""
    settings = window.settings
    settings.window_geometry = window.saveGeometry()
    settings.window_state = window.saveState()
    settings.set_splitter_state("main", window.main_splitter.saveState())
    settings.set_splitter_state("left", window.left_splitter.saveState())
    settings.sync()
