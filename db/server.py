"""PostgreSQL server specifics: one-line messages for server errors, and connection strings without
their passwords (passwords come from ~/.pgpass, PGPASSWORD or a libpq service file, never settings).
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from db.errors import DatabaseOpenError
from db.migrate import current_revision
from db.redaction import strip_password

# SQLSTATE classes and codes (PostgreSQL's errcodes appendix) that need their own message.
_AUTH_FAILED = {"28P01", "28000"}
_NO_DATABASE = "3D000"
_SHUTDOWN = {"57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004"}
_RETRY = {"40001", "40P01"}
_READ_ONLY = "25006"
_NO_PRIVILEGE = "42501"
_DISK_FULL = {"53100", "53200"}

_LOST = (
    "server closed the connection",
    "terminating connection",
    "consuming input failed",
    "connection is lost",
    "connection already closed",
    "the connection is closed",
    "ssl syscall error",
    "connection is bad",
    "connection reset",
    "broken pipe",
    "could not receive data",
    "could not send data",
)
_UNREACHABLE = (
    "connection refused",
    "could not translate host name",
    "no route to host",
    "timeout expired",
    "network is unreachable",
    "no such file or directory",
    "name or service not known",
)


def without_password(url: str) -> str:
    """The connection string with any password removed, fit to keep in the preferences.

    A plain file path comes back unchanged; a libpq keyword string loses its `password=...`, a URL
    its `?password=...` query parameter too.
    """
    if "://" not in url:
        return strip_password(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return strip_password(url)
    if parsed.password is None:
        return strip_password(url)
    bare = URL.create(
        parsed.drivername,
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
        query=parsed.query,
    )
    return strip_password(bare.render_as_string(hide_password=False))


def server_address(url: str) -> str:
    """ "host:port" of a server URL (the default port and a local socket spelt out)."""
    parsed = make_url(url)
    host = parsed.host or parsed.query.get("host") or "the local socket"
    if isinstance(host, tuple):
        host = host[0]
    return f"{host}:{parsed.port or 5432}"


def scrub_secrets(text: str, url: str) -> str:
    """Remove the URL's password from `text`, wherever a driver might have echoed it."""
    password = make_url(url).password
    if password:
        text = text.replace(str(password), "***")
    return re.sub(r"(password\s*=\s*)\S+", r"\1***", text, flags=re.IGNORECASE)


def describe_server_error(exc: BaseException, url: str, display: str) -> str:
    """One line for an error from a PostgreSQL server: what happened and what the user can do."""
    original = getattr(exc, "orig", exc)
    sqlstate = getattr(original, "sqlstate", None) or ""
    raw = str(original).strip()
    first = raw.splitlines()[0] if raw else type(original).__name__
    first = re.sub(r"^(connection failed|connection is bad):\s*", "", first)
    lowered = raw.lower()
    address = server_address(url)
    user = make_url(url).username or "(your user name)"
    database = make_url(url).database or "(default)"
    if sqlstate in _AUTH_FAILED or "password authentication failed" in lowered or "no password supplied" in lowered:
        message = (
            f"The database server at {address} refused the login of '{user}': check the user name and the "
            "password (in ~/.pgpass or PGPASSWORD)."
        )
    elif sqlstate == _NO_DATABASE or ("database" in lowered and "does not exist" in lowered):
        message = (
            f"The database '{database}' does not exist on the server at {address}: "
            "create it with `quadrangle init --db URL` or check its name."
        )
    elif sqlstate in _RETRY:
        message = f"Another analyst's change collided with yours on {display}; nothing was saved: try again."
    elif sqlstate == _READ_ONLY:
        message = f"{display} is read-only for you (a standby or read-only user); nothing was saved."
    elif sqlstate == _NO_PRIVILEGE:
        message = f"'{user}' may not change {display}: ask the server's administrator for write access."
    elif sqlstate in _DISK_FULL:
        message = f"The server holding {display} is out of space; nothing was saved: tell its administrator."
    elif sqlstate in _SHUTDOWN or any(marker in lowered for marker in _LOST):
        message = (
            f"Lost the connection to the database server at {address} ({first}); nothing was saved: "
            "check the connection and try again."
        )
    elif any(marker in lowered for marker in _UNREACHABLE) or (not sqlstate and _is_connection_error(original)):
        reason = _short_reason(lowered) or first
        message = f"Cannot reach the database server at {address} ({reason}); check the connection."
    else:
        message = f"Database error on {display}: {first}"
    return scrub_secrets(message, url)


def _is_connection_error(original: BaseException) -> bool:
    """A driver error about the connection itself (psycopg's OperationalError without an SQLSTATE)."""
    return type(original).__name__ == "OperationalError"


UNSTORABLE_NUL = (
    "The text holds a NUL character (\\0, often from a paste), which the database server cannot store: "
    "remove it and try again."
)


def is_unstorable_text(exc: BaseException) -> bool:
    """PostgreSQL refuses NUL characters in text, which SQLite stores: the user must remove them."""
    return "cannot contain NUL (0x00)" in str(getattr(exc, "orig", exc))


def _short_reason(lowered: str) -> str | None:
    for marker in _UNREACHABLE:
        if marker in lowered:
            return marker
    return None


def existing_revision(connection: Connection, display: str) -> str | None:
    """The Quadrangle revision of a database, None when it is empty. A database holding other
    tables but no Quadrangle schema is refused (DatabaseOpenError), so nothing is created beside them."""
    revision = current_revision(connection)
    if revision is None:
        tables = sorted(inspect(connection).get_table_names())
        if tables:
            shown = ", ".join(tables[:5]) + (" ..." if len(tables) > 5 else "")
            raise DatabaseOpenError(
                f"{display} is not empty ({len(tables)} tables: {shown}) and is not a Quadrangle database: "
                "give an empty database."
            )
    return revision
