"""Headless subcommands of `quadrangle`. Each module has `register(subparsers)`, which adds its
parser with `func=run`; `run(args, open_store)` returns the exit status.

None of them imports Qt at module level, so `quadrangle table` starts without loading the GUI.
"""

from desktop.commands import (
    backup,
    backups,
    check,
    copy,
    export_exchange,
    export_lessons,
    import_exchange,
    init,
    report,
    restore,
    reversals,
    table,
)

# Order is the order of `quadrangle --help`.
COMMAND_MODULES = (table,)
COMMAND_MODULES += (backup, restore, backups, check)
COMMAND_MODULES += (reversals,)
COMMAND_MODULES += (report, export_lessons)
COMMAND_MODULES += (export_exchange, import_exchange)
COMMAND_MODULES += (init, copy)
