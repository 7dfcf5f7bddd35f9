"""Errors the store raises. Each message is one line a user can act on: what is wrong, what to do."""

from __future__ import annotations

from pathlib import Path


class QuadrangleError(Exception):
    """Base class of every error the store raises on purpose; its text is fit to show a user."""


class DatabaseOpenError(QuadrangleError):
    """The database cannot be opened (missing folder, not a database, unreadable, unreachable)."""


class SchemaTooNewError(DatabaseOpenError):
    """The database was written by a newer Quadrangle; it is left untouched."""


class DatabaseInUseError(DatabaseOpenError):
    """Another Quadrangle is writing to this database file."""


class DatasetError(QuadrangleError):
    """A dataset file failed validation; nothing was written."""


class ValidationError(QuadrangleError):
    """A value given to the store breaks a domain rule; nothing was written."""


class NotFoundError(QuadrangleError):
    """The record asked for does not exist (or was deleted)."""


class ConflictError(QuadrangleError):
    """Someone else saved the record since it was read (optimistic locking)."""

    def __init__(self, message: str, *, current: object | None = None) -> None:
        super().__init__(message)
        self.current = current


class StorageError(QuadrangleError):
    """The database could not be written (disk full, read-only, locked); the last saved state is intact."""


class ImportFormatError(ValidationError):
    """An import file (BibTeX, RIS...) is malformed or too large; nothing was imported."""


class DatabaseNotWritableError(DatabaseOpenError):
    """The database's folder or file cannot be written (read-only media or permissions); it may be opened read-only."""


class DatabaseDamagedError(DatabaseOpenError):
    """The database file failed its check; it was left untouched. `backup` is the newest good backup."""

    def __init__(self, message: str, *, path: Path | None = None, backup: Path | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup
