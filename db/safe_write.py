"""One safe way to write any file the application writes (exports, reports, images).

The target is checked first: never the database, its companions (`-wal`, `-shm`, `-journal`, the lock
file) or anything in its `backups/` or `damaged/` folders, compared by name *and* by file identity so
hard links and symlinks are caught; never a device, fifo or folder; never an SQLite database; an
existing file only when the caller says so. The content goes to a temporary file beside the target
(0600 whatever the umask), is flushed, fsynced and verified by reading it back, then renamed onto the
target and the folder fsynced. Any failure leaves no partial file and raises `SafeWriteError`, whose
text is one line: what is wrong and what to do.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from db.errors import StorageError

COMPANION_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")
# In the order of COMPANION_SUFFIXES.
_ROLES = (
    "the database's write-ahead log",
    "the database's shared-memory file",
    "the database's journal",
    "the database's lock file",
)
PROTECTED_FOLDERS = ("backups", "damaged")  # db.backup's BACKUP_FOLDER_NAME and DAMAGED_FOLDER_NAME
SQLITE_HEADER = b"SQLite format 3\x00"
MAX_NAME_BYTES = 255  # the longest file name POSIX file systems (ext4, APFS, NTFS) accept
_CHUNK = 1 << 20

# What a producer may be: the bytes (or text, written as UTF-8), or a function that writes the
# temporary file given its path (Qt's writers take a file name) and returns nothing useful.
Producer = bytes | str | Callable[[Path], object]
Verifier = Callable[[Path], None]


class SafeWriteError(StorageError):
    """A file could not be written safely; nothing was written (or the old file is intact)."""


def database_files(database: str | os.PathLike | None) -> list[Path]:
    """The database file and its companions, as paths to protect (empty for a server URL)."""
    if database is None:
        return []
    text = os.fspath(database)
    if "://" in text:
        if not text.startswith("sqlite:"):
            return []
        text = text.split("://", 1)[1].lstrip("/")
        text = "/" + text if not text.startswith("/") else text
    path = Path(text).expanduser().absolute()
    return [path, *(Path(f"{path}{suffix}") for suffix in COMPANION_SUFFIXES)]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe (fifo)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_target(
    target: str | os.PathLike, *, protect: Iterable[str | os.PathLike] = (), overwrite: bool = False
) -> Path:
    """Refuse a target that must not be written; return the path to write (a symlink's real file).

    `protect` holds database paths (or URLs); each brings its companions and its backups/ and damaged/
    folders. Raises SafeWriteError with one line naming the problem.
    """
    path = Path(os.fspath(target)).expanduser().absolute()
    shown = str(target)
    name_bytes = len(os.fsencode(path.name))
    if not path.name:
        raise SafeWriteError(f"'{shown}' names no file: give a file name.")
    if name_bytes > MAX_NAME_BYTES:
        raise SafeWriteError(
            f"The file name is too long ({name_bytes} bytes; at most {MAX_NAME_BYTES}): choose a shorter name."
        )
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except OSError as exc:
        raise SafeWriteError(f"Cannot use {shown}: {exc.strerror or exc}.") from None
    if link is not None and stat.S_ISLNK(link.st_mode) and _identity(path) is None:
        raise SafeWriteError(f"{shown} is a symbolic link to a missing file: remove it or choose another name.")
    real = _real(path)
    folder = real.parent
    if not folder.is_dir():
        raise SafeWriteError(
            f"Cannot write {shown}: the folder {folder} does not exist; create it first or choose another location."
        )

    identity = _identity(real)
    databases = [files for files in (database_files(d) for d in protect) if files]
    for files in databases:
        for guarded, role in zip(files, ("the database itself", *_ROLES), strict=True):
            if real == _real(guarded) or path == guarded or (identity is not None and identity == _identity(guarded)):
                raise SafeWriteError(f"{shown} is {role} ({guarded}): choose another name; nothing was written.")
    folder_identity = _identity(folder)
    for guarded in (files[0] for files in databases):
        for name in PROTECTED_FOLDERS:
            keep = guarded.parent / name
            if (
                _within(real, _real(keep))
                or _within(path, keep)
                or (folder_identity is not None and folder_identity == _identity(keep))
            ):
                raise SafeWriteError(
                    f"{shown} is inside the database's {name} folder, which only Quadrangle writes: "
                    "choose another folder."
                )

    if identity is not None:
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            raise SafeWriteError(f"{shown} is {_kind(info.st_mode)}, not a regular file: give a file name.")
        if _starts_with(real, SQLITE_HEADER):
            raise SafeWriteError(f"{shown} is an SQLite database; an export never replaces one: choose another name.")
        if not overwrite:
            raise SafeWriteError(
                f"{shown} already exists: choose another name, or confirm replacing it (--force on the command line)."
            )
    return real


def _starts_with(path: Path, prefix: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(prefix)) == prefix
    except OSError:
        return False


def _temporary_name(real: Path) -> Path:
    # Short whatever the target's length, so a 250-byte name still leaves room; keeps the suffix
    # because some writers choose their format by it.
    import secrets  # here, not with the module: the window's first paint imports this module (issue 22)

    stem = real.stem[:40]
    return real.with_name(f".{stem}.{secrets.token_hex(6)}.tmp{real.suffix[:16]}")


def _create_private(temp: Path) -> int:
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, 0o600)
    try:
        os.fchmod(fd, 0o600)  # the umask can only remove bits, but say so explicitly
    except (AttributeError, OSError):  # pragma: no cover - Windows has no fchmod
        pass
    return fd


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view[:_CHUNK])
        if written <= 0:  # pragma: no cover - os.write raises rather than returning 0
            raise OSError(28, "No space left on device")
        view = view[written:]


def _fsync_folder(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):  # pragma: no cover - Windows cannot open a folder
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file(
    target: str | os.PathLike,
    produce: Producer,
    *,
    protect: Iterable[str | os.PathLike] = (),
    overwrite: bool = False,
    verify: Verifier | None | bool = True,
) -> Path:
    """Write `produce` to `target` safely and return the path written.

    `produce` is the content (bytes, or text written as UTF-8) or a function given the temporary
    file's path to write into. `verify`: True checks the file by the target's suffix (`verify_file`),
    a function checks it its own way, False/None skips the check. The old target, if any, is replaced
    only with `overwrite=True`. Raises SafeWriteError; on any error no temporary file is left behind.
    """
    real = check_target(target, protect=protect, overwrite=overwrite)
    shown = str(target)
    temp = _temporary_name(real)
    try:
        fd = _create_private(temp)
    except OSError as exc:
        raise SafeWriteError(f"Cannot write to the folder {real.parent}: {exc.strerror or exc}.") from None
    try:
        try:
            if isinstance(produce, bytes | str):
                _write_all(fd, produce.encode("utf-8") if isinstance(produce, str) else produce)
                os.fsync(fd)
            else:
                produce(temp)
                info = os.lstat(temp)
                if not stat.S_ISREG(info.st_mode):
                    raise SafeWriteError(f"{shown} was not written: the writer left {_kind(info.st_mode)}.")
                os.chmod(temp, 0o600)  # a writer that recreated the file used the umask
                _fsync_path(temp)
        finally:
            os.close(fd)
        if verify is True:
            verify_file(temp, suffix=real.suffix, shown=shown)
        elif verify:
            try:
                verify(temp)
            except (OSError, ValueError) as exc:
                raise SafeWriteError(
                    f"{shown} was not written: the file did not read back ({exc}); check the free space and try again."
                ) from None
        if overwrite:
            _recheck(real, shown, protect)
            os.replace(temp, real)
        else:
            # link() never replaces: a file that appeared since the check is kept, not clobbered.
            try:
                os.link(temp, real)
            except FileExistsError:
                raise SafeWriteError(
                    f"{shown} already exists: choose another name, or confirm replacing it "
                    "(--force on the command line)."
                ) from None
            except OSError:  # a file system without hard links (FAT, some network shares)
                _recheck(real, shown, protect, overwrite=False)
                os.replace(temp, real)
            else:
                temp.unlink()
        _fsync_folder(real.parent)
    except SafeWriteError:
        _discard(temp)
        raise
    except OSError as exc:
        _discard(temp)
        reason = exc.strerror or str(exc)
        raise SafeWriteError(f"Cannot write {shown}: {reason}; nothing was written.") from None
    except BaseException:
        _discard(temp)
        raise
    return real


def _recheck(real: Path, shown: str, protect, *, overwrite: bool = True) -> None:
    """The target again, just before the rename: a file swapped in meanwhile is not replaced blindly."""
    check_target(real, protect=protect, overwrite=overwrite)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(temp: Path) -> None:
    with contextlib.suppress(OSError):
        temp.unlink()


def verify_file(path: Path, *, suffix: str | None = None, shown: str | None = None) -> None:
    """Check that a written file reads back as what its suffix promises; raises SafeWriteError.

    .pdf: starts with %PDF- and ends with the %%EOF trailer; .csv: UTF-8 that parses as CSV; .json:
    parses; .png: the signature and a final IEND chunk; .svg: parses as XML with an <svg> root; anything
    else: it can be read back.
    """
    kind = (suffix if suffix is not None else path.suffix).lower()
    try:
        data = _read_back(path, whole=kind in _PARSED)
    except OSError as exc:
        raise SafeWriteError(f"Cannot read back {shown or path}: {exc.strerror or exc}; nothing was written.") from None
    problem = _problem(kind, data)
    if problem:
        raise SafeWriteError(f"{shown or path} was not written: {problem}; check the free space and try again.")


_PARSED = frozenset({".svg", ".json", ".csv"})  # checked by parsing the whole file
_ENDS = 4096  # a PDF or PNG is checked by its start and its end: a 40 MB briefing is not held twice


def _read_back(path: Path, *, whole: bool) -> bytes:
    """The file's bytes when it must be parsed; else its first and last few kilobytes (the start and
    the end of the file), every byte between read, so an unreadable block still fails, but not kept."""
    if whole:
        return path.read_bytes()
    with open(path, "rb") as f:
        head = f.read(_ENDS)
        tail = b""
        while block := f.read(1 << 20):
            tail = (tail + block)[-_ENDS:]
    return head + tail


def _problem(kind: str, data: bytes) -> str | None:
    if kind == ".pdf":
        if not data.startswith(b"%PDF-"):
            return "it is not a PDF"
        if not data.rstrip().endswith(b"%%EOF"):
            return "the PDF is incomplete (no %%EOF trailer)"
    elif kind == ".png":
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            return "it is not a PNG image"
        if data[-12:-8] != b"\x00\x00\x00\x00" or data[-8:-4] != b"IEND":
            return "the PNG image is incomplete"
    elif kind == ".svg":
        from xml.etree import ElementTree

        try:
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as exc:
            return f"the SVG drawing does not parse ({exc})"
        if not root.tag.endswith("svg"):
            return "it is not an SVG drawing"
    elif kind == ".json":
        try:
            json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            return f"the JSON does not read back ({str(exc)[:80]})"
    elif kind == ".csv":
        import csv  # only what writes a CSV needs it, not the first paint (issue 22)

        try:
            for _row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
                pass
        except (UnicodeDecodeError, csv.Error) as exc:
            return f"the CSV does not read back ({str(exc)[:80]})"
    return None


def check_database_path(target: str | os.PathLike) -> None:
    """Refuse, before anything opens it, a database path that SQLite would follow or write beside
    wrongly: a symbolic link to a missing file (the link is kept), a device, fifo or other non-file
    (`/dev/null` would gain `-wal` files in /dev), a name too long for the file system. A server URL
    passes. Raises DatabaseOpenError with one line.
    """
    from db.errors import DatabaseOpenError

    text = os.fspath(target)
    if "://" in text:
        return
    path = Path(text).expanduser()
    if len(os.fsencode(path.name)) > MAX_NAME_BYTES:
        raise DatabaseOpenError(
            f"The database file name is too long ({len(os.fsencode(path.name))} bytes; at most {MAX_NAME_BYTES}): "
            "choose a shorter name."
        )
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseOpenError(f"Cannot use {text} as the database: {exc.strerror or exc}.") from None
    if stat.S_ISLNK(link.st_mode):
        try:
            info = os.stat(path)
        except OSError:
            raise DatabaseOpenError(
                f"{text} is a symbolic link to a missing file ({os.readlink(path)}): fix the link or give "
                "the database file's own path; the link was left as it is."
            ) from None
    else:
        info = link
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):  # a folder has its own message
        raise DatabaseOpenError(f"{text} is {_kind(info.st_mode)}, not a database file: give the path of a .db file.")
