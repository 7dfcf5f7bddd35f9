"""File > Export briefing...: choose date, relationships and marking limit, see what will be included,
and write the PDF (or, for a .docx name, the Word file) on a worker thread with a progress bar and Cancel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from db import QuadrangleError, Store
from desktop.briefing.content import BriefingContent, BriefingOptions, selected_state
from desktop.briefing.diagram import diagram_svg
from desktop.briefing.text import long_date
from desktop.briefing.worker import BriefingExportThread, BriefingPreviewThread, keep_alive
from desktop.comparison.marking_limit import ceiling_of, marking_limit_combo
from desktop.qt_build import named


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class BriefingDialog(QDialog):
    """Export options, a plain-text preview of what is included, and the export's progress."""

    def __init__(self, store: Store, *, as_of: date, folder: str = "", analyst: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export briefing")
        self.store = store
        self.analyst = analyst
        self.export_thread: BriefingExportThread | None = None
        self.last_written: Path | None = None
        self._generation = 0
        self._preview_threads: set[BriefingPreviewThread] = set()

        self.path_edit = QLineEdit(str(Path(folder or Path.home()) / f"briefing-{as_of.isoformat()}.pdf"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)

        self.as_of_edit = QDateEdit(_qdate(as_of))
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_check = QCheckBox("Changes since")
        self.since_edit = QDateEdit(_qdate(date(as_of.year - 1, 1, 1)))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_edit.setEnabled(False)
        self.since_check.toggled.connect(self.since_edit.setEnabled)
        since_row = QHBoxLayout()
        since_row.addWidget(self.since_check)
        since_row.addWidget(self.since_edit, 1)

        self.relationship_list = QListWidget()
        self.relationship_list.setObjectName("briefingRelationships")
        for record in store.quadrangle.relationships():
            item = QListWidgetItem(record.label)
            item.setData(Qt.ItemDataRole.UserRole, record.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.relationship_list.addItem(item)
        self.relationship_list.setMaximumHeight(130)

        # The limit starts at the main window's view ceiling: the briefing holds what the screen shows.
        self.max_marking = marking_limit_combo(store, self, ceiling_of(parent))
        self.marking_choice = named(QComboBox(self), "briefingMarking")
        self.marking_choice.setAccessibleName("Overall marking")
        self.marking_choice.addItem("As computed: the highest marking included", None)
        for level in store.catalog.marking_scheme().levels:
            self.marking_choice.addItem(f"Raise to {level}", level)
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter", "letter")
        self.annex_check = QCheckBox("Annex with every lesson in full")
        self.annex_check.setObjectName("briefingAnnex")
        self.annex_check.setChecked(True)
        self.review_months = QSpinBox()
        self.review_months.setObjectName("briefingReviewMonths")
        self.review_months.setRange(1, 600)
        self.review_months.setValue(12)
        self.review_months.setSuffix(" months")

        form = QFormLayout()
        form.addRow("File", path_row)
        form.addRow("As of", self.as_of_edit)
        form.addRow("", since_row)
        form.addRow("Relationships", self.relationship_list)
        form.addRow("Highest marking to include", self.max_marking)
        form.addRow("Overall marking", self.marking_choice)
        form.addRow("Paper", self.paper)
        form.addRow("Review after", self.review_months)
        form.addRow("", self.annex_check)

        self.preview = QPlainTextEdit()
        self.preview.setObjectName("briefingPreview")
        self.preview.setReadOnly(True)
        self.preview.setMinimumWidth(360)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.export_button = QPushButton("Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton("Close")
        self.cancel_button.clicked.connect(self._cancel_or_close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)

        columns = QHBoxLayout()
        columns.addLayout(form, 1)
        preview_box = QVBoxLayout()
        preview_box.addWidget(QLabel("Included"))
        preview_box.addWidget(self.preview, 1)
        columns.addLayout(preview_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(200)
        self._preview_timer.timeout.connect(self.update_preview)
        for signal in (
            self.as_of_edit.dateChanged,
            self.since_edit.dateChanged,
            self.since_check.toggled,
            self.relationship_list.itemChanged,
            self.max_marking.currentIndexChanged,
            self.marking_choice.currentIndexChanged,
            self.review_months.valueChanged,
        ):
            signal.connect(self._preview_timer.start)
        self.update_preview()
        self.resize(820, 480)

    # -- options and preview ---------------------------------------------------------------

    def options(self) -> BriefingOptions:
        keys = []
        for row in range(self.relationship_list.count()):
            item = self.relationship_list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                keys.append(item.data(Qt.ItemDataRole.UserRole))
        return BriefingOptions(
            as_of=_day(self.as_of_edit.date()),
            since=_day(self.since_edit.date()) if self.since_check.isChecked() else None,
            marking=self.marking_choice.currentData(),
            relationships=tuple(keys) if len(keys) < self.relationship_list.count() else (),
            max_marking=self.max_marking.currentData(),
            paper=self.paper.currentData(),
            analyst=self.analyst,
            review_months=self.review_months.value(),
            annex=self.annex_check.isChecked(),
        )

    def update_preview(self) -> None:
        """Show, as plain text, what the briefing will include with the current options (read on a
        worker thread, so a large database never freezes the dialog)."""
        self._generation += 1
        if self._no_relationship_checked():
            self.preview.setPlainText("Choose at least one relationship.")
            self.export_button.setEnabled(False)
            return
        thread = keep_alive(BriefingPreviewThread(self.store, self.options(), self._generation))
        thread.ready.connect(self._preview_ready)
        thread.failed.connect(self._preview_failed)
        thread.finished.connect(lambda: self._preview_threads.discard(thread))
        self._preview_threads.add(thread)
        thread.start()

    def _preview_ready(self, generation: int, content: BriefingContent) -> None:
        if generation != self._generation:
            return
        self.preview.setPlainText(preview_text(content))
        self.export_button.setEnabled(self.export_thread is None)

    def _preview_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self.preview.setPlainText(message)
        self.export_button.setEnabled(False)

    def _no_relationship_checked(self) -> bool:
        return all(
            self.relationship_list.item(r).checkState() != Qt.CheckState.Checked
            for r in range(self.relationship_list.count())
        )

    # -- export ------------------------------------------------------------------------------

    def choose_path(self) -> str:
        """Ask for the file to write (replaceable in tests)."""
        name, _ = QFileDialog.getSaveFileName(
            self, "Export briefing", self.path_edit.text(), "PDF files (*.pdf);;Word documents (*.docx)"
        )
        return name

    def _browse(self) -> None:
        name = self.choose_path()
        if name:
            known = name.lower().endswith((".pdf", ".docx"))
            self.path_edit.setText(name if known else name + ".pdf")

    def start_export(self) -> None:
        """Record the diagram here, then write the PDF or Word file on a worker thread."""
        if self.export_thread is not None:
            return
        path = Path(self.path_edit.text().strip()).expanduser()
        if not path.parent.is_dir():
            self.status.setText(f"The folder {path.parent} does not exist.")
            return
        options = self.options()
        try:
            state, _ = selected_state(self.store, options)
        except QuadrangleError as exc:
            self.status.setText(str(exc))
            return
        picture = diagram_svg(state)
        thread = self.export_thread = keep_alive(BriefingExportThread(self.store, options, path, picture))
        thread.progressed.connect(self._progressed)
        thread.succeeded.connect(self._succeeded)
        thread.failed.connect(self._failed)
        thread.cancelled.connect(self._cancelled)
        thread.finished.connect(self._thread_finished)
        self.export_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.status.setText("Exporting…")
        self.progress.setRange(0, 0)
        thread.start()

    def _progressed(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(text)

    def _succeeded(self, path: str, pages: int) -> None:
        self.last_written = Path(path)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(f"Wrote {path} ({pages} pages)." if pages else f"Wrote {path}.")

    def _failed(self, message: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(message)

    def _cancelled(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText("Export cancelled; no file was written.")

    def _thread_finished(self) -> None:
        self.export_thread = None
        self.cancel_button.setText("Close")
        self.export_button.setEnabled(True)

    def _cancel_or_close(self) -> None:
        if self.export_thread is not None:
            self.export_thread.cancel()
            self.status.setText("Cancelling…")
        else:
            self.reject()

    def reject(self) -> None:
        if self.export_thread is not None:  # never leave a thread painting after the dialog is gone
            self.export_thread.cancel()
            self.export_thread.wait()
        for preview in list(self._preview_threads):
            preview.wait()
        super().reject()

    def done(self, result: int) -> None:
        for preview in list(self._preview_threads):
            preview.wait()
        super().done(result)


def preview_text(content: BriefingContent) -> str:
    """The preview's plain text: sections, counts, what is left out and the resulting marking."""
    lines = [
        f"As of {long_date(content.as_of)}"
        + (f", changes since {long_date(content.changes.since)}" if content.changes else ""),
        f"Overall marking: {content.marking}",
        "",
        f"{len(content.sections)} relationship section(s):",
    ]
    for section in content.sections:
        phase = (
            section.assessment.phase_label
            if section.assessment
            else ("assessment left out" if section.assessment_withheld else "not assessed")
        )
        lines.append(
            f"  {section.label}: {phase}; {section.lesson_count} lesson(s), {len(section.milestones)} milestone(s)"
        )
    lessons = len({lesson.id for s in content.sections for _, items in s.lessons_by_theme for lesson in items})
    lines += [
        "",
        f"Lessons: {lessons}",
        f"Cross-cutting themes: {len(content.cross_cutting)}",
        f"Sources cited: {len(content.sources)}",
    ]
    if content.changes is not None:
        c = content.changes
        lines.append(
            f"Changes: {len(c.phase_moves)} phase move(s), {len(c.new_lessons)} new lesson(s), "
            f"{len(c.new_operations)} new operation(s)"
        )
    if content.max_marking:
        if content.left_out_total:
            detail = ", ".join(f"{n} {kind}" for kind, n in sorted(content.left_out.items()))
            lines.append(f"Left out (above {content.max_marking}): {detail}")
        else:
            lines.append(f"Nothing is marked above {content.max_marking}.")
    return "\n".join(lines)
