"""Passwords out of every database location shown or kept: URL (`postgresql://u:pw@h/db`), query
(`?password=pw`) and libpq keyword (`host=h password=pw`) forms. Plain string work, no SQLAlchemy, so
the window can use it before the database machinery loads.
"""

from __future__ import annotations

import re

MASK = "***"

# scheme://user:password@ : greedy up to the last "@" of the word, so a raw "@" in a password is hidden too.
_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^:/@\s]*):(?P<password>\S*)@")
# ?password=... or &password=... in a URL's query (psycopg and libpq accept it).
_QUERY = re.compile(r"(?P<sep>[?&;])(?P<key>password)=(?P<password>[^&;#\s]*)", re.IGNORECASE)
# password=... in a libpq keyword string (quoted values may hold spaces), and PGPASSWORD=... alike.
_KEYWORD = re.compile(
    r"(?P<key>password)(?P<eq>\s*=\s*)(?P<password>'(?:[^'\\]|\\.)*'?|\"(?:[^\"\\]|\\.)*\"?|[^\s&;,]+)",
    re.IGNORECASE,
)


def redact(text: str) -> str:
    """`text` with every password in a database location replaced by ***: fit for a window title, a
    status bar, an error message or a command's output. Text without a password comes back unchanged."""
    if not text or ("password" not in text.lower() and "://" not in text):
        return text
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", text)
    text = _QUERY.sub(lambda m: f"{m['sep']}{m['key']}={MASK}", text)
    return _KEYWORD.sub(lambda m: m[0] if m["password"] == MASK else f"{m['key']}{m['eq']}{MASK}", text)


def strip_password(location: str) -> str:
    """The location with its password removed (not masked), fit to keep in the preferences.

    A path without a password comes back unchanged.
    """
    if not location or ("password" not in location.lower() and "://" not in location):
        return location
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}@", location)
    if "://" in text:
        text = _QUERY.sub(lambda m: "?" if m["sep"] == "?" else "", text)
        text = re.sub(r"\?[&;]+", "?", text)
        text = re.sub(r"\?(?=$|#)", "", text)
    else:
        text = _KEYWORD.sub("", text)
        text = " ".join(text.split())
    return text


def holds_password(location: str) -> bool:
    """Whether the location carries a password in any of the three forms."""
    return strip_password(location) != location
