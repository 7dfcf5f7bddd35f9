"""Store methods for lessons learned: create, edit (optimistic locking), trash and restore, the
filtered and searched pages of the lessons browser, themes and the theme overview. How rows become
records, and the browser's filters as SQL conditions, are in db/services/lesson_reads.py."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import delete, func, select

from db import models, search
from db.database import Service
from db.errors import ConflictError, NotFoundError, ValidationError
from db.events import EventKind
from db.lesson_records import (
    LessonChange,
    LessonFilters,
    LessonHit,
    LessonInput,
    LessonPage,
    LessonRecord,
    ThemeOverview,
)
from db.services.audit import with_changes
from db.services.catalog import withheld_source_ids
from db.services.lesson_reads import (
    lesson_conditions,
    lesson_record_chunks,
    lesson_records,
    lesson_records_by_id,
)
from db.services.shared import bump_revision, excerpt, set_trashed
from db.services.withheld_quotes import allowed_quotes, cites_blocked_quote, explained
from db.types import new_id, utc_now
from db.validation import validate_lesson

MAX_PAGE = 1_000


def lesson_fields(
    before: LessonRecord, after: LessonRecord, operation_names: dict[str, str]
) -> list[tuple[str, object, object]]:
    """The (label, before, after) of each field of a lesson an edit can change, for the audit log
    (operations by their acronym, relationships by their number when the set changed)."""
    relationships_changed = set(before.relationship_ids) != set(after.relationship_ids)
    return [
        ("finding", before.finding, after.finding),
        ("recommendation", before.recommendation, after.recommendation),
        ("kind", before.kind.label, after.kind.label),
        ("recorded on", before.recorded_on.isoformat(), after.recorded_on.isoformat()),
        ("marking", before.marking, after.marking),
        (
            "operation",
            operation_names.get(before.operation_id or "", ""),
            operation_names.get(after.operation_id or "", ""),
        ),
        (
            "relationships",
            len(before.relationship_ids) if relationships_changed else 0,
            len(after.relationship_ids) if relationships_changed else 0,
        ),
        ("themes", ", ".join(before.theme_keys), ", ".join(after.theme_keys)),
        ("citations", "; ".join(c.text for c in before.citations), "; ".join(c.text for c in after.citations)),
    ]


class LessonService(Service):
    """Lessons learned: reading, searching, writing, the trash, and the search index."""

    # -- reading -------------------------------------------------------------------------------

    def all(self, relationship_id: str | None = None) -> list[LessonRecord]:
        """Lessons not in the trash, optionally only those about one relationship, oldest first."""
        with self._read() as s:
            query = select(models.Lesson).where(models.Lesson.deleted_at.is_(None))
            if relationship_id is not None:
                query = query.join(
                    models.LessonRelationship, models.LessonRelationship.lesson_id == models.Lesson.id
                ).where(models.LessonRelationship.relationship_id == relationship_id)
            rows = list(
                s.scalars(query.order_by(models.Lesson.recorded_on, models.Lesson.created_at, models.Lesson.id))
            )
            return lesson_records(s, rows)

    def stream(self, filters: LessonFilters | None = None, chunk: int = 2_000) -> Iterator[list[LessonRecord]]:
        """Every lesson matching `filters` (by default those not in the trash), oldest first (date
        recorded, then id), as lists of up to `chunk` records: for exports that read them all, in
        one read transaction, holding only about a chunk of rows at a time (and no ORM objects).

        The transaction stays open until the last chunk is taken (or the iterator is closed), so
        the chunks see one state of the database: consume them promptly, never across a dialog.
        """
        conditions = lesson_conditions(filters or LessonFilters())
        with self._read() as s:
            yield from lesson_record_chunks(s, conditions, max(1, chunk))

    def get(self, lesson_id: str) -> LessonRecord:
        """One lesson, in the trash or not (its `deleted_at` tells). Raises NotFoundError."""
        with self._read() as s:
            row = s.get(models.Lesson, lesson_id)
            if row is None:
                raise NotFoundError("That lesson no longer exists (it may have been purged from the trash).")
            return lesson_records(s, [row])[0]

    def trashed(self) -> list[LessonRecord]:
        """Lessons in the trash, most recently deleted first."""
        with self._read() as s:
            rows = list(
                s.scalars(
                    select(models.Lesson)
                    .where(models.Lesson.deleted_at.is_not(None))
                    .order_by(models.Lesson.deleted_at.desc())
                )
            )
            return lesson_records(s, rows)

    def search(
        self, text: str = "", filters: LessonFilters | None = None, limit: int = 200, offset: int = 0
    ) -> LessonPage:
        """A page of lessons matching `filters` and, when `text` has words, the full-text search of
        finding, recommendation and citation quotes (ranked best first; newest first without text).

        Any `text` is safe: terms are quoted, never parsed as query syntax; the last term matches as
        a prefix while it is being typed. Read-only, one transaction. `has_more` tells whether a
        further page exists. Each hit carries the searched words it contains, for highlighting.
        """
        filters = filters or LessonFilters()
        limit = max(1, min(limit, MAX_PAGE))
        offset = max(0, offset)
        query = search.SearchQuery.parse(text)
        with self._read() as s:
            conditions = lesson_conditions(filters)
            if query.is_empty:
                ranked = [
                    (row[0], 0.0)
                    for row in s.execute(
                        select(models.Lesson.id)
                        .where(*conditions)
                        .order_by(models.Lesson.recorded_on.desc(), models.Lesson.id.desc())
                        .limit(limit + 1)
                        .offset(offset)
                    )
                ]
            else:
                query = search.settle_prefix(s, query)
                ranked = search.ranked_lesson_ids(s, query, conditions, limit + 1, offset)
            has_more = len(ranked) > limit
            ranked = ranked[:limit]
            records = {r.id: r for r in lesson_records_by_id(s, [i for i, _ in ranked])}
            blocked = withheld_source_ids(s, filters.max_marking) if filters.max_marking else frozenset()
        hits = []
        for lesson_id, score in ranked:
            record = records.get(lesson_id)
            if record is None:
                continue
            if not query.is_empty and blocked and not explained(query, record, blocked):
                continue  # only a quote the limit withholds matches: the hit would reveal it
            matched = (
                query.matched_in(record.finding, record.recommendation, *allowed_quotes(record, blocked))
                if not query.is_empty
                else ()
            )
            hits.append(LessonHit(lesson=record, score=score, matched_terms=matched))
        return LessonPage(hits=tuple(hits), terms=query.words, offset=offset, has_more=has_more)

    def count(self, filters: LessonFilters | None = None, text: str = "") -> int:
        """How many lessons match `filters` (and `text`, counted up to 10,000 to stay quick)."""
        filters = filters or LessonFilters()
        query = search.SearchQuery.parse(text)
        with self._read() as s:
            conditions = lesson_conditions(filters)
            if query.is_empty:
                return s.scalar(select(func.count()).select_from(models.Lesson).where(*conditions)) or 0
            query = search.settle_prefix(s, query)
            total = search.count_matches(s, query, conditions, 10_000)
            blocked = withheld_source_ids(s, filters.max_marking) if filters.max_marking else frozenset()
            if not blocked or not total:
                return total
            # The hits in doubt (citing a withheld source's quote), checked one by one as search does.
            doubtful = search.ranked_lesson_ids(s, query, [*conditions, cites_blocked_quote(blocked)], 10_000, 0)
            records = lesson_records_by_id(s, [lesson_id for lesson_id, _ in doubtful])
            return total - sum(1 for r in records if not explained(query, r, blocked))

    def theme_overview(self) -> ThemeOverview:
        """Themes × relationships with the number of lessons (not in the trash) in each cell, and
        the number of distinct lessons per theme. On SQLite these counts are maintained with the
        search index by every lesson write, so this reads a few dozen rows at any size."""
        with self._read() as s:
            return search.theme_overview(s)

    # -- writing -------------------------------------------------------------------------------

    def add(self, draft: LessonInput, *, lesson_id: str | None = None) -> LessonRecord:
        """Record a new lesson, attributed to this store's analyst. One write transaction, audited.

        `lesson_id` re-creates a lesson under its old id (redo after undo). Returns the record (its id
        and revision undo it through `retract`). Emits LESSONS. Raises ValidationError.
        """
        validate_lesson(draft)
        now = utc_now()
        with self._write() as s:
            if lesson_id is not None and s.get(models.Lesson, lesson_id) is not None:
                raise ValidationError("A lesson with that id already exists.")
            self._check_lesson_references(s, draft)
            row = models.Lesson(
                id=lesson_id or new_id(),
                operation_id=draft.operation_id,
                kind=draft.kind.value,
                finding=draft.finding.strip(),
                recommendation=draft.recommendation.strip(),
                recorded_on=draft.recorded_on,
                marking=draft.marking,
                created_at=now,
                updated_at=now,
                created_by=self.actor,
                updated_by=self.actor,
                revision=1,
            )
            s.add(row)
            s.flush()
            self._write_lesson_links(s, row.id, draft)
            search.reindex_lessons(s, [row.id])
            search.adjust_overview(s, [row.id], +1)
            self._audit(s, "add", "lesson", row.id, f"Added lesson: {excerpt(row.finding)}")
            s.flush()
            record = lesson_records(s, [row])[0]
        self._emit(EventKind.LESSONS, record.id, *record.relationship_ids)
        return record

    def update(self, lesson_id: str, draft: LessonInput, expected_revision: int) -> LessonChange:
        """Save an edited lesson if nobody saved it since `expected_revision` was read.

        One write transaction, audited; bumps the revision and the updated_at/updated_by stamps.
        Returns the lesson before and after (undo saves `before` again with `after.revision`).
        Emits LESSONS. Raises ConflictError (with the current record) when the revision moved on,
        NotFoundError, ValidationError.
        """
        validate_lesson(draft)
        with self._write() as s:
            row = s.get(models.Lesson, lesson_id)
            if row is None:
                raise NotFoundError("That lesson no longer exists (it may have been purged from the trash).")
            before = lesson_records(s, [row])[0]
            self._check_lesson_references(s, draft)
            search.adjust_overview(s, [lesson_id], -1)
            bump_revision(
                s,
                models.Lesson,
                row,
                expected_revision,
                actor=self.actor,
                record_of=self._record_of,
                operation_id=draft.operation_id,
                kind=draft.kind.value,
                finding=draft.finding.strip(),
                recommendation=draft.recommendation.strip(),
                recorded_on=draft.recorded_on,
                marking=draft.marking,
            )
            s.execute(delete(models.LessonRelationship).where(models.LessonRelationship.lesson_id == lesson_id))
            s.execute(delete(models.LessonTheme).where(models.LessonTheme.lesson_id == lesson_id))
            s.execute(delete(models.Citation).where(models.Citation.lesson_id == lesson_id))
            self._write_lesson_links(s, lesson_id, draft)
            search.reindex_lessons(s, [lesson_id])
            search.adjust_overview(s, [lesson_id], +1)
            s.flush()
            s.refresh(row)
            after = lesson_records(s, [row])[0]
            names = {
                o.id: o.acronym
                for o in (s.get(models.Operation, i) for i in {before.operation_id, after.operation_id} if i)
                if o is not None
            }
            summary = with_changes(f"Edited lesson: {excerpt(draft.finding)}", lesson_fields(before, after, names))
            self._audit(s, "edit", "lesson", lesson_id, summary)
        self._emit(EventKind.LESSONS, lesson_id, *sorted(set(before.relationship_ids) | set(after.relationship_ids)))
        return LessonChange(before=before, after=after)

    def delete(self, lesson_id: str, expected_revision: int | None = None) -> LessonRecord:
        """Move a lesson to the trash (restorable; nothing is destroyed). Bumps its revision.

        Returns the trashed record (`restore` undoes it). Emits LESSONS. Raises
        NotFoundError, ConflictError when `expected_revision` is given and stale.
        """
        return self._set_trashed(lesson_id, True, expected_revision)

    def restore(self, lesson_id: str, expected_revision: int | None = None) -> LessonRecord:
        """Take a lesson out of the trash. Returns it (`delete` undoes it). Emits LESSONS."""
        return self._set_trashed(lesson_id, False, expected_revision)

    def _set_trashed(self, lesson_id: str, trashed: bool, expected_revision: int | None) -> LessonRecord:
        with self._write() as s:
            search.adjust_overview(s, [lesson_id], -1)
            row, record = set_trashed(
                s,
                models.Lesson,
                lesson_id,
                trashed,
                expected_revision,
                actor=self.actor,
                noun="lesson",
                record_of=self._record_of,
                missing="That lesson no longer exists (it may have been purged from the trash).",
            )
            search.adjust_overview(s, [lesson_id], +1)
            self._audit(
                s,
                "delete" if trashed else "restore",
                "lesson",
                lesson_id,
                f"{'Moved lesson to the trash' if trashed else 'Restored lesson from the trash'}: {excerpt(row.finding)}",
            )
        self._emit(EventKind.LESSONS, lesson_id, *record.relationship_ids)
        return record

    def _record_of(self, s, row: models.Lesson) -> LessonRecord:
        return lesson_records(s, [row])[0]

    def purge(self, lesson_id: str) -> None:
        """Destroy a lesson that is in the trash, with its links and citations: the explicit second
        step after `delete`; cannot be undone. Audited. Emits LESSONS."""
        with self._write() as s:
            row = s.get(models.Lesson, lesson_id)
            if row is None:
                raise NotFoundError("That lesson no longer exists.")
            if row.deleted_at is None:
                raise ValidationError("Only a lesson in the trash can be deleted for good: move it to the trash first.")
            self._remove_lesson_row(s, row, "purge", "Deleted lesson for good")
        self._emit(EventKind.LESSONS, lesson_id)

    def retract(self, lesson_id: str, expected_revision: int | None = None) -> None:
        """Undo the creation of a lesson (Edit > Undo of "Add lesson"): removes it entirely. Refused
        with ConflictError when it was edited since (`expected_revision`). Audited. Emits LESSONS."""
        with self._write() as s:
            row = s.get(models.Lesson, lesson_id)
            if row is None:
                raise NotFoundError("That lesson no longer exists.")
            if expected_revision is not None and row.revision != expected_revision:
                raise ConflictError(
                    "The lesson was changed since it was added: undo was refused to keep those changes.",
                    current=lesson_records(s, [row])[0],
                )
            self._remove_lesson_row(s, row, "retract", "Undid adding lesson")
        self._emit(EventKind.LESSONS, lesson_id)

    def _remove_lesson_row(self, s, row: models.Lesson, action: str, verb: str) -> None:
        lesson_id = row.id
        search.unindex_lessons(s, [lesson_id])
        search.adjust_overview(s, [lesson_id], -1)
        s.execute(delete(models.Citation).where(models.Citation.lesson_id == lesson_id))
        s.execute(delete(models.LessonRelationship).where(models.LessonRelationship.lesson_id == lesson_id))
        s.execute(delete(models.LessonTheme).where(models.LessonTheme.lesson_id == lesson_id))
        finding = row.finding
        s.delete(row)
        self._audit(s, action, "lesson", lesson_id, f"{verb}: {excerpt(finding)}")

    def _check_lesson_references(self, s, draft: LessonInput) -> None:
        if s.get(models.Marking, draft.marking) is None:
            raise ValidationError(f"Unknown marking '{draft.marking}': choose one from the list.")
        if draft.operation_id is not None:
            operation = s.get(models.Operation, draft.operation_id)
            if operation is None:
                raise ValidationError("The operation no longer exists: choose it again.")
        known = set(s.scalars(select(models.Relationship.id).where(models.Relationship.id.in_(draft.relationship_ids))))
        if len(known) != len(set(draft.relationship_ids)):
            raise ValidationError("A chosen relationship no longer exists: choose it again.")
        themes = set(s.scalars(select(models.Theme.key).where(models.Theme.key.in_(draft.theme_keys))))
        missing = [k for k in draft.theme_keys if k not in themes]
        if missing:
            raise ValidationError(f"Unknown theme '{missing[0]}': choose one from the list or add it first.")
        source_ids = {c.source_id for c in draft.citations}
        if source_ids and len(set(s.scalars(select(models.Source.id).where(models.Source.id.in_(source_ids))))) != len(
            source_ids
        ):
            raise ValidationError("A cited source no longer exists: pick it again.")

    def _write_lesson_links(self, s, lesson_id: str, draft: LessonInput) -> None:
        for rel_id in dict.fromkeys(draft.relationship_ids):
            s.add(models.LessonRelationship(lesson_id=lesson_id, relationship_id=rel_id))
        theme_ids = dict(
            s.execute(select(models.Theme.key, models.Theme.id).where(models.Theme.key.in_(draft.theme_keys))).all()
        )
        for key in dict.fromkeys(draft.theme_keys):
            s.add(models.LessonTheme(lesson_id=lesson_id, theme_id=theme_ids[key]))
        for position, citation in enumerate(draft.citations):
            s.add(
                models.Citation(
                    source_id=citation.source_id,
                    locator=citation.locator.strip(),
                    quote=citation.quote.strip(),
                    position=position,
                    lesson_id=lesson_id,
                )
            )

    # -- search index ----------------------------------------------------------------------------

    def rebuild_search(self) -> None:
        """Rebuild the full-text index from the lessons (a repair; the index is normally kept current)."""
        with self._write() as s:
            search.rebuild_index(s)

    def check_search(self) -> list[str]:
        """Problems found in the full-text index (empty when it is sound)."""
        with self._write() as s:
            return search.check_index(s)
