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


# The child is started by this small launcher, not by the benchmark itself: Linux counts the memory of
# the process a child was forked from in the child's peak (ru_maxrss survives exec), and the benchmark
# process holds hundreds of MiB once it has built the large database.
LAUNCHER = (
    "import os, subprocess, sys, time\n"
    "started = time.perf_counter()\n"
    "child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "print(time.perf_counter() - started, usage.ru_maxrss, status, usage.ru_utime + usage.ru_stime)"
)


def timed_process(argv: list[str]) -> tuple[float, int, float]:
    """Wall time of a child process, its peak resident memory in KiB and the CPU time it used."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    # An installed Quadrangle runs from compiled bytecode (pip compiles wheels on install): time that,
    # not a checkout whose environment forbids writing .pyc files.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run([sys.executable, "-c", LAUNCHER, *argv], env=env, capture_output=True, text=True)
    elapsed, peak, status, cpu = result.stdout.split()
    if int(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with status {status}")
    return float(elapsed), int(peak), float(cpu)


def startup_figures(databases: dict[str, Path], runs: int) -> list[tuple[str, str, str]]:
    """Rows for the bare window and, per database, the first paint, "ready to edit" (connected to its
    store) and the peak memory. The processes run in rounds, one of each per round, so a machine whose
    speed drifts during the benchmark (a shared VM) slows every measure alike; each ratio is the
    median of the per-round ratios to the bare window. Beside the wall-time ratio stands the ratio of
    CPU time (user + system): on a machine other sessions load, a process waits for a core more the
    longer it runs, which inflates wall-time ratios; the CPU ratio is what the code itself costs."""
    cases = {"bare": [sys.executable, str(HERE / "bare_window.py")]}
    for label, database in databases.items():
        for flag in ("--quit-after-paint", "--quit-when-ready"):
            cases[f"{flag} {label}"] = [sys.executable, "-m", "desktop.cli", "--db", str(database), flag]
    table_label = next(iter(databases))
    cases["table"] = [sys.executable, "-m", "desktop.cli", "--db", str(databases[table_label]), "table"]
    for argv in cases.values():
        timed_process(argv)  # warm the file cache; also leaves the start-up snapshot of a fresh database
    times: dict[str, list[float]] = {key: [] for key in cases}
    cpu: dict[str, list[float]] = {key: [] for key in cases}
    memory: dict[str, int] = dict.fromkeys(cases, 0)
    for _ in range(runs):
        for key, argv in cases.items():
            elapsed, peak, used = timed_process(argv)
            times[key].append(elapsed)
            cpu[key].append(used)
            memory[key] = max(memory[key], peak)

    def ratio(key: str) -> str:
        wall = statistics.median(t / b for t, b in zip(times[key], times["bare"], strict=True))
        used = statistics.median(t / b for t, b in zip(cpu[key], cpu["bare"], strict=True))
        return f"{wall:.2f}× (cpu {used:.2f}×)"

    bare_cpu = f"1.00× (cpu {statistics.median(cpu['bare']) * 1000:.0f} ms)"
    rows = [("bare PySide6 window, first paint", f"{statistics.median(times['bare']) * 1000:.0f} ms", bare_cpu)]
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
    rows.append(
        (f"`quadrangle table`, {table_label}", f"{statistics.median(times['table']) * 1000:.0f} ms", ratio("table"))
    )
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


def store_figures(database: Path, runs: int, *, briefing: bool = True) -> dict[str, float]:
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
        figures.update(window_figures(store, runs, briefing=briefing))
    return figures


def window_figures(store, runs: int, *, briefing: bool = True) -> dict[str, float]:
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
    if briefing:
        out = folder / "briefing.pdf"
        briefing_runs = max(1, runs // 3)
        figures["briefing PDF, whole database (ms)"] = 1000 * median_call(
            lambda: write_briefing(store, BriefingOptions(as_of=date.today()), out, diagram=diagram_svg), briefing_runs
        )
    window.close()
    return figures


# Issue 22's targets, by the start of a measure's name (ratios to the bare window where it says ×).
TARGETS = (
    ("start-up to first paint", "≤ 1.8×"),
    ("start-up until ready to edit, default", "≤ 4×"),
    ("start-up until ready to edit, large", "≤ 6×"),
    ("`quadrangle table`", "≤ 3×"),
    ("peak memory of window actions", "< 250 MiB"),
    ("exchange import, 45 MB file, time", "< 5 s"),
    ("exchange import, 45 MB file, peak", "< 250 MiB"),
    ("search, first page of 100, large database p95", "< 30 ms"),
    ("save version, large", "< 20 ms"),
    ("change as-of date, window repainted, large", "< 100 ms"),
    ("change as-of date, store, large", "< 100 ms"),
    ("briefing PDF, whole database, default", "< 2000 ms"),
)


def target_of(name: str) -> str:
    return next((target for prefix, target in TARGETS if name.startswith(prefix)), "")


# The same launcher for children that print a result: their output, then their peak memory in KiB.
REPORTING_LAUNCHER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)\n"
    "out = child.stdout.read()\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "sys.stdout.write(out.decode() + '\\n'); print(usage.ru_maxrss, status)"
)


def reporting_child(argv: list[str]) -> tuple[list[str], int]:
    """What a child printed (words) and its peak resident memory in KiB."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    result = subprocess.run([sys.executable, "-c", REPORTING_LAUNCHER, *argv], env=env, capture_output=True, text=True)
    *words, peak, status = result.stdout.split()
    if int(status) != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with status {status}")
    return words, int(peak)


def child_figures(default_db: Path, large_db: Path, folder: Path) -> list[tuple[str, str, str]]:
    """Figures measured in a process of their own: peak memory of the window's actions on each
    database (tests/benchmarks/window_memory.py) and the 45 MB exchange import (exchange_import.py)."""
    from tests.benchmarks.exchange_import import exchange_file

    rows = []
    for label, database in (("default dataset", default_db), ("large database", large_db)):
        _, peak = reporting_child([sys.executable, "-m", "tests.benchmarks.window_memory", str(database)])
        rows.append((f"peak memory of window actions, {label}", f"{peak / 1024:.0f} MiB", ""))
    exchange = exchange_file(large_db, folder)
    words, peak = reporting_child(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.exchange_import",
            "--child",
            str(exchange),
            str(default_db),
            str(folder),
        ]
    )
    seconds, _, size = words[-3:]
    rows.append((f"exchange import, 45 MB file, time ({size} MB)", f"{float(seconds) * 1000:.0f} ms", ""))
    rows.append(("exchange import, 45 MB file, peak memory", f"{peak / 1024:.0f} MiB", ""))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and a smaller large database")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated databases in")
    parser.add_argument("--no-briefing", action="store_true", help="leave out the briefing PDFs (minutes at scale)")
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
        for name, value in store_figures(database, runs, briefing=not args.no_briefing).items():
            measure, unit = name.rsplit(" (", 1)
            unit = unit.rstrip(")")
            suffix = f" {unit.split(', ')[1]}" if ", " in unit else ""
            rows.append((f"{measure}, {label}{suffix}", f"{value:.1f} ms", ""))
    rows.extend(child_figures(default_db, large_db, folder))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure'.ljust(width)}  {'median':>10}  {'vs bare (wall, cpu)':>21}  target")
    for name, value, ratio in rows:
        print(f"{name.ljust(width)}  {value:>10}  {ratio:>21}  {target_of(name)}")
    print(f"\n(medians of {runs} runs; databases in {folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
