"""The registry of `quadrangle`'s headless subcommands. Each command module in `desktop.cli` has
`register(subparsers)`, which adds its parser(s) with `func=run`; `run(args, open_store)` returns the
exit status.

None of them imports Qt at module level, so `quadrangle table` starts without loading the GUI. The
window's start-up needs none of them: `command_modules(argv)` imports only the module of the command
on the command line (all of them for `--help` or an unknown command, so argparse can list them).
"""

from __future__ import annotations

import importlib
from types import ModuleType

# Command name -> module under desktop.cli, in the order of `quadrangle --help`.
COMMANDS: dict[str, str] = {
    "table": "table",
    "backup": "backup",
    "restore": "restore",
    "backups": "backups",
    "check": "check",
    "reversals": "reversals",
    "history": "reversals",
    "report": "report",
    "compare": "report",
    "export-lessons": "export_lessons",
    "export-sources": "export_sources",
    "export-exchange": "export_exchange",
    "import-exchange": "import_exchange",
    "import-sources": "import_sources",
    "init": "init",
    "copy": "copy",
}
# Options of the main parser that take a value: the word after them is not a command.
OPTIONS_WITH_VALUE = ("--db", "--analyst")


def command_word(argv: list[str]) -> str | None:
    """The first word of `argv` that is neither an option nor an option's value, if any."""
    words = iter(argv)
    for word in words:
        if word in OPTIONS_WITH_VALUE:
            next(words, None)
        elif word == "--" or not word.startswith("-"):
            return word
    return None


def command_modules(argv: list[str]) -> list[ModuleType]:
    """The command modules to register for parsing `argv`: none for the window, one for a known
    command, every one for help or a word argparse must reject with the list of commands."""
    word = command_word(argv)
    wants_help = any(arg in ("-h", "--help") for arg in argv)
    if word is None and not wants_help:
        return []
    if word in COMMANDS and not (wants_help and argv.index(word) > _first_help(argv)):
        names = [COMMANDS[word]]
    else:
        names = list(dict.fromkeys(COMMANDS.values()))
    return [importlib.import_module(f"desktop.cli.{name}") for name in names]


def _first_help(argv: list[str]) -> int:
    return min(argv.index(flag) for flag in ("-h", "--help") if flag in argv)
