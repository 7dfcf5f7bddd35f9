"""Exporting the diagram to PNG, SVG and PDF files: the scene rendered into a file's painter.

The same drawing as on screen (`QuadrangleScene.render`); SVG and PDF keep it as vectors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from db import StorageError, ValidationError
from desktop.diagram.scene import QuadrangleScene
from desktop.diagram.style import LIGHT_THEME

EXPORT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
SUFFIXES = (".png", ".svg", ".pdf")


def _source(scene: QuadrangleScene) -> QRectF:
    return scene.diagram_rect()


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


def _painted(device, scene: QuadrangleScene, target: QRectF, path: Path) -> None:
    painter = QPainter()
    if not painter.begin(device):
        raise StorageError(f"Cannot write {path}: check the folder and its permissions.")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        with without_highlight(scene):
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
    if not image.save(str(path), "PNG"):
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


def export_diagram(scene: QuadrangleScene, path: str | Path) -> Path:
    """Export by the file's suffix (.png, .svg or .pdf); ValidationError for another suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".png":
        return export_png(scene, path)
    if suffix == ".svg":
        return export_svg(scene, path)
    if suffix == ".pdf":
        return export_pdf(scene, path)
    raise ValidationError(f"Export to {suffix or 'a file without suffix'} is not supported: use .png, .svg or .pdf.")
