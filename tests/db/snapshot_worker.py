"""Snapshot-format worker: reads the start-up snapshot in a fresh process, optionally after redefining
a record the way a developer would edit db/records.py, and prints what it got as one line of JSON.

Usage: `snapshot_worker.py DB_PATH as-defined|swapped`. `swapped` loads db/records.py with the lines
`code: str` and `name: str` of OrganizationRecord exchanged (two fields of the same type), before the
snapshot module is imported, so the codec sees only the edited definition.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _load_swapped_records() -> None:
    import db  # the package only: db/__init__.py loads records on first use

    source_path = ROOT / "db" / "records.py"
    source = source_path.read_text(encoding="utf-8")
    original = "    code: str\n    name: str\n"
    if source.count(original) != 1:
        raise SystemExit("OrganizationRecord no longer starts with code and name: update this worker")
    module = types.ModuleType("db.records")
    module.__file__ = str(source_path)
    sys.modules["db.records"] = module
    exec(compile(source.replace(original, "    name: str\n    code: str\n"), str(source_path), "exec"), vars(module))
    db.records = module  # type: ignore[attr-defined]


def main() -> None:
    db_path, mode = sys.argv[1], sys.argv[2]
    if mode == "swapped":
        _load_swapped_records()
    elif mode != "as-defined":
        raise SystemExit(f"unknown mode {mode!r}")
    from db import records
    from db.snapshot import read_startup_snapshot, snapshot_format

    state = read_startup_snapshot(db_path)
    fields = [f for f in records.OrganizationRecord.__dataclass_fields__]
    result = {
        "format": snapshot_format(),
        "fields": fields,
        "codes": None if state is None else [o.code for o in state.organizations],
        "names": None if state is None else [o.name for o in state.organizations],
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
