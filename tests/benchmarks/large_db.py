"""Builds the large benchmark database: 30 organizations (435 relationships), 20,000 assessment
versions, 5,000 sources and 100,000 lessons, through bulk inserts into a store's own tables.

Used by `python -m tests.benchmarks`; not part of the test run.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from db import Motive, Phase, Store, models

WORDS = (
    "mandate information sharing liaison logistics airlift funding command coordination civilian military "
    "police transition handover election ceasefire monitoring training advisors planning headquarters "
    "duplication ownership legitimacy consent host government humanitarian access reconstruction security "
    "sector reform disarmament refugees convoy route-clearance airfield deployment rotation caveat"
).split()
PLACES = ("Darfur", "Kinshasa", "Bunia", "Sarajevo", "Pristina", "Kabul", "Mogadishu", "Bujumbura", "Abéché", "Skopje")
EXTRA_CODES = [f"RO{i:02d}" for i in range(1, 27)]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + f" near {rng.choice(PLACES)}."


def build_large_database(
    path: Path,
    *,
    organizations: int = 30,
    versions: int = 20_000,
    sources: int = 5_000,
    lessons: int = 100_000,
    seed: int = 7,
) -> dict[str, float]:
    """Create `path` (which must not exist) and fill it; returns how long each step took."""
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    store = Store.open(path, actor="benchmark")
    for code in EXTRA_CODES[: organizations - 4]:
        store.quadrangle.add_organization(code, f"Regional organization {code}", "regional")
    relationships = [r.id for r in store.quadrangle.relationships()]
    themes = [t.id for t in store.catalog.themes()]
    timings["organizations"] = time.perf_counter() - started

    engine = store.database.engine  # a benchmark may fill tables directly: this is about reading speed
    now = datetime.now(UTC)
    phases = [p.value for p in Phase if p != Phase.ENDING]
    step = time.perf_counter()
    with engine.begin() as connection:
        source_rows = [
            dict(
                id=str(uuid.UUID(int=rng.getrandbits(128))),
                key=f"bench-{i}",
                authors=f"Author{i % 400}, A.",
                year=str(1990 + i % 35),
                title=_text(rng, 6),
                container="",
                publisher="Bench Press",
                place="",
                reference="",
                marking="UNCLASSIFIED",
                created_at=now,
                updated_at=now,
                created_by="benchmark",
                updated_by="benchmark",
                revision=1,
                deleted_at=None,
            )
            for i in range(sources)
        ]
        connection.execute(insert(models.Source.__table__), source_rows)
        source_ids = [row["id"] for row in source_rows]

        version_rows, motive_rows = [], []
        for i in range(versions):
            version_id = str(uuid.UUID(int=rng.getrandbits(128)))
            rel = relationships[i % len(relationships)]
            phase = phases[min(len(phases) - 1, (i // len(relationships)) % len(phases))]
            version_rows.append(
                dict(
                    id=version_id,
                    relationship_id=rel,
                    as_of=date(1992, 1, 1) + timedelta(days=rng.randrange(12_000)),
                    recorded_at=now - timedelta(minutes=versions - i),
                    recorded_by="benchmark",
                    phase=phase,
                    phase_to=None,
                    confidence="moderate",
                    summary=_text(rng, 25),
                    marking="UNCLASSIFIED",
                    is_reversal=False,
                    reversal_rationale="",
                    restored_from_id=None,
                    origin="benchmark",
                )
            )
            for position, motive in enumerate(Motive):
                weight = rng.randrange(4)
                motive_rows.append(
                    dict(
                        version_id=version_id,
                        motive=motive.value,
                        position=position,
                        weight=weight,
                        rationale=_text(rng, 8) if weight else "",
                    )
                )
        connection.execute(insert(models.AssessmentVersion.__table__), version_rows)
        connection.execute(insert(models.AssessmentMotive.__table__), motive_rows)
        timings["versions"] = time.perf_counter() - step

        step = time.perf_counter()
        for start in range(0, lessons, 10_000):
            lesson_rows, links, tags, citations = [], [], [], []
            for _ in range(start, min(lessons, start + 10_000)):
                lesson_id = str(uuid.UUID(int=rng.getrandbits(128)))
                lesson_rows.append(
                    dict(
                        id=lesson_id,
                        key=None,
                        operation_id=None,
                        kind=rng.choice(("challenge", "success")),
                        finding=_text(rng, 30),
                        recommendation=_text(rng, 15),
                        recorded_on=date(1995, 1, 1) + timedelta(days=rng.randrange(11_000)),
                        marking="UNCLASSIFIED",
                        created_at=now,
                        updated_at=now,
                        created_by="benchmark",
                        updated_by="benchmark",
                        revision=1,
                        deleted_at=None,
                    )
                )
                links.append(dict(lesson_id=lesson_id, relationship_id=rng.choice(relationships)))
                for theme in rng.sample(themes, 2):
                    tags.append(dict(lesson_id=lesson_id, theme_id=theme))
                citations.append(
                    dict(
                        id=str(uuid.UUID(int=rng.getrandbits(128))),
                        source_id=rng.choice(source_ids),
                        locator=str(rng.randrange(1, 300)),
                        quote=_text(rng, 6),
                        position=0,
                        assessment_version_id=None,
                        lesson_id=lesson_id,
                        milestone_id=None,
                    )
                )
            connection.execute(insert(models.Lesson.__table__), lesson_rows)
            connection.execute(insert(models.LessonRelationship.__table__), links)
            connection.execute(insert(models.LessonTheme.__table__), tags)
            connection.execute(insert(models.Citation.__table__), citations)
        timings["lessons"] = time.perf_counter() - step
    step = time.perf_counter()
    store.lessons.rebuild_search()  # rows written behind the store's back: index them as an import would
    timings["search index"] = time.perf_counter() - step
    store.close()
    timings["total"] = time.perf_counter() - started
    return timings
