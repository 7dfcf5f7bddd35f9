"""Benchmark (a script, not a test): the window with 30 organizations (435 relationships) and a long
history. Builds the database through the store API, then prints the median time of opening the window,
a scene redraw, a date change and painting the diagram.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/diagram_bench.py [--orgs 30] [--versions 8]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from db import (  # noqa: E402
    MOTIVE_ORDER,  # noqa: E402
    PHASE_ORDER,
    AssessmentInput,
    Confidence,
    MotiveAssessment,
    Store,
)

FIRST_YEAR, LAST_YEAR = 1990, 2025


def build_database(path: Path, organizations: int, versions: int, seed: int = 7) -> Store:
    """The default dataset grown to `organizations` organizations, with `versions` assessment versions
    for every relationship the dataset does not already describe."""
    rng = random.Random(seed)
    store = Store.open(path, actor="bench")
    described = {r.id for r in store.quadrangle.relationships()}
    for i in range(organizations - len(store.quadrangle.organizations())):
        store.quadrangle.add_organization(
            f"ORG{i:02d}", f"Organization number {i}", "global" if i % 5 == 0 else "regional"
        )
    relationships = [r for r in store.quadrangle.relationships() if r.id not in described]
    years = sorted(rng.sample(range(FIRST_YEAR, LAST_YEAR + 1), versions))
    for rel in relationships:
        phase = 0
        for year in years:
            # Phases only move forward here, so no version is a reversal needing a rationale.
            phase = min(phase + rng.choice((0, 0, 1)), len(PHASE_ORDER) - 2)
            phases = (PHASE_ORDER[phase], PHASE_ORDER[phase + 1]) if rng.random() < 0.25 else (PHASE_ORDER[phase],)
            motives = tuple(
                MotiveAssessment(m, w, "bench rationale" if w else "")
                for m in MOTIVE_ORDER
                for w in (rng.choice((0, 0, 1, 2, 3)),)
            )
            store.assessments.save(
                AssessmentInput(
                    relationship_id=rel.id,
                    as_of=date(year, rng.randint(1, 12), 1),
                    phases=phases,
                    confidence=rng.choice(list(Confidence)),
                    summary=f"Assessment of {rel.label} in {year}.",
                    motives=motives,
                    reversal_rationale="bench: phases may step back",
                )
            )
    return store


def median_ms(action, runs: int) -> tuple[float, float]:
    """Median wall-clock and median CPU milliseconds of `runs` calls (CPU time is steadier when
    other processes share the machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=30)
    parser.add_argument("--versions", type=int, default=8, help="assessment versions per relationship")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", type=Path, help="reuse this benchmark database (built there if missing)")
    args = parser.parse_args()

    from PySide6.QtCore import QRectF, QSettings
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from desktop.diagram.scene import QuadrangleScene
    from desktop.events import StoreEvents
    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="quadrangle-bench-"))
    start = time.perf_counter()
    if args.db is not None and args.db.exists():
        store = Store.open(args.db, actor="bench")
    else:
        store = build_database(args.db or folder / "bench.db", args.orgs, args.versions)
    build_s = time.perf_counter() - start
    relationships = len(store.quadrangle.relationships())
    print(
        f"database: {len(store.quadrangle.organizations())} organizations, {relationships} relationships, "
        f"about {relationships * args.versions} assessment versions (opened or built in {build_s:.1f} s)"
    )

    dates = [date(y, 6, 30) for y in range(FIRST_YEAR + 2, LAST_YEAR + 1, 3)]
    state_ms = median_ms(lambda: store.quadrangle.state_as_of(dates[len(dates) // 2]), args.runs)
    print(f"store.quadrangle.state_as_of:               median {state_ms[0]:7.1f} ms (cpu {state_ms[1]:.1f})")

    state = store.quadrangle.state_as_of()
    fresh = []

    def cold_scene():
        scene = QuadrangleScene()
        scene.set_state(state)
        fresh.append(scene)

    cold_ms = median_ms(cold_scene, args.runs)
    print(f"scene.set_state, new scene:      median {cold_ms[0]:7.1f} ms (cpu {cold_ms[1]:.1f})")
    scene = fresh[-1]
    states = [store.quadrangle.state_as_of(d) for d in dates]
    cycle = iter(states * (args.runs + 1))
    warm_ms = median_ms(lambda: scene.set_state(next(cycle)), args.runs)
    print(f"scene.set_state, other date:     median {warm_ms[0]:7.1f} ms (cpu {warm_ms[1]:.1f})")

    source = scene.diagram_rect()
    image = QImage(1600, int(1600 * source.height() / source.width()), QImage.Format.Format_ARGB32_Premultiplied)

    def paint():
        image.fill(QColor("white"))
        painter = QPainter(image)
        scene.render(painter, QRectF(image.rect()), source)
        painter.end()

    paint_ms = median_ms(paint, args.runs)
    print(f"paint whole diagram (1600 px):   median {paint_ms[0]:7.1f} ms (cpu {paint_ms[1]:.1f})")

    settings = AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    windows = []

    def open_window():
        window = MainWindow(store, settings, StoreEvents(store))
        window.show()
        app.processEvents()
        windows.append(window)

    open_ms = median_ms(open_window, max(3, args.runs // 2))
    print(f"open main window (to first paint): median {open_ms[0]:5.1f} ms (cpu {open_ms[1]:.1f})")
    window = windows[-1]
    for other in windows[:-1]:
        other.close()
    targets = iter(dates * (args.runs + 1))

    def change_date():
        window.set_as_of(next(targets))
        window.repaint()
        app.processEvents()

    change_ms = median_ms(change_date, args.runs)
    print(f"window date change + repaint:    median {change_ms[0]:7.1f} ms (cpu {change_ms[1]:.1f})")
    window.select_relationship(store.quadrangle.relationships()[17].id)
    select_ms = median_ms(
        lambda: (
            window.select_relationship(store.quadrangle.relationships()[len(windows) % 400].id),
            window.select_relationship(None),
            app.processEvents(),
        ),
        args.runs,
    )
    print(f"select + clear a relationship:   median {select_ms[0]:7.1f} ms (cpu {select_ms[1]:.1f})")
    window.grab().save(str(folder / "window.png"))
    print(f"screenshot: {folder / 'window.png'}")
    window.close()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
