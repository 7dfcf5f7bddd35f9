"""Writing an exported reference file safely: never onto the database or its companions, a
temporary file beside the target (0600), fsync, read back and compared, renamed into place."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from db.errors import StorageError


def write_export(path: Path, text: str, protected: list[Path]) -> None:
    """Write `text` (UTF-8) to `path`; raises StorageError in one line (nothing half-written)."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise StorageError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise StorageError(f"{path} is not a regular file: choose another name.")
    for other in protected:
        try:
            if info is not None and other.exists() and os.path.samefile(path, other):
                raise StorageError(f"{path} is the database or one of its files: choose another name.")
        except OSError:
            continue
    data = text.encode("utf-8")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    except OSError as exc:
        raise StorageError(f"Cannot write to {path.parent}: {exc.strerror or exc}.") from None
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if Path(temp).read_bytes() != data:
            raise StorageError(f"{path} could not be verified after writing; nothing was written.")
        os.replace(temp, path)
        folder = os.open(path.parent or ".", os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise StorageError(f"Cannot write {path}: {exc.strerror or exc}.") from None
    except StorageError:
        Path(temp).unlink(missing_ok=True)
        raise
