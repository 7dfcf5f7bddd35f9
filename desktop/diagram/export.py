"""Exporting the diagram to PNG, SVG and PDF files: the scene rendered into a file's painter.

The same drawing as on screen (`QuadrangleScene.render`); SVG and PDF keep it as vectors. Every file
goes through the store's safe writer (`export_diagram`): a temporary file, 0600, checked, renamed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from db import StorageError, ValidationError, write_file
from desktop.diagram.scene import QuadrangleScene

EXPORT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
SUFFIXES = (".png", ".svg", ".pdf")


def _source(scene: QuadrangleScene) -> QRectF:
    return scene.diagram_rect()


def _painted(device, scene: QuadrangleScene, target: QRectF, path: Path) -> None:
    painter = QPainter()
    if not painter.begin(device):
        raise StorageError(f"Cannot write {path}: check the folder and its permissions.")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, target, _source(scene))
    finally:
        painter.end()


def export_png(scene: QuadrangleScene, path: str | Path, scale: float = 2.0) -> Path:
    """Write the diagram as a PNG at `scale` pixels per scene unit; returns the path."""
    path = Path(path)
    source = _source(scene)
    image = QImage(
        QSize(max(1, round(source.width() * scale)), max(1, round(source.height() * scale))),
        QImage.Format.Format_ARGB32,
    )
    image.setDotsPerMeterX(round(96 * scale / 0.0254))
    image.setDotsPerMeterY(round(96 * scale / 0.0254))
    image.fill(QColor("white"))
    _painted(image, scene, QRectF(image.rect()), path)
    # PySide6 6.11 types `format` as bytes but accepts only str at run time (bytes raises ValueError).
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]
        raise StorageError(f"Cannot write {path}: check the folder and its permissions.")
    return path


def export_svg(scene: QuadrangleScene, path: str | Path) -> Path:
    """Write the diagram as an SVG drawing (vectors, text kept as text); returns the path."""
    path = Path(path)
    source = _source(scene)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(round(source.width()), round(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle("Quadrangle diagram")
    generator.setDescription(scene.legend.title)
    _painted(generator, scene, QRectF(0, 0, source.width(), source.height()), path)
    return path


def export_pdf(scene: QuadrangleScene, path: str | Path) -> Path:
    """Write the diagram on one landscape A4 page as vectors; returns the path."""
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setTitle("Quadrangle diagram")
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
    source = _source(scene)
    size = QSizeF(source.size()).scaled(page.size(), Qt.AspectRatioMode.KeepAspectRatio)
    target = QRectF((page.width() - size.width()) / 2, (page.height() - size.height()) / 2, size.width(), size.height())
    _painted(writer, scene, target, path)
    return path


def export_diagram(scene: QuadrangleScene, path: str | Path, *, protect: tuple = (), overwrite: bool = False) -> Path:
    """Export by the file's suffix (.png, .svg or .pdf) through the safe writer; returns the path.

    `protect`: the open database (never replaced, nor its companions or backups); `overwrite`: the
    user confirmed replacing an existing file. Raises ValidationError for another suffix, SafeWriteError
    (a StorageError) when the file cannot be written safely.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    writers = {".png": export_png, ".svg": export_svg, ".pdf": export_pdf}
    if suffix not in writers:
        raise ValidationError(
            f"Export to {suffix or 'a file without suffix'} is not supported: use .png, .svg or .pdf."
        )
    write_file(path, lambda temp: writers[suffix](scene, temp), protect=protect, overwrite=overwrite)
    return path
