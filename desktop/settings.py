"""A small typed wrapper over an injected QSettings: window state and user preferences.

Domain data never goes here; it lives in the database.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QByteArray, QSettings


class AppSettings:
    """Typed access to the few values the application remembers between runs."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

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
    def last_export_folder(self) -> str:
        return str(self._settings.value("paths/last_export_folder", "") or "")

    @last_export_folder.setter
    def last_export_folder(self, value: str) -> None:
        self._settings.setValue("paths/last_export_folder", value)

    @property
    def database_url(self) -> str:
        """The team database chosen in the preferences (a postgresql:// URL or a file), never with a password."""
        value = str(self._settings.value("preferences/database", "") or "")
        if "://" in value and urlsplit(value).password is not None:  # only an old or hand-edited file holds one
            from db import without_password  # on use: it loads SQLAlchemy, which the first paint must not wait for

            value = without_password(value)
        return value

    @database_url.setter
    def database_url(self, value: str) -> None:
        # Passwords belong in ~/.pgpass or PGPASSWORD, never in a settings file.
        from db import without_password

        self._settings.setValue("preferences/database", without_password(value.strip()))

    def sync(self) -> None:
        self._settings.sync()
