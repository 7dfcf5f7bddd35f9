"""HelpWindow: the user guide shipped in resources/help/guide.md, with a contents list and a search."""

from __future__ import annotations

import re
from importlib import resources

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

HEADING = re.compile(r"^(#{1,3})\s+(.*)$")


def guide_text() -> str:
    """The guide's Markdown, read from the installed resources."""
    return resources.files("resources.help").joinpath("guide.md").read_text(encoding="utf-8")


def guide_headings(markdown: str) -> list[tuple[int, str]]:
    """(level, title) of each heading, in order."""
    found = []
    for line in markdown.splitlines():
        match = HEADING.match(line)
        if match:
            found.append((len(match.group(1)), match.group(2).strip()))
    return found


class GuideBrowser(QTextBrowser):
    """Shows only the guide: links and images that are not ours load nothing."""

    def loadResource(self, kind: int, name):  # noqa: N802 - Qt override
        return None if kind == QTextDocument.ResourceType.ImageResource else super().loadResource(kind, name)


class HelpWindow(QWidget):
    """A top-level window: search field and contents on the left, the guide on the right.

    Typing in the search filters nothing away: it highlights the first match after the cursor and says
    how many there are; Enter (or Find next) goes to the next one. Choosing a heading scrolls to it.
    Esc and Ctrl+W close the window.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpWindow")
        self.setWindowTitle("Quadrangle user guide")
        self.markdown = guide_text()

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("helpSearchEdit")
        self.search_edit.setPlaceholderText("Search the guide")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search the guide")
        self.search_edit.setAccessibleDescription("Type a word; Enter goes to the next match.")
        self.next_button = QPushButton("Find &next", self)
        self.next_button.setAccessibleName("Find next match")
        self.match_label = QLabel("", self)
        self.match_label.setObjectName("helpMatchLabel")
        self.match_label.setTextFormat(Qt.TextFormat.PlainText)

        self.contents = QListWidget(self)
        self.contents.setObjectName("helpContents")
        self.contents.setAccessibleName("Contents")
        self.contents.setAccessibleDescription("The guide's sections; Enter or a click shows one.")
        for level, title in guide_headings(self.markdown):
            item = QListWidgetItem(("    " * (level - 1)) + title)
            item.setData(Qt.ItemDataRole.UserRole, title)
            self.contents.addItem(item)

        self.browser = GuideBrowser(self)
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("User guide")
        self.browser.setMarkdown(self.markdown)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.next_button)
        left_layout.addLayout(search_row)
        left_layout.addWidget(self.match_label)
        left_layout.addWidget(self.contents, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 640])
        self.close_button = QPushButton("Close", self)
        self.close_button.clicked.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.setTabOrder(self.search_edit, self.next_button)
        self.setTabOrder(self.next_button, self.contents)
        self.setTabOrder(self.contents, self.browser)
        self.setTabOrder(self.browser, self.close_button)

        self.search_edit.textChanged.connect(lambda _text: self.find_next(from_start=True))
        self.search_edit.returnPressed.connect(self.find_next)
        self.next_button.clicked.connect(lambda: self.find_next())
        self.contents.currentItemChanged.connect(self._section_chosen)
        for keys in (QKeySequence(QKeySequence.StandardKey.Close), QKeySequence("Esc")):
            QShortcut(keys, self, self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search)
        self.resize(920, 640)

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _section_chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_section(item)

    def show_section(self, item: QListWidgetItem) -> None:
        """Scroll the guide so that the heading of `item` is at the top."""
        title = item.data(Qt.ItemDataRole.UserRole)
        document = self.browser.document()
        block = document.begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0 and block.text().strip() == title:
                cursor = QTextCursor(block)
                self.browser.setTextCursor(cursor)
                bar = self.browser.verticalScrollBar()
                bar.setValue(int(document.documentLayout().blockBoundingRect(block).top()))
                return
            block = block.next()

    def match_count(self, text: str) -> int:
        return self.browser.toPlainText().lower().count(text.lower()) if text else 0

    def find_next(self, *, from_start: bool = False) -> bool:
        """Select the next match of the search text (wrapping round); True when there is one."""
        text = self.search_edit.text().strip()
        if not text:
            self.match_label.setText("")
            return False
        if from_start:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        found = self.browser.find(text)
        if not found:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
            found = self.browser.find(text)
        count = self.match_count(text)
        self.match_label.setText(f"{count} match{'es' if count != 1 else ''}" if found else f"No match for “{text}”")
        return found
