"""Text for a terminal: control characters (C0, DEL, C1, ESC) and bidirectional overrides and isolates
shown escaped (`\\x1b`, `\\u202e`), so data from the database or an exchange file cannot clear the
screen, move the cursor, retitle the terminal or reorder what an analyst reads.

`visible` is the one function; `EscapingWriter` applies it to everything a command prints.
"""

from __future__ import annotations

import re
from typing import TextIO

# C0 controls except tab, line feed and carriage return (tables and CSV need them), DEL, C1 controls,
# the bidirectional embeddings/overrides U+202A-U+202E and isolates U+2066-U+2069, and the line and
# paragraph separators some terminals treat as new lines.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    # \u form above 0x7f: inside JSON output it is still a valid escape of the same character.
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with terminal control and direction-override characters escaped; the rest unchanged."""
    return _UNSAFE.sub(_escape, text)


class EscapingWriter:
    """A text stream that passes everything written through `visible` before the real stream."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
