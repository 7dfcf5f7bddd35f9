"""The catalog service: the vocabularies (themes, markings) and what dates a relationship (milestones,
field cooperation)."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import func, select

from db import models
from db.convert import citations_by_owner
from db.database import Service
from db.errors import NotFoundError, ValidationError
from db.events import EventKind
from db.history_records import MilestoneRecord
from db.lesson_records import MarkingRecord, ThemeRecord
from db.markings import MAX_CAVEATS, MAX_HANDLING, MAX_MARKING_NAME, MarkingScheme, marking_skeleton, mixed_scripts
from db.records import CooperationRecord
from db.search.query import normalise
from db.state import cooperation_record

MAX_THEME_NAME = 200
_CAVEATS_KEY = "marking_caveats"
_HANDLING_KEY = "marking_handling"


def markings_at_or_below(max_marking: str) -> sa.Select:
    """The names of the markings ranked at or below `max_marking` (an exact name; none when unknown),
    as a subquery for `column.in_(...)`: every read that honours a marking limit uses this one rule."""
    limit_rank = select(models.Marking.rank).where(models.Marking.name == max_marking).scalar_subquery()
    return select(models.Marking.name).where(models.Marking.rank <= limit_rank)


def withheld_source_ids(s, max_marking: str) -> frozenset[str]:
    """The sources (live or in the trash) marked above `max_marking`: what a limit withholds, and
    whose citations it drops."""
    allowed = markings_at_or_below(max_marking)
    return frozenset(s.scalars(select(models.Source.id).where(models.Source.marking.not_in(allowed))))


def _scheme(s) -> MarkingScheme:
    levels = tuple(s.scalars(select(models.Marking.name).order_by(models.Marking.rank)))
    meta = dict(
        s.execute(
            select(models.Meta.key, models.Meta.value).where(models.Meta.key.in_((_CAVEATS_KEY, _HANDLING_KEY)))
        ).all()
    )
    return MarkingScheme(levels=levels, caveats=meta.get(_CAVEATS_KEY, ""), handling=meta.get(_HANDLING_KEY, ""))


def _clean_marking_text(text: str, what: str, limit: int) -> str:
    """One line, NFKC-normalised, without invisible characters (they would make two markings look alike)."""
    text = unicodedata.normalize("NFKC", str(text)).strip()
    bad = next((c for c in text if unicodedata.category(c) in ("Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp")), None)
    if bad is not None:
        raise ValidationError(
            f"{what} '{text.encode('unicode_escape').decode('ascii')}' contains an invisible character."
        )
    if len(text) > limit:
        raise ValidationError(f"{what} is at most {limit} characters.")
    return text


def _uses(s, name: str) -> list[str]:
    """What carries the marking `name` (trashed items too: they can be restored), a phrase per kind."""
    phrases = []
    for label, model, text in (
        ("assessment version", models.AssessmentVersion, models.AssessmentVersion.as_of),
        ("lesson", models.Lesson, models.Lesson.finding),
        ("source", models.Source, models.Source.key),
    ):
        count = s.scalar(select(func.count()).select_from(model).where(model.marking == name)) or 0
        if count:
            examples = [str(t)[:40] for t in s.scalars(select(text).where(model.marking == name).limit(3))]
            more = ", …" if count > len(examples) else ""
            phrases.append(f"{count} {label}{'s' if count != 1 else ''}: {', '.join(examples)}{more}")
    return phrases


class CatalogService(Service):
    """The vocabularies and reference records."""

    def themes(self) -> list[ThemeRecord]:
        with self._read() as s:
            return [
                ThemeRecord(id=t.id, key=t.key, name=t.name, position=t.position)
                for t in s.scalars(select(models.Theme).order_by(models.Theme.position, models.Theme.name))
            ]

    def markings(self) -> list[MarkingRecord]:
        """The classification markings, lowest first."""
        with self._read() as s:
            return [
                MarkingRecord(m.name, m.rank) for m in s.scalars(select(models.Marking).order_by(models.Marking.rank))
            ]

    def marking_scheme(self) -> MarkingScheme:
        """The marking vocabulary (levels lowest first) with its caveats and handling statement. One read."""
        with self._read() as s:
            return _scheme(s)

    def theme_markings(self) -> dict[str, frozenset[str]]:
        """The markings of the lessons (live or in the trash) carrying each theme, by theme key: a theme
        only lessons above a limit carry is not named at that limit. One grouped read."""
        with self._read() as s:
            found: dict[str, set[str]] = defaultdict(set)
            for key, marking in s.execute(
                select(models.Theme.key, models.Lesson.marking)
                .join(models.LessonTheme, models.LessonTheme.theme_id == models.Theme.id)
                .join(models.Lesson, models.Lesson.id == models.LessonTheme.lesson_id)
                .group_by(models.Theme.key, models.Lesson.marking)
            ):
                found[key].add(marking)
            return {key: frozenset(markings) for key, markings in found.items()}

    def lesson_marking_counts(self) -> dict[str, int]:
        """Live lessons per marking. One grouped read."""
        with self._read() as s:
            query = (
                select(models.Lesson.marking, func.count())
                .where(models.Lesson.deleted_at.is_(None))
                .group_by(models.Lesson.marking)
            )
            return {marking: n for marking, n in s.execute(query)}

    def theme_counts_by_marking(self, markings: Sequence[str]) -> dict[tuple[str, str, str], int]:
        """Live lessons marked one of `markings`, per (theme key, relationship id, marking), and per
        (theme key, "", marking) the distinct lessons of the theme: the theme overview's cells split
        by marking, so a view can add (or take away) the levels it may not show. Two grouped reads in
        one transaction."""
        lesson, link, theme = models.Lesson, models.LessonTheme, models.Theme
        with self._read() as s:
            base = (
                select(theme.key)
                .join(link, link.theme_id == theme.id)
                .join(lesson, lesson.id == link.lesson_id)
                .where(lesson.deleted_at.is_(None), lesson.marking.in_(list(markings)))
            )
            by_relationship = base.add_columns(
                models.LessonRelationship.relationship_id, lesson.marking, func.count()
            ).join(models.LessonRelationship, models.LessonRelationship.lesson_id == lesson.id)
            counts = {
                (key, rel_id, marking): n
                for key, rel_id, marking, n in s.execute(
                    by_relationship.group_by(theme.key, models.LessonRelationship.relationship_id, lesson.marking)
                )
            }
            totals = base.add_columns(lesson.marking, func.count()).group_by(theme.key, lesson.marking)
            counts.update({(key, "", marking): n for key, marking, n in s.execute(totals)})
            return counts

    def marking_uses(self, name: str) -> list[str]:
        """What carries the marking `name`, one phrase per kind ("2 lessons: Finding…, …"); [] when unused."""
        with self._read() as s:
            return _uses(s, name)

    def set_markings(self, levels: Sequence[str], *, caveats: str = "", handling: str = "") -> MarkingScheme:
        """Replace the marking vocabulary with `levels` (lowest first), and the caveats and handling
        statement printed after the level on every banner (e.g. "REL TO NATO/EU").

        Existing items keep the marking name they carry: a level in use can be moved but never
        removed or renamed (ValidationError naming what uses it), so no item changes marking
        silently. One write transaction; returns the previous scheme (passing it back undoes the
        change). Emits MARKINGS. ValidationError for an empty list, a duplicate, an empty, invisible
        or over-long name, a name mixing scripts ("SЕCRET" with a Cyrillic Е), and two names a reader
        could not tell apart on a banner."""
        names = [_clean_marking_text(n, "A marking", MAX_MARKING_NAME) for n in levels]
        if not names or any(not n for n in names):
            raise ValidationError("Give every marking a name (at least one marking).")
        folded = [n.casefold() for n in names]
        duplicate = next((n for n, f in zip(names, folded, strict=True) if folded.count(f) > 1), None)
        if duplicate:
            raise ValidationError(f"The marking {duplicate} is listed twice.")
        for name in names:
            mixed = mixed_scripts(name)
            if mixed:
                raise ValidationError(
                    f"The marking '{name}' mixes {mixed[0].title()} and {mixed[1].title()} letters: it would look "
                    "like another marking. Write it in one script."
                )
        skeletons = [marking_skeleton(n) for n in names]
        twin = next((n for n, k in zip(names, skeletons, strict=True) if skeletons.count(k) > 1), None)
        if twin:
            other = next(n for n, k in zip(names, skeletons, strict=True) if k == marking_skeleton(twin) and n != twin)
            raise ValidationError(f"The markings {twin} and {other} look the same on a banner: rename one.")
        caveats = _clean_marking_text(caveats, "The caveats", MAX_CAVEATS)
        handling = _clean_marking_text(handling, "The handling statement", MAX_HANDLING)
        with self._write() as s:
            previous = _scheme(s)
            rows = {m.name: m for m in s.scalars(select(models.Marking))}
            for name, row in rows.items():
                if name in names:
                    continue
                uses = _uses(s, name)
                if uses:
                    raise ValidationError(
                        f"The marking {name} is in use ({'; '.join(uses)}): it cannot be removed or renamed."
                    )
                s.delete(row)
            s.flush()
            for offset, row in enumerate(r for n, r in rows.items() if n in names):
                row.rank = -1 - offset - len(rows)  # out of the way of the unique ranks below
            s.flush()
            for rank, name in enumerate(names):
                if name in rows:
                    rows[name].rank = rank
                else:
                    s.add(models.Marking(name=name, rank=rank))
            for key, value in ((_CAVEATS_KEY, caveats), (_HANDLING_KEY, handling)):
                meta = s.get(models.Meta, key)
                if meta is None:
                    s.add(models.Meta(key=key, value=value))
                else:
                    meta.value = value
            self._audit(
                s,
                "edit",
                "markings",
                None,
                f"Markings set to {' < '.join(names)}"
                + (f"; banner adds {'//'.join(filter(None, (caveats, handling)))}" if caveats or handling else ""),
            )
        self._emit(EventKind.MARKINGS)
        return previous

    def milestones(self, relationship_id: str | None = None) -> list[MilestoneRecord]:
        """Dated events, oldest first, optionally of one relationship."""
        with self._read() as s:
            query = select(models.Milestone).where(models.Milestone.deleted_at.is_(None))
            if relationship_id is not None:
                query = query.where(models.Milestone.relationship_id == relationship_id)
            rows = list(s.scalars(query.order_by(models.Milestone.date, models.Milestone.id)))
            citations = citations_by_owner(s, models.Citation.milestone_id, [r.id for r in rows])
            return [
                MilestoneRecord(
                    id=r.id,
                    relationship_id=r.relationship_id,
                    date=r.date,
                    kind=r.kind,
                    title=r.title,
                    description=r.description,
                    citations=tuple(citations.get(r.id, ())),
                )
                for r in rows
            ]

    def cooperation(self, relationship_id: str | None = None) -> list[CooperationRecord]:
        """Field cooperation entries (every period, regardless of date), in their saved order."""
        with self._read() as s:
            acronyms: dict[str, list[str]] = defaultdict(list)
            for coop_id, acronym in s.execute(
                select(models.FieldCooperationOperation.field_cooperation_id, models.Operation.acronym)
                .join(models.Operation, models.Operation.id == models.FieldCooperationOperation.operation_id)
                .order_by(
                    models.Operation.start.asc().nulls_first(), models.Operation.acronym
                )  # one order on every engine
            ):
                acronyms[coop_id].append(acronym)
            query = (
                select(models.FieldCooperation)
                .join(models.Relationship, models.Relationship.id == models.FieldCooperation.relationship_id)
                .order_by(models.Relationship.position, models.FieldCooperation.position)
            )
            if relationship_id is not None:
                query = query.where(models.FieldCooperation.relationship_id == relationship_id)
            return [cooperation_record(r, acronyms.get(r.id, ())) for r in s.scalars(query)]

    # -- themes ----------------------------------------------------------------------------------

    def add_theme(self, name: str, key: str | None = None) -> ThemeRecord:
        """Add a theme to the vocabulary (after the existing ones). The key is derived from the name
        when not given. Returns it (`remove_theme` undoes it). Emits THEMES. Raises ValidationError."""
        name = " ".join(name.split())
        if not name:
            raise ValidationError("Give the theme a name.")
        if len(name) > MAX_THEME_NAME:
            raise ValidationError(f"A theme name is at most {MAX_THEME_NAME} characters.")
        key = key or (re.sub(r"[^a-z0-9]+", "_", normalise(name)).strip("_")[:60] or "theme")
        with self._write() as s:
            if s.scalar(
                select(models.Theme.id).where(
                    sa.or_(models.Theme.key == key, func.lower(models.Theme.name) == name.lower())
                )
            ):
                raise ValidationError(f"A theme named '{name}' already exists.")
            position = (s.scalar(select(func.max(models.Theme.position))) or 0) + 1
            row = models.Theme(key=key, name=name, position=position)
            s.add(row)
            s.flush()
            self._audit(s, "add", "theme", row.id, f"Added theme {name}")
            record = ThemeRecord(id=row.id, key=row.key, name=row.name, position=row.position)
        self._emit(EventKind.THEMES, record.id)
        return record

    def remove_theme(self, theme_id: str) -> None:
        """Remove a theme no lesson uses (undo of `add_theme`). Emits THEMES. Raises ValidationError."""
        with self._write() as s:
            row = s.get(models.Theme, theme_id)
            if row is None:
                raise NotFoundError("That theme no longer exists.")
            if s.scalar(select(models.LessonTheme.lesson_id).where(models.LessonTheme.theme_id == theme_id).limit(1)):
                raise ValidationError(f"Lessons use the theme '{row.name}': it cannot be removed.")
            s.delete(row)
            self._audit(s, "remove", "theme", theme_id, f"Removed theme {row.name}")
        self._emit(EventKind.THEMES, theme_id)
