"""`python -m tests.benchmarks [--quick]`: the figures analysts feel, on the default dataset and on a
large database, printed as one table (medians of several runs). Not part of the test run.

Start-up is timed from outside, as a user would (`quadrangle --db PATH --quit-after-paint`), next to
a bare PySide6 window measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from tests.benchmarks.large_db import build_large_database

HERE = Path(__file__).resolve().parent


def timed_process(argv: list[str]) -> tuple[float, int]:
    """Wall time of a child process and its peak resident memory in KiB."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # An installed Quadrangle runs from compiled bytecode (pip compiles wheels on install): time that,
    # not a checkout whose environment forbids writing .pyc files.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with status {status}")
    return elapsed, usage.ru_maxrss


def startup_figures(databases: dict[str, Path], runs: int) -> list[tuple[str, str, str]]:
    """Rows for the bare window and, per database, the first paint, "ready to edit" (connected to its
    store) and the peak memory. The processes run in rounds, one of each per round, so a machine whose
    speed drifts during the benchmark (a shared VM) slows every measure alike; each ratio is the
    median of the per-round ratios to the bare window."""
    cases = {"bare": [sys.executable, str(HERE / "bare_window.py")]}
    for label, database in databases.items():
        for flag in ("--quit-after-paint", "--quit-when-ready"):
            cases[f"{flag} {label}"] = [sys.executable, "-m", "desktop.cli", "--db", str(database), flag]
    for argv in cases.values():
        timed_process(argv)  # warm the file cache; also leaves the start-up snapshot of a fresh database
    times: dict[str, list[float]] = {key: [] for key in cases}
    memory: dict[str, int] = dict.fromkeys(cases, 0)
    for _ in range(runs):
        for key, argv in cases.items():
            elapsed, peak = timed_process(argv)
            times[key].append(elapsed)
            memory[key] = max(memory[key], peak)

    def ratio(key: str) -> str:
        return f"{statistics.median(t / b for t, b in zip(times[key], times['bare'], strict=True)):.2f}×"

    rows = [("bare PySide6 window, first paint", f"{statistics.median(times['bare']) * 1000:.0f} ms", "1.00×")]
    for label in databases:
        paint, ready = f"--quit-after-paint {label}", f"--quit-when-ready {label}"
        rows.append(
            (f"start-up to first paint, {label}", f"{statistics.median(times[paint]) * 1000:.0f} ms", ratio(paint))
        )
        rows.append(
            (f"start-up until ready to edit, {label}", f"{statistics.median(times[ready]) * 1000:.0f} ms", ratio(ready))
        )
        peak = max(memory[paint], memory[ready])
        rows.append((f"peak memory of the app, {label}", f"{peak / 1024:.0f} MiB", f"{peak / memory['bare']:.2f}×"))
    return rows


