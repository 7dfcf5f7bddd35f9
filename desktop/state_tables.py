"""The main window's two state tables (comparison, motive matrix): the view they share, their row and
column fitting, and their copy (tab-separated text and an HTML table, so Word and Excel paste a table)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QMimeData, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from desktop.matrix.table_model import Column as MatrixColumn
from desktop.matrix.table_model import header_text

if TYPE_CHECKING:
    from db import QuadrangleState
    from desktop.comparison.table_model import ComparisonTableModel


def table_view(name: str, parent) -> QTableView:
    """A read-only table of relationships: whole rows, one selected, fixed row heights."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setWordWrap(False)
    view.setAlternatingRowColors(False)
    view.verticalHeader().setVisible(False)
    # Row heights are set from line counts (`fit_comparison_rows`): measuring every cell of 435 rows
    # (ResizeToContents) costs seconds.
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    return view


def fit_comparison_rows(view: QTableView, proxy: QSortFilterProxyModel, model: ComparisonTableModel) -> None:
    """Give each row of the comparison table room for its longest list (motives, places)."""
    line = view.fontMetrics().lineSpacing()
    for proxy_row in range(proxy.rowCount()):
        source = proxy.mapToSource(proxy.index(proxy_row, 0))
        record = model.row_record(source.row())
        lines = max(1, len(record.motives), len(record.cooperation))
        view.setRowHeight(proxy_row, lines * line + 8)


def fit_matrix_labels(view: QTableView, state: QuadrangleState) -> None:
    """Size the matrix's first column to its longest label, measured on the labels themselves
    (ResizeToContents asks the model for every cell of the column: 40 ms for 435 relationships)."""
    metrics = view.fontMetrics()
    width = max((metrics.horizontalAdvance(r.relationship.label) for r in state.relationships), default=0)
    bold = QFont(view.font())
    bold.setBold(True)  # the totals row
    width = max(width, QFontMetrics(bold).horizontalAdvance(f"Total ({len(state.relationships)})"))
    header = view.horizontalHeader()
    width = max(width, header.fontMetrics().horizontalAdvance(header_text(MatrixColumn.RELATIONSHIP)))
    header.resizeSection(MatrixColumn.RELATIONSHIP, width + 24)


def table_text(model: QAbstractItemModel) -> str:
    """The table as tab-separated text with its header, in the order shown (lines in a cell joined by "; ")."""
    rows = [
        [
            str(model.headerData(c, Qt.Orientation.Horizontal) or "").replace("\n", " ")
            for c in range(model.columnCount())
        ]
    ]
    for r in range(model.rowCount()):
        rows.append([str(model.index(r, c).data() or "").replace("\n", "; ") for c in range(model.columnCount())])
    return "\n".join("\t".join(row) for row in rows) + "\n"


def table_html(model: QAbstractItemModel, caption: str = "") -> str:
    """The table as one HTML table with a header row, every value escaped (lines in a cell as <br>):
    what Word and Excel paste as rows and columns."""

    def cell(text: str) -> str:
        return "<br>".join(html.escape(line) for line in text.split("\n"))

    columns = range(model.columnCount())
    head = "".join(f"<th>{cell(str(model.headerData(c, Qt.Orientation.Horizontal) or ''))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell(str(model.index(r, c).data() or ''))}</td>" for c in columns) + "</tr>"
        for r in range(model.rowCount())
    )
    title = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        '<html><head><meta charset="utf-8"></head><body>'
        f'<table border="1" cellspacing="0" cellpadding="4">{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></body></html>"
    )


def table_mime_data(model: QAbstractItemModel, caption: str = "", banner: str = "") -> QMimeData:
    """Clipboard data carrying the table twice: as HTML (a real table) and as tab-separated text,
    each between two `banner` lines (the copy's marking) when one is given."""
    data = QMimeData()
    html_text = table_html(model, caption)
    text = table_text(model)
    if banner:
        line = f"<p><b>{html.escape(banner)}</b></p>"
        html_text = f"{line}{html_text}{line}"
        text = f"{banner}\n{text.rstrip(chr(10))}\n{banner}\n"
    data.setHtml(html_text)
    data.setText(text)
    return data
