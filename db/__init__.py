"""Quadrangle's store: the database, its rules and its records. Never imports Qt.

The desktop application and scripts use only the names exported here. They are loaded on first use
(PEP 562): importing a record class or a vocabulary does not load SQLAlchemy, which lets the window
paint its first frame before the database machinery is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS: dict[str, str] = {
    # the store and its errors
    "Store": "db.store",
    "default_actor": "db.store",
    "DatabaseLocation": "db.engine",
    "locate": "db.engine",
    "QuadrangleError": "db.errors",
    "DatabaseOpenError": "db.errors",
    "SchemaTooNewError": "db.errors",
    "DatabaseInUseError": "db.errors",
    "DatasetError": "db.errors",
    "ValidationError": "db.errors",
    "NotFoundError": "db.errors",
    "ConflictError": "db.errors",
    "StorageError": "db.errors",
    # datasets and dates
    "DEFAULT_DATASET_PATH": "db.paths",
    "Dataset": "db.dataset",
    "load_dataset": "db.dataset",
    "parse_partial_date": "db.partial_dates",
    # records
    "DASH": "db.records",
    "AssessmentInput": "db.records",
    "AssessmentRecord": "db.records",
    "CitationInput": "db.records",
    "CitationRecord": "db.records",
    "ComparisonRow": "db.records",
    "CooperationRecord": "db.records",
    "LessonRecord": "db.lesson_records",
    "MarkingRecord": "db.lesson_records",
    "MandateChangeRecord": "db.lesson_records",
    "MilestoneRecord": "db.history_records",
    "MotiveAssessment": "db.records",
    "OperationRecord": "db.lesson_records",
    "OrganizationRecord": "db.records",
    "QuadrangleState": "db.records",
    "RelationshipRecord": "db.records",
    "RelationshipState": "db.records",
    "SourceRecord": "db.lesson_records",
    "ThemeRecord": "db.lesson_records",
    "comparison_rows": "db.comparison",
    # markings
    "MarkedView": "db.markings",
    "MarkingFilter": "db.marking_filter",
    "WITHHELD": "db.marking_filter",
    "MarkingScheme": "db.markings",
    "output_marking": "db.markings",
    "resolve_marking": "db.markings",
    "view_as_of": "db.markings",
    "withhold": "db.markings",
    # vocabularies
    "DEFAULT_MARKING": "db.vocabulary",
    "MATERIALIST_MOTIVES": "db.vocabulary",
    "MOTIVE_ORDER": "db.vocabulary",
    "PHASE_ORDER": "db.vocabulary",
    "Confidence": "db.vocabulary",
    "LessonKind": "db.vocabulary",
    "MilestoneKind": "db.vocabulary",
    "Motive": "db.vocabulary",
    "MotiveFamily": "db.vocabulary",
    "OperationStatus": "db.vocabulary",
    "OrganizationKind": "db.vocabulary",
    "Phase": "db.vocabulary",
    "phases_are_adjacent": "db.vocabulary",
    # change events
    "ChangeEvent": "db.events",
    "EventKind": "db.events",
    # start-up snapshot
    "read_startup_snapshot": "db.snapshot",
    "read_startup_snapshot_with_fingerprint": "db.snapshot",
    "ReadOnlySnapshot": "db.snapshot",
    "read_only_snapshot": "db.snapshot",
    # data safety
    "BackupRecord": "db.backup",
    "DatabaseDamagedError": "db.errors",
    "DatabaseNotWritableError": "db.errors",
    "IntegrityProblem": "db.integrity",
    "RepairResult": "db.services.safety",
    "list_database_backups": "db.services.safety",
    # exchange between offline workstations
    "ExchangeFileError": "db.exchange.format",
    "MAX_EXCHANGE_BYTES": "db.exchange.format",
    "ExchangeChoice": "db.exchange.records",
    "ExchangeItem": "db.exchange.records",
    "ExchangeKindSummary": "db.exchange.records",
    "ExchangeManifestRecord": "db.exchange.records",
    "ExchangePreview": "db.exchange.records",
    "FieldDifference": "db.exchange.records",
    "ImportResult": "db.exchange.records",
    "ItemAction": "db.exchange.records",
    "ItemStatus": "db.exchange.records",
    # assessment history: comparisons, reversals, audit log, drafts
    "AssessmentDiffRecord": "db.history_records",
    "AuditFacets": "db.history_records",
    "AuditFilter": "db.history_records",
    "AuditRecord": "db.history_records",
    "DraftRecord": "db.history_records",
    "FieldDiff": "db.history_records",
    "ReversalRecord": "db.history_records",
    # lessons, operations and sources (SourceImportResult: "ImportResult" is the exchange's)
    "CitedByRecord": "db.lesson_records",
    "SourceImportResult": "db.lesson_records",
    "LessonChange": "db.lesson_records",
    "LessonFilters": "db.lesson_records",
    "LessonHit": "db.lesson_records",
    "LessonInput": "db.lesson_records",
    "LessonPage": "db.lesson_records",
    "OperationChange": "db.lesson_records",
    "OperationInput": "db.lesson_records",
    "SourceChange": "db.lesson_records",
    "SourceInput": "db.lesson_records",
    "ThemeOverview": "db.lesson_records",
    "ImportFormatError": "db.errors",
    # bibliographic references: the full record, import previews, citation styles
    "SourceMergeRecord": "db.lesson_records",
    "Creator": "db.references.model",
    "CreatorRole": "db.references.model",
    "ItemType": "db.references.model",
    "FIELD_LABELS": "db.references.model",
    "FieldConflict": "db.references.matching",
    "ImportAction": "db.references.preview",
    "ImportEntryPreview": "db.references.preview",
    "ImportStatus": "db.references.preview",
    "SourceImportPreview": "db.references.preview",
    "REFERENCE_FILE_SUFFIXES": "db.references.formats",
    "export_format_of": "db.references.formats",
    "short_citation": "db.references.style",
    "bibliography": "db.references.style",
    "citation_styles": "db.references.style",
    # the team server: connection strings without passwords, init and copy
    "without_password": "db.server",
    "CopyError": "db.copy",
    "CopyReport": "db.copy",
    "InitReport": "db.copy",
    "TableCount": "db.copy",
    "copy_store": "db.copy",
    "init_database": "db.copy",
    # one safe way to write any file; passwords out of every location shown or kept
    "SafeWriteError": "db.safe_write",
    "check_database_path": "db.safe_write",
    "check_target": "db.safe_write",
    "write_file": "db.safe_write",
    "redact": "db.redaction",
    "strip_password": "db.redaction",
    # staleness: review status on the view's date, operations not confirmed lately
    "DEFAULT_REVIEW_MONTHS": "db.staleness",
    "ReviewStatus": "db.staleness",
    "existing_on": "db.staleness",
    "Staleness": "db.staleness",
    "operation_confirmation": "db.staleness",
    "quadrangle_staleness": "db.staleness",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'db' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from db.backup import BackupRecord
    from db.comparison import comparison_rows
    from db.copy import CopyError, CopyReport, InitReport, TableCount, copy_store, init_database
    from db.dataset import Dataset, load_dataset
    from db.engine import DatabaseLocation, locate
    from db.errors import (
        ConflictError,
        DatabaseDamagedError,
        DatabaseInUseError,
        DatabaseNotWritableError,
        DatabaseOpenError,
        DatasetError,
        ImportFormatError,
        NotFoundError,
        QuadrangleError,
        SchemaTooNewError,
        StorageError,
        ValidationError,
    )
    from db.events import ChangeEvent, EventKind
    from db.exchange.format import MAX_EXCHANGE_BYTES, ExchangeFileError
    from db.exchange.records import (
        ExchangeChoice,
        ExchangeItem,
        ExchangeKindSummary,
        ExchangeManifestRecord,
        ExchangePreview,
        FieldDifference,
        ImportResult,
        ItemAction,
        ItemStatus,
    )
    from db.history_records import (
        AssessmentDiffRecord,
        AuditFacets,
        AuditFilter,
        AuditRecord,
        DraftRecord,
        FieldDiff,
        MilestoneRecord,
        ReversalRecord,
    )
    from db.integrity import IntegrityProblem
    from db.lesson_records import (
        CitedByRecord,
        LessonChange,
        LessonFilters,
        LessonHit,
        LessonInput,
        LessonPage,
        LessonRecord,
        MandateChangeRecord,
        MarkingRecord,
        OperationChange,
        OperationInput,
        OperationRecord,
        SourceChange,
        SourceImportResult,
        SourceInput,
        SourceMergeRecord,
        SourceRecord,
        ThemeOverview,
        ThemeRecord,
    )
    from db.marking_filter import WITHHELD, MarkingFilter
    from db.markings import MarkedView, MarkingScheme, output_marking, resolve_marking, view_as_of, withhold
    from db.partial_dates import parse_partial_date
    from db.paths import DEFAULT_DATASET_PATH
    from db.records import (
        DASH,
        AssessmentInput,
        AssessmentRecord,
        CitationInput,
        CitationRecord,
        ComparisonRow,
        CooperationRecord,
        MotiveAssessment,
        OrganizationRecord,
        QuadrangleState,
        RelationshipRecord,
        RelationshipState,
    )
    from db.redaction import redact, strip_password
    from db.references.formats import REFERENCE_FILE_SUFFIXES, export_format_of
    from db.references.matching import FieldConflict
    from db.references.model import FIELD_LABELS, Creator, CreatorRole, ItemType
    from db.references.preview import ImportAction, ImportEntryPreview, ImportStatus, SourceImportPreview
    from db.references.style import bibliography, citation_styles, short_citation
    from db.safe_write import SafeWriteError, check_database_path, check_target, write_file
    from db.server import without_password
    from db.services.safety import RepairResult, list_database_backups
    from db.snapshot import (
        ReadOnlySnapshot,
        read_only_snapshot,
        read_startup_snapshot,
        read_startup_snapshot_with_fingerprint,
    )
    from db.staleness import (
        DEFAULT_REVIEW_MONTHS,
        ReviewStatus,
        Staleness,
        existing_on,
        operation_confirmation,
        quadrangle_staleness,
    )
    from db.store import Store, default_actor
    from db.vocabulary import (
        DEFAULT_MARKING,
        MATERIALIST_MOTIVES,
        MOTIVE_ORDER,
        PHASE_ORDER,
        Confidence,
        LessonKind,
        MilestoneKind,
        Motive,
        MotiveFamily,
        OperationStatus,
        OrganizationKind,
        Phase,
        phases_are_adjacent,
    )
