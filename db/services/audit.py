"""The audit service: reading the audit log (every service writes its rows through Database.audit)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import distinct, func, select

from db import models
from db.database import AUDIT_STEP, Service
from db.history_records import AuditFacets, AuditFilter, AuditRecord

CHANGE_EXCERPT = 60  # characters of each before/after value in a summary


def _shown(value: object) -> str:
    text = " ".join(str(value if value is not None else "").split())
    text = text if len(text) <= CHANGE_EXCERPT else text[: CHANGE_EXCERPT - 1] + "…"
    return f"“{text}”" if text else "(empty)"


def describe_changes(fields: Iterable[tuple[str, object, object]]) -> str:
    """ "; "-joined "label: “before” → “after”" for each (label, before, after) that differs, values
    on one line and cut to CHANGE_EXCERPT characters; "" when nothing differs."""
    return "; ".join(f"{label}: {_shown(old)} → {_shown(new)}" for label, old, new in fields if old != new)


def with_changes(summary: str, fields: Iterable[tuple[str, object, object]]) -> str:
    """`summary` followed by the fields changed, before and after (or "no field changed")."""
    changes = describe_changes(fields)
    return f"{summary} — {changes}" if changes else f"{summary} — no field changed"


def _audit_record(row: models.AuditEntry) -> AuditRecord:
    return AuditRecord(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity_kind=row.entity_kind,
        entity_id=row.entity_id,
        summary=row.summary,
        origin=row.origin,
    )


class AuditService(Service):
    """Who changed what and when, filtered and paged for the audit-log window."""

    @contextmanager
    def step(self, verb: str, text: str) -> Iterator[None]:
        """Within the block, audit rows record an undo or redo (`verb` "undo" or "redo") of the step
        named `text` (an undo command's text) instead of a fresh action: action `verb`, summary
        "Undid “text”: ..." / "Redid “text”: ...". Writes nothing itself."""
        if verb not in ("undo", "redo"):
            raise ValueError(f"unknown audit step {verb!r}")
        token = AUDIT_STEP.set((verb, text))
        try:
            yield
        finally:
            AUDIT_STEP.reset(token)

    def entries(self, filters: AuditFilter | None = None, *, limit: int = 200, offset: int = 0) -> list[AuditRecord]:
        """Audit entries matching `filters`, newest first, `limit` from `offset` (for paging).
        `since`/`until` are whole UTC days, inclusive. One read transaction."""
        filters = filters or AuditFilter()
        entry = models.AuditEntry
        query = select(entry)
        if filters.actor:
            query = query.where(entry.actor == filters.actor)
        if filters.action:
            query = query.where(entry.action == filters.action)
        if filters.entity_kind:
            query = query.where(entry.entity_kind == filters.entity_kind)
        if filters.since:
            query = query.where(entry.at >= datetime.combine(filters.since, time.min, UTC))
        if filters.until:
            query = query.where(entry.at < datetime.combine(filters.until + timedelta(days=1), time.min, UTC))
        if filters.text.strip():
            # lower() on both sides: LIKE is case-insensitive on SQLite but not on PostgreSQL.
            pattern = (
                "%" + filters.text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            )
            query = query.where(func.lower(entry.summary).like(pattern, escape="\\"))
        query = query.order_by(entry.at.desc(), entry.id).limit(max(0, limit)).offset(max(0, offset))
        with self._read() as s:
            return [_audit_record(row) for row in s.scalars(query)]

    def facets(self) -> AuditFacets:
        """The distinct actors, actions and entity kinds in the audit log, sorted. One read transaction."""
        entry = models.AuditEntry
        with self._read() as s:

            def values(column) -> tuple[str, ...]:
                return tuple(sorted(v for v in s.scalars(select(distinct(column))) if v))

            return AuditFacets(values(entry.actor), values(entry.action), values(entry.entity_kind))
