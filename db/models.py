"""SQLAlchemy models of the store. Private to db/: views and tests use the Store and its records.

Every key is a UUID so offline copies can be merged; rows edited in place carry a `revision`
counter for optimistic locking and a `deleted_at` for the trash; assessments are append-only.

No `from __future__ import annotations` here: with it every `Mapped[...]` annotation is a string that
SQLAlchemy evaluates one by one while mapping (about 5 ms of every start-up, issue 22); evaluated by
Python as the classes are made, they arrive as types. A class named before it is defined is quoted.
"""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.types import UTCDateTime, UUIDString, new_id, utc_now

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _id_column() -> Mapped[str]:
    return mapped_column(UUIDString, primary_key=True, default=new_id)


class EditedInPlace:
    """Columns of rows that are edited in place: authorship, optimistic-locking revision, trash."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    created_by: Mapped[str] = mapped_column(String(200), default="")
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Meta(Base):
    """Key/value facts about this database (its own UUID, what seeded it)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Marking(Base):
    __tablename__ = "markings"
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, unique=True)


class Theme(Base):
    __tablename__ = "themes"
    id: Mapped[str] = _id_column()
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Organization(EditedInPlace, Base):
    __tablename__ = "organizations"
    id: Mapped[str] = _id_column()
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    security_role_since: Mapped[int | None] = mapped_column(Integer, nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    layout_x: Mapped[float | None] = mapped_column(Float, nullable=True)
    layout_y: Mapped[float | None] = mapped_column(Float, nullable=True)
    # The day the organization came into being: the diagram does not draw it on earlier dates.
    founded: Mapped[date | None] = mapped_column(Date, nullable=True)


class Relationship(Base):
    """One per unordered pair: the pair is stored with the smaller UUID first, and unique."""

    __tablename__ = "relationships"
    __table_args__ = (
        UniqueConstraint("org_a_id", "org_b_id", name="uq_relationships_pair"),
        CheckConstraint("org_a_id < org_b_id", name="ordered_pair"),
    )
    id: Mapped[str] = _id_column()
    org_a_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    org_b_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class Source(EditedInPlace, Base):
    __tablename__ = "sources"
    id: Mapped[str] = _id_column()
    key: Mapped[str] = mapped_column(String(120), unique=True)
    authors: Mapped[str] = mapped_column(Text, default="")
    year: Mapped[str] = mapped_column(String(16), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    container: Mapped[str] = mapped_column(Text, default="")
    publisher: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    reference: Mapped[str] = mapped_column(Text, default="")
    marking: Mapped[str] = mapped_column(ForeignKey("markings.name"), default="UNCLASSIFIED")
    # The full bibliographic record (migration 0005). `authors` and `reference` above are kept as the
    # display strings derived from `creators` and the fields below, for lists, exchange files and search.
    item_type: Mapped[str] = mapped_column(String(40), default="document", server_default="document")
    creators: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")  # JSON list of creators
    volume: Mapped[str] = mapped_column(String(100), default="", server_default="")
    issue: Mapped[str] = mapped_column(String(100), default="", server_default="")
    pages: Mapped[str] = mapped_column(String(100), default="", server_default="")
    edition: Mapped[str] = mapped_column(String(100), default="", server_default="")
    date: Mapped[str] = mapped_column(String(40), default="", server_default="")  # ISO, partial allowed
    doi: Mapped[str] = mapped_column(String(300), default="", server_default="", index=True)
    isbn: Mapped[str] = mapped_column(String(100), default="", server_default="")
    issn: Mapped[str] = mapped_column(String(100), default="", server_default="")
    url: Mapped[str] = mapped_column(Text, default="", server_default="")
    accessed: Mapped[str] = mapped_column(String(40), default="", server_default="")
    document_symbol: Mapped[str] = mapped_column(String(200), default="", server_default="")
    language: Mapped[str] = mapped_column(String(60), default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")


class AssessmentVersion(Base):
    """Append-only: a saved version is never updated or deleted."""

    __tablename__ = "assessment_versions"
    __table_args__ = (Index("ix_assessment_versions_timeline", "relationship_id", "as_of", "recorded_at"),)
    id: Mapped[str] = _id_column()
    relationship_id: Mapped[str] = mapped_column(ForeignKey("relationships.id", ondelete="RESTRICT"))
    as_of: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    recorded_by: Mapped[str] = mapped_column(String(200))
    phase: Mapped[str] = mapped_column(String(16))
    phase_to: Mapped[str | None] = mapped_column(String(16), nullable=True)
    confidence: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    marking: Mapped[str] = mapped_column(ForeignKey("markings.name"), default="UNCLASSIFIED")
    is_reversal: Mapped[bool] = mapped_column(Boolean, default=False)
    reversal_rationale: Mapped[str] = mapped_column(Text, default="")
    restored_from_id: Mapped[str | None] = mapped_column(
        ForeignKey("assessment_versions.id", ondelete="RESTRICT"), nullable=True
    )
    origin: Mapped[str] = mapped_column(String(300), default="")

    motives: Mapped[list["AssessmentMotive"]] = relationship(
        order_by="AssessmentMotive.position", cascade="all, delete-orphan", lazy="selectin"
    )


class AssessmentMotive(Base):
    __tablename__ = "assessment_motives"
    __table_args__ = (CheckConstraint("weight >= 0 AND weight <= 3", name="weight_range"),)
    version_id: Mapped[str] = mapped_column(ForeignKey("assessment_versions.id", ondelete="CASCADE"), primary_key=True)
    motive: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    weight: Mapped[int] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text, default="")


class Operation(EditedInPlace, Base):
    __tablename__ = "operations"
    id: Mapped[str] = _id_column()
    acronym: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    location: Mapped[str] = mapped_column(String(200), default="")
    lead_org_id: Mapped[str | None] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), nullable=True)
    start: Mapped[str | None] = mapped_column(String(10), nullable=True)
    end: Mapped[str | None] = mapped_column(String(10), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    mandate: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class OperationMandateChange(Base):
    """One change of an operation's mandate: the text before and after, the day the analyst says the
    new mandate took effect, and who recorded it when. Appended by an edit, withdrawn only by its undo."""

    __tablename__ = "operation_mandate_changes"
    id: Mapped[str] = _id_column()
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id", ondelete="CASCADE"), index=True)
    effective_on: Mapped[date] = mapped_column(Date)
    old_mandate: Mapped[str] = mapped_column(String(300), default="")
    new_mandate: Mapped[str] = mapped_column(String(300), default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class OperationOrganization(Base):
    __tablename__ = "operation_organizations"
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="RESTRICT"), primary_key=True)


