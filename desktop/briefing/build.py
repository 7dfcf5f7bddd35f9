"""Writing a briefing: gather the content, record the diagram, lay it out as PDF (ReportLab) or Word
(python-docx), chosen by the file's extension. Used by the command line (on the main thread) and the
export dialog's worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db import Store, ValidationError
from desktop.briefing.content import BriefingContent, BriefingOptions, MarkingScale, gather
from desktop.briefing.style import DEFAULT_STYLE_PATH, BriefingStyle, load_style

FORMATS = (".pdf", ".docx")


@dataclass(frozen=True)
class BriefingResult:
    path: Path
    pages: int  # 0 for a Word file: Word paginates it when it opens
    content: BriefingContent


def output_format(path: Path, allowed: tuple[str, ...] = FORMATS) -> str:
    """The format the extension asks for; ValidationError for any other."""
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise ValidationError(f"Cannot write '{Path(path).name}': the file must end in {' or '.join(allowed)}.")
    return suffix


def write_atomically(path: Path, write: Callable[[Path], int], protect: tuple = ()) -> int:
    """Call `write(temporary)` through the one safe writer (db/safe_write.py: never onto a database in
    `protect` or its companions, 0600, fsync, checked by its suffix, renamed); returns what `write`
    returned. Nothing is left behind on failure or cancel."""
    from db import write_file

    results: list[int] = []
    write_file(path, lambda tmp: results.append(write(tmp)), protect=protect, overwrite=True)
    return results[0]


def write_briefing(
    store: Store,
    options: BriefingOptions,
    path: Path,
    *,
    diagram: bytes | None | Callable = None,
    style_path: Path = DEFAULT_STYLE_PATH,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> BriefingResult:
    """Write the briefing to `path` (.pdf or .docx; replaced atomically, nothing left on failure or cancel).

    `diagram` is the diagram as SVG bytes, or a callable taking the briefing's state and returning them
    (the command line records it here; the dialog records it on the interface thread beforehand).
    Raises ValidationError for options it cannot honour, BriefingCancelledError, OSError.
    """
    kind = output_format(path)
    style = load_style(style_path)
    if progress:
        progress(0, 1, "Reading the database")
    content = gather(store, options, cancelled=cancelled)
    picture = diagram(content.state) if callable(diagram) else diagram
    lowest = MarkingScale(store).lowest()
    pages = write_document(content, style, picture, lowest, Path(path), kind, progress=progress, cancelled=cancelled)
    return BriefingResult(path=Path(path), pages=pages, content=content)


def write_document(
    content: BriefingContent,
    style: BriefingStyle,
    picture: bytes | None,
    lowest: str,
    path: Path,
    kind: str,
    *,
    progress=None,
    cancelled: Callable[[], bool] = lambda: False,
) -> int:
    from desktop.briefing.story import briefing_document

    document = briefing_document(content, style, picture, lowest)
    return write_blocks(document, style, path, kind, lowest=lowest, progress=progress, cancelled=cancelled)


def write_blocks(document, style, path: Path, kind: str, *, lowest: str, progress=None, cancelled=lambda: False) -> int:
    """Write a model.Document to `path` in `kind` (".pdf" or ".docx"); returns the page count (PDF)."""
    if kind == ".docx":
        from desktop.briefing.docx_export import write_docx

        return write_atomically(path, lambda tmp: write_docx(document, style, tmp, cancelled=cancelled))
    from reportlab.lib import colors

    from desktop.briefing.drawing import figure_flowables
    from desktop.briefing.pdf import paragraph_styles, write_pdf

    rule = colors.HexColor(style.color("rule"))
    note = paragraph_styles(style)["note"]
    return write_atomically(
        path,
        lambda tmp: write_pdf(
            document,
            style,
            tmp,
            figure_flowables=lambda f: figure_flowables(f.svg, rule, note),
            progress=progress,
            cancelled=cancelled,
        ),
    )
