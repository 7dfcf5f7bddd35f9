"""Editor crash worker: a real session that dies with the assessment editor open.

Usage: `editor_crash_worker.py DB_PATH TEXT`. Opens the store on DB_PATH and the assessment editor for
the first relationship, types TEXT into the shared-values rationale with real key events, and when the
editor's own autosave timer has written the draft prints `draft-saved` on stdout. It then keeps its
event loop running, editor open, until the test SIGKILLs it: no close(), no Save, no clean-up.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from db import Motive, Store  # noqa: E402
from desktop.assessments.editor import AssessmentEditorDialog  # noqa: E402
from desktop.events import StoreEvents  # noqa: E402


def main() -> None:
    db_path, text = sys.argv[1], sys.argv[2]
    app = QApplication([])
    store = Store.open(db_path, actor="tester", backup_on_open=False)
    relationship = store.quadrangle.relationships()[0]
    dialog = AssessmentEditorDialog(store, StoreEvents(store), relationship.id)

    def announce() -> None:
        os.write(1, b"draft-saved\n")  # unbuffered: the test kills the process as soon as it reads this

    dialog.draft_saved.connect(announce)
    dialog.open()
    QTest.keyClicks(dialog.rationale_edits[Motive.SHARED_VALUES], text)
    app.exec()


if __name__ == "__main__":
    main()
