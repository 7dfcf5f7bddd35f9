"""Typed ways to build Qt objects with their name, shortcut and slot set at once.

PySide6 accepts Qt properties and signals as constructor keywords (`QLabel(objectName="x")`,
`QAction(..., triggered=f)`) at run time, but its type stubs do not describe them; these helpers make the
same calls through the typed setters so mypy checks them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

QObjectT = TypeVar("QObjectT", bound=QObject)


def named(obj: QObjectT, name: str) -> QObjectT:
    """`obj` with its objectName set to `name` (what tests and style sheets find it by)."""
    obj.setObjectName(name)
    return obj


def make_action(
    text: str,
    parent: QObject,
    *,
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    triggered: Callable[..., object] | None = None,
    object_name: str | None = None,
) -> QAction:
    """A QAction owned by `parent`, with its shortcut, its `triggered` slot and its objectName if given."""
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(shortcut)
    if triggered is not None:
        action.triggered.connect(triggered)
    if object_name is not None:
        action.setObjectName(object_name)
    return action
