"""Quadrangle's store: the database, its rules and its records. Never imports Qt.

The desktop application and scripts use only what this module exports.
"""

from db.copy import CopyError, CopyReport, InitReport, TableCount, copy_store, init_database
from db.dataset import DEFAULT_DATASET_PATH, Dataset, load_dataset
from db.engine import DatabaseLocation, locate
from db.errors import (
    ConflictError,
    DatabaseInUseError,
    DatabaseOpenError,
    DatasetError,
    ImportFormatError,
    NotFoundError,
    QuadrangleError,
    SchemaTooNewError,
    StorageError,
    ValidationError,
)
from db.lesson_records import (
    CitedByRecord,
    ImportResult,
    LessonChange,
    LessonFilters,
    LessonHit,
    LessonInput,
    LessonPage,
    OperationChange,
    OperationInput,
    SourceChange,
    SourceInput,
    ThemeOverview,
)
from db.partial_dates import parse_partial_date
from db.records import (
    DASH,
    AssessmentInput,
    AssessmentRecord,
    ChangeEvent,
    CitationInput,
    CitationRecord,
    ComparisonRow,
    CooperationRecord,
    LessonRecord,
    MarkingRecord,
    MilestoneRecord,
    MotiveAssessment,
    OperationRecord,
    OrganizationRecord,
    QuadrangleState,
    RelationshipRecord,
    RelationshipState,
    SourceRecord,
    ThemeRecord,
)
from db.server import without_password
from db.store import Store
from db.store_core import default_actor
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

__all__ = [
    "DASH", "DEFAULT_DATASET_PATH", "DEFAULT_MARKING", "MATERIALIST_MOTIVES", "MOTIVE_ORDER", "PHASE_ORDER",
    "AssessmentInput", "AssessmentRecord", "ChangeEvent", "CitationInput", "CitationRecord", "ComparisonRow",
    "Confidence", "ConflictError", "CooperationRecord", "DatabaseInUseError", "DatabaseLocation",
    "DatabaseOpenError", "Dataset", "DatasetError", "LessonKind", "LessonRecord", "MarkingRecord",
    "MilestoneKind", "MilestoneRecord", "Motive", "MotiveAssessment", "MotiveFamily", "NotFoundError",
    "OperationRecord", "OperationStatus", "OrganizationKind", "OrganizationRecord", "Phase", "QuadrangleError",
    "QuadrangleState", "RelationshipRecord", "RelationshipState", "SchemaTooNewError", "SourceRecord",
    "StorageError", "Store", "ThemeRecord", "ValidationError", "default_actor", "load_dataset", "locate",
    "parse_partial_date", "phases_are_adjacent",
    "without_password", "CopyError", "CopyReport", "InitReport", "TableCount", "copy_store", "init_database",
]
__all__ += [
    "CitedByRecord", "ImportFormatError", "ImportResult", "LessonChange", "LessonFilters", "LessonHit", "LessonInput",
    "LessonPage", "OperationChange", "OperationInput", "SourceChange", "SourceInput", "ThemeOverview",
]
