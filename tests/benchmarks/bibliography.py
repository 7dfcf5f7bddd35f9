"""`python -m tests.benchmarks.bibliography [--without-caches]`: how long citeproc-py takes to format the bibliography
and the short cites of 100 sources (the default dataset's, topped up with varied copies), each style
shipped (`--without-caches`: citeproc-py without db/references/citeproc_speed.py). Medians of several runs, in milliseconds; the first (cold) run is shown apart. Not part of the
test run."""

from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

from db import Store, bibliography, citation_styles
from db.references.style import short_citations

COUNT = 100


def hundred_sources(store: Store) -> list:
    sources = store.sources.all()
    extra = []
    index = 0
    while len(sources) + len(extra) < COUNT:
        base = sources[index % len(sources)]
        extra.append(
            dataclasses.replace(
                base, id=f"copy-{index}", key=f"{base.key}-copy{index}", title=f"{base.title} ({index})"
            )
        )
        index += 1
    return (sources + extra)[:COUNT]


def timed(function) -> tuple[float, float]:
    """Wall and CPU milliseconds of one call (CPU time is what a loaded, shared machine distorts least)."""
    started, cpu = time.perf_counter(), time.process_time()
    function()
    return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000


def main(runs: int = 5) -> None:
    if "--without-caches" in sys.argv:  # citeproc-py as shipped, for the "before" figures
        from db.references import citeproc_speed

        with citeproc_speed.uninstalled():
            measure(runs)
    else:
        measure(runs)


def measure(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        with Store.open(Path(folder) / "bench.db", actor="bench") as store:
            sources = hundred_sources(store)
    print(f"{len(sources)} sources, Python {sys.version.split()[0]}")
    print(f"{'case':<44}{'cold ms':>10}{'median ms':>12}{'median CPU ms':>15}")
    cases = [(f"bibliography {name}", lambda name=name: bibliography(sources, name)) for name, _ in citation_styles()]
    cases.append((f"bibliography {citation_styles()[0][0]} html", lambda: bibliography(sources, html=True)))
    cases.append(("short cites, one call", lambda: short_citations([(s, "12") for s in sources], sources)))
    for label, function in cases:
        cold, _ = timed(function)
        samples = [timed(function) for _ in range(runs)]
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        print(f"{label:<44}{cold:>10.0f}{wall:>12.0f}{cpu:>15.0f}")


if __name__ == "__main__":
    main()
