"""Benchmark (not part of the test run): how long the briefing PDF takes and how much memory it peaks
at, for the default dataset, a dataset of 10,000 lessons and the large benchmark database (100,000
lessons over 435 relationships). Each case runs in its own process, so its peak RSS is its own.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/briefing_bench.py [--lessons 10000]
        [--large-db PATH] [--skip-large] [--no-annex]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

AS_OF = date(2007, 12, 31)


def big_dataset(folder: Path, count: int) -> Path:
    """The default dataset with its lessons repeated (varied keys, relationships and themes) up to `count`."""
    from db import DEFAULT_DATASET_PATH

    data = json.loads(Path(DEFAULT_DATASET_PATH).read_text(encoding="utf-8"))
    originals = data["lessons"]
    pairs = [r["organizations"] for r in data["relationships"]]
    themes = [t["key"] for t in data["themes"]]
    lessons = []
    for i in range(count):
        item = dict(originals[i % len(originals)])
        item["key"] = f"bench-{i}"
        item["relationships"] = [pairs[i % len(pairs)]]
        item["themes"] = [themes[i % len(themes)]]
        item["finding"] = f"[{i}] {item['finding']}"
        lessons.append(item)
    data["lessons"] = lessons
    path = folder / "big.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def one(database: Path, out: Path, as_of: date, runs: int, annex: bool) -> None:
    """Child process: write the briefing `runs` times, print JSON with times, pages, size and peak RSS."""
    from PySide6.QtWidgets import QApplication

    from db import Store
    from desktop.briefing.build import write_briefing
    from desktop.briefing.content import BriefingOptions
    from desktop.briefing.diagram import diagram_svg

    app = QApplication.instance() or QApplication([])  # noqa: F841 - the diagram's scene needs it
    times, reads, pages = [], [], 0
    with Store.open(database, actor="bench") as store:
        for _ in range(runs):
            start = time.perf_counter()
            marks: list[float] = []

            def progress(done, total, text, marks=marks, start=start):
                if text.startswith("Laying out") and not marks:
                    marks.append(time.perf_counter() - start)  # reading and planning done, layout under way

            options = BriefingOptions(as_of=as_of, annex=annex)
            result = write_briefing(store, options, out, diagram=diagram_svg, progress=progress)
            times.append(time.perf_counter() - start)
            reads.append(marks[0] if marks else 0.0)
            pages = result.pages
        store_reads = time_store_reads(store, as_of)  # after the briefings: it must not add to their peak
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "times": times,
        "reads": reads,
        "store_reads": store_reads,
        "pages": pages,
        "mb": out.stat().st_size / 1e6,
        "peak_mb": peak_mb,
    }
    print(json.dumps(figures))


def time_store_reads(store, as_of: date) -> dict[str, float]:
    """Seconds taken by the briefing's two bulk reads on their own: every lesson up to the date
    (`store.lessons.stream`) and every relationship's assessment history (`store.assessments.histories`)."""
    from desktop.briefing.reading import lessons_up_to

    start = time.perf_counter()
    lessons_up_to(store, as_of)
    middle = time.perf_counter()
    store.assessments.histories()
    return {"lessons": middle - start, "histories": time.perf_counter() - middle}


def child(database: Path, out: Path, as_of: date, runs: int, annex: bool) -> dict:
    command = [sys.executable, __file__, "--child", str(database), str(out), as_of.isoformat(), str(runs)]
    if not annex:
        command.append("--no-annex")
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label: str, figures: dict) -> None:
    times = figures["times"]
    timing = f"median {statistics.median(times):.2f} s" if len(times) > 1 else f"{times[0]:.1f} s"
    reading = statistics.median(figures["reads"])
    print(
        f"{label}: {figures['pages']} pages, {figures['mb']:.1f} MB, {timing} (of which reading the database "
        f"and planning {reading:.1f} s), peak memory {figures['peak_mb']:.0f} MB",
        flush=True,
    )
    store_reads = figures["store_reads"]
    print(
        f"    store reads alone: lessons {store_reads['lessons']:.2f} s, "
        f"assessment histories {store_reads['histories']:.2f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lessons", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-db", type=Path, help="an existing large benchmark database (built if absent)")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--no-annex", action="store_true")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    annex = not args.no_annex
    if args.child:
        database, out, as_of, runs = args.child
        one(Path(database), Path(out), date.fromisoformat(as_of), int(runs), annex)
        return
    from db import Store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        Store.open(folder / "default.db", actor="bench").close()
        report("default dataset", child(folder / "default.db", folder / "default.pdf", AS_OF, args.runs, annex))
        dataset = big_dataset(folder, args.lessons)
        Store.open(folder / "big.db", actor="bench", dataset_path=dataset).close()
        report(f"{args.lessons} lessons", child(folder / "big.db", folder / "big.pdf", AS_OF, 1, annex))
        if args.skip_large:
            return
        large = args.large_db or folder / "large.db"
        if not large.exists():
            from tests.benchmarks.large_db import build_large_database

            build_large_database(large)
        report("large database", child(large, folder / "large.pdf", date(2026, 12, 31), 1, annex))


if __name__ == "__main__":
    main()
