"""TypedDateEdit: a date field that takes a whole date typed or pasted at once (ISO `2001-06-30`, or
the user's locale, `30.06.2001`, `6/30/01`), besides the arrows and the calendar, and says so
visibly when it cannot read what was typed instead of silently keeping part of it."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, Signal
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import QDateEdit, QWidget

from desktop.captions import error_colour

# Tried after the locale's own: day-first with dots and year-first are read the same way everywhere.
FALLBACK_FORMATS = ("d.M.yyyy", "d.M.yy", "yyyy/M/d", "yyyy.M.d", "d MMM yyyy", "d MMMM yyyy", "MMMM d, yyyy")
MAX_TYPED = 40  # characters: longer than any date in any format; more is not a date being typed


def _py(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _four_digit_years(fmt: str) -> str:
    return fmt.replace("yyyy", "\0").replace("yy", "yyyy").replace("\0", "yyyy")


def locale_formats(locale: QLocale) -> list[str]:
    """The date formats of `locale` worth trying on typed text, most specific first."""
    formats = []
    for kind in (QLocale.FormatType.ShortFormat, QLocale.FormatType.LongFormat, QLocale.FormatType.NarrowFormat):
        fmt = locale.dateFormat(kind)
        formats += [_four_digit_years(fmt), fmt]
    return list(dict.fromkeys(f for f in (*formats, *FALLBACK_FORMATS) if f))


def parse_typed_date(text: str, locale: QLocale | None = None, *, today: date | None = None) -> date | None:
    """The date `text` names (ISO first, then `locale`'s formats), or None when it names none.

    A two-digit year is the latest year ending in those digits that is not in the future (`01` is
    2001, `98` is 1998), not Qt's 1900s."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_TYPED:
        return None
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(cleaned).date()
    except ValueError:
        pass
    locale = locale or QLocale()
    this_year = (today or date.today()).year
    for fmt in locale_formats(locale):
        parsed = locale.toDate(cleaned, fmt)
        if not parsed.isValid():
            continue
        result = _py(parsed)
        if "yyyy" not in fmt and "yy" in fmt:
            century = this_year - this_year % 100
            year = century + result.year % 100
            result = result.replace(year=year if year <= this_year else year - 100)
        return result
    return None


class TypedDateEdit(QDateEdit):
    """A QDateEdit (same API, same signals) whose text can be replaced whole by typing or pasting.

    What is typed is read on Enter or when the field loses focus (Qt calls `fixup` on what it
    cannot read, then puts the previous date back); a date it cannot read (or one outside the range) is refused: the field keeps its date, shows the refusal in red, and emits
    `refused(text, reason)` so the window can say it in words. Keyboard tracking is off, so a
    half-typed date never changes what the window shows.
    """

    refused = Signal(str, str)  # (the typed text, why it was refused)
    refusal_cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setKeyboardTracking(False)
        self._refused_text = ""

    def parse(self, text: str) -> date | None:
        return parse_typed_date(text, self.locale())

    def _special(self, text: str) -> bool:
        special = self.specialValueText()
        return bool(special) and text.strip() == special

    def validate(self, input: str, pos: int) -> tuple[QValidator.State, str, int]:  # noqa: A002 (Qt's name)
        if self._special(input):
            return (QValidator.State.Acceptable, input, pos)
        value = self.parse(input)
        if value is not None and _py(self.minimumDate()) <= value <= _py(self.maximumDate()):
            return (QValidator.State.Acceptable, input, pos)
        if len(input) > MAX_TYPED:
            return (QValidator.State.Invalid, input, pos)
        return (QValidator.State.Intermediate, input, pos)

    def dateTimeFromText(self, text: str) -> QDateTime:
        if self._special(text):
            return self.minimumDateTime()
        value = self.parse(text)
        if value is None:
            return self.dateTime()
        if not _py(self.minimumDate()) <= value <= _py(self.maximumDate()):
            self._refuse(text)  # Qt would quietly put the previous date back
            return self.dateTime()
        return QDateTime(QDate(value.year, value.month, value.day), QTime(0, 0))

    def fixup(self, input: str) -> str:  # noqa: A002 (Qt's name)
        self._refuse(input)
        return input

    def _refuse(self, text: str) -> None:
        typed = text.strip()
        if not typed or self._special(typed) or self.property("refused") and typed == self._refused_text:
            return
        value = self.parse(typed)
        if value is not None and _py(self.minimumDate()) <= value <= _py(self.maximumDate()):
            return
        if value is None:
            reason = f"Cannot read “{typed}” as a date: type it as 2001-06-30 or as {self._example()}."
        else:
            first, last = _py(self.minimumDate()), _py(self.maximumDate())
            reason = f"{value.isoformat()} is outside the dates this field can show ({first} to {last})."
        self._refused_text = typed
        self.setProperty("refused", True)
        self.setStyleSheet(f"QDateEdit {{ border: 2px solid {error_colour(self.palette()).name()}; }}")
        self.setToolTip(reason)
        self.refused.emit(typed, reason)

    def _example(self) -> str:
        return self.locale().toString(QDate(2001, 6, 30), self.locale().dateFormat(QLocale.FormatType.ShortFormat))

    def clear_refusal(self) -> None:
        if self.property("refused"):
            self.setProperty("refused", False)
            self.setStyleSheet("")
            self.setToolTip("")
            self.refusal_cleared.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.text() and event.text().isprintable():
            self.clear_refusal()
        super().keyPressEvent(event)


__all__ = ["TypedDateEdit", "locale_formats", "parse_typed_date"]
