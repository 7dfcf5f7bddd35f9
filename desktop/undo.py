"""The one base of every undo command: pushing it performs the action (Orange canvas's way: `redo()`
calls the store, `undo()` the inverse), and a refused action never reaches the stack."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtGui import QUndoCommand, QUndoStack

from db import QuadrangleError

if TYPE_CHECKING:
    from db import Store

log = logging.getLogger(__name__)

ErrorReporter = Callable[[str], None]


class StoreCommand(QUndoCommand):
    """A `VerbNounCommand` holding the store and plain values.

    Subclasses implement `do()` (the store call; keep whatever `undo_it` needs, such as the new id)
    and `undo_it()` (the inverse store call). `redo()` runs `do()`, `undo()` runs `undo_it()`. When the
    store refuses (a QuadrangleError) during an undo or a later redo, the step is made obsolete (the
    stack drops it, so it is not retried), `error` keeps the message and `report` is told once.
    An undo or a redo runs inside `store.audit.step`, so the audit log says "Undid “text”" or
    "Redid “text”" rather than logging the inverse store call as a new action.
    Push through `perform`, which runs the action before pushing: a refusal leaves the stack as it was.
    """

    def __init__(self, store: Store, text: str, report: ErrorReporter | None = None) -> None:
        super().__init__(text)
        self.store = store
        self.report = report
        self.error = ""
        self._performed = False  # set by perform(): the push's redo() must not repeat the action

    def do(self) -> None:
        raise NotImplementedError

    def undo_it(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._performed:
            self._performed = False
            return
        self._attempt(self.do, "redo")

    def undo(self) -> None:
        self._attempt(self.undo_it, "undo")

    def _attempt(self, action: Callable[[], None], verb: str) -> None:
        try:
            # The audit log records this as an undo or a redo of the step, not as a fresh action.
            audit = getattr(self.store, "audit", None)
            step = getattr(audit, "step", None)
            if step is None:
                action()
            else:
                with step(verb, self.text()):
                    action()
        except QuadrangleError as exc:
            self.error = str(exc)
            log.warning("%s of %r refused: %s", verb, self.text(), exc)
            self.setObsolete(True)  # the stack drops a step that can no longer be replayed
            if self.report is not None:
                text = self.text()
                self.report(f"Could not {verb} {text[:1].lower()}{text[1:]}: {exc}")


Command = TypeVar("Command", bound="StoreCommand")


def perform(stack: QUndoStack | None, command: Command) -> Command:
    """Perform `command` and push it on `stack` (only perform it when `stack` is None).

    The action runs first: when the store refuses it, its QuadrangleError is raised to the caller
    (who shows it once, where the user is looking) and nothing is pushed, so the stack, its redo
    steps included, is left exactly as it was. Returns the command, which holds the action's results.
    """
    command.do()
    command.error = ""
    if stack is not None and not command.isObsolete():  # an action that changed nothing is no step
        command._performed = True
        stack.push(command)
    return command


def perform_or_report(stack: QUndoStack | None, command: StoreCommand, report: ErrorReporter) -> bool:
    """`perform`, with a refusal passed once to `report` instead of raised; True when performed."""
    try:
        perform(stack, command)
    except QuadrangleError as exc:
        command.error = str(exc)
        report(str(exc))
        return False
    return True
