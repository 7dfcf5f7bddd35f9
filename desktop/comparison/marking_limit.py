"""The "Highest marking to include" choice of the comparison views: a combo of the database's levels
(and Everything), starting at the main window's view ceiling, so the dialog shows and exports exactly
what an export at that limit holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QWidget

if TYPE_CHECKING:
    from db import Store

EVERYTHING = "Everything"


def ceiling_of(window: QWidget | None) -> str | None:
    """The view ceiling of the main window `window` (None when it has none, or is not one)."""
    markings = getattr(window, "markings", None)
    return getattr(markings, "ceiling", None)


def marking_limit_combo(store: Store, parent: QWidget, ceiling: str | None = None) -> QComboBox:
    """Everything, then each level lowest first (item data: the level, None for Everything); `ceiling`
    preselected."""
    combo = QComboBox(parent)
    combo.setObjectName("markingLimitCombo")
    combo.setAccessibleName("Highest marking to include")
    combo.addItem(EVERYTHING, None)
    for level in store.catalog.marking_scheme().levels:
        combo.addItem(level, level)
    index = combo.findData(ceiling) if ceiling is not None else 0
    combo.setCurrentIndex(max(index, 0))
    return combo
