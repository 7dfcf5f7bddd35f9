"""Change events: what kinds of change the store announces, and the one hub that delivers them.

The store emits an event after each committed change; every view subscribes to the one hub built when the
store is opened. A listener that fails is logged and skipped: a change that was committed is never
reported to the caller as a failure because a view could not refresh.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)


class EventKind(StrEnum):
    """What changed. The values are stable text (views and logs compare them as strings)."""

    ASSESSMENTS = "assessments"
    ORGANIZATIONS = "organizations"
    LAYOUT = "layout"
    LESSONS = "lessons"
    OPERATIONS = "operations"
    SOURCES = "sources"
    THEMES = "themes"
    COOPERATION = "cooperation"
    MARKINGS = "markings"
    MILESTONES = "milestones"
    EXCHANGE = "exchange"
    REPAIRED = "repaired"
    RESTORED = "restored"


@dataclass(frozen=True)
class ChangeEvent:
    """Announced to subscribers after a committed change: what kind of thing changed, and which."""

    kind: EventKind
    ids: tuple[str, ...] = ()


ChangeListener = Callable[[ChangeEvent], None]


class EventHub:
    """Delivers each ChangeEvent to every subscriber, in subscription order, after the commit."""

    def __init__(self) -> None:
        self._listeners: list[ChangeListener] = []

    def subscribe(self, listener: ChangeListener) -> None:
        """Call `listener(event)` after every committed change."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: ChangeListener) -> None:
        """Stop calling `listener`; unknown listeners are ignored."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def emit(self, kind: EventKind, *ids: str) -> None:
        """Deliver one event. A listener that raises is logged and the others still run."""
        event = ChangeEvent(kind=EventKind(kind), ids=tuple(ids))
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a listener failed on %s %s; the change itself was committed", kind, ids)
