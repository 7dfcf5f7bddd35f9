"""Painting a cell's text with the searched words highlighted, without any HTML: the text is laid
out with QTextLayout and the matched words get a format range, so user text is never markup."""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

_WORD = re.compile(r"\w+", re.UNICODE)
HIGHLIGHT = QColor("#ffe58a")


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def match_ranges(text: str, terms) -> list[tuple[int, int]]:
    """(start, length) of each word of `text` that is, or begins with, one of `terms` (normalised)."""
    terms = [t for t in terms if t]
    if not terms:
        return []
    ranges = []
    for match in _WORD.finditer(text):
        word = _normalise(match.group(0))
        if any(word.startswith(term) for term in terms):
            ranges.append((match.start(), match.end() - match.start()))
    return ranges


class HighlightDelegate(QStyledItemDelegate):
    """Draws the display text elided to one line, with the words given by `terms_role` highlighted."""

    def __init__(self, terms_role: int, parent=None) -> None:
        super().__init__(parent)
        self._terms_role = terms_role

    def paint(self, painter, option: QStyleOptionViewItem, index) -> None:
        terms = index.data(self._terms_role) or []
        if not terms:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, opt.widget).adjusted(3, 0, -3, 0)
        elided = opt.fontMetrics.elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        layout = QTextLayout(elided, opt.font)
        formats = []
        for start, length in match_ranges(elided, terms):
            fmt = QTextCharFormat()
            fmt.setBackground(HIGHLIGHT)
            fmt.setForeground(QColor("#1a1a1a"))
            item = QTextLayout.FormatRange()
            item.start, item.length, item.format = start, length, fmt
            formats.append(item)
        layout.setFormats(formats)
        layout.beginLayout()
        line = layout.createLine()
        if line.isValid():
            line.setLineWidth(rect.width() + 2)
        layout.endLayout()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setPen(opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        painter.setClipRect(QRectF(rect))
        top = rect.top() + (rect.height() - line.height()) / 2 if line.isValid() else rect.top()
        layout.draw(painter, QPointF(rect.left(), top))
        painter.restore()
