"""The diagram scene as a projection of the dated state: edges, colours, layout, rendering and exports."""

from __future__ import annotations

import math
import unicodedata
from datetime import date
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from db import Phase
from desktop.diagram.export import export_diagram
from desktop.diagram.geometry import polygon_positions
from desktop.diagram.scene import QuadrangleScene
from desktop.diagram.style import PHASE_COLOURS, UNASSESSED_COLOUR, plain_tooltip


def _edge(scene: QuadrangleScene, label: str):
    return next(e for e in scene.edge_items() if e.label == label)


@pytest.fixture
def scene(qapp, default_store):
    scene = QuadrangleScene()
    scene.set_state(default_store.quadrangle.state_as_of())
    yield scene
    scene.deleteLater()


def test_one_edge_per_relationship_coloured_by_its_phase_today(scene, default_store):
    """Every relationship has exactly one edge, drawn in the colour of its phase today."""
    assert sorted(e.relationship_id for e in scene.edge_items()) == sorted(
        r.id for r in default_store.quadrangle.relationships()
    )
    assert _edge(scene, "UN–EU").colours == (PHASE_COLOURS[Phase.MAINTENANCE],)
    assert _edge(scene, "UN–NATO").colours == (PHASE_COLOURS[Phase.START_UP], PHASE_COLOURS[Phase.MAINTENANCE])


def test_an_earlier_date_shows_earlier_phases(scene, default_store):
    """As of 2001 UN–EU was between courtship and negotiation and the AU's relationships were not assessed."""
    edge_before = _edge(scene, "UN–EU")
    scene.set_state(default_store.quadrangle.state_as_of(date(2001, 6, 1)))
    edge = _edge(scene, "UN–EU")
    assert edge is edge_before  # items are reused, only restyled
    assert edge.colours == (PHASE_COLOURS[Phase.COURTSHIP], PHASE_COLOURS[Phase.NEGOTIATION])
    assert len(edge._pens) == 2  # the second phase is drawn as dashes over the first
    assert _edge(scene, "EU–AU").colours == (UNASSESSED_COLOUR,)
    assert _edge(scene, "EU–AU").state.needs_review


def test_nodes_sit_on_a_regular_polygon_unless_placed(scene, default_store):
    """Without saved positions the four organizations form a square; a saved position wins."""
    points = [scene.node_item(o.id).pos() for o in default_store.quadrangle.organizations()]
    sides = [math.dist((a.x(), a.y()), (b.x(), b.y())) for a, b in zip(points, points[1:] + points[:1], strict=True)]
    assert max(sides) - min(sides) < 1e-6
    un = default_store.quadrangle.organizations()[0]
    default_store.quadrangle.set_layout({un.id: (12.0, -34.0)})
    scene.set_state(default_store.quadrangle.state_as_of())
    assert (scene.node_item(un.id).pos().x(), scene.node_item(un.id).pos().y()) == (12.0, -34.0)
    edge = _edge(scene, "UN–EU")
    assert edge.line().p1().toTuple() == (12.0, -34.0) or edge.line().p2().toTuple() == (12.0, -34.0)


def test_polygon_positions_are_equidistant_from_the_centre():
    """Any number of organizations lands on one circle, evenly spaced."""
    for count in (3, 5, 30):
        radii = {round(math.hypot(p.x(), p.y()), 6) for p in polygon_positions(count)}
        assert len(radii) == 1


def test_tooltips_show_text_literally(scene):
    """Hover text is escaped, so markup in a summary cannot turn into rich text."""
    edge = _edge(scene, "UN–EU")
    assert "UN–EU" in edge.tooltip_text() and "Maintenance" in edge.tooltip_text()
    assert (
        plain_tooltip('<img src="/etc/x.png">\nB')
        == "<p style='white-space:pre'>&lt;img src=&quot;/etc/x.png&quot;&gt;<br>B</p>"
    )


