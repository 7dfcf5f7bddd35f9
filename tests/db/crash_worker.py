"""Crash-test worker: a zygote that forks writer processes on demand, so each starts in milliseconds.

Protocol (lines on stdin, replies on stdout): `go SEED` forks a writer and replies `pid N`; the writer
opens the store, says `ready`, then saves assessment versions in a loop and prints `saved ID` after each
save has returned. `backup SEED` forks a backer-up instead, which takes backups in a loop and prints
`backed-up PATH` after each has returned. `wait N` reaps process N (after the test killed it) and
replies `dead STATUS`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from db import Store  # noqa: E402 - imported once, before forking
from tests.db.safety_helpers import draft  # noqa: E402


def _say(text: str) -> None:
    os.write(1, f"{text}\n".encode())  # unbuffered: a line is out before the next save starts


def writer(db_path: str, seed: int) -> None:
    store = Store.open(db_path, actor="crash-test", backup_on_open=False)
    relationship_ids = [r.id for r in store.quadrangle.relationships()]
    _say("ready")
    n = seed
    while True:
        record = store.assessments.save(draft(relationship_ids[n % len(relationship_ids)], n))
        _say(f"saved {record.id}")
        n += 1


def backer_up(db_path: str, seed: int) -> None:
    store = Store.open(db_path, actor="crash-test", backup_on_open=False)
    _say("ready")
    n = seed
    while True:
        path = store.safety.take_backup(f"crash {n}")
        _say(f"backed-up {path}")
        n += 1


def main() -> None:
    db_path = sys.argv[1]
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        command, argument = line.split()
        if command in ("go", "backup"):
            pid = os.fork()
            if pid == 0:
                try:
                    (writer if command == "go" else backer_up)(db_path, int(argument))
                except BaseException as exc:  # report, never fall back into the zygote's loop
                    print(f"writer failed: {exc!r}", file=sys.stderr, flush=True)
                finally:
                    os._exit(1)
            _say(f"pid {pid}")
        elif command == "wait":
            _, status = os.waitpid(int(argument), 0)
            _say(f"dead {status}")


if __name__ == "__main__":
    main()
