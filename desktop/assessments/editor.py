"""The assessment editor: one dialog to record a new version of a relationship's assessment, with
immediate per-field validation, citations, reversal confirmation and crash-proof drafts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import (
    MATERIALIST_MOTIVES,
    MOTIVE_ORDER,
    PHASE_ORDER,
    AssessmentInput,
    AssessmentRecord,
    CitationInput,
    Confidence,
    Motive,
    MotiveAssessment,
    Phase,
    QuadrangleError,
    SourceRecord,
)
from desktop.assessments.commands import AddSourceCommand, SaveAssessmentCommand
from desktop.assessments.prompts import Prompter
from desktop.assessments.sources import NewSourceDialog
from desktop.assessments.style import DIALOG_STYLE, problem_label
from desktop.events import StoreEvents
from desktop.sources.picker import make_searchable

if TYPE_CHECKING:
    from db import Store

DRAFT_KIND = "assessment"
AUTOSAVE_MS = 1000
SOURCE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class CitationTableModel(QAbstractTableModel):
    """The citations being edited: (source id, source label, page locator, quote), in citation order."""

    COLUMNS = ("Source", "Page", "Quote")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str, str, str]] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        source_id, label, locator, quote = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (label, locator, quote)[index.column()]
        if role == SOURCE_ID_ROLE:
            return source_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def citations(self) -> list[tuple[str, str, str, str]]:
        return list(self._rows)

    def set_citations(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append(self, row: tuple[str, str, str, str]) -> None:
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(row)
        self.endInsertRows()

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()


class AssessmentEditorDialog(QDialog):
    """Records a new version of one relationship's assessment, prefilled from its current version.

    Save stays disabled while any rule is broken; each problem is shown beside its field. Every
    change is autosaved as a draft (AUTOSAVE_MS after the last keystroke) and a draft found at
    opening is restored; Save or "Discard changes" removes it, closing the window keeps it.
    Open with `open()`. Emits `assessment_saved(version_id)` and `draft_saved()`.
    """

    assessment_saved = Signal(str)
    draft_saved = Signal()

    def __init__(
        self,
        store: Store,
        relationship_id: str,
        *,
        undo_stack: QUndoStack | None = None,
        prompter: Prompter | None = None,
        report: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        # Undo steps may fail long after this dialog is gone: they report through `report` (the
        # main window's status bar), never through this dialog's widgets.
        self.report = report
        self.relationship = store.quadrangle.relationship(relationship_id)
        self.undo_stack = undo_stack
        self.prompter = prompter or Prompter()
        self._settled = False  # saved or discarded: closing must not write a draft
        self._loading = False
        self._reversal_cache: tuple[object, bool] | None = None
        history = store.assessments.history(relationship_id)
        self.current: AssessmentRecord | None = (
            max(history, key=lambda v: (v.as_of, v.recorded_at)) if history else None
        )
        self._sources: list[SourceRecord] = []

        self.setObjectName("assessmentEditor")
        self.setWindowTitle(f"Edit assessment — {self.relationship.label}")
        self.setStyleSheet(DIALOG_STYLE)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft_now)

        self._build()
        self._load_payload(self._record_payload(self.current))
        self._initial_payload = self.form_payload()
        self._restore_draft()
        self._connect_changes()
        self.validate()
        if store.read_only:
            self._show_banner("The database is open read-only: nothing typed here can be saved.")
            self.discard_button.setEnabled(False)
        # A version saved or undone meanwhile can turn this one into a reversal (or not).
        self.events = StoreEvents(store, self)
        self.events.assessments_changed.connect(self._versions_changed)
        self.finished.connect(lambda _: self.events.detach())
        self.resize(960, 860)

    def _versions_changed(self, ids: tuple) -> None:
        self._reversal_cache = None
        self.validate()

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 14, 16, 12)

        title = QLabel(f"{self.relationship.label} assessment", self)
        title.setObjectName("dialogTitle")
        title.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(title)
        subtitle = QLabel(self)
        subtitle.setObjectName("dialogSubtitle")
        subtitle.setTextFormat(Qt.TextFormat.PlainText)
        if self.current is None:
            subtitle.setText("No version recorded yet: this will be the first.")
        else:
            subtitle.setText(
                f"Saving records a new version; earlier versions stay as they are. Current version: as of "
                f"{self.current.as_of.isoformat()}, {self.current.phase_label}, recorded by {self.current.recorded_by}."
            )
        subtitle.setWordWrap(True)
        outer.addWidget(subtitle)

        self.draft_banner = QFrame(self)
        self.draft_banner.setObjectName("draftBanner")
        banner = QHBoxLayout(self.draft_banner)
        banner.setContentsMargins(10, 6, 10, 6)
        self.draft_label = QLabel(self.draft_banner)
        self.draft_label.setTextFormat(Qt.TextFormat.PlainText)
        self.draft_label.setWordWrap(True)
        banner.addWidget(self.draft_label, 1)
        self.draft_banner.hide()
        outer.addWidget(self.draft_banner)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 4, 6, 4)
        layout.setSpacing(10)
        outer.addWidget(scroll, 1)

        self._problem_labels: dict[str, QLabel] = {}
        self._problem_widgets: dict[str, list[QWidget]] = {}

        top = QHBoxLayout()
        layout.addLayout(top)
        general = QGroupBox("Assessment", body)
        form = QFormLayout(general)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.date_edit = QDateEdit(general)
        self.date_edit.setObjectName("dateEdit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMinimumDate(QDate(1945, 1, 1))
        self.date_edit.setMaximumDate(QDate.currentDate())
        self.date_edit.setToolTip("The date the assessment describes (today or earlier).")
        form.addRow("Describes the state on", self._with_problem("as_of", self.date_edit, general))

        phase_row = QWidget(general)
        phase_layout = QVBoxLayout(phase_row)
        phase_layout.setContentsMargins(0, 0, 0, 0)
        phase_layout.setSpacing(4)
        self.phase_combo = QComboBox(phase_row)
        self.phase_combo.setObjectName("phaseCombo")
        for phase in PHASE_ORDER:
            self.phase_combo.addItem(phase.label, phase.value)
        self.transition_check = QCheckBox(phase_row)
        self.transition_check.setObjectName("transitionCheck")
        self.transition_check.setMinimumWidth(
            self.transition_check.fontMetrics().horizontalAdvance("In transition to maintenance") + 32
        )
        phase_layout.addWidget(self.phase_combo, 0, Qt.AlignmentFlag.AlignLeft)
        phase_layout.addWidget(self.transition_check)
        form.addRow("Phase", self._with_problem("phases", phase_row, general, [self.phase_combo]))

        self.confidence_combo = QComboBox(general)
        self.confidence_combo.setObjectName("confidenceCombo")
        for confidence in Confidence:
            self.confidence_combo.addItem(confidence.label, confidence.value)
        form.addRow("Analytic confidence", self.confidence_combo)
        self.marking_combo = QComboBox(general)
        self.marking_combo.setObjectName("markingCombo")
        for marking in self.store.catalog.markings():
            self.marking_combo.addItem(marking.name, marking.name)
        form.addRow("Marking", self.marking_combo)
        top.addWidget(general, 2)

        summary_box = QGroupBox("Summary", body)
        summary_layout = QVBoxLayout(summary_box)
        self.summary_edit = QPlainTextEdit(summary_box)
        self.summary_edit.setObjectName("summaryEdit")
        self.summary_edit.setPlaceholderText("What characterises the relationship on this date, in a few sentences.")
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setMinimumHeight(90)
        summary_layout.addWidget(self._with_problem("summary", self.summary_edit, summary_box))
        top.addWidget(summary_box, 3)

        self.reversal_box = QGroupBox("Reversal", body)
        self.reversal_box.setObjectName("reversalBox")
        reversal_layout = QVBoxLayout(self.reversal_box)
        self.reversal_note = QLabel(self.reversal_box)
        self.reversal_note.setTextFormat(Qt.TextFormat.PlainText)
        self.reversal_note.setWordWrap(True)
        reversal_layout.addWidget(self.reversal_note)
        self.reversal_edit = QPlainTextEdit(self.reversal_box)
        self.reversal_edit.setObjectName("reversalRationale")
        self.reversal_edit.setPlaceholderText("Why the relationship moved back (required).")
        self.reversal_edit.setTabChangesFocus(True)
        self.reversal_edit.setFixedHeight(60)
        reversal_layout.addWidget(self._with_problem("reversal", self.reversal_edit, self.reversal_box))
        self.reversal_box.hide()
        layout.addWidget(self.reversal_box)

        motives = QGroupBox("Motives (weight 0 = absent … 3 = dominant)", body)
        grid = QGridLayout(motives)
        grid.setColumnStretch(2, 1)
        grid.setHorizontalSpacing(10)
        self.weight_spins: dict[Motive, QSpinBox] = {}
        self.rationale_edits: dict[Motive, QPlainTextEdit] = {}
        for row, motive in enumerate(MOTIVE_ORDER):
            name = QLabel(motive.label, motives)
            family = QLabel("materialist" if motive in MATERIALIST_MOTIVES else "ideational", motives)
            family.setObjectName("familyTag")
            labels = QVBoxLayout()
            labels.setSpacing(0)
            labels.addWidget(name)
            labels.addWidget(family)
            labels.addStretch(1)
            spin = QSpinBox(motives)
            spin.setObjectName(f"weight_{motive.value}")
            spin.setRange(0, 3)
            spin.setAccessibleName(f"{motive.label} weight")
            rationale = QPlainTextEdit(motives)
            rationale.setObjectName(f"rationale_{motive.value}")
            rationale.setPlaceholderText(f"Why {motive.name_text} matters (or why it is absent).")
            rationale.setTabChangesFocus(True)
            rationale.setFixedHeight(58)
            rationale.setAccessibleName(f"{motive.label} rationale")
            self.weight_spins[motive] = spin
            self.rationale_edits[motive] = rationale
            grid.addLayout(labels, row * 2, 0)
            grid.addWidget(spin, row * 2, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(rationale, row * 2, 2)
            grid.addWidget(self._problem(motive.value, motives, [rationale]), row * 2 + 1, 2)
        layout.addWidget(motives)

        layout.addWidget(self._build_citations(body))

        footer = QHBoxLayout()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        footer.addWidget(self.status_label, 1)
        self.discard_button = QPushButton("Discard changes", self)
        self.discard_button.setObjectName("discardButton")
        self.discard_button.setAutoDefault(False)
        self.discard_button.clicked.connect(self.discard_changes)
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName("closeButton")
        self.close_button.setAutoDefault(False)
        self.close_button.setToolTip("Close; unsaved changes are kept as a draft.")
        self.close_button.clicked.connect(self.reject)
        self.save_button = QPushButton("Save version", self)
        self.save_button.setObjectName("saveButton")
        # Not the default button: Enter in the page or quote field adds the citation instead of
        # saving the whole version. Ctrl+S and Ctrl+Enter save.
        self.save_button.setAutoDefault(False)
        self.save_button.setToolTip("Save this as a new version (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        for keys in (QKeySequence(QKeySequence.StandardKey.Save), QKeySequence("Ctrl+Return")):
            shortcut = QShortcut(keys, self)
            shortcut.activated.connect(self._save_shortcut)
        footer.addWidget(self.discard_button)
        footer.addWidget(self.close_button)
        footer.addWidget(self.save_button)
        outer.addLayout(footer)

    def _build_citations(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Citations", parent)
        layout = QVBoxLayout(box)
        self.citation_model = CitationTableModel(self)
        self.citations_view = QTableView(box)
        self.citations_view.setObjectName("citationsView")
        self.citations_view.setModel(self.citation_model)
        self.citations_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.citations_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.citations_view.verticalHeader().setVisible(False)
        self.citations_view.verticalHeader().setDefaultSectionSize(24)
        self.citations_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.citations_view.horizontalHeader().setStretchLastSection(True)
        self.citations_view.setColumnWidth(0, 300)
        self.citations_view.setColumnWidth(1, 80)
        self.citations_view.setMinimumHeight(96)
        self.citations_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.citations_view)
        layout.addWidget(self._problem("citations", box, [self.citations_view]))

        add_row = QHBoxLayout()
        self.source_combo = QComboBox(box)
        self.source_combo.setObjectName("sourceCombo")
        self.source_combo.setMinimumWidth(260)
        self.source_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        make_searchable(self.source_combo)  # type an author, year or title words to filter the list
        self.locator_edit = QLineEdit(box)
        self.locator_edit.setObjectName("locatorEdit")
        self.locator_edit.setPlaceholderText("Page, e.g. 49 or 12–14")
        self.locator_edit.setMaxLength(100)
        self.locator_edit.setFixedWidth(150)
        self.quote_edit = QLineEdit(box)
        self.quote_edit.setObjectName("quoteEdit")
        self.quote_edit.setPlaceholderText("Optional short quote")
        self.add_citation_button = QPushButton("Add citation", box)
        self.add_citation_button.setObjectName("addCitationButton")
        self.add_citation_button.setAutoDefault(False)
        self.add_citation_button.clicked.connect(self.add_citation)
        self.locator_edit.returnPressed.connect(self.add_citation)
        self.quote_edit.returnPressed.connect(self.add_citation)
        add_row.addWidget(self.source_combo, 2)
        add_row.addWidget(self.locator_edit)
        add_row.addWidget(self.quote_edit, 2)
        add_row.addWidget(self.add_citation_button)
        layout.addLayout(add_row)

        actions = QHBoxLayout()
        self.new_source_button = QPushButton("New source…", box)
        self.new_source_button.setObjectName("newSourceButton")
        self.new_source_button.setAutoDefault(False)
        self.new_source_button.clicked.connect(self.new_source)
        self.remove_citation_button = QPushButton("Remove citation", box)
        self.remove_citation_button.setObjectName("removeCitationButton")
        self.remove_citation_button.setAutoDefault(False)
        self.remove_citation_button.clicked.connect(self.remove_citation)
        actions.addWidget(self.new_source_button)
        actions.addStretch(1)
        actions.addWidget(self.remove_citation_button)
        layout.addLayout(actions)
        self._reload_sources()
        return box

    def _problem(self, key: str, parent: QWidget, widgets: list[QWidget]) -> QLabel:
        label = problem_label(parent)
        label.setObjectName(f"problem_{key}")
        self._problem_labels[key] = label
        self._problem_widgets[key] = widgets
        return label

    def _with_problem(
        self, key: str, widget: QWidget, parent: QWidget, highlighted: list[QWidget] | None = None
    ) -> QWidget:
        holder = QWidget(parent)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(self._problem(key, holder, highlighted or [widget]))
        return holder

    def _reload_sources(self, select_id: str | None = None) -> None:
        current = select_id or self.source_combo.currentData()
        self._sources = self.store.sources.citable()
        self.source_combo.blockSignals(True)
        self.source_combo.clear()
        for source in self._sources:
            title = source.title if len(source.title) <= 60 else source.title[:57] + "…"
            self.source_combo.addItem(f"{source.short} — {title}", source.id)
            self.source_combo.setItemData(self.source_combo.count() - 1, source.title, Qt.ItemDataRole.ToolTipRole)
        index = self.source_combo.findData(current) if current else -1
        self.source_combo.setCurrentIndex(max(index, 0) if self._sources else -1)
        self.source_combo.blockSignals(False)

    def _source_label(self, source_id: str) -> str | None:
        return next((s.short for s in self._sources if s.id == source_id), None)

    def _connect_changes(self) -> None:
        self.date_edit.dateChanged.connect(self._changed)
        self.phase_combo.currentIndexChanged.connect(self._changed)
        self.transition_check.toggled.connect(self._changed)
        self.confidence_combo.currentIndexChanged.connect(self._changed)
        self.marking_combo.currentIndexChanged.connect(self._changed)
        self.summary_edit.textChanged.connect(self._changed)
        self.reversal_edit.textChanged.connect(self._changed)
        for motive in MOTIVE_ORDER:
            self.weight_spins[motive].valueChanged.connect(self._changed)
            self.rationale_edits[motive].textChanged.connect(self._changed)
        for signal in (
            self.citation_model.rowsInserted,
            self.citation_model.rowsRemoved,
            self.citation_model.modelReset,
        ):
            signal.connect(self._changed)

    # -- form <-> payload -----------------------------------------------------------------------

    def _record_payload(self, record: AssessmentRecord | None) -> dict:
        """The form content for a new version based on `record` (describing today)."""
        motives = {m.value: [0, ""] for m in MOTIVE_ORDER}
        if record is None:
            return {
                "as_of": date.today().isoformat(),
                "phases": [Phase.COURTSHIP.value],
                "confidence": "moderate",
                "marking": self.store.catalog.markings()[0].name if self.store.catalog.markings() else "UNCLASSIFIED",
                "summary": "",
                "motives": motives,
                "citations": [],
                "reversal_rationale": "",
            }
        for m in record.motives:
            motives[m.motive.value] = [m.weight, m.rationale]
        return {
            "as_of": date.today().isoformat(),
            "phases": [p.value for p in record.phases],
            "confidence": record.confidence.value,
            "marking": record.marking,
            "summary": record.summary,
            "motives": motives,
            "citations": [[c.source_id, c.locator, c.quote] for c in record.citations],
            "reversal_rationale": "",
        }

    def form_payload(self) -> dict:
        """The form's content as plain JSON values (what a draft keeps)."""
        phases = [self.phase_combo.currentData()]
        if self.transition_check.isChecked() and self.transition_check.isEnabled():
            phases.append(PHASE_ORDER[self.phase_combo.currentIndex() + 1].value)
        return {
            "as_of": _pydate(self.date_edit.date()).isoformat(),
            "phases": phases,
            "confidence": self.confidence_combo.currentData(),
            "marking": self.marking_combo.currentData(),
            "summary": self.summary_edit.toPlainText(),
            "motives": {
                m.value: [self.weight_spins[m].value(), self.rationale_edits[m].toPlainText()] for m in MOTIVE_ORDER
            },
            "citations": [[sid, locator, quote] for sid, _, locator, quote in self.citation_model.citations()],
            "reversal_rationale": self.reversal_edit.toPlainText(),
        }

    def _load_payload(self, payload: dict) -> None:
        self._loading = True
        try:
            try:
                day = date.fromisoformat(payload.get("as_of", ""))
            except (TypeError, ValueError):
                day = date.today()
            self.date_edit.setDate(_qdate(min(day, date.today())))
            phases = [p for p in payload.get("phases", []) if p in {ph.value for ph in Phase}] or [
                Phase.COURTSHIP.value
            ]
            self.phase_combo.setCurrentIndex(max(self.phase_combo.findData(phases[0]), 0))
            self.transition_check.setChecked(len(phases) == 2)
            self._update_transition_text()
            self.confidence_combo.setCurrentIndex(max(self.confidence_combo.findData(payload.get("confidence")), 0))
            self.marking_combo.setCurrentIndex(max(self.marking_combo.findData(payload.get("marking")), 0))
            self.summary_edit.setPlainText(str(payload.get("summary", "")))
            motives = payload.get("motives", {})
            for motive in MOTIVE_ORDER:
                weight, rationale = (motives.get(motive.value) or [0, ""])[:2]
                self.weight_spins[motive].setValue(int(weight) if str(weight).isdigit() else 0)
                self.rationale_edits[motive].setPlainText(str(rationale))
            rows = []
            for item in payload.get("citations", []):
                source_id, locator, quote = (list(item) + ["", "", ""])[:3]
                label = self._source_label(source_id)
                if label is not None:  # a source removed since the draft was written is dropped
                    rows.append((source_id, label, str(locator), str(quote)))
            self.citation_model.set_citations(rows)
            self.reversal_edit.setPlainText(str(payload.get("reversal_rationale", "")))
        finally:
            self._loading = False

    def form_input(self) -> AssessmentInput:
        payload = self.form_payload()
        return AssessmentInput(
            relationship_id=self.relationship.id,
            as_of=date.fromisoformat(payload["as_of"]),
            phases=tuple(Phase(p) for p in payload["phases"]),
            confidence=Confidence(payload["confidence"]),
            summary=payload["summary"].strip(),
            motives=tuple(MotiveAssessment(Motive(k), w, r.strip()) for k, (w, r) in payload["motives"].items()),
            marking=payload["marking"],
            citations=tuple(CitationInput(sid, loc, quote.strip()) for sid, loc, quote in payload["citations"]),
            reversal_rationale=payload["reversal_rationale"].strip(),
        )

    # -- drafts ---------------------------------------------------------------------------------

    def _restore_draft(self) -> None:
        try:
            draft = self.store.drafts.load(DRAFT_KIND, self.relationship.id)
        except QuadrangleError as exc:
            self.status_label.setText(str(exc))
            return
        if draft is None:
            return
        self._load_payload(draft.payload)
        when = draft.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
        self._show_banner(
            f"Restored your unsaved changes from {when}. They stay a draft until you save or discard them."
        )

    def _show_banner(self, text: str) -> None:
        self.draft_label.setText(text)
        self.draft_banner.show()

    def save_draft_now(self) -> None:
        """Write the form to the store's drafts (or drop the draft when the form is back to its start)."""
        self._autosave.stop()
        if self._settled or self.store.read_only:
            return
        payload = self.form_payload()
        try:
            if payload == self._initial_payload:
                self.store.drafts.discard(DRAFT_KIND, self.relationship.id)
                return
            self.store.drafts.save(DRAFT_KIND, self.relationship.id, payload)
        except QuadrangleError as exc:
            self.status_label.setText(f"The draft could not be kept: {exc}")
            return
        self.draft_saved.emit()

    @property
    def has_pending_draft(self) -> bool:
        return self._autosave.isActive()

    # -- validation -----------------------------------------------------------------------------

    def _changed(self, *_) -> None:
        if self._loading:
            return
        self._update_transition_text()
        self.validate()
        self._autosave.start()

    def _update_transition_text(self) -> None:
        index = self.phase_combo.currentIndex()
        has_next = 0 <= index < len(PHASE_ORDER) - 1
        self.transition_check.setEnabled(has_next)
        self.transition_check.setText(
            f"In transition to {PHASE_ORDER[index + 1].value}" if has_next else "In transition (no later phase)"
        )

    def _would_reverse(self, draft: AssessmentInput) -> bool:
        key = (draft.as_of, draft.phases)
        if self._reversal_cache is None or self._reversal_cache[0] != key:
            try:
                self._reversal_cache = (key, self.store.assessments.would_reverse(draft))
            except QuadrangleError:
                self._reversal_cache = (key, False)
        return self._reversal_cache[1]

    def problems(self) -> dict[str, str]:
        """The form's current problems by field key (empty when it can be saved)."""
        draft = self.form_input()
        problems: dict[str, str] = {}
        for key, message in self.store.assessments.problems(draft):
            problems.setdefault(key, message)
        reversal = self._would_reverse(draft)
        self.reversal_box.setVisible(reversal)
        if reversal:
            self.reversal_note.setText(self._reversal_text(draft))
            if not draft.reversal_rationale:
                problems["reversal"] = "A reversal needs a rationale: say why the relationship moved back."
        return problems

    def _reversal_text(self, draft: AssessmentInput) -> str:
        new = "/".join(p.label if i == 0 else p.value for i, p in enumerate(draft.phases))
        if Phase.ENDING in draft.phases:
            move = f"moves {self.relationship.label} into ending ({new})"
        else:
            move = f"moves {self.relationship.label} back to an earlier phase ({new})"
        return (
            f"This version {move}. It will be flagged as a reversal and listed under View > Reversals; say why below."
        )

    def validate(self) -> bool:
        problems = self.problems()
        for key, label in self._problem_labels.items():
            message = problems.get(key, "")
            label.setText(message)
            label.setVisible(bool(message))
            for widget in self._problem_widgets[key]:
                widget.setProperty("invalid", bool(message))
                widget.style().unpolish(widget)
                widget.style().polish(widget)
        self.save_button.setEnabled(not problems and not self.store.read_only)
        if problems:
            count = len(problems)
            self.status_label.setText(f"{count} problem{'s' if count > 1 else ''} to fix before saving.")
        else:
            self.status_label.setText("")
        return not problems

    # -- citations ------------------------------------------------------------------------------

    def add_citation(self) -> None:
        source_id = self.source_combo.currentData()
        if not source_id:
            self.status_label.setText("Choose a source first (or create one with New source…).")
            return
        self.citation_model.append(
            (
                source_id,
                self._source_label(source_id) or "?",
                self.locator_edit.text().strip(),
                self.quote_edit.text().strip(),
            )
        )
        self.locator_edit.clear()
        self.quote_edit.clear()

    def remove_citation(self) -> None:
        index = self.citations_view.currentIndex()
        if index.isValid():
            self.citation_model.remove(index.row())

    def new_source(self) -> None:
        dialog = NewSourceDialog(self.store, parent=self)
        dialog.source_added.connect(self._source_added)
        self.source_dialog = dialog
        dialog.open()

    def _source_added(self, source: SourceRecord) -> None:
        if self.undo_stack is not None:
            self.undo_stack.push(AddSourceCommand(self.store, source, self.report))
        self._reload_sources(select_id=source.id)

    # -- finishing ------------------------------------------------------------------------------

    def _save_shortcut(self) -> None:
        if self.save_button.isEnabled():
            self.save()

    def save(self) -> bool:
        """Record the form as a new version (after confirming a reversal); True when saved."""
        if not self.validate():
            return False
        draft = self.form_input()
        if self._would_reverse(draft) and not self.prompter.confirm(
            self,
            "Record a reversal?",
            f"This version moves {self.relationship.label} back a phase (or into ending) and will be flagged "
            "as a reversal. Record it?",
            "Record reversal",
        ):
            return False
        try:
            saved = self.store.assessments.save(draft)
        except QuadrangleError as exc:
            self.status_label.setText(str(exc))
            return False
        if self.undo_stack is not None:
            self.undo_stack.push(SaveAssessmentCommand(self.store, draft, saved, self.relationship.label, self.report))
        self._settled = True
        self._autosave.stop()
        try:
            self.store.drafts.discard(DRAFT_KIND, self.relationship.id)
        except QuadrangleError:
            pass  # the version is saved; a leftover draft is only offered again next time
        self.assessment_saved.emit(saved.id)
        self.accept()
        return True

    def discard_changes(self) -> None:
        """Forget the unsaved changes (and their draft) after confirmation, and close."""
        if self.form_payload() != self._initial_payload or self.draft_banner.isVisible():
            if not self.prompter.confirm(
                self, "Discard changes?", "Discard your unsaved changes to this assessment?", "Discard"
            ):
                return
        self._settled = True
        self._autosave.stop()
        try:
            self.store.drafts.discard(DRAFT_KIND, self.relationship.id)
        except QuadrangleError as exc:
            self.status_label.setText(str(exc))
        self.reject()

    def done(self, result: int) -> None:
        # Closing without saving keeps what was typed: flush the pending autosave now.
        if not self._settled and self._autosave.isActive():
            self.save_draft_now()
        self._autosave.stop()
        super().done(result)