class FieldCooperation(Base):
    __tablename__ = "field_cooperation"
    id: Mapped[str] = _id_column()
    relationship_id: Mapped[str] = mapped_column(ForeignKey("relationships.id", ondelete="RESTRICT"))
    location: Mapped[str] = mapped_column(String(200))
    start_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    planned_since: Mapped[int | None] = mapped_column(Integer, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class FieldCooperationOperation(Base):
    __tablename__ = "field_cooperation_operations"
    field_cooperation_id: Mapped[str] = mapped_column(
        ForeignKey("field_cooperation.id", ondelete="CASCADE"), primary_key=True
    )
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id", ondelete="RESTRICT"), primary_key=True)


class Lesson(EditedInPlace, Base):
    __tablename__ = "lessons"
    __table_args__ = (
        Index("ix_lessons_recorded_on", "recorded_on"),
        Index("ix_lessons_updated_at", "updated_at"),
        # Covers the lesson-date index of state_as_of, which reads every lesson's date by id.
        Index("ix_lessons_dates", "id", "recorded_on", "deleted_at"),
        # An operation's newest lesson in one seek (its last confirmation, db/staleness.py), which the
        # window needs on every store change: a grouped scan took 0.4 s at 100,000 lessons.
        Index("ix_lessons_operation_newest", "operation_id", "deleted_at", "recorded_on"),
        # Whether any live lesson of one marking is recorded by a date, in one seek per level (the
        # window's banner names the highest marking on screen at every date change).
        Index("ix_lessons_marking_dates", "marking", "deleted_at", "recorded_on"),
    )
    id: Mapped[str] = _id_column()
    key: Mapped[str | None] = mapped_column(String(120), unique=True, nullable=True)
    operation_id: Mapped[str | None] = mapped_column(ForeignKey("operations.id", ondelete="RESTRICT"), nullable=True)
    kind: Mapped[str] = mapped_column(String(16))
    finding: Mapped[str] = mapped_column(Text)
    recommendation: Mapped[str] = mapped_column(Text, default="")
    recorded_on: Mapped[date] = mapped_column(Date)
    marking: Mapped[str] = mapped_column(ForeignKey("markings.name"), default="UNCLASSIFIED")


class LessonRelationship(Base):
    __tablename__ = "lesson_relationships"
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True)
    relationship_id: Mapped[str] = mapped_column(
        ForeignKey("relationships.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class LessonTheme(Base):
    __tablename__ = "lesson_themes"
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True)
    theme_id: Mapped[str] = mapped_column(ForeignKey("themes.id", ondelete="RESTRICT"), primary_key=True, index=True)


class Milestone(EditedInPlace, Base):
    __tablename__ = "milestones"
    id: Mapped[str] = _id_column()
    relationship_id: Mapped[str] = mapped_column(ForeignKey("relationships.id", ondelete="RESTRICT"), index=True)
    date: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")


class Citation(Base):
    """A source cited by exactly one owner: an assessment version, a lesson or a milestone. An
    assessment version's citation may support one motive's rationale (`motive`)."""

    __tablename__ = "citations"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN assessment_version_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN lesson_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN milestone_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_owner",
        ),
    )
    id: Mapped[str] = _id_column()
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id", ondelete="RESTRICT"), index=True)
    locator: Mapped[str] = mapped_column(String(100), default="")
    quote: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    assessment_version_id: Mapped[str | None] = mapped_column(
        ForeignKey("assessment_versions.id", ondelete="CASCADE"), nullable=True, index=True
    )
    lesson_id: Mapped[str | None] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), nullable=True, index=True
    )
    milestone_id: Mapped[str | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), nullable=True, index=True
    )
    # The motive (a Motive value) whose rationale this citation supports; NULL cites the whole
    # assessment. Only an assessment version's citations have one.
    motive: Mapped[str | None] = mapped_column(String(40), nullable=True)


