"""Editing assessments: the editor, history with its phase chart, comparison, restore, reversals,
the audit log and preferences, plugged into the main window by `install_assessments(window)`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop.assessments.controller import AssessmentsController


def install_assessments(window) -> AssessmentsController:
    """Add the assessment actions to `window`'s menus and open the editor on `relationship_activated`.

    `window` provides `store`, `settings`, `undo_stack`, `file_menu`, `edit_menu`, `view_menu`,
    `relationship_activated(str)` and `selected_relationship_id()`.
    """
    from desktop.assessments.controller import AssessmentsController

    controller = AssessmentsController(window)
    window.assessments = controller
    return controller
