"""Memoised look-ups in citeproc-py's style trees, which make a bibliography of 100 sources take
seconds instead of a small fraction of one.

citeproc-py 0.11 finds macros, terms, layouts and options by running XPath searches over the style and
its locales (`xpath_search`), and asks, recursively and for every item rendered, whether a group's
children call a variable (`calls_variable`); both answers depend on the style tree alone (which
nothing changes once it is read), never on the item. Chicago author-date makes some 50,000 searches
for 100 sources. `install()` wraps these two methods with caches keyed by the (stateless) lxml element,
which the cache keeps alive so lxml hands back the very same element object next time;
`uninstalled()` restores the originals (a test compares the output of both).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator

_ORIGINALS: dict[tuple[type, str], Callable] = {}
_SEARCHES: dict[tuple[object, str], list] = {}
_CALLS_VARIABLE: dict[object, bool] = {}
_PAUSED: list[bool] = []  # non-empty inside `uninstalled()`: install() then waits for its end


def _memoised_xpath_search(original: Callable) -> Callable:
    @functools.wraps(original)
    def xpath_search(self, expression: str) -> list:
        key = (self, expression)
        found = _SEARCHES.get(key)
        if found is None:
            found = _SEARCHES[key] = list(original(self, expression))
        return list(found)  # a copy: a caller may consume or change what it was given

    return xpath_search


def _memoised_calls_variable(original: Callable) -> Callable:
    @functools.wraps(original)
    def calls_variable(self) -> bool:
        answer = _CALLS_VARIABLE.get(self)
        if answer is None:
            answer = _CALLS_VARIABLE[self] = bool(original(self))
        return answer

    return calls_variable


def _remembered_reference(self):
    """A cited item's reference, looked up in its bibliography's source once (citeproc-py asks for
    it tens of times per element of the layout, through two properties and a dict subclass)."""
    cached = vars(self).get("_quadrangle_reference")
    if cached is None:
        cached = self.bibliography.source[self.key]
        object.__setattr__(self, "_quadrangle_reference", cached)  # beside the item's keys, not among them
    return cached


def install() -> None:
    """Wrap citeproc-py's style look-ups with the caches (once; later calls do nothing)."""
    if _ORIGINALS or _PAUSED:
        return
    from citeproc import model
    from citeproc.source import CitationItem

    search = model.CitationStylesElement.xpath_search
    _ORIGINALS[(model.CitationStylesElement, "xpath_search")] = search
    model.CitationStylesElement.xpath_search = _memoised_xpath_search(search)

    _ORIGINALS[(CitationItem, "reference")] = vars(CitationItem)["reference"]
    CitationItem.reference = property(_remembered_reference)
    for value in vars(model).values():
        if isinstance(value, type) and "calls_variable" in vars(value):
            original = vars(value)["calls_variable"]
            _ORIGINALS[(value, "calls_variable")] = original
            setattr(value, "calls_variable", _memoised_calls_variable(original))  # noqa: B010 - a class attribute


@contextlib.contextmanager
def uninstalled() -> Iterator[None]:
    """citeproc-py as shipped for the duration (to compare outputs), the caches again afterwards."""
    for (owner, name), original in _ORIGINALS.items():
        setattr(owner, name, original)
    _ORIGINALS.clear()
    _PAUSED.append(True)
    try:
        yield
    finally:
        _PAUSED.pop()
        _SEARCHES.clear()
        _CALLS_VARIABLE.clear()
        install()
