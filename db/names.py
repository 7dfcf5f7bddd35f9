"""Author lists between the report's style ("Child, J., D. Faulkner & S. Tallman") and the lists of
names that BibTeX and RIS carry, shared by the two importers and the BibTeX exporter."""

from __future__ import annotations


def join_authors(names: list[str]) -> str:
    """Names in report style: the first "Last, First", the others "First Last", the last after " & ".

    A name wrapped in braces ("{Council of the EU}") is an organization and is kept as it is.
    """
    names = [n for n in (" ".join(n.split()) for n in names) if n]
    if not names:
        return ""
    first = names[0]
    if _is_corporate(first):
        first = first[1:-1].strip()
    elif "," not in first and " " in first:
        first = _inverted(first)
    others = [n[1:-1].strip() if _is_corporate(n) else _natural(n) for n in names[1:]]
    everyone = [first, *others]
    if len(everyone) == 1:
        return everyone[0]
    return ", ".join(everyone[:-1]) + " & " + everyone[-1]


def split_authors(authors: str) -> list[str]:
    """The inverse of `join_authors`: "Child, J., D. Faulkner & S. Tallman" -> three names."""
    text = " ".join(authors.split())
    if not text:
        return []
    head, _, last = text.rpartition(" & ")
    if not head:
        head, last = text, ""
    parts = [p.strip() for p in head.split(", ")]
    names = []
    if len(parts) >= 2 and _looks_like_given_names(parts[1]):
        names.append(f"{parts[0]}, {parts[1]}")
        parts = parts[2:]
    names.extend(p for p in parts if p)
    if last:
        names.append(last)
    return names


def _looks_like_given_names(text: str) -> bool:
    return bool(text) and (text[0].isupper() or text[0] == "{") and len(text.split()) <= 4


def _is_corporate(name: str) -> bool:
    return name.startswith("{") and name.endswith("}")


def _inverted(name: str) -> str:
    """ "Cedric de Coning" -> "de Coning, Cedric"."""
    tokens = name.split()
    last_start = len(tokens) - 1
    while last_start > 1 and tokens[last_start - 1][:1].islower():
        last_start -= 1
    return f"{' '.join(tokens[last_start:])}, {' '.join(tokens[:last_start])}"


def _natural(name: str) -> str:
    """ "Faulkner, D." -> "D. Faulkner"; a name without a comma is kept."""
    if "," not in name:
        return name
    last, _, first = name.partition(",")
    return f"{first.strip()} {last.strip()}".strip()
