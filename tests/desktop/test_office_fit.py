"""Office fit: a copied table carries HTML and plain text, and diagram exports leave out the selection."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication

from desktop.events import StoreEvents
from desktop.main_window import MainWindow
from desktop.settings import AppSettings
from desktop.state_tables import table_html


class _Cells(HTMLParser):
    """Collects the text of each <th>/<td>, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _cells(markup: str) -> _Cells:
    parser = _Cells()
    parser.feed(markup)
    return parser


@pytest.fixture
def window(qtbot, default_store, tmp_path):
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(default_store, settings, StoreEvents(default_store))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_copy_table_carries_an_html_table_and_text(window):
    """Edit > Copy table puts a real table (HTML, header row first) and the tab-separated text on the clipboard."""
    window.copy_action.trigger()
    data = QApplication.clipboard().mimeData()
    assert data.hasHtml() and data.hasText()
    table = _cells(data.html())
    shown = window.comparison_proxy
    assert table.rows[0][:2] == ["Relationship", "Phase"] and "Review" in table.rows[0]
    assert len(table.rows) == shown.rowCount() + 1
    assert [row[0] for row in table.rows[1:]] == [shown.index(r, 0).data() for r in range(shown.rowCount())]
    assert table.rows[1][2] == shown.index(0, 2).data()  # lines of a cell kept as lines
    lines = data.text().splitlines()  # the copy's marking first and last (issue 17), then the table
    assert lines[0] == lines[-1] == "UNCLASSIFIED" and lines[1].startswith("Relationship\tPhase")
    assert data.html().count("UNCLASSIFIED") >= 2


def test_copied_html_shows_user_text_literally(qtbot):
    """Markup in a cell is escaped: the pasted table shows `<b>` and `<img>` as text, never as markup."""
    model = QStandardItemModel(1, 1)
    model.setHorizontalHeaderLabels(["Finding <i>x</i>"])
    model.setItem(0, 0, QStandardItem('Coordination <b>failed</b> & <img src="/etc/hosts">'))
    markup = table_html(model)
    table = _cells(markup)
    assert "img" not in table.tags and "b" not in table.tags and "i" not in table.tags
    assert table.rows == [["Finding <i>x</i>"], ['Coordination <b>failed</b> & <img src="/etc/hosts">']]


def test_diagram_exports_leave_out_the_selection(qtbot, window, tmp_path):
    """A PNG exported with a relationship selected equals one exported with nothing selected, and the
    selection is still there afterwards with no selection signal sent."""
    window.diagram_view.fit_to_window()
    window.select_relationship(None)
    from desktop.diagram.export import export_png

    plain = QImage(str(export_png(window.scene, tmp_path / "plain.png")))
    rel_id = window.store.quadrangle.find_relationship("UN-EU").id
    window.select_relationship(rel_id)
    with qtbot.assertNotEmitted(window.scene.relationship_selected):
        selected = QImage(str(export_png(window.scene, tmp_path / "selected.png")))
    assert selected == plain
    assert window.scene.selected_relationship_id() == rel_id
    assert window.scene.edge_item(rel_id).isSelected()
