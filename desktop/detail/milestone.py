"""A milestone shown in full (date, kind, title, description, sources) when the detail panel's
milestone list is double-clicked; plain text, each user field isolated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.literal import isolate

if TYPE_CHECKING:
    from db import Store


def show_milestone(
    parent: QWidget,
    store: Store | None,
    relationship_id: str | None,
    milestone_id: str,
    ceiling: str | None = None,
) -> QMessageBox | None:
    """Open (window-modal, not blocking) a box with milestone `milestone_id` of `relationship_id`;
    returns it, or None when there is no such milestone (it may have been removed meanwhile). Its
    citations of sources above the view's `ceiling` are left out, and counted."""
    if store is None or relationship_id is None:
        return None
    milestone = next((m for m in store.catalog.milestones(relationship_id) if m.id == milestone_id), None)
    if milestone is None:
        return None
    from db import MarkingFilter  # here, not at the top: the main window imports this before its first paint

    shown = MarkingFilter(store, ceiling).cleaned(milestone)
    lines = [f"{milestone.date} · {milestone.kind}", "", isolate(milestone.title)]
    if milestone.description:
        lines += ["", isolate(milestone.description)]
    if shown.citations:
        lines += ["", "Sources: " + "; ".join(isolate(c.text) for c in shown.citations)]
    left_out = len(milestone.citations) - len(shown.citations)
    if left_out:
        lines += ["", f"{left_out} source{'s' if left_out != 1 else ''} above {ceiling} left out."]
    box = QMessageBox(QMessageBox.Icon.NoIcon, "Milestone", "\n".join(lines), QMessageBox.StandardButton.Close, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
