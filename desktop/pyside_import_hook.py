"""PySide6's Python-level import hook taken out again once PySide6 is loaded (issue 22): every import
statement after it then runs as fast as without PySide6.

Importing PySide6 replaces `builtins.__import__` with `__feature_import__`, which calls two Python
functions on every import statement (shibokensupport.feature: `feature_import`, then
`feature_imported`, which reads each newly imported module's source for the word "PySide6"). Their
only purpose is `from __feature__ import snake_case, true_property`, which switches Qt's names module by
module. Quadrangle never imports `__feature__` (tests/desktop/test_pyside_import_hook.py holds every
module to that), so the hook answers "no feature" each time: about 15 ms of the store's imports (the
thousands of import statements of SQLAlchemy) and 5 ms of the first paint.

`uninstall()` puts back the import function PySide6 itself installed underneath (`__orig_import__`,
its lazy-class import, which stays in use). PySide's internals are not an API: when they are not as
expected, nothing is changed and start-up is only slower.
"""

from __future__ import annotations

import builtins


def uninstall() -> bool:
    """Route imports past PySide6's feature hook; True when they are (or already were)."""
    hook = getattr(builtins, "__feature_import__", None)
    underneath = getattr(builtins, "__orig_import__", None)
    if hook is None or underneath is None:
        return False
    if builtins.__import__ is underneath:
        return True
    if builtins.__import__ is not hook:  # someone else (a debugger, a tool) wraps imports: leave it
        return False
    builtins.__import__ = underneath
    return True
