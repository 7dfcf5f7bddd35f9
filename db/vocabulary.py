"""The fixed vocabularies of the domain: life-cycle phases, motives, confidence, kinds and statuses.

They live in code rather than tables because the analysis (ordering of phases, the materialist /
ideational split) depends on them; user-extensible vocabularies (themes, markings) are tables.
"""

from __future__ import annotations

from enum import Enum


class Phase(str, Enum):
    """The five phases of a partnership's life-cycle (Murray and Mahon 1993), in order."""

    COURTSHIP = "courtship"
    NEGOTIATION = "negotiation"
    START_UP = "start-up"
    MAINTENANCE = "maintenance"
    ENDING = "ending"

    @property
    def order(self) -> int:
        return PHASE_ORDER.index(self)

    @property
    def label(self) -> str:
        return self.value.capitalize()


PHASE_ORDER: tuple[Phase, ...] = tuple(Phase)


class MotiveFamily(str, Enum):
    MATERIALIST = "materialist"
    IDEATIONAL = "ideational"


class Motive(str, Enum):
    """The six motives for inter-organizational cooperation, three materialist then three ideational."""

    ORGANIZATIONAL_SURVIVAL = "organizational_survival"
    NEUTRALIZING_COMPETITION = "neutralizing_competition"
    RESOURCE_DEPENDENCE = "resource_dependence"
    LEGITIMIZATION = "legitimization"
    SHARED_VALUES = "shared_values"
    ORGANIZATIONAL_LEARNING = "organizational_learning"

    @property
    def family(self) -> MotiveFamily:
        return MotiveFamily.MATERIALIST if self in MATERIALIST_MOTIVES else MotiveFamily.IDEATIONAL

    @property
    def label(self) -> str:
        """Display name, e.g. "Resource dependence"."""
        return self.value.replace("_", " ").capitalize()

    @property
    def name_text(self) -> str:
        """Lower-case name used in exports, e.g. "resource dependence"."""
        return self.value.replace("_", " ")


MOTIVE_ORDER: tuple[Motive, ...] = tuple(Motive)
MATERIALIST_MOTIVES = frozenset(
    {Motive.ORGANIZATIONAL_SURVIVAL, Motive.NEUTRALIZING_COMPETITION, Motive.RESOURCE_DEPENDENCE}
)
MAX_MOTIVE_WEIGHT = 3


class Confidence(str, Enum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class LessonKind(str, Enum):
    CHALLENGE = "challenge"
    SUCCESS = "success"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class OrganizationKind(str, Enum):
    GLOBAL = "global"
    REGIONAL = "regional"


class OperationStatus(str, Enum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    COMPLETED = "completed"


class MilestoneKind(str, Enum):
    AGREEMENT = "agreement"
    DECLARATION = "declaration"
    SUMMIT = "summit"
    OPERATION = "operation"
    REQUEST = "request"
    OTHER = "other"


DEFAULT_MARKING = "UNCLASSIFIED"
# The scheme a marking vocabulary falls back to before a database names its own (db/markings.py).
DEFAULT_MARKINGS: tuple[tuple[str, int], ...] = (
    ("UNCLASSIFIED", 0),
    ("RESTRICTED", 1),
    ("CONFIDENTIAL", 2),
    ("SECRET", 3),
)


def phases_are_adjacent(first: Phase, second: Phase) -> bool:
    """True when `second` directly follows `first` in the life-cycle (a relationship in transition)."""
    return second.order == first.order + 1
