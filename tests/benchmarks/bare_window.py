"""The floor for start-up figures: a bare PySide6 main window that quits after its first paint."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class QuitOnFirstPaint(QObject):
    def eventFilter(self, watched, event):  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    quitter = QuitOnFirstPaint()
    window.installEventFilter(quitter)
    window.show()
    sys.exit(app.exec())
