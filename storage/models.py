"""The school's records: one SQLAlchemy 2.x model per table.

Every row that belongs to a school carries ``school_id`` (directly or through its parent), so
tenant isolation is a matter of filtering on it. Timestamps are stored in UTC; the school's
time zone only matters when a time is shown or scheduled.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Light(enum.IntEnum):
    """The four traffic lights, best first; a higher value is more concern."""

    EXCELLENT = 1
    GA_ZO_DOOR = 2
    LET_OP = 3
    PAS_OP = 4

    @property
    def key(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str | int) -> Light:
        """Accept ``"let_op"``, ``"LET_OP"``, ``"3"`` or ``3``; raise ValueError otherwise."""
        if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
            return cls(int(value))
        name = str(value).strip().upper().replace(" ", "_").replace("-", "_")
        try:
            return cls[name]
        except KeyError:
            raise ValueError(f"unknown light: {value!r}") from None


class LightType(TypeDecorator[Light]):
    """Stores a Light as its number, so "worse than" is a plain comparison in SQL."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Light | int | None, dialect: Any) -> int | None:
        return None if value is None else int(Light(value))

    def process_result_value(self, value: int | None, dialect: Any) -> Light | None:
        return None if value is None else Light(value)


class PersonKind(enum.StrEnum):
    STUDENT = "student"
    TEACHER = "teacher"
    STAFF = "staff"


class GroupKind(enum.StrEnum):
    CLASS = "class"  # a homeroom class such as "3A"
    TEACHING = "teaching"  # a teaching group or cluster with a subject


class RoundState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class PlanState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class NotificationStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # permanent failure after the retries
    UNREACHABLE = "unreachable"  # no conversation, user blocked the bot, deactivated


def _enum(e: type[enum.Enum], name: str) -> Enum:
    return Enum(e, name=name, native_enum=False, length=16, values_callable=_values)


def _values(e: type[enum.Enum]) -> list[str]:
    return [str(m.value) for m in e]


class School(Base):
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    roster_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")
    language: Mapped[str] = mapped_column(String(8), default="nl")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    teams_tenant_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    slack_team_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (
        UniqueConstraint("school_id", "roster_id"),
        Index("ix_person_school_email", "school_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    roster_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PersonKind] = mapped_column(_enum(PersonKind, "person_kind"))
    given_name: Mapped[str] = mapped_column(String(200), default="")
    family_name: Mapped[str] = mapped_column(String(200), default="")
    display_name: Mapped[str] = mapped_column(String(400))
    email: Mapped[str | None] = mapped_column(String(320))  # lower-cased email or UPN
    language: Mapped[str | None] = mapped_column(String(8))  # personal choice, else school's
    is_organizer: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    school: Mapped[School] = relationship()


class Group(Base):
    """A class ("3A") or a teaching group with a subject ("3A wiskunde", cluster "4-du2")."""

    __tablename__ = "school_group"
    __table_args__ = (UniqueConstraint("school_id", "roster_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    roster_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[GroupKind] = mapped_column(_enum(GroupKind, "group_kind"))
    subject: Mapped[str | None] = mapped_column(String(200))
    grade: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Enrolment(Base):
    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("group_id", "student_id"),
        Index("ix_enrolment_student", "student_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("school_group.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class TeachingAssignment(Base):
    __tablename__ = "teaching_assignment"
    __table_args__ = (
        UniqueConstraint("group_id", "teacher_id"),
        Index("ix_teaching_assignment_teacher", "teacher_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("school_group.id", ondelete="CASCADE"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Mentorship(Base):
    __tablename__ = "mentorship"
    __table_args__ = (
        UniqueConstraint("mentor_id", "student_id"),
        Index("ix_mentorship_student", "student_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Round(Base):
    __tablename__ = "review_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    # The organizer's explanation (toelichting) of the round; the invitations show it.
    explanation: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    state: Mapped[RoundState] = mapped_column(
        _enum(RoundState, "round_state"), default=RoundState.DRAFT
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    groups: Mapped[list[Group]] = relationship(secondary="round_group", order_by=Group.title)


class RoundGroup(Base):
    """The classes (or any groups) a round covers."""

    __tablename__ = "round_group"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("review_round.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("school_group.id", ondelete="CASCADE"), primary_key=True
    )


class Feedback(Base):
    """One teacher's light, remark and action for one student in one subject group."""

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("round_id", "student_id", "group_id", "teacher_id"),
        Index("ix_feedback_student_subject", "student_id", "subject"),
        Index("ix_feedback_round_teacher", "round_id", "teacher_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    group_id: Mapped[int] = mapped_column(ForeignKey("school_group.id", ondelete="CASCADE"))
    teacher_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(200))  # captured when written, for history
    light: Mapped[Light] = mapped_column(LightType)
    remark: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MentorNote(Base):
    __tablename__ = "mentor_note"
    __table_args__ = (UniqueConstraint("round_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Share(Base):
    """The mentor shared a round's feedback with the student; ``read_at``: when the student
    first opened it (recorded once, never moved)."""

    __tablename__ = "share"
    __table_args__ = (UniqueConstraint("round_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ActionPlan(Base):
    """The student's plan: ``answers`` holds the guided steps (see dialogs.student.plan)."""

    __tablename__ = "action_plan"
    __table_args__ = (UniqueConstraint("round_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[PlanState] = mapped_column(
        _enum(PlanState, "plan_state"), default=PlanState.DRAFT
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Agreement(Base):
    """The concrete agreements of the three-way meeting, recorded by the mentor."""

    __tablename__ = "agreement"
    __table_args__ = (UniqueConstraint("round_id", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"))
    student_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """Append-only log of reads and writes of feedback (who, what, when, channel)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_school_at", "school_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    operation: Mapped[str] = mapped_column(String(32))  # read, write, share, export, erase...
    entity: Mapped[str] = mapped_column(String(32))  # feedback, mentor_note, action_plan...
    # The student the data is about; set to NULL when that student is erased.
    student_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    round_id: Mapped[int | None] = mapped_column(ForeignKey("review_round.id", ondelete="SET NULL"))
    count: Mapped[int] = mapped_column(Integer, default=1)
    channel: Mapped[str] = mapped_column(String(16), default="cli")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChannelAccount(Base):
    """A person's account on a platform: identity link and where to reach them."""

    __tablename__ = "channel_account"
    __table_args__ = (
        UniqueConstraint("channel", "tenant", "external_id"),
        Index("ix_channel_account_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))  # teams, slack, terminal
    tenant: Mapped[str] = mapped_column(String(64))  # AAD tenant id / Slack team id
    external_id: Mapped[str] = mapped_column(String(200))  # AAD object id / Slack user id
    conversation: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # channel's reference
    unreachable_reason: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DialogState(Base):
    """One conversation state per person, so a stop in Teams resumes in Slack too."""

    __tablename__ = "dialog_state"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(Base):
    """The outbox: written with the change that causes it, delivered later by a sender."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("review_round.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    occasion: Mapped[str] = mapped_column(String(64), default="")
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[NotificationStatus] = mapped_column(
        _enum(NotificationStatus, "notification_status"), default=NotificationStatus.PENDING
    )
    channel: Mapped[str | None] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ProcessedEvent(Base):
    """Platform event ids already handled: a retried delivery is recognised, not redone."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("source", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InboxEntry(Base):
    """A platform request acknowledged before its turn ran (Slack): kept until the turn is
    done, so a crash after the ack loses nothing (``storage.conversation.inbox``)."""

    __tablename__ = "inbox_entry"
    __table_args__ = (
        UniqueConstraint("source", "key"),
        Index("ix_inbox_entry_pending", "done_at", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
