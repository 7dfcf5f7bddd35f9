"""Writing a briefing: gather the content, record the diagram, paint the PDF. Used by the command
line (on the main thread) and the export dialog's worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db import Store
from desktop.briefing.content import BriefingContent, BriefingOptions, MarkingScale, gather
from desktop.briefing.style import DEFAULT_STYLE_PATH, load_style


@dataclass(frozen=True)
class BriefingResult:
    path: Path
    pages: int
    content: BriefingContent


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
    """Write the briefing PDF to `path` (replaced atomically; nothing is left on failure or cancel).

    `diagram` is the diagram as SVG bytes, or a callable taking the briefing's state and returning them
    (the command line records it here; the dialog records it on the interface thread beforehand).
    Raises ValidationError for options it cannot honour, BriefingCancelledError, OSError.
    """
    from desktop.briefing.render import BriefingPainter

    style = load_style(style_path)
    if progress:
        progress(0, 1, "Reading the database")
    content = gather(store, options, cancelled=cancelled)
    picture = diagram(content.state) if callable(diagram) else diagram
    painter = BriefingPainter(
        content, style, picture, lowest_marking=MarkingScale(store).lowest(), progress=progress, cancelled=cancelled
    )
    pages = painter.write(Path(path))
    return BriefingResult(path=Path(path), pages=pages, content=content)