def test_scene_renders_into_a_painter_without_a_view(scene):
    """The scene paints into a bare QImage (as the PDF briefing does) with the phase colours in it."""
    source = scene.diagram_rect()
    image = QImage(int(source.width()), int(source.height()), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert PHASE_COLOURS[Phase.MAINTENANCE].name() in colours
    assert PHASE_COLOURS[Phase.START_UP].name() in colours


ORGANIZATION_CODES = ["UN", "NATO", "EU", "AU"]


def _node_labels(default_store) -> list[str]:
    """Each organization's node as the diagram labels it: its code, then its name."""
    organizations = default_store.quadrangle.organizations()
    assert [o.code for o in organizations] == ORGANIZATION_CODES
    return [f"{o.code} {o.name}" for o in organizations]


def test_exports_write_png_svg_and_pdf(scene, default_store, tmp_path):
    """The PDF (one page) and the SVG carry the four organizations' labels as text, and the PNG is a
    real drawing: many colours and a fair share of the picture covered, not a blank page."""
    labels = _node_labels(default_store)
    pdf = PdfReader(export_diagram(scene, tmp_path / "d.pdf"))
    assert len(pdf.pages) == 1
    pdf_text = " ".join(unicodedata.normalize("NFKC", pdf.pages[0].extract_text()).split())
    for label in labels:
        assert label in pdf_text

    svg = ElementTree.parse(export_diagram(scene, tmp_path / "d.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    svg_texts = [" ".join(e.text.split()) for e in svg.iter("{http://www.w3.org/2000/svg}text") if e.text]
    for label in labels:
        code, name = label.split(" ", 1)
        assert code in svg_texts and name in svg_texts

    image = QImage(str(export_diagram(scene, tmp_path / "d.png")))
    assert image.width() > 1000 and image.height() > 500
    pixels = [image.pixel(x, y) for y in range(0, image.height(), 4) for x in range(0, image.width(), 4)]
    background = QColor("white").rgba()
    covered = sum(1 for p in pixels if p != background) / len(pixels)
    assert len(set(pixels)) > 20
    assert 0.10 < covered < 0.90  # about a quarter is drawn on the default dataset


def test_selection_moves_along_the_relationships(scene):
    """select_next walks the relationships in order and wraps around."""
    ids = scene.relationship_ids()
    assert scene.select_next() == ids[0]
    assert scene.select_next(-1) == ids[-1]
    assert scene.selected_relationship_id() == ids[-1]


def test_render_state_fits_the_drawing_into_a_target(qapp, default_store, tmp_path):
    """render_state draws a dated state into any painter, centred in the target with its aspect ratio."""
    from PySide6.QtGui import QPdfWriter

    from desktop.diagram.scene import render_state

    image = QImage(800, 800, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    drawn = render_state(painter, QRectF(0, 0, 800, 800), default_store.quadrangle.state_as_of(date(2001, 6, 1)))
    painter.end()
    assert drawn.width() == pytest.approx(800) and 0 < drawn.top() < 400
    assert image.pixelColor(400, 10).name() == "#ffffff"  # margin above the centred drawing
    writer = QPdfWriter(str(tmp_path / "state.pdf"))
    painter = QPainter(writer)
    render_state(painter, QRectF(0, 0, 2000, 1400), default_store.quadrangle.state_as_of())
    painter.end()
    assert (tmp_path / "state.pdf").read_bytes().startswith(b"%PDF")


def _visible_cards(scene: QuadrangleScene) -> list[str]:
    return [e.label for e in scene.edge_items() if e.has_card and e.card.isVisible()]


def test_a_small_quadrangle_shows_every_card(scene):
    """Four organizations: each of the six relationships has its card on the diagram."""
    assert len(_visible_cards(scene)) == 6


def test_a_large_quadrangle_shows_only_the_selected_card_on_top(qapp, default_store):
    """Past eight organizations only the selected relationship's card shows, above every edge; the
    cards of the others are not even made (435 of them would slow the first paint)."""
    for index in range(6):
        default_store.quadrangle.add_organization(f"RO{index}", f"Regional organization {index}", "regional")
    scene = QuadrangleScene()
    try:
        scene.set_state(default_store.quadrangle.state_as_of())
        assert len(scene.edge_items()) == 45 and _visible_cards(scene) == []
        assert not any(edge.has_card for edge in scene.edge_items())
        first, second = _edge(scene, "UN–EU"), _edge(scene, "NATO–AU")
        scene.select_relationship(first.relationship_id)
        assert _visible_cards(scene) == ["UN–EU"]
        assert first.zValue() > max(e.zValue() for e in scene.edge_items() if e is not first)
        assert first.card.zValue() > first.zValue()
        scene.select_relationship(second.relationship_id)
        assert _visible_cards(scene) == ["NATO–AU"] and first.zValue() < second.zValue()
        scene.select_relationship(None)
        assert _visible_cards(scene) == []
    finally:
        scene.deleteLater()
