"""Captions (hints, empty states, counts, notes under a title) and error lines in colours derived from
the palette they sit on, so they stay readable in a light or a dark theme: at least 4.5:1 against their
background (WCAG AA), re-derived whenever the palette changes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

MIN_CONTRAST = 4.5
ERROR_ON_LIGHT = QColor("#B00020")
ERROR_ON_DARK = QColor("#FF8A80")


def relative_luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance of an opaque sRGB colour (0 black to 1 white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio of two opaque colours, 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _over(colour: QColor, background: QColor) -> QColor:
    """`colour` composited over an opaque `background` (a placeholder colour is often half transparent)."""
    alpha = colour.alphaF()
    return QColor.fromRgbF(
        colour.redF() * alpha + background.redF() * (1 - alpha),
        colour.greenF() * alpha + background.greenF() * (1 - alpha),
        colour.blueF() * alpha + background.blueF() * (1 - alpha),
    )


def _blend(text: QColor, background: QColor, towards_background: float) -> QColor:
    keep = 1 - towards_background
    return QColor.fromRgbF(
        text.redF() * keep + background.redF() * towards_background,
        text.greenF() * keep + background.greenF() * towards_background,
        text.blueF() * keep + background.blueF() * towards_background,
    )


def caption_colour(palette: QPalette, background_role: QPalette.ColorRole = QPalette.ColorRole.Window) -> QColor:
    """A muted text colour on `background_role`: the palette's placeholder colour when it is readable
    there, otherwise its text colour moved towards the background as far as keeps MIN_CONTRAST."""
    background = palette.color(background_role)
    background.setAlpha(255)
    text_role = QPalette.ColorRole.Text if background_role == QPalette.ColorRole.Base else QPalette.ColorRole.WindowText
    text = _over(palette.color(text_role), background)
    placeholder = _over(palette.color(QPalette.ColorRole.PlaceholderText), background)
    if placeholder != text and contrast_ratio(placeholder, background) >= MIN_CONTRAST:
        return placeholder
    for step in range(9, -1, -1):  # 45 % of the way to the background, then less
        candidate = _blend(text, background, step * 0.05)
        if contrast_ratio(candidate, background) >= MIN_CONTRAST:
            return candidate
    return text


def error_colour(palette: QPalette, background_role: QPalette.ColorRole = QPalette.ColorRole.Window) -> QColor:
    """A red readable on `background_role`: the usual dark red on a light background, a light one on a dark."""
    background = palette.color(background_role)
    for candidate in (ERROR_ON_LIGHT, ERROR_ON_DARK):
        if contrast_ratio(candidate, background) >= MIN_CONTRAST:
            return QColor(candidate)
    return _over(palette.color(QPalette.ColorRole.WindowText), background)


class _PaletteFollower(QObject):
    """Re-colours one widget's text whenever the palette it inherits changes."""

    def __init__(self, widget: QWidget, colour_of, background_role: QPalette.ColorRole) -> None:
        super().__init__(widget)
        self._widget = widget
        self._colour_of = colour_of
        self._background_role = background_role
        self._applying = False
        widget.installEventFilter(self)
        self.apply()

    def apply(self) -> None:
        if self._applying:
            return
        self._applying = True
        try:
            parent = self._widget.parentWidget()
            inherited = parent.palette() if parent is not None else QApplication.palette(self._widget)
            colour = self._colour_of(inherited, self._background_role)
            palette = self._widget.palette()
            for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
                palette.setColor(role, colour)
            self._widget.setPalette(palette)
        finally:
            self._applying = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ParentChange):
            self.apply()
        return False


def make_caption(widget: QWidget, background_role: QPalette.ColorRole = QPalette.ColorRole.Window) -> QWidget:
    """Show `widget`'s text as a caption (see `caption_colour`), following the palette from now on."""
    _PaletteFollower(widget, caption_colour, background_role)
    return widget


def make_error_line(widget: QWidget, background_role: QPalette.ColorRole = QPalette.ColorRole.Window) -> QWidget:
    """Show `widget`'s text in a readable red (see `error_colour`), following the palette from now on."""
    _PaletteFollower(widget, error_colour, background_role)
    return widget


__all__ = ["caption_colour", "contrast_ratio", "error_colour", "make_caption", "make_error_line"]
