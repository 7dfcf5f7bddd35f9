"""The `quadrangle` command line: parses it, resolves the database, and either runs a headless
subcommand (one module each in this package, listed in `desktop.cli.registry`) or starts the window.
Errors end in one line on stderr and a non-zero status."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from desktop import __version__
from desktop.cli.common import add_db_option, open_options
from desktop.cli.registry import command_modules
from desktop.paths import ensure_default_folder, resolve_database
from desktop.terminal import EscapingWriter, visible

EXIT_ERROR = 1
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a program killed by a closed pipe


class _Parser(argparse.ArgumentParser):
    """Registers every command before reporting a usage error, so the usage line lists them."""

    complete: Callable[[], None] | None = None

    def error(self, message):
        complete = self.complete
        if complete is not None:
            self.complete = None
            complete()
        super().error(message)


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv` (default: the process's arguments). Only the named command's module is
    imported: the window's start-up does not pay for the headless commands."""
    parser = _Parser(
        prog="quadrangle",
        description="Assessments of inter-organizational security cooperation (UN, NATO, EU, AU).",
    )
    parser.add_argument("--version", action="version", version=f"Quadrangle {__version__}")
    add_db_option(parser)
    parser.add_argument("--analyst", metavar="NAME", help="name recorded on your changes (default: your user name)")
    parser.add_argument(
        "--quit-after-paint", action="store_true", help="exit once the main window has painted (for timing start-up)"
    )
    parser.add_argument(
        "--quit-when-ready", action="store_true", help="exit once the window is connected to its database (for timing)"
    )

    def register(modules) -> None:
        subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
        for module in modules:
            module.register(subparsers)

    modules = command_modules(sys.argv[1:] if argv is None else argv)
    if modules:
        register(modules)
    else:
        parser.complete = lambda: register(command_modules(["--help"]))
    return parser


def open_store_for(args: argparse.Namespace, **options):
    """Open the store named by the arguments (creating the default data folder if needed)."""
    from db import Store, check_database_path

    target, is_default = resolve_database(getattr(args, "db", None))
    check_database_path(target)  # a dangling symlink, /dev/null, a fifo: refused before SQLite sees it
    if is_default:
        ensure_default_folder(target)
    return Store.open(target, actor=getattr(args, "analyst", None), **open_options(args, Path(target), options))


def main(argv: list[str] | None = None) -> int:
    """Run the command line; every error a user can cause ends in one line on stderr, never a traceback."""
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    from db import QuadrangleError, check_database_path

    stdout = sys.stdout
    try:
        # A dangling symlink, /dev/null, a fifo as --db: refused before anything (the window too) reads it.
        check_database_path(resolve_database(getattr(args, "db", None))[0])
        if hasattr(args, "func"):
            # Text from the database reaches the terminal with control and direction characters escaped.
            sys.stdout = EscapingWriter(stdout)
            status = args.func(args, open_store_for)
            sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
            return status
        from desktop.app import run_gui

        return run_gui(args, open_store_for)
    except QuadrangleError as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        # The reader went away (`quadrangle backups | head`): stop quietly, and keep Python from
        # complaining again when it flushes standard output at exit.
        _silence(stdout)
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # a name too long, a permission, a vanished folder: the system's own words
        name = str(exc.filename or "")
        where = f"{name[:60]}…: " if len(name) > 60 else f"{name}: " if name else ""
        return _fail(f"{where}{exc.strerror or exc}.")
    except (ValueError, OverflowError) as exc:  # a port that is not a number, a date past year 9999 in a file
        text = str(exc)
        if text.startswith("invalid literal for int()"):
            text = f"a number was expected in the database URL, not {text.rpartition(': ')[2]}: check the port"
        return _fail(f"{text}.")
    except KeyboardInterrupt:
        return 130
    finally:
        if isinstance(sys.stdout, EscapingWriter):
            sys.stdout = stdout


def _fail(message: str) -> int:
    from db import redact

    line = " ".join(visible(redact(message)).split())  # one line, no password, no terminal tricks
    try:
        print(f"quadrangle: {line}", file=sys.stderr)
    except BrokenPipeError:  # pragma: no cover - stderr closed too
        pass
    return EXIT_ERROR


def _silence(stream) -> None:
    """Point the broken stream's descriptor at the null device, so the flush at exit writes nowhere."""
    import os

    try:
        fd = stream.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (OSError, AttributeError, ValueError):  # a stream without a descriptor (tests) needs nothing
        return
    os.dup2(devnull, fd)
    os.close(devnull)
