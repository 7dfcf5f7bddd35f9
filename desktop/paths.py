"""Where the database lives: the `--db` flag, then QUADRANGLE_DB (or QUADRANGLE_DATABASE_URL),
then the platform's user-data folder. Resolved once, by the entry point."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_ENV = ("QUADRANGLE_DB", "QUADRANGLE_DATABASE_URL")
DATA_DIR_ENV = "QUADRANGLE_HOME"
DEFAULT_FILE_NAME = "quadrangle.db"


def user_data_dir() -> Path:
    """The folder for the default database and its backups (QUADRANGLE_HOME overrides it)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("Quadrangle", appauthor=False)


def resolve_database(flag: str | None) -> tuple[str, bool]:
    """The database to open and whether it is the default one (whose folder we may create)."""
    if flag:
        return flag, False
    for name in DATABASE_ENV:
        value = os.environ.get(name)
        if value:
            return value, False
    return str(user_data_dir() / DEFAULT_FILE_NAME), True


def ensure_default_folder(target: str) -> None:
    """Create the user-data folder for the default database, owner-only, if it is missing."""
    Path(target).parent.mkdir(parents=True, exist_ok=True, mode=0o700)


def prefer_database(flag: str | None, preferred: str) -> str | None:
    """The `--db` value to use when the preferences name a database: the flag and the environment
    variables still win, so a preference never hides an explicit choice."""
    if flag or not preferred or any(os.environ.get(name) for name in DATABASE_ENV):
        return flag
    return preferred
