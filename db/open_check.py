"""Whether opening a database file needs the full `quick_check` (issue 22).

`PRAGMA quick_check` reads every page: 0.3 s on a 326 MB database, on every start-up. SQLite's commits
are atomic (WAL, `synchronous=FULL`), so a file Quadrangle closed cleanly and that nothing has touched
since is the file it left. The choice:

- On a clean close the store *seals* the file: after its last connection is closed (the WAL is then
  checkpointed into the file and removed), it writes into its own lock file (`<database>.lock`, held
  until then) the file's size, modification and change times, inode, and a CRC of 64 pages spread over
  it (`closed ...`; under 1 ms to compute).
- Opening trusts the file without the full check only when that seal still describes it and no `-wal`
  with content lies beside it. Anything else gets the full check before anything is written: a writer
  that was killed or lost power (its pid is still in the lock file: it never sealed), a file changed or
  replaced by anything else since (a copy, a restore by hand, another program, a damaged disk write
  that changed its times), a `-wal` left behind, a file last written by an older Quadrangle (no seal).
- A read-only open while a writer holds the file trusts that writer, which made this decision on its
  own open.

What this does not catch at opening is a page that rots on disk with nothing changing the file's times
or the sampled pages; every backup (on opening, every 30 minutes with changes, before an import or a
migration) is read whole and `quick_check`ed, and `quadrangle check` / File > Check database run the
full check on demand, so such damage is found by the next backup rather than the next start-up.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from db.locking import lock_path_for, writer_alive

SEAL_WORD = "closed"
SAMPLED_PAGES = 64


def file_seal(path: Path) -> str | None:
    """One line describing the file as it is now (see the module note), or None if it cannot be read."""
    try:
        with open(path, "rb") as handle:
            status = os.fstat(handle.fileno())
            header = handle.read(100)
            if len(header) < 100:
                return None
            page_size = int.from_bytes(header[16:18], "big")
            page_size = 65536 if page_size == 1 else page_size
            pages = max(1, status.st_size // max(page_size, 512))
            checksum = 0
            for index in _sampled(pages):
                handle.seek(index * page_size)
                checksum = zlib.crc32(handle.read(page_size), checksum)
    except OSError:
        return None
    return f"{SEAL_WORD} {status.st_size} {status.st_mtime_ns} {status.st_ctime_ns} {status.st_ino} {checksum:08x}"


def _sampled(pages: int) -> list[int]:
    if pages <= SAMPLED_PAGES:
        return list(range(pages))
    step = (pages - 1) / (SAMPLED_PAGES - 1)
    return sorted({round(i * step) for i in range(SAMPLED_PAGES)})


def read_seal(database: Path) -> str | None:
    """The seal the last writer left in the lock file, or None (no lock file, or a writer's pid)."""
    try:
        text = lock_path_for(database).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    return text if text.startswith(f"{SEAL_WORD} ") else None


def needs_full_check(database: Path) -> bool:
    """True when opening `database` must run the full quick_check first (see the module note).
    Call it before any connection to the file is opened (it reads the file with a descriptor of its
    own, as the header check does)."""
    if writer_alive(database):
        return False  # that writer checked it when it opened it
    try:
        if os.stat(f"{database}-wal").st_size > 0:
            return True  # left behind by a writer that did not close
    except OSError:
        pass
    seal = read_seal(database)
    return seal is None or seal != file_seal(database)
