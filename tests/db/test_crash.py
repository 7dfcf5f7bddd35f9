"""Crash safety: a real writer process SIGKILLed at random moments never loses a save that returned."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from db import DatabaseOpenError, Store
from db.backup import backup_folder_for, verify_backup_file

WORKER = Path(__file__).resolve().parent / "crash_worker.py"
KILLS = int(os.environ.get("QUADRANGLE_CRASH_KILLS", "60"))
BACKUP_KILLS = int(os.environ.get("QUADRANGLE_CRASH_BACKUP_KILLS", "25"))
LINE_TIMEOUT = 20.0


class Lines:
    """Reads the worker's reply lines, with a timeout so a stuck worker fails the test instead of hanging."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    def next(self, timeout: float = LINE_TIMEOUT) -> str | None:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                return None
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise AssertionError("the crash worker exited")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()


def _saved_ids(path: Path) -> set[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in connection.execute("SELECT id FROM assessment_versions")}
    finally:
        connection.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker forks writers (POSIX only)")
def test_sigkilled_writers_never_lose_a_returned_save(mini_db_path):
    """SIGKILL a saving process at random moments; each time the full check passes and every returned save is there."""
    rng = random.Random(7)
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), str(mini_db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        bufsize=0,
    )
    lines = Lines(worker.stdout.fileno())
    returned: set[str] = set()

    def send(text: str) -> None:
        worker.stdin.write(f"{text}\n".encode())

    def collect(line: str | None) -> str | None:
        if line is not None and line.startswith("saved "):
            returned.add(line.split()[1])
        return line

    try:
        for round_number in range(KILLS):
            send(f"go {round_number * 1000}")
            pid = int(lines.next().split()[1])
            if round_number % 5 == 4:  # now and then, kill it while it is still opening the database
                lines.next(timeout=rng.uniform(0, 0.03))
            else:
                assert lines.next() == "ready", "the writer could not open the database after the previous kill"
                for _ in range(rng.randint(0, 3)):  # let some saves complete, then kill at a random instant
                    assert collect(lines.next()).startswith("saved ")
            deadline = time.monotonic() + rng.uniform(0, 0.01)
            while (remaining := deadline - time.monotonic()) > 0:
                collect(lines.next(timeout=remaining))
            os.kill(pid, signal.SIGKILL)
            send(f"wait {pid}")
            while not (line := collect(lines.next())).startswith("dead"):
                pass
            assert os.WTERMSIG(int(line.split()[1])) == signal.SIGKILL
            present = _saved_ids(mini_db_path)
            assert returned <= present, f"round {round_number}: returned saves missing: {returned - present}"
            assert Store.check_database(mini_db_path) == [], f"round {round_number}"
    finally:
        worker.stdin.close()
        worker.kill()
        worker.wait()
    assert len(returned) > KILLS  # the writers really saved between kills
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:  # and the store opens normally
        assert store.safety.check() == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker forks writers (POSIX only)")
def test_sigkilled_backups_never_leave_an_unverified_backup_listed_kept_or_restored(mini_db_path):
    """SIGKILL a process taking backups at random moments; after each kill every listed backup passes the
    full verification, the newest returned one is still there, and every other file is refused by restore."""
    rng = random.Random(11)
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), str(mini_db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        bufsize=0,
    )
    lines = Lines(worker.stdout.fileno())
    folder = backup_folder_for(mini_db_path)
    newest_returned: Path | None = None
    leftovers = 0

    def send(text: str) -> None:
        worker.stdin.write(f"{text}\n".encode())

    def collect(line: str | None) -> str | None:
        nonlocal newest_returned
        if line is not None and line.startswith("backed-up "):
            newest_returned = Path(line.split(" ", 1)[1])
        return line

    try:
        for round_number in range(BACKUP_KILLS):
            send(f"backup {round_number * 1000}")
            pid = int(lines.next().split()[1])
            assert lines.next() == "ready", "the backer-up could not open the database after the previous kill"
            for _ in range(rng.randint(0, 2)):
                assert collect(lines.next()).startswith("backed-up ")
            deadline = time.monotonic() + rng.uniform(0, 0.04)
            while (remaining := deadline - time.monotonic()) > 0:
                collect(lines.next(timeout=remaining))
            os.kill(pid, signal.SIGKILL)
            send(f"wait {pid}")
            while not (line := collect(lines.next())).startswith("dead"):
                pass
            assert os.WTERMSIG(int(line.split()[1])) == signal.SIGKILL
            listed = Store.list_backups(mini_db_path)
            for backup in listed:  # never listed unless it passes the full verification
                verify_backup_file(backup.path)
            if newest_returned is not None:  # never thinned in favour of a newer, unfinished one
                assert newest_returned in [b.path for b in listed], f"round {round_number}"
            for path in set(folder.iterdir()) - {b.path for b in listed}:
                if path.name.endswith(("-journal", "-wal", "-shm")):
                    continue
                leftovers += 1
                with pytest.raises(DatabaseOpenError):  # never restored
                    verify_backup_file(path)
            assert Store.check_database(mini_db_path) == [], f"round {round_number}"
    finally:
        worker.stdin.close()
        worker.kill()
        worker.wait()
    assert newest_returned is not None
    assert leftovers, "no kill landed inside a backup: the test did not test anything"
    with Store.open(mini_db_path, actor="t", backup_on_open=False) as store:
        store.safety.take_backup("after the crashes")  # cleans what the killed backups left
        assert not [p for p in folder.iterdir() if ".partial" in p.name]
        assert len(store.safety.backups()) == len(store.safety.backups(include_incomplete=True))
        store.safety.restore_backup(store.safety.backups()[0].path)
        assert store.safety.check() == []
