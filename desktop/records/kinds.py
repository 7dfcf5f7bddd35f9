"""RecordKind: what the shared record commands and windows need to know about one kind of record
(operations, sources): its store service, how its records are named and turned back into input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db import Store


@dataclass(frozen=True)
class RecordKind:
    """One kind of record in a library window.

    `service(store)` is the store service with `add(draft, **{id_keyword: id})`, `update(id, draft,
    revision)`, `delete(id, revision)` and `restore(id)`; `retract(store, id)` undoes an addition;
    `label(record)` names a record in undo texts; `to_input(record)` gives the input to re-add it.
    """

    noun: str
    service: Callable[[Store], Any]
    id_keyword: str
    label: Callable[[Any], str]
    to_input: Callable[[Any], Any]
    retract: Callable[[Store, str], None]


def _sources_kind() -> RecordKind:
    from db import SourceInput

    return RecordKind(
        noun="source",
        service=lambda store: store.sources,
        id_keyword="source_id",
        label=lambda record: record.key,
        to_input=SourceInput.from_record,
        retract=lambda store, record_id: store.sources.retract([record_id]),
    )


def _operations_kind() -> RecordKind:
    from db import OperationInput

    return RecordKind(
        noun="operation",
        service=lambda store: store.operations,
        id_keyword="operation_id",
        label=lambda record: record.acronym,
        to_input=OperationInput.from_record,
        retract=lambda store, record_id: store.operations.retract(record_id),
    )


SOURCES = _sources_kind()
OPERATIONS = _operations_kind()
