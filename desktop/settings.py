"""A small typed wrapper over an injected QSettings: window state and user preferences.

Domain data never goes here; it lives in the database.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from db import strip_password

# The folder Qt keeps the preferences in (organization name, set in desktop/app.py).
APP_FOLDER_NAME = "Quadrangle"


class AppSettings:
    """Typed access to the few values the application remembers between runs.

    The preferences file is its owner's only (0600, in a 0700 folder) whatever the umask: it names
    the analyst and the databases they use.
    """

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings
        self._make_private()

    def _make_private(self) -> None:
        """Create the folder 0700 and the file 0600 before Qt writes them (Qt keeps an existing file's mode)."""
        name = self._settings.fileName()
        if not name or self._settings.format() not in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
            return
        path = Path(name)
        if not path.is_absolute():  # a registry key on Windows, not a file
            return
        with contextlib.suppress(OSError):
            if not path.parent.exists():
                path.parent.mkdir(parents=True, mode=0o700)
            elif self._is_own_folder(path.parent):
                os.chmod(path.parent, 0o700)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600))
            os.chmod(path, 0o600)

    @staticmethod
    def _is_own_folder(folder: Path) -> bool:
        """Whether an existing folder is Quadrangle's own settings folder, safe to make private.

        Only a folder named for the application and owned by this user: a preferences file placed in
        a shared folder (/tmp, the home folder, ~/.config) must never change that folder's mode."""
        getuid = getattr(os, "getuid", None)
        if getuid is None or folder.name != APP_FOLDER_NAME:
            return False
        info = folder.lstat()
        return stat.S_ISDIR(info.st_mode) and info.st_uid == getuid() and not info.st_mode & stat.S_ISVTX

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._settings.setValue("window/state", value)

    def splitter_state(self, name: str) -> QByteArray | None:
        return self._bytes(f"splitters/{name}")

    def set_splitter_state(self, name: str, value: QByteArray) -> None:
        self._settings.setValue(f"splitters/{name}", value)

    def geometry_of(self, window: str) -> QByteArray | None:
        """A secondary window's saved geometry (`window` is its name: "lessonsBrowser", "trash"...)."""
        return self._bytes(f"windows/{window}/geometry")

    def set_geometry_of(self, window: str, value: QByteArray) -> None:
        self._settings.setValue(f"windows/{window}/geometry", value)

    @property
    def analyst_name(self) -> str:
        return str(self._settings.value("preferences/analyst", "") or "")

    @analyst_name.setter
    def analyst_name(self, value: str) -> None:
        self._settings.setValue("preferences/analyst", value)

    @property
    def review_months(self) -> int:
        """How old an assessment may be on the view's date before it is "due for review" (0: never)."""
        from db import DEFAULT_REVIEW_MONTHS

        try:
            value = int(str(self._settings.value("preferences/review_months", DEFAULT_REVIEW_MONTHS)))
        except (TypeError, ValueError):
            return DEFAULT_REVIEW_MONTHS
        return max(0, min(value, 600))

    @review_months.setter
    def review_months(self, value: int) -> None:
        self._settings.setValue("preferences/review_months", int(value))

    @property
    def recent_databases(self) -> list[str]:
        """The database files opened last, newest first (File > Open recent)."""
        value = self._settings.value("paths/recent_databases", [])
        if isinstance(value, str):  # QSettings gives a one-item list back as a plain string
            return [value] if value else []
        return [str(v) for v in value if v] if isinstance(value, list) else []

    @recent_databases.setter
    def recent_databases(self, paths: list[str]) -> None:
        self._settings.setValue("paths/recent_databases", list(paths))

    @property
    def last_export_folder(self) -> str:
        return str(self._settings.value("paths/last_export_folder", "") or "")

    @last_export_folder.setter
    def last_export_folder(self, value: str) -> None:
        self._settings.setValue("paths/last_export_folder", value)

    @property
    def database_url(self) -> str:
        """The team database chosen in the preferences (a postgresql:// URL or a file), never with a password."""
        value = str(self._settings.value("preferences/database", "") or "")
        return strip_password(value)  # only an old or hand-edited file holds one

    @database_url.setter
    def database_url(self, value: str) -> None:
        # Passwords (URL, ?password= or keyword form) belong in ~/.pgpass or PGPASSWORD, never here.
        self._settings.setValue("preferences/database", strip_password(value.strip()))

    def sync(self) -> None:
        self._settings.sync()
        self._make_private()
