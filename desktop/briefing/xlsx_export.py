"""Excel workbooks (.xlsx, with openpyxl) of the tables analysts take into a spreadsheet: the comparison
table, the two-date and side-by-side comparisons, the lessons. Each sheet carries its marking as the
first row (the banner), in a marking column on every row and in the document properties; the header
row is bold and frozen; every cell is text, so nothing a user typed ("=HYPERLINK(...)", "+1", "@x")
is ever a formula. Plain Python: the command line and the window share it."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.briefing.csv_export import FORMULA_START

XLSX = ".xlsx"
EXCEL_CELL_LIMIT = 32_767  # Excel's most characters in one cell: longer text would be cut when opened
# XML 1.0 cannot carry most control characters: openpyxl refuses them, so each becomes U+FFFD, visibly.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_WIDTH = 60  # characters: wider columns wrap instead


@dataclass(frozen=True)
class Sheet:
    """One worksheet: `banner` goes alone in the first row, `columns` bold and frozen under it, then
    `rows` (any values, each written as text). `marking` is the workbook's overall marking."""

    title: str
    banner: str
    marking: str
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    subject: str = ""


def text_value(value: object) -> str:
    """A cell's text: None is empty; characters XML cannot hold are replaced; an over-long text is cut
    with a visible note rather than left for Excel to truncate silently."""
    text = _ILLEGAL.sub("\ufffd", "" if value is None else str(value))
    if len(text) > EXCEL_CELL_LIMIT:
        cut = len(text) - EXCEL_CELL_LIMIT + 80  # room for the note, which is shorter than 80
        text = text[: len(text) - cut] + f" [cut: {cut:,} more characters; the CSV export holds them all]"
    return text


def _widths(columns: tuple[str, ...], texts: list[tuple[str, ...]]) -> list[int]:
    """Each column's width in characters: its longest line, header included, within [8, _MAX_WIDTH]."""
    widths = [len(name) for name in columns]
    for values in texts:
        for c, text in enumerate(values[: len(widths)]):
            longest = max(map(len, text.split("\n"))) if "\n" in text else len(text)
            if longest > widths[c]:
                widths[c] = longest
    return [min(max(width, 8), _MAX_WIDTH) + 2 for width in widths]


def _fill(workbook, sheet: Sheet) -> None:
    """Stream one sheet into a write-only workbook: a normal one keeps every cell object until it is
    saved (50,000 lesson rows: 237 MB at its peak against 63 MB here, in the same 8 s of CPU)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    worksheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", sheet.title)[:31] or "Sheet")
    texts = [tuple(text_value(value) for value in values) for values in sheet.rows]
    for c, width in enumerate(_widths(sheet.columns, texts), start=1):
        worksheet.column_dimensions[get_column_letter(c)].width = width
    worksheet.freeze_panes = "A3"  # the banner and the header row stay in view
    worksheet.print_title_rows = "1:2"  # and are printed on every page
    worksheet.oddHeader.center.text = sheet.banner.replace("&", "&&")
    worksheet.oddFooter.center.text = sheet.banner.replace("&", "&&")
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def text_cell(text: str, *, font=None, alignment=None):
        cell = WriteOnlyCell(worksheet, value=text)
        cell.data_type = "s"  # openpyxl would turn a leading "=" into a formula: keep it text
        if cell.value.startswith(FORMULA_START):
            cell.quotePrefix = True  # and Excel keeps it text even when the cell is edited
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        return cell

    worksheet.append([text_cell(text_value(sheet.banner), font=bold)])
    worksheet.append([text_cell(text_value(name), font=bold) for name in sheet.columns])
    for values in texts:
        worksheet.append([text_cell(text, alignment=wrap) for text in values])


def workbook_writer(sheets: Sheet | Sequence[Sheet], *, author: str = "") -> Callable[[Path], None]:
    """A function that writes the workbook into the (temporary) file it is given, each sheet in order;
    the first sheet's marking, title and subject go in the document properties. The file is read back
    as a zip before it is handed on. For `db.write_file` and the commands' `write_output`."""
    chosen = [sheets] if isinstance(sheets, Sheet) else list(sheets)

    def write(tmp: Path) -> None:
        from openpyxl import Workbook

        first = chosen[0]
        workbook = Workbook(write_only=True)
        for sheet in chosen:
            _fill(workbook, sheet)
        properties = workbook.properties
        properties.title = text_value(first.title)
        properties.subject = text_value(first.subject or f"{first.marking} {first.title}")
        properties.keywords = text_value(first.marking)
        properties.category = text_value(first.marking)  # Excel shows it under File > Info
        properties.description = text_value(f"Marking: {first.banner}")
        properties.creator = text_value(author or "Quadrangle")
        properties.lastModifiedBy = properties.creator
        workbook.save(tmp)
        with zipfile.ZipFile(tmp) as archive:
            if archive.testzip() is not None:
                raise OSError(f"the workbook {Path(tmp).name} does not read back")

    return write


def write_xlsx(path: Path, sheets: Sheet | Sequence[Sheet], protect: tuple = (), *, author: str = "") -> Path:
    """Write the workbook to `path` through the one safe writer (never onto a database in `protect`)."""
    from desktop.briefing.build import write_atomically

    produce = workbook_writer(sheets, author=author)

    def write(tmp: Path) -> int:
        produce(tmp)
        return 0

    write_atomically(Path(path), write, protect)
    return Path(path)
