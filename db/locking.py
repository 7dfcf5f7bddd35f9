"""One writer per database file: an exclusive OS lock on a `<database>.lock` file beside it.

Choice: an advisory lock held on an open lock file (`fcntl.flock` on POSIX, `msvcrt.locking` on
Windows). The operating system drops it when the holder closes it *or dies*, so a crashed or killed
Quadrangle never leaves a stale lock behind, which a pid file (`O_EXCL`) would. `flock` (not
`lockf`/`fcntl` record locks) because its lock belongs to the open file, so even a second store in the
same process is refused. The lock file holds the holder's pid and host for the message; it is never
deleted (deleting it would let two processes lock two different files of the same name). Readers do
not take the lock: SQLite's WAL lets them read alongside the one writer.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from db.errors import DatabaseInUseError, DatabaseNotWritableError, DatabaseOpenError


def lock_path_for(database: Path) -> Path:
    return Path(f"{database}.lock")


class WriterLock:
    """The exclusive right to write one database file; `release()` (or process death) frees it."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path_for(database)
        self._fd: int | None = None

    def acquire(self) -> WriterLock:
        """Take the lock or raise DatabaseInUseError naming the holder (DatabaseOpenError if the lock
        file cannot be created, e.g. a read-only folder)."""
        if self._fd is not None:
            return self
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise DatabaseNotWritableError(
                f"Cannot create the lock file {self.path}: {exc.strerror or exc}. "
                "Check that the folder is writable, or open the database read-only."
            ) from None
        if not _try_lock(fd):
            holder = _read_holder(fd)
            os.close(fd)
            raise DatabaseInUseError(
                f"{self.database} is in use by another Quadrangle{holder}: close it first, "
                "or open the database read-only."
            )
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        except OSError:
            pass  # the pid is only for the message; the lock itself is what counts
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __del__(self) -> None:  # a store that was never closed still frees the file
        try:
            self.release()
        except Exception:
            pass


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 200).decode("utf-8", "replace").split()
    except OSError:
        return ""
    if len(text) >= 2 and text[0].isdigit():
        return f" (process {text[0]} on {text[1]})"
    return ""


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            raise DatabaseOpenError(f"Cannot lock the database: {exc.strerror or exc}.") from None
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
