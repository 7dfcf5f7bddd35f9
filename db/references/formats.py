"""Which reader or writer a file needs, by its extension or, failing that, by its first characters."""

from __future__ import annotations

from pathlib import Path

from db.errors import ImportFormatError
from db.references.bibtex import format_bibtex, read_bibtex
from db.references.csl_json import format_csl_json, read_csl_json
from db.references.parsed import ParsedFile
from db.references.ris import format_ris, read_ris

READERS = {"bibtex": read_bibtex, "ris": read_ris, "csl-json": read_csl_json}
WRITERS = {"bibtex": format_bibtex, "ris": format_ris, "csl-json": format_csl_json}
EXTENSIONS = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris", ".txt": "", ".json": "csl-json"}
REFERENCE_FILE_SUFFIXES = (".bib", ".bibtex", ".ris", ".json")
FORMAT_NAMES = {"bibtex": "BibTeX", "ris": "RIS", "csl-json": "CSL-JSON"}


def format_of(name: str, text: str = "") -> str:
    """ "bibtex", "ris" or "csl-json" for a file name (its extension), else by its content."""
    known = EXTENSIONS.get(Path(name).suffix.lower())
    if known:
        return known
    head = text.lstrip("\ufeff \t\r\n")[:200]
    if head.startswith(("[", "{")):
        return "csl-json"
    if head.startswith("TY  -") or "\nTY  -" in head:
        return "ris"
    if "@" in text[:5000]:
        return "bibtex"
    raise ImportFormatError(
        f"{Path(name).name or 'The file'} is not a BibTeX (.bib), RIS (.ris) or CSL-JSON (.json) file; nothing was imported."
    )


def export_format_of(name: str) -> str:
    known = EXTENSIONS.get(Path(name).suffix.lower())
    if not known:
        raise ImportFormatError(f"Export to a .bib, .ris or .json file (not '{Path(name).suffix or name}').")
    return known


def read_text(text: str, fmt: str) -> ParsedFile:
    return READERS[fmt](text)
