"""Editing assessments: the editor, history with its phase chart, comparison, restore, reversals."""
