"""Lessons learned: the browser with filters and full-text search, the editor, trash and theme overview."""

from desktop.lessons.feature import LessonsFeature, install_lessons

__all__ = ["LessonsFeature", "install_lessons"]
