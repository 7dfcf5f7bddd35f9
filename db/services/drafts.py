"""The drafts service: an analyst's unsaved editor content, kept so that no typing is lost.

Drafts are scratch space, not changes to the data: they are neither audited nor announced (an autosave
every second would otherwise refresh every view and flood the log).
"""

from __future__ import annotations

import json

from sqlalchemy import select

from db import models
from db.database import Service
from db.errors import ValidationError
from db.history_records import DraftRecord
from db.types import utc_now

MAX_DRAFT_BYTES = 1_000_000


class DraftService(Service):
    """One draft per analyst, kind of editor and target record."""

    def save(self, kind: str, target_id: str, payload: dict) -> DraftRecord:
        """Keep this analyst's unsaved editor content for (`kind`, `target_id`), replacing any earlier
        draft. `payload` must be JSON-serialisable. One write transaction. Raises ValidationError."""
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
            raise ValidationError("The draft is too large to keep (over 1 MB): save or shorten it.")
        with self._write() as s:
            row = self._own_draft(s, kind, target_id)
            if row is None:
                row = models.Draft(kind=kind, target_id=target_id, author=self.actor, payload=text)
                s.add(row)
            row.payload = text
            row.updated_at = utc_now()
            s.flush()
            return DraftRecord(row.id, kind, target_id, row.author, payload, row.updated_at)

    def load(self, kind: str, target_id: str) -> DraftRecord | None:
        """This analyst's draft for (`kind`, `target_id`), or None. One read transaction."""
        with self._read() as s:
            row = self._own_draft(s, kind, target_id)
            if row is None:
                return None
            try:
                payload = json.loads(row.payload)
            except ValueError:
                return None
            return DraftRecord(row.id, row.kind, row.target_id, row.author, payload, row.updated_at)

    def targets(self, kind: str) -> set[str]:
        """The target ids this analyst has a draft of `kind` for (the "draft" marker). One read."""
        with self._read() as s:
            return set(
                s.scalars(
                    select(models.Draft.target_id).where(models.Draft.kind == kind, models.Draft.author == self.actor)
                )
            )

    def discard(self, kind: str, target_id: str) -> bool:
        """Remove this analyst's draft for (`kind`, `target_id`); True when there was one."""
        with self._write() as s:
            row = self._own_draft(s, kind, target_id)
            if row is None:
                return False
            s.delete(row)
            return True

    def _own_draft(self, s, kind: str, target_id: str) -> models.Draft | None:
        """This analyst's draft row for (`kind`, `target_id`) in session `s`, or None."""
        return s.scalars(
            select(models.Draft).where(
                models.Draft.kind == kind, models.Draft.target_id == target_id, models.Draft.author == self.actor
            )
        ).first()
