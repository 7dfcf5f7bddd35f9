"""Bytes of a reference file to text: UTF-8 with or without a byte-order mark, UTF-16 (with its
mark), and Latin-1 when the bytes are not UTF-8 but read as Western text; anything else refused with
one clear line."""

from __future__ import annotations

import codecs

from db.errors import ImportFormatError

MAX_BYTES = 5_000_000


def decode_reference_file(data: bytes, name: str = "The file") -> str:
    """The text of a BibTeX, RIS or CSL-JSON file; raises ImportFormatError in one line."""
    if len(data) > MAX_BYTES:
        raise ImportFormatError(f"{name} is larger than {MAX_BYTES // 1_000_000} MB; nothing was imported.")
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[len(codecs.BOM_UTF8) :], "utf-8", name)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data, "utf-16", name).lstrip("\ufeff")
    if len(data) >= 4 and data[1:2] == b"\x00" and data[3:4] == b"\x00" and data[0:1] != b"\x00":
        return _checked(data, "utf-16-le", name)
    if len(data) >= 4 and data[0:1] == b"\x00" and data[2:3] == b"\x00" and data[1:2] != b"\x00":
        return _checked(data, "utf-16-be", name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if b"\x00" in data:
        raise ImportFormatError(f"{name} holds binary data, not text; nothing was imported.")
    text = data.decode("latin-1")
    # Latin-1 decodes any byte; accept it only when no C1 control character (0x80-0x9f) appears,
    # which in a real Latin-1 text never does (they mean the file is Windows-1252 or something else).
    if any("\x80" <= c <= "\x9f" for c in text):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFormatError(
                f"{name} is neither UTF-8 nor Latin-1 text (byte {utf8_error.start + 1}): "
                "save it as UTF-8 and import it again; nothing was imported."
            ) from None
    return text


def _checked(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"{name} is not valid {encoding.upper()} (byte {exc.start + 1}): save it as UTF-8; nothing was imported."
        ) from None
    if "\x00" in text:
        raise ImportFormatError(f"{name} holds binary data, not text; nothing was imported.")
    return text
