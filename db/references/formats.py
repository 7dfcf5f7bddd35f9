"""Which reader or writer a file needs, by its extension or, failing that, by its first characters."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from db.errors import ImportFormatError
from db.references.parsed import ParsedFile


class _OnFirstUse(Mapping[str, Callable[..., Any]]):
    """Format name -> a function of a module imported when it is first asked for: the BibTeX reader
    loads bibtexparser and pylatexenc (20 ms), which opening the store must not pay (issue 22)."""

    def __init__(self, where: dict[str, tuple[str, str]]) -> None:
        self._where = where

    def __getitem__(self, fmt: str) -> Callable[..., Any]:
        module, name = self._where[fmt]
        return getattr(importlib.import_module(module), name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


READERS = _OnFirstUse(
    {
        "bibtex": ("db.references.bibtex", "read_bibtex"),
        "ris": ("db.references.ris", "read_ris"),
        "csl-json": ("db.references.csl_json", "read_csl_json"),
    }
)
WRITERS = _OnFirstUse(
    {
        "bibtex": ("db.references.bibtex", "format_bibtex"),
        "ris": ("db.references.ris", "format_ris"),
        "csl-json": ("db.references.csl_json", "format_csl_json"),
    }
)
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
