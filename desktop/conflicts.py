"""Saving an item edited in place (a lesson, an operation, a source) under optimistic locking: the
one flow every editor dialog follows when another analyst saved the item first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from db import ConflictError, QuadrangleError

OVERWRITE_HINT = "Save again to overwrite their version, or Cancel to keep it."

DraftT = TypeVar("DraftT")


def try_save(
    save: Callable[[DraftT, int | None], None],
    draft: DraftT,
    expected_revision: int | None,
    show_error: Callable[[str], None],
) -> tuple[bool, int | None]:
    """Call `save(draft, expected_revision)`. Returns (True, expected_revision) once saved. On a
    conflict, shows it and returns (False, the revision the other analyst saved), so that saving again
    deliberately overwrites theirs; on any other refusal shows the reason and keeps the revision."""
    try:
        save(draft, expected_revision)
    except ConflictError as exc:
        show_error(f"{exc} {OVERWRITE_HINT}")
        return False, getattr(exc.current, "revision", expected_revision)
    except QuadrangleError as exc:
        show_error(str(exc))
        return False, expected_revision
    return True, expected_revision
