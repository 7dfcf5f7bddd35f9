"""Helpers shared by the data-safety tests and the crash-test worker: drafts, corruption, digests."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from db import MOTIVE_ORDER, AssessmentInput, Confidence, MotiveAssessment, Phase


def draft(relationship_id: str, n: int = 0, *, summary: str | None = None) -> AssessmentInput:
    """A valid assessment draft; `n` varies the date and phase so successive saves differ."""
    phases = list(Phase)
    return AssessmentInput(
        relationship_id=relationship_id,
        as_of=date(2020, 1, 1) + timedelta(days=n % 1500),
        phases=(phases[n % 4],),
        confidence=Confidence.MODERATE,
        summary=summary if summary is not None else f"version {n}",
        motives=tuple(MotiveAssessment(m, 1, f"because {n}") for m in MOTIVE_ORDER),
        reversal_rationale="test reversal",
    )


def digest(path: Path) -> list:
    """Every row of every table, as bytes (so even undecodable text compares)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.text_factory = bytes
    try:
        tables = [
            r[0].decode()
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return [(t, sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)) for t in tables]
    finally:
        connection.close()


def corrupt(path: Path) -> None:
    """Overwrite the middle pages of a (checkpointed) database file with garbage."""
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, 3 * page):
        data[start + 8 : start + 400] = b"\xde\xad\xbe\xef" * 98
    path.write_bytes(bytes(data))


def checkpoint(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