def median_call(function, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


SEARCH_QUERIES = (
    "mandate",
    "information sharing",
    "route-clearance",
    '"unbalanced',
    "NEAR(",
    "cafe",
    "liaison command",
    "logistics Darfur",
    "refugees election ceasefire",
    "t",
    "zzzz",
    "headquarters duplication",
)


def store_figures(database: Path, runs: int) -> dict[str, float]:
    from db import AssessmentInput, Confidence, Motive, MotiveAssessment, Phase, Store

    figures: dict[str, float] = {}
    with Store.open(database, actor="benchmark", backup_on_open=False) as store:
        samples = []
        for text in SEARCH_QUERIES:
            for _ in range(runs):
                started = time.perf_counter()
                store.lessons.search(text, None, 100, 0)
                samples.append(time.perf_counter() - started)
        figures["search, first page of 100 (ms, p50)"] = 1000 * percentile(samples, 0.5)
        figures["search, first page of 100 (ms, p95)"] = 1000 * percentile(samples, 0.95)
        relationship = store.quadrangle.relationships()[0]
        draft = AssessmentInput(
            relationship_id=relationship.id,
            as_of=date.today(),
            phases=(Phase.MAINTENANCE,),
            confidence=Confidence.MODERATE,
            summary="Benchmark version.",
            motives=tuple(MotiveAssessment(m, 2, "Benchmark rationale.") for m in Motive),
        )
        saved = []
        figures["save version (ms)"] = 1000 * median_call(lambda: saved.append(store.assessments.save(draft)), runs * 4)
        for record in saved:
            store.assessments.retract(record.id)
        days = [date(1995, 1, 1) + timedelta(days=400 * i) for i in range(runs * 2)]
        store.quadrangle.state_as_of(days[0])
        figures["change as-of date, store (ms)"] = 1000 * median_call(
            lambda: store.quadrangle.state_as_of(days.pop()), runs * 2
        )
        figures.update(window_figures(store, runs))
    return figures


def window_figures(store, runs: int) -> dict[str, float]:
    """What the analyst sees: a date change repainted in the window, the lessons browser, a briefing."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.briefing.build import write_briefing
    from desktop.briefing.content import BriefingOptions
    from desktop.briefing.diagram import diagram_svg
    from desktop.events import StoreEvents
    from desktop.lessons.browser import LessonsBrowser
    from desktop.main_window import MainWindow
    from desktop.settings import AppSettings

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="quadrangle-bench-window-"))
    window = MainWindow(
        store, AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)), StoreEvents(store)
    )
    window.show()
    app.processEvents()
    days = [date(1996, 3, 1) + timedelta(days=500 * i) for i in range(runs * 2)]

    def change_date() -> None:
        window.set_as_of(days.pop())
        window.repaint()
        app.processEvents()

    figures = {"change as-of date, window repainted (ms)": 1000 * median_call(change_date, runs * 2)}

    def open_browser() -> None:
        browser = LessonsBrowser(store)
        browser.show()
        app.processEvents()
        browser.close()
        browser.deleteLater()

    figures["open the lessons browser (ms)"] = 1000 * median_call(open_browser, runs)
    out = folder / "briefing.pdf"
    briefing_runs = max(1, runs // 3)
    figures["briefing PDF, whole database (ms)"] = 1000 * median_call(
        lambda: write_briefing(store, BriefingOptions(as_of=date.today()), out, diagram=diagram_svg), briefing_runs
    )
    window.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and a smaller large database")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated databases in")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    folder = args.keep or Path(tempfile.mkdtemp(prefix="quadrangle-bench-"))
    folder.mkdir(parents=True, exist_ok=True)

    default_db = folder / "default.db"
    large_db = folder / "large.db"
    from db import Store

    if not default_db.exists():
        Store.open(default_db).close()
    if not large_db.exists():
        print("building the large database (30 organizations, 100,000 lessons, 20,000 versions, 5,000 sources)...")
        scale = 10 if args.quick else 1
        build_large_database(large_db, lessons=100_000 // scale, versions=20_000 // scale, sources=5_000 // scale)

    import compileall

    root = HERE.parent.parent
    for package in ("db", "desktop"):
        compileall.compile_dir(str(root / package), quiet=1)
    rows = startup_figures({"default dataset": default_db, "large database": large_db}, runs)
    for label, database in (("default dataset", default_db), ("large database", large_db)):
        for name, value in store_figures(database, runs).items():
            measure, unit = name.rsplit(" (", 1)
            unit = unit.rstrip(")")
            suffix = f" {unit.split(', ')[1]}" if ", " in unit else ""
            rows.append((f"{measure}, {label}{suffix}", f"{value:.1f} ms", ""))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure'.ljust(width)}  {'median':>10}  {'vs bare':>8}")
    for name, value, ratio in rows:
        print(f"{name.ljust(width)}  {value:>10}  {ratio:>8}")
    print(f"\n(medians of {runs} runs; databases in {folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
