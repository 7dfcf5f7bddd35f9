"""The Store: the one public entry to the database, assembled from its feature mixins.

Every public method runs one short transaction and returns frozen records (db/records.py);
changes are announced to subscribers as ChangeEvents after they commit.
"""

from __future__ import annotations

from db.store_assessments import AssessmentsMixin
from db.store_catalog import CatalogMixin
from db.store_core import StoreCore
from db.store_exchange import ExchangeMixin
from db.store_history import HistoryMixin
from db.store_lessons import LessonsMixin
from db.store_operations import OperationsMixin
from db.store_quadrangle import QuadrangleMixin
from db.store_safety import SafetyMixin
from db.store_sources import SourcesMixin


class Store(
    LessonsMixin, OperationsMixin, SourcesMixin, HistoryMixin, AssessmentsMixin, CatalogMixin, QuadrangleMixin,
    SafetyMixin, ExchangeMixin, StoreCore,
):
    """Open with `Store.open(path_or_url)`; close with `close()` or use it as a context manager."""

