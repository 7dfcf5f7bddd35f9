"""Benchmark: a 100,000-lesson database (bulk inserts), then the lessons browser's costs: search
first-page p50/p95, browsing with filters, the theme overview, opening the browser, and peak memory.

Not part of the test run. Usage:
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/lessons_bench.py [--lessons 100000] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from db import LessonFilters, LessonKind, Store  # noqa: E402
from desktop.lessons.table_model import PAGE_SIZE  # noqa: E402

DOMAIN = (
    "mandate information sharing liaison command coordination transition handover police mission force "
    "deployment logistics airlift funding troops civilian military headquarters planning doctrine training "
    "interoperability procedures legitimacy ownership capacity protection refugees elections ceasefire "
    "monitoring observers rapid reaction bridging exit strategy route-clearance convoy medical evacuation "
    "intelligence communications radios satellite helicopters engineers café Gbadolite Bunia Darfur Kosovo "
    "Sarajevo Kabul Mogadishu Bujumbura Kinshasa Abéché N'Djamena unbalanced near"
).split()
SYLLABLES = "ka lo mi re ta su ne po di ga fe ri mo la ze vu bo ni te sa".split()


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words = list(DOMAIN)
    while len(words) < size:
        words.append("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return words


def sentence(words: list[str], weights: list[float], rng: random.Random, low: int, high: int) -> str:
    chosen = rng.choices(words, weights=weights, k=rng.randint(low, high))
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def build(path: Path, count: int, seed: int = 7) -> None:
    """Seed a store from the default dataset, then bulk-insert `count` lessons and index them."""
    Store.open(path, actor="bench").close()
    rng = random.Random(seed)
    words = vocabulary(8000, rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf: a few common words, many rare ones
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys=ON")
    relationships = [r for (r,) in connection.execute("SELECT id FROM relationships")]
    themes = [t for (t,) in connection.execute("SELECT id FROM themes")]
    operations = [o for (o,) in connection.execute("SELECT id FROM operations")]
    sources = [s for (s,) in connection.execute("SELECT id FROM sources")]
    start = date(1992, 1, 1)
    stamp = "2026-01-01 00:00:00.000000"
    started = time.perf_counter()
    with connection:
        for batch_start in range(0, count, 10_000):
            lessons, links, tags, citations = [], [], [], []
            for _ in range(min(10_000, count - batch_start)):
                lesson_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                recorded = start + timedelta(days=rng.randrange(365 * 16))
                lessons.append(
                    (
                        lesson_id,
                        rng.choice(operations) if rng.random() < 0.7 else None,
                        rng.choice(("challenge", "challenge", "success")),
                        sentence(words, weights, rng, 15, 60),
                        sentence(words, weights, rng, 5, 30),
                        recorded.isoformat(),
                        stamp,
                        stamp,
                    )
                )
                for rel in rng.sample(relationships, rng.choice((1, 1, 1, 2))):
                    links.append((lesson_id, rel))
                for theme in rng.sample(themes, rng.choice((1, 2, 2, 3))):
                    tags.append((lesson_id, theme))
                for position in range(rng.choice((0, 1, 1, 2))):
                    quote = sentence(words, weights, rng, 4, 12) if rng.random() < 0.4 else ""
                    citations.append(
                        (str(uuid.uuid4()), rng.choice(sources), str(rng.randint(1, 300)), quote, position, lesson_id)
                    )
            connection.executemany(
                "INSERT INTO lessons (id, operation_id, kind, finding, recommendation, recorded_on, marking, created_at,"
                " updated_at, created_by, updated_by, revision) VALUES (?, ?, ?, ?, ?, ?, 'UNCLASSIFIED', ?, ?, 'bench', 'bench', 1)",
                lessons,
            )
            connection.executemany("INSERT INTO lesson_relationships (lesson_id, relationship_id) VALUES (?, ?)", links)
            connection.executemany("INSERT INTO lesson_themes (lesson_id, theme_id) VALUES (?, ?)", tags)
            connection.executemany(
                "INSERT INTO citations (id, source_id, locator, quote, position, lesson_id) VALUES (?, ?, ?, ?, ?, ?)",
                citations,
            )
    connection.execute("ANALYZE")
    connection.close()
    inserted = time.perf_counter() - started
    with Store.open(path, actor="bench") as store:
        started = time.perf_counter()
        store.lessons.rebuild_search()
        indexed = time.perf_counter() - started
    print(
        f"built {count:,} lessons: inserts {inserted:.1f} s, full-text index {indexed:.1f} s, "
        f"file {path.stat().st_size / 1e6:.0f} MB"
    )


class Times(list):
    """Wall-clock times (ms), with the process CPU times beside them: on a shared, loaded machine
    the CPU time is what the same call costs when it has a core to itself."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []


