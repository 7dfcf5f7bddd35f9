"""The `quadrangle` command line: parses it, resolves the database, and either runs a headless
subcommand (one module each in this package, listed in `desktop.cli.registry`) or starts the window.
Errors end in one line on stderr and a non-zero status."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from desktop import __version__
from desktop.cli.common import add_db_option, open_options
from desktop.cli.registry import command_modules
from desktop.paths import ensure_default_folder, resolve_database

EXIT_ERROR = 1


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
    from db import Store

    target, is_default = resolve_database(getattr(args, "db", None))
    if is_default:
        ensure_default_folder(target)
    return Store.open(target, actor=getattr(args, "analyst", None), **open_options(args, target, options))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    from db import QuadrangleError

    try:
        if hasattr(args, "func"):
            return args.func(args, open_store_for)
        from desktop.app import run_gui

        return run_gui(args, open_store_for)
    except QuadrangleError as exc:
        print(f"quadrangle: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
