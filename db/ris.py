"""RIS for scripts and older callers: `parse_ris` (all or nothing) over the reader in
db/references/ris.py (rispy)."""

from __future__ import annotations

from db.errors import ImportFormatError
from db.lesson_records import SourceInput
from db.references import ris as _ris
from db.references.record import complete

MAX_BYTES = 5_000_000


def parse_ris(text: str) -> list[SourceInput]:
    """Completed sources from a RIS text, in file order (keys left empty unless the file has IDs);
    ImportFormatError (one line) for a file over the size limit, without records, or with a problem."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ImportFormatError(f"The RIS file is larger than {MAX_BYTES // 1_000_000} MB; nothing was imported.")
    parsed = _ris.read_ris(text)
    if parsed.problems:
        raise ImportFormatError(f"Not a valid RIS file: {parsed.problems[0].rstrip('.')}. Nothing was imported.")
    if not parsed.entries:
        raise ImportFormatError("The file holds no RIS records ('TY  - ...' to 'ER  -'); nothing was imported.")
    return [complete(e.draft) for e in parsed.entries]