def timed(function, repeat: int) -> Times:
    times = Times()
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        times.append((time.perf_counter() - started) * 1000)
        times.cpu.append((time.process_time() - cpu) * 1000)
    return times


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def report(label: str, times: list[float]) -> None:
    line = f"{label:<46} wall p50 {statistics.median(times):6.1f} p95 {_p95(times):6.1f} ms"
    cpu = getattr(times, "cpu", None)
    if cpu:
        line += f"   cpu p50 {statistics.median(cpu):6.1f} p95 {_p95(cpu):6.1f} ms"
    print(line)


def measure(path: Path, repeat: int) -> None:
    store = Store.open(path, actor="bench")
    total = store.lessons.count()
    print(f"{total:,} lessons in {path}")
    relationship = store.quadrangle.relationships()[0].id
    theme = store.catalog.themes()[1].key
    queries = [
        "mandate",
        "information sharing",
        "route-clearance",
        '"unbalanced',
        "NEAR(",
        "cafe",
        "liaison command",
        "interop",
        "helicopters Darfur",
        "kalomi",
        "refugees elections ceasefire",
        "t",
    ]
    all_times = Times()
    for text in queries:
        times = timed(lambda text=text: store.lessons.search(text, None, PAGE_SIZE, 0), repeat)
        all_times += times
        all_times.cpu += times.cpu
        report(f"search first page ({PAGE_SIZE}): {text!r}", times)
    report("SEARCH, all queries above", all_times)
    report(
        "search + filters (relationship, kind)",
        timed(
            lambda: store.lessons.search(
                "mandate", LessonFilters(relationship_id=relationship, kind=LessonKind.CHALLENGE), PAGE_SIZE
            ),
            repeat,
        ),
    )
    report("count while typing: 'mandate' (capped 10k)", timed(lambda: store.lessons.count(None, "mandate"), repeat))
    report("browse first page, no filter", timed(lambda: store.lessons.search("", None, PAGE_SIZE, 0), repeat))
    report(
        "browse first page, theme + relationship",
        timed(
            lambda: store.lessons.search("", LessonFilters(theme_key=theme, relationship_id=relationship), PAGE_SIZE),
            repeat,
        ),
    )
    report(
        "browse page at offset 50,000",
        timed(lambda: store.lessons.search("", None, PAGE_SIZE, 50_000), max(3, repeat // 4)),
    )
    report("count, no filter", timed(lambda: store.lessons.count(), repeat))
    report("theme overview", timed(store.theme_overview, max(3, repeat // 4)))

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from desktop.lessons.browser import LessonsBrowser

    opened = Times()
    for _ in range(5):
        started, cpu = time.perf_counter(), time.process_time()
        browser = LessonsBrowser(store)
        browser.show()
        app.processEvents()
        opened.append((time.perf_counter() - started) * 1000)
        opened.cpu.append((time.process_time() - cpu) * 1000)
        browser.close()
        browser.deleteLater()
        app.processEvents()
    report("open the lessons browser (first page shown)", opened)
    browser = LessonsBrowser(store)
    browser.show()
    app.processEvents()
    fetch = timed(lambda: browser.model.fetchMore(), 20)
    report(f"scroll: fetch one more page of {PAGE_SIZE}", fetch)
    print(f"rows held by the browser model after 21 pages: {browser.model.rowCount():,} of {total:,}")
    browser.search.setText("information sharing")
    started = time.perf_counter()
    browser.apply()
    app.processEvents()
    print(f"{'browser: search applied and painted':<46} {(time.perf_counter() - started) * 1000:7.1f} ms")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of this process): {peak:.0f} MiB")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lessons", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="reuse or create this database file (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    folder = None
    path = args.db
    if path is None:
        folder = tempfile.TemporaryDirectory()
        path = Path(folder.name) / "lessons-bench.db"
    if not path.exists():
        build(path, args.lessons)
    measure(path, args.repeat)
    if folder is not None:
        folder.cleanup()


if __name__ == "__main__":
    main()
