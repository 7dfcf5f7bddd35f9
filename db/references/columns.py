"""A source's stored columns from anything shaped like a SourceInput (an editor's input, a dataset
entry, an imported entry): the one place the full record becomes table columns."""

from __future__ import annotations

from db.lesson_records import SOURCE_INPUT_FIELDS, SourceInput
from db.references.model import creators_to_json
from db.references.record import complete

STORED = tuple(name for name in SOURCE_INPUT_FIELDS if name != "creators")


def as_input(value) -> SourceInput:
    """A SourceInput from an object with some of its attribute names (the others left default)."""
    if isinstance(value, SourceInput):
        return value
    defaults = SourceInput(authors="", year="", title="")
    return SourceInput(**{name: getattr(value, name, getattr(defaults, name)) for name in SOURCE_INPUT_FIELDS})


def source_columns(value) -> dict:
    """Column values of the completed record (see `complete`), the key as given (maybe empty)."""
    draft = complete(as_input(value))
    columns = {name: getattr(draft, name) for name in STORED}
    columns["creators"] = creators_to_json(draft.creators)
    return columns
