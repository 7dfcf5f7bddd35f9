"""A faster module scan for PySide6's `__feature__` switch, installed before the window's modules load.

Once PySide6 is imported it inspects every module imported after it (shibokensupport.feature,
PYSIDE-2029): `inspect.getsource(module)` and a search for the word "PySide6", to know which modules
may use `from __feature__ import snake_case`. That costs about 0.2 ms a module; the seventy modules
loaded before the first paint spent 12–15 ms on it. `install()` swaps in the same question asked of the
file's bytes (same answer for every source file; anything else goes to PySide's own test).

PySide's internals are not an API: when the function is not where this expects it, `install` does
nothing and start-up is only slower. tests/desktop/test_pyside_feature_scan.py checks the answers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable


def install() -> bool:
    """Replace PySide6's module scan with the byte search; True when it is (or already was) in place."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None:
        return False
    if getattr(original, "reads_bytes", False):
        return True

    # PySide looks the function up by this name on every import; a callable object stands in for it.
    # Its module is untyped internals (no attribute to type-check), so the name goes in its namespace.
    vars(feature)["_mod_uses_pyside"] = ByteScan(original)
    return True


class ByteScan:
    """Asks a module's source file whether it names PySide6; anything without a .py file goes to `original`."""

    reads_bytes = True

    def __init__(self, original: Callable[[object], bool]) -> None:
        self.original = original

    def __call__(self, module: object) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return self.original(module)  # built-in, compiled or source-less modules
