"""The main window's help (guide, shortcuts, Find), files (new, open, recent, drop, read-only marker)
and accessible names and Tab order, installed after the other features so they see every control."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def install_window_extras(window: MainWindow) -> None:
    from desktop.accessibility import describe_main_window
    from desktop.files import install_files
    from desktop.help import install_help

    install_help(window)
    install_files(window)
    describe_main_window(window)  # last: it names and orders what the features added
