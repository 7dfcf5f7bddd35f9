"""One writer per database file: an exclusive OS lock on the file's identity, plus one on `<database>.lock`.

Choice: `flock` on a descriptor of the database file itself, opened O_RDONLY and kept open for the
store's whole life (released only after the store's engine is disposed). A `flock` belongs to the
open file description of the *inode*, so a second writer reaching the same file through a hard link,
a symlink or another mount of the folder is refused; a lock file named after the path is not enough
(issue 16: two writers through a hard link corrupted a file within seconds). `flock` and SQLite's
own `fcntl` record locks are separate on Linux, so this lock does not block SQLite's readers. The one
fcntl hazard (closing *any* descriptor of the file drops the process's fcntl locks on it, TECH-NOTES)
is why the descriptor is never closed while this store's connections are open, and why the probe in
`writer_alive` is the only other descriptor this module opens. A lock file keyed by st_dev/st_ino in
the `backups/` folder was rejected: two hard links in two folders have two `backups/` folders.

The path lock on `<database>.lock` is kept as well: an older Quadrangle takes only that one, and its
content (the holder's pid and host) names the holder in the message. Either lock is dropped by the
OS when its holder closes it *or dies*, so a killed Quadrangle never leaves a stale lock. Neither lock
file is ever deleted. Readers take no lock: SQLite's WAL lets them read beside the one writer.
(On NFS, Linux emulates `flock` with fcntl locks: a database belongs on a local disk, TECH-NOTES.)
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
        self._identity_fd: int | None = None

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
            identity_fd = _lock_identity(self.database)
        except BaseException:
            _unlock(fd)
            os.close(fd)
            raise
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        except OSError:
            pass  # the pid is only for the message; the lock itself is what counts
        self._fd = fd
        self._identity_fd = identity_fd
        return self

    def release(self, *, seal: str | None = None) -> None:
        """Free both locks. Call only after every connection of the store is closed (see the module note).

        `seal` (one line) replaces the holder's pid in the lock file while it is still held: the store
        writes there how it left the file after a clean close (db/open_check.py). Without it the pid
        stays, which tells the next opener that the last writer did not close cleanly."""
        if seal is not None and self._fd is not None:
            try:
                os.ftruncate(self._fd, 0)
                os.lseek(self._fd, 0, os.SEEK_SET)
                os.write(self._fd, f"{seal}\n".encode())
            except OSError:
                pass  # without a seal the next open makes the full check: safe, only slower
        identity_fd, self._identity_fd = self._identity_fd, None
        if identity_fd is not None:
            _unregister(identity_fd)
            os.close(identity_fd)  # closing the descriptor frees its flock
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


# (st_dev, st_ino) -> the descriptor holding that file's identity lock in this process.
_HELD: dict[tuple[int, int], int] = {}


def _identity(stat_result: os.stat_result) -> tuple[int, int]:
    return (stat_result.st_dev, stat_result.st_ino)


def _lock_identity(database: Path) -> int | None:
    """An O_RDONLY descriptor of `database` holding an exclusive flock; None when it does not exist yet
    (a store creates the file before locking; `recover` puts a file where there was none)."""
    if sys.platform == "win32":  # pragma: no cover - msvcrt locks are mandatory: SQLite could not read
        return None
    try:
        fd = os.open(database, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DatabaseOpenError(f"Cannot open {database} to lock it: {exc.strerror or exc}.") from None
    key = _identity(os.fstat(fd))
    if key in _HELD or not _try_lock(fd):
        # Not closing the probe while this process's own store holds the file would drop that store's
        # SQLite locks; its descriptor stays registered, so keep this one only until the error is raised.
        os.close(fd)
        raise DatabaseInUseError(
            f"{database} is in use by another Quadrangle (the same file, perhaps under another name): "
            "close it first, or open the database read-only."
        )
    _HELD[key] = fd
    return fd


def _unregister(fd: int) -> None:
    for key, held in list(_HELD.items()):
        if held == fd:
            del _HELD[key]


def writer_alive(database: Path) -> bool:
    """True when a store (in this process or another) holds the writer lock on the file `database`
    names, whatever name it was opened under. Opens and closes one O_RDONLY descriptor of the file
    when this process holds no store on it, so call it before opening connections to the file."""
    try:
        key = _identity(os.stat(database))
    except OSError:
        return False
    if key in _HELD:
        return True
    try:
        fd = os.open(database, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        if not _try_lock(fd):
            return True
        _unlock(fd)
        return False
    except DatabaseOpenError:
        return False
    finally:
        os.close(fd)


def writer_under_another_name(database: Path) -> bool:
    """True when a writer holds the file `database` names but not under this name: through a hard link,
    whose -wal SQLite looks for beside *its* name, so a reader here would miss the writer's commits and
    could read pages a checkpoint is rewriting. (SQLite resolves symlinks itself: they are safe.)"""
    try:
        if os.stat(database).st_nlink < 2:
            return False
    except OSError:
        return False
    if not writer_alive(database):
        return False
    try:
        fd = os.open(lock_path_for(database), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return True
    try:
        if _try_lock(fd):
            _unlock(fd)
            return True
        return False
    except DatabaseOpenError:
        return False
    finally:
        os.close(fd)


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
