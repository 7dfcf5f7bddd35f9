"""Exporting the diagram to PNG, SVG and PDF files: the scene rendered into a file's painter.

The same drawing as on screen (`QuadrangleScene.render`); SVG and PDF keep it as vectors. Given a
banner (the marking line), it is printed above and below the drawing, as text in SVG and PDF, and
set as the file's title/description metadata. Every file goes through the store's safe writer
(`export_diagram`): a temporary file, 0600, checked, renamed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from db import StorageError, ValidationError, write_file
from desktop.diagram.scene import QuadrangleScene
from desktop.diagram.style import LIGHT_THEME

EXPORT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
SUFFIXES = (".png", ".svg", ".pdf")


def _source(scene: QuadrangleScene) -> QRectF:
    return scene.diagram_rect()


BAND = 28.0  # scene units above and below the drawing for the banner


@contextmanager
def without_highlight(scene: QuadrangleScene) -> Iterator[None]:
    """The scene as a reader of the file should see it: no selection halo, no hover shade. The
    selection is put back afterwards without any signal, so the window's views never notice."""
    selected = scene.selected_relationship_id()
    hovered = [edge for edge in scene.edge_items() if edge.is_hovered]
    theme = scene.theme
    blocker = scene.blockSignals(True)
    try:
        scene.set_theme(LIGHT_THEME)  # a file is printed and pasted into documents: always the light drawing
        scene.select_relationship(None)  # unfades the other edges, puts the card back to its size
        for edge in hovered:
            edge.set_hovered(False)
        yield
    finally:
        if selected:
            scene.select_relationship(selected)
        for edge in hovered:
            edge.set_hovered(True)
        scene.set_theme(theme)
        scene.blockSignals(blocker)


def _painted(
    device, scene: QuadrangleScene, target: QRectF, path: Path, banner: str = "", band: float = 0, drawing=None
) -> None:
    """Render the scene, without its selection highlight, into `drawing` (default: `target` less
    `band` at the top and bottom when there is a banner) and the banner centred in the top and bottom
    `band` of `target`."""
    painter = QPainter()
    if not painter.begin(device):
        raise StorageError(f"Cannot write {path}: check the folder and its permissions.")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        if drawing is None:
            drawing = target.adjusted(0, band, 0, -band) if banner else target
        with without_highlight(scene):
            scene.render(painter, drawing, _source(scene))
        if banner:
            font = QFont("DejaVu Sans")
            font.setBold(True)
            font.setPixelSize(max(1, round(band * 0.5)))
            painter.setFont(font)
            painter.setPen(QColor("black"))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextSingleLine
            painter.drawText(QRectF(target.left(), target.top(), target.width(), band), flags, banner)
            painter.drawText(QRectF(target.left(), target.bottom() - band, target.width(), band), flags, banner)
    finally:
        painter.end()


def export_png(scene: QuadrangleScene, path: str | Path, scale: float = 2.0, banner: str = "") -> Path:
    """Write the diagram as a PNG at `scale` pixels per scene unit; returns the path."""
    path = Path(path)
    source = _source(scene)
    extra = 2 * BAND if banner else 0
    image = QImage(
        QSize(max(1, round(source.width() * scale)), max(1, round((source.height() + extra) * scale))),
        QImage.Format.Format_ARGB32,
    )
    image.setDotsPerMeterX(round(96 * scale / 0.0254))
    image.setDotsPerMeterY(round(96 * scale / 0.0254))
    image.fill(QColor("white"))
    if banner:
        image.setText("Title", banner)
    _painted(image, scene, QRectF(image.rect()), path, banner, BAND * scale)
    # PySide6 6.11 types `format` as bytes but accepts only str at run time (bytes raises ValueError).
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]
        raise StorageError(f"Cannot write {path}: check the folder and its permissions.")
    return path


def export_svg(scene: QuadrangleScene, path: str | Path, banner: str = "") -> Path:
    """Write the diagram as an SVG drawing (vectors, text kept as text); returns the path."""
    path = Path(path)
    source = _source(scene)
    height = source.height() + (2 * BAND if banner else 0)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(round(source.width()), round(height)))
    generator.setViewBox(QRectF(0, 0, source.width(), height))
    generator.setTitle(f"{banner} Quadrangle diagram" if banner else "Quadrangle diagram")
    generator.setDescription(f"{banner}: {scene.legend.title}" if banner else scene.legend.title)
    _painted(generator, scene, QRectF(0, 0, source.width(), height), path, banner, BAND)
    return path


def export_pdf(scene: QuadrangleScene, path: str | Path, banner: str = "") -> Path:
    """Write the diagram on one landscape A4 page as vectors; returns the path."""
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setTitle(f"{banner} Quadrangle diagram" if banner else "Quadrangle diagram")
    writer.setCreator("Quadrangle")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(300)
    page = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
    page.moveTo(0, 0)
    band = writer.resolution() * 0.4 if banner else 0.0  # 1 cm for each banner line
    source = _source(scene)
    room = QSizeF(page.width(), page.height() - 2 * band)
    size = QSizeF(source.size()).scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
    left, top = (room.width() - size.width()) / 2, band + (room.height() - size.height()) / 2
    _painted(writer, scene, page, path, banner, band, QRectF(left, top, size.width(), size.height()))
    return path


def export_diagram(
    scene: QuadrangleScene, path: str | Path, banner: str = "", *, protect: tuple = (), overwrite: bool = False
) -> Path:
    """Export by the file's suffix (.png, .svg or .pdf) through the safe writer, with `banner` (the
    marking line) above and below the drawing; returns the path.

    `protect`: the open database (never replaced, nor its companions or backups); `overwrite`: the
    user confirmed replacing an existing file. Raises ValidationError for another suffix, SafeWriteError
    (a StorageError) when the file cannot be written safely.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    writers: dict[str, Callable[..., Path]] = {".png": export_png, ".svg": export_svg, ".pdf": export_pdf}
    if suffix not in writers:
        raise ValidationError(
            f"Export to {suffix or 'a file without suffix'} is not supported: use .png, .svg or .pdf."
        )
    write_file(path, lambda temp: writers[suffix](scene, temp, banner=banner), protect=protect, overwrite=overwrite)
    return path
