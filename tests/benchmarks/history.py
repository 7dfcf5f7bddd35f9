"""`python -m tests.benchmarks.history`: how fast the history features answer on a large database
(20,000 versions over 435 relationships, 100,000 audit entries) and how fast their windows open.
Medians of several runs, in milliseconds. Not part of the test run."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import func, insert, select  # noqa: E402 - after the Qt platform choice

from db import AssessmentInput, AuditFilter, Store, models  # noqa: E402
from tests.benchmarks.large_db import build_large_database  # noqa: E402

AUDIT_ENTRIES = 100_000


def median_ms(function, runs: int = 7) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def add_audit_entries(store: Store, count: int) -> None:
    rng = random.Random(3)
    actors = [f"analyst{i}" for i in range(12)]
    start = datetime(2015, 1, 1, tzinfo=UTC)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "at": start + timedelta(minutes=7 * i),
            "actor": rng.choice(actors),
            "action": rng.choice(("save", "restore", "retract", "add")),
            "entity_kind": "assessment",
            "entity_id": None,
            "summary": f"Saved R{i % 435} assessment as of 2010-01-{1 + i % 28:02d}",
            "origin": "",
        }
        for i in range(count)
    ]
    with store.database.write() as s:  # a benchmark fixture may fill tables directly
        s.execute(insert(models.AuditEntry), rows)


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="quadrangle-history-bench-"))
    path = folder / "large.db"
    print("building the large database...", file=sys.stderr)
    build_large_database(path, lessons=2_000)
    figures: dict[str, float] = {}
    with Store.open(path, actor="bench") as store:
        add_audit_entries(store, AUDIT_ENTRIES)
        with store.database.read() as s:
            busiest = s.execute(
                select(models.AssessmentVersion.relationship_id, func.count())
                .group_by(models.AssessmentVersion.relationship_id)
                .order_by(func.count().desc())
                .limit(1)
            ).first()[0]
        history = store.assessments.history(busiest)
        first, last = history[0], history[-1]
        draft = AssessmentInput(
            relationship_id=busiest,
            as_of=date.today(),
            phases=last.phases,
            confidence=last.confidence,
            summary=last.summary,
            motives=last.motives,
            marking=last.marking,
        )
        figures[f"assessment_history ({len(history)} versions)"] = median_ms(lambda: store.assessments.history(busiest))
        figures["compare_versions"] = median_ms(lambda: store.history.compare_versions(first.id, last.id))
        figures["compare_dates"] = median_ms(lambda: store.history.compare_dates(busiest, first.as_of, date.today()))
        figures["would_reverse (per phase/date change in the editor)"] = median_ms(
            lambda: store.assessments.would_reverse(draft)
        )
        figures[f"reversals ({len(store.history.reversals())} flagged)"] = median_ms(store.reversals, runs=3)
        figures["audit_log first page, no filter"] = median_ms(lambda: store.audit.entries())
        figures["audit_log first page, actor filter"] = median_ms(
            lambda: store.audit.entries(AuditFilter(actor="analyst3"))
        )
        figures["audit_log first page, text search"] = median_ms(
            lambda: store.audit.entries(AuditFilter(text="r17 assessment"))
        )
        figures["audit_log page 100 (offset 20,000)"] = median_ms(lambda: store.audit.entries(offset=20_000))
        figures["audit_facets"] = median_ms(store.audit.facets, runs=3)
        payload = {"summary": "x" * 2_000, "motives": {m.motive.value: [m.weight, m.rationale] for m in last.motives}}
        figures["save_draft (each autosave)"] = median_ms(lambda: store.drafts.save("assessment", busiest, payload))
        figures["load_draft"] = median_ms(lambda: store.drafts.load("assessment", busiest))

        from PySide6.QtWidgets import QApplication

        from desktop.assessments.editor import AssessmentEditorDialog
        from desktop.assessments.history import HistoryDialog
        from desktop.audit.view import AuditLogDialog
        from desktop.events import StoreEvents

        app = QApplication.instance() or QApplication([])
        store.drafts.discard("assessment", busiest)

        def open_close(factory):
            dialog = factory()
            dialog.show()
            app.processEvents()
            dialog.grab()
            dialog.close()
            dialog.deleteLater()
            app.processEvents()

        figures["editor open + first paint"] = median_ms(
            lambda: open_close(lambda: AssessmentEditorDialog(store, StoreEvents(store), busiest)), 5
        )
        figures["history open + first paint"] = median_ms(
            lambda: open_close(lambda: HistoryDialog(store, StoreEvents(store), busiest)), 5
        )
        figures["audit log open + first paint"] = median_ms(
            lambda: open_close(lambda: AuditLogDialog(store, StoreEvents(store))), 5
        )
    width = max(len(k) for k in figures)
    for name, value in figures.items():
        print(f"{name:<{width}}  {value:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
