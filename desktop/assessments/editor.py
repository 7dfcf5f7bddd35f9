"""The assessment editor: one dialog to record a new version of a relationship's assessment, with
immediate per-field validation, citations, reversal confirmation and crash-proof drafts. Its field
groups and payload live in form.py, the citations box in citations.py, the draft keeper in drafts.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from db import (
    MOTIVE_ORDER,
    PHASE_ORDER,
    AssessmentInput,
    AssessmentRecord,
    EventKind,
    Motive,
    Phase,
    QuadrangleError,
    SourceInput,
    SourceRecord,
)
from desktop.assessments.citation_set import AssessmentCitations
from desktop.assessments.citations import CitationsPanel
from desktop.assessments.commands import SaveAssessmentCommand
from desktop.assessments.drafts import DraftKeeper, build_draft_banner
from desktop.assessments.form import (
    build_general_box,
    build_motives_box,
    build_reversal_box,
    current_version_note,
    new_version_payload,
    payload_input,
    pydate,
    qdate,
    reversal_text,
)
from desktop.assessments.prompts import Prompter
from desktop.assessments.sources import NewSourceDialog
from desktop.assessments.style import DIALOG_STYLE, problem_label
from desktop.sources.commands import AddSourceCommand
from desktop.undo import perform

if TYPE_CHECKING:
    from db import Store
    from desktop.events import StoreEvents


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
        events: StoreEvents,
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
        self._loading = False
        self._reversal_cache: tuple[object, bool] | None = None
        history = store.assessments.history(relationship_id)
        self.current: AssessmentRecord | None = (
            max(history, key=lambda v: (v.as_of, v.recorded_at)) if history else None
        )

        self.setObjectName("assessmentEditor")
        self.setWindowTitle(f"Edit assessment — {self.relationship.label}")
        self.setStyleSheet(DIALOG_STYLE)
        self.drafts = DraftKeeper(store, self.relationship.id, self.form_payload, self.save_draft_now, self)

        self._build()
        self._load_payload(self._record_payload(self.current))
        self.drafts.initial = self.form_payload()
        self._restore_draft()
        self._connect_changes()
        self.validate()
        if store.read_only:
            self._show_banner("The database is open read-only: nothing typed here can be saved.")
            self.discard_button.setEnabled(False)
        # A version saved or undone meanwhile can turn this one into a reversal (or not).
        events.listen_while_open(self, self._versions_changed, EventKind.ASSESSMENTS)
        self.resize(960, 860)

    def _versions_changed(self, _kind: EventKind, _ids: tuple[str, ...]) -> None:
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
        subtitle.setText(current_version_note(self.current))
        subtitle.setWordWrap(True)
        outer.addWidget(subtitle)

        self.draft_banner, self.draft_label = build_draft_banner(self)
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
        fields = build_general_box(body, [m.name for m in self.store.catalog.markings()], self._with_problem)
        general = fields.box
        self.date_edit = fields.date_edit
        self.phase_combo = fields.phase_combo
        self.transition_check = fields.transition_check
        self.confidence_combo = fields.confidence_combo
        self.marking_combo = fields.marking_combo
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

        self.reversal_box, self.reversal_note, self.reversal_edit = build_reversal_box(body, self._with_problem)
        self.reversal_box.hide()
        layout.addWidget(self.reversal_box)

        self.citations = AssessmentCitations(self.store, self._problem, body)
        motives, self.weight_spins, self.rationale_edits = build_motives_box(
            body, self._problem, self.citations.motive_widget
        )
        layout.addWidget(motives)
        layout.addWidget(self._build_citations())

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

    def _build_citations(self) -> QGroupBox:
        citations = self.citations
        citations.message.connect(lambda text: self.status_label.setText(text))  # built after the box
        citations.new_source_requested.connect(self.new_source)
        citations.reload_sources()
        self.citations_box = box = citations.box.panel
        # The whole assessment's parts, as the rest of the dialog (and its tests) reach them.
        self.citation_model = box.citation_model
        self.citations_view = box.citations_view
        self.source_combo = box.source_combo
        self.locator_edit = box.locator_edit
        self.quote_edit = box.quote_edit
        self.add_citation_button = box.add_citation_button
        self.new_source_button = box.new_source_button
        self.remove_citation_button = box.remove_citation_button
        return citations.box

    def motive_citations(self, motive: Motive) -> CitationsPanel:
        """The citations panel under `motive`'s rationale."""
        return self.citations.motives[motive].panel

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
        self.citations.changed.connect(self._changed)

    # -- form <-> payload -----------------------------------------------------------------------

    def _record_payload(self, record: AssessmentRecord | None) -> dict:
        markings = self.store.catalog.markings()
        return new_version_payload(record, markings[0].name if markings else "UNCLASSIFIED")

    def form_payload(self) -> dict:
        """The form's content as plain JSON values (what a draft keeps)."""
        phases = [self.phase_combo.currentData()]
        if self.transition_check.isChecked() and self.transition_check.isEnabled():
            phases.append(PHASE_ORDER[self.phase_combo.currentIndex() + 1].value)
        return {
            "as_of": pydate(self.date_edit.date()).isoformat(),
            "phases": phases,
            "confidence": self.confidence_combo.currentData(),
            "marking": self.marking_combo.currentData(),
            "summary": self.summary_edit.toPlainText(),
            "motives": {
                m.value: [self.weight_spins[m].value(), self.rationale_edits[m].toPlainText()] for m in MOTIVE_ORDER
            },
            "citations": self.citations.payload()[0],
            "motive_citations": self.citations.payload()[1],
            "reversal_rationale": self.reversal_edit.toPlainText(),
        }

    def _load_payload(self, payload: dict) -> None:
        self._loading = True
        try:
            try:
                day = date.fromisoformat(payload.get("as_of", ""))
            except (TypeError, ValueError):
                day = date.today()
            self.date_edit.setDate(qdate(min(day, date.today())))
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
            self.citations.load(payload.get("citations", []), payload.get("motive_citations", {}))
            self.reversal_edit.setPlainText(str(payload.get("reversal_rationale", "")))
        finally:
            self._loading = False

    def form_input(self) -> AssessmentInput:
        return payload_input(self.relationship.id, self.form_payload())

    # -- drafts ---------------------------------------------------------------------------------

    def _restore_draft(self) -> None:
        try:
            draft = self.drafts.load()
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
        try:
            written = self.drafts.write()
        except QuadrangleError as exc:
            self.status_label.setText(f"The draft could not be kept: {exc}")
            return
        if written:
            self.draft_saved.emit()

    @property
    def has_pending_draft(self) -> bool:
        return self.drafts.pending

    # -- validation -----------------------------------------------------------------------------

    def _changed(self, *_) -> None:
        if self._loading:
            return
        self._update_transition_text()
        self.validate()
        self.drafts.schedule()

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
            self.reversal_note.setText(reversal_text(self.relationship.label, draft))
            if not draft.reversal_rationale:
                problems["reversal"] = "A reversal needs a rationale: say why the relationship moved back."
        return problems

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

    def new_source(self, panel: CitationsPanel | None = None) -> None:
        """Open the new-source dialog; the source made there is chosen in `panel` (the whole
        assessment's citations when None)."""
        self._new_source_panel = panel or self.citations_box

        def add(draft: SourceInput) -> SourceRecord:
            command = AddSourceCommand(self.store, draft, self.report, text_format="add source {short}")
            record = perform(self.undo_stack, command).record
            assert record is not None
            return record

        dialog = NewSourceDialog(self.store, add, parent=self)
        dialog.source_added.connect(self._source_added)
        self.source_dialog = dialog
        dialog.open()

    def _source_added(self, source: SourceRecord) -> None:
        self.citations.reload_sources(select_id=source.id, in_panel=self._new_source_panel)

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
        command = SaveAssessmentCommand(self.store, draft, self.relationship.label, self.report)
        try:
            perform(self.undo_stack, command)
        except QuadrangleError as exc:
            self.status_label.setText(str(exc))
            return False
        saved = command.saved
        assert saved is not None
        self.drafts.settle()
        try:
            self.drafts.discard()
        except QuadrangleError:
            pass  # the version is saved; a leftover draft is only offered again next time
        self.assessment_saved.emit(saved.id)
        self.accept()
        return True

    def discard_changes(self) -> None:
        """Forget the unsaved changes (and their draft) after confirmation, and close."""
        if self.form_payload() != self.drafts.initial or self.draft_banner.isVisible():
            if not self.prompter.confirm(
                self, "Discard changes?", "Discard your unsaved changes to this assessment?", "Discard"
            ):
                return
        self.drafts.settle()
        try:
            self.drafts.discard()
        except QuadrangleError as exc:
            self.status_label.setText(str(exc))
        self.reject()

    def done(self, result: int) -> None:
        # Closing without saving keeps what was typed: flush the pending autosave now.
        if not self.drafts.settled and self.drafts.pending:
            self.save_draft_now()
        self.drafts.stop()
        super().done(result)
