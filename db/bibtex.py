"""BibTeX for scripts and older callers: `parse_bibtex` (all or nothing) and `format_bibtex` over the
maintained reader and writer in db/references/bibtex.py (bibtexparser 2)."""

from __future__ import annotations

from db.errors import ImportFormatError
from db.lesson_records import SourceInput, SourceRecord
from db.references import bibtex as _bibtex
from db.references.record import complete

MAX_BYTES = 5_000_000
latex_to_text = _bibtex.latex_to_text


def parse_bibtex(text: str) -> list[SourceInput]:
    """Completed sources from a BibTeX text, in file order; ImportFormatError (one line) for a file
    over the size limit, without entries, or with any block or entry that cannot be read."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise ImportFormatError(f"The BibTeX file is larger than {MAX_BYTES // 1_000_000} MB; nothing was imported.")
    parsed = _bibtex.read_bibtex(text)
    if parsed.problems:
        raise ImportFormatError(f"Not a valid BibTeX file: {parsed.problems[0].rstrip('.')}. Nothing was imported.")
    if not parsed.entries:
        raise ImportFormatError("The file holds no BibTeX entries (@article{...}, @book{...}); nothing was imported.")
    return [complete(e.draft) for e in parsed.entries]


def format_bibtex(sources: list[SourceRecord], marking: str = "") -> str:
    """The sources as a UTF-8 BibTeX text (see db/references/bibtex.py)."""
    return _bibtex.format_bibtex(sources, marking)