class AuditEntry(Base):
    """Append-only log of changes: who, when, what, and where it came from (typed, an import file...)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_at", "at"),)
    id: Mapped[str] = _id_column()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    entity_kind: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(UUIDString, nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(300), default="")


class Draft(Base):
    """Unsaved editor content, kept so a crash or a closed window loses nothing typed."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("kind", "target_id", "author", name="uq_drafts_target"),)
    id: Mapped[str] = _id_column()
    kind: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(UUIDString)
    author: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class ExchangeBaseline(Base):
    """What this database and a peer last agreed an in-place record held (the hash of its content).

    `peer_id` is the peer database's id for what was imported from it, or the id of an export file for
    what was sent in it (it counts once the peer's own file says it imported that export). With it an
    import tells "edited only on their side" (take theirs) from "edited on both sides" (ask).
    """

    __tablename__ = "exchange_baselines"
    peer_id: Mapped[str] = mapped_column(UUIDString, primary_key=True)
    entity_kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    entity_id: Mapped[str] = mapped_column(UUIDString, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    agreed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


# Lessons browser at scale (issue 5): browsing (not in the trash, newest first) and counting read
# only this index, never the wide lesson rows.
Index("ix_lessons_browse", Lesson.deleted_at, Lesson.recorded_on, Lesson.id)
