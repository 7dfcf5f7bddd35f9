"""Output files of the headless commands: every one goes through the store's safe writer, with the
database named on the command line (and its companions and folders) protected and `--force` needed
to replace an existing file."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from db import check_target, write_file
from desktop.paths import resolve_database


def add_force_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="replace the output file if it already exists")


def protected_databases(args: argparse.Namespace) -> list[str]:
    """The databases an output must never replace: the one the command works on."""
    target, _ = resolve_database(getattr(args, "db", None))
    return [target]


def check_output(args: argparse.Namespace, out: str | Path) -> Path:
    """Refuse an output path before any work is done (SafeWriteError); returns the path to write."""
    return check_target(out, protect=protected_databases(args), overwrite=getattr(args, "force", False))


def write_output(args: argparse.Namespace, out: str | Path, produce: bytes | str | Callable[[Path], object]) -> Path:
    """Write a command's output file safely (see db.safe_write); raises SafeWriteError."""
    return write_file(out, produce, protect=protected_databases(args), overwrite=getattr(args, "force", False))
