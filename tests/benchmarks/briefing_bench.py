"""Benchmark (not part of the test run): how long the briefing takes for the default dataset and for
a dataset of 10,000 lessons, with the progress the export dialog would show.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/briefing_bench.py [--lessons 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from db import DEFAULT_DATASET_PATH, Store  # noqa: E402
from desktop.briefing.build import write_briefing  # noqa: E402
from desktop.briefing.content import BriefingOptions  # noqa: E402
from desktop.briefing.diagram import diagram_svg  # noqa: E402

AS_OF = date(2007, 12, 31)


def big_dataset(folder: Path, count: int) -> Path:
    """The default dataset with its lessons repeated (varied keys, relationships and themes) up to `count`."""
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


def timed(store: Store, out: Path, *, show_progress: bool) -> tuple[float, int]:
    last = [-1]

    def progress(done: int, total: int, text: str) -> None:
        percent = 100 * done // max(total, 1)
        if show_progress and percent != last[0]:
            last[0] = percent
            print(f"  {percent:3d}%  {text}", flush=True)

    start = time.perf_counter()
    result = write_briefing(
        store, BriefingOptions(as_of=AS_OF, since=date(2004, 1, 1)), out, diagram=diagram_svg, progress=progress
    )
    return time.perf_counter() - start, result.pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lessons", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])  # noqa: F841
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Store.open(folder / "default.db", actor="bench") as store:
            timed(store, folder / "warm.pdf", show_progress=False)  # font registration, imports
            times = []
            for _ in range(args.runs):
                seconds, pages = timed(store, folder / "default.pdf", show_progress=False)
                times.append(seconds)
        print(
            f"default dataset: {pages} pages, median {statistics.median(times):.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, {args.runs} runs)"
        )
        dataset = big_dataset(folder, args.lessons)
        with Store.open(folder / "big.db", actor="bench", dataset_path=dataset) as store:
            print(f"{args.lessons} lessons:")
            seconds, pages = timed(store, folder / "big.pdf", show_progress=True)
        size = (folder / "big.pdf").stat().st_size / 1e6
        print(f"{args.lessons} lessons: {pages} pages, {seconds:.1f} s, {size:.1f} MB")


if __name__ == "__main__":
    main()
