"""The teacher's side of a round: the queue of students, progress, and writing feedback.

Every function here issues a fixed number of statements whatever the size of the school:
the queue, the progress and the next open entry (``storage.teacher_queue``, re-exported here)
are one statement each; ``record_feedback`` gathers all its facts and the id of an existing
entry in one statement, then inserts the new row (or reads and updates the existing one) and
writes the audit row: 3 statements for a new entry, 4 for a revision. Its statements are built
once at import with bound parameters, so SQLAlchemy's compiled cache serves every call.

Text is stored exactly as typed; a remark or action that is empty or only whitespace counts as
absent (``None``), both for storing and for the school's mandatory-field rule.
Reads of feedback (history, colleagues, mentor views) live in ``storage.feedback_reads``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from storage import audit
from storage.cohort import expected_entries, feedback_join
from storage.db import core
from storage.errors import InvalidInput, MandatoryFieldMissing, NotFound
from storage.feedback_reads import (
    FeedbackView,
    HistoryItem,
    feedback_visible_to,
    histories_for,
    subject_history,
)
from storage.free_text import blank_to_none, check_text
from storage.models import (
    Feedback,
    Group,
    Light,
    LightType,
    Person,
    Round,
    School,
    UTCDateTime,
)
from storage.permissions import Action, Facts, require
from storage.school_settings import SchoolSettings
from storage.teacher_queue import QueueEntry, next_open_entry, progress, teacher_queue

__all__ = [
    "FeedbackView",
    "HistoryItem",
    "QueueEntry",
    "bulk_fill",
    "feedback_visible_to",
    "histories_for",
    "next_open_entry",
    "progress",
    "record_feedback",
    "subject_history",
    "teacher_queue",
]


def _light(value: Light | int) -> Light:
    try:
        return Light(value)
    except (ValueError, TypeError):
        raise InvalidInput(f"unknown light {value!r}", field="light") from None


def _check_texts(settings: SchoolSettings, light: Light, texts: dict[str, str | None]) -> None:
    req = settings.requirement(light)
    missing = [name for name in ("remark", "action") if getattr(req, name) and not texts[name]]
    if missing:
        raise MandatoryFieldMissing(
            f"{' and '.join(missing)} required for light {light.key}",
            fields=missing,
            light=light.key,
        )
    for name, text in texts.items():
        if text is not None:
            check_text(text, field=name, max_length=settings.max_text_length)


def _facts_select(teaches: Any, *extra: Any) -> Any:
    """The round's school and state, the school's settings, the actor's school and activity,
    ``teaches`` and the group's subject, for the bound ``round_id``, ``actor_id``, ``group_id``."""
    return (
        select(
            Round.school_id,
            Round.state,
            School.settings,
            select(Person.school_id).where(Person.id == _actor).scalar_subquery(),
            select(Person.active).where(Person.id == _actor).scalar_subquery(),
            teaches,
            select(Group.subject).where(Group.id == _group).scalar_subquery(),
            *extra,
        )
        .join(School, School.id == Round.school_id)
        .where(Round.id == _round)
    )


_round: BindParameter[int] = bindparam("round_id")
_actor: BindParameter[int] = bindparam("actor_id")
_group: BindParameter[int] = bindparam("group_id")
_student: BindParameter[int] = bindparam("student_id")
_KEY = (
    Feedback.round_id == _round,
    Feedback.student_id == _student,
    Feedback.group_id == _group,
    Feedback.teacher_id == _actor,
)
# Built once, with bound parameters, so every call hits SQLAlchemy's compiled-statement cache.
_FACTS_ONE = _facts_select(
    expected_entries(_round, teacher_id=_actor, group_id=_group, student_id=_student).exists(),
    select(Feedback.id).where(*_KEY).scalar_subquery(),
)
_FACTS_GROUP = _facts_select(expected_entries(_round, teacher_id=_actor, group_id=_group).exists())
_BY_KEY = select(Feedback).where(*_KEY).with_for_update()
_INSERTS: dict[str, Any] = {}


def _write_facts(
    session: Session, stmt: Any, params: dict[str, int]
) -> tuple[int, SchoolSettings, Facts, str | None, int | None]:
    """The round's school, the school's settings, the Facts for WRITE_FEEDBACK, the group's
    subject and (for one entry) the id of the existing feedback row, in one statement."""
    row = core(session).execute(stmt, params).first()
    if row is None:
        raise NotFound(
            f"round {params['round_id']} not found", what="round", ref=params["round_id"]
        )
    school_id, state, settings_json, actor_school, actor_active, teaches, subject = row[:7]
    if actor_school is None:
        actor_id = params["actor_id"]
        raise NotFound(f"person {actor_id} not found", what="person", ref=actor_id)
    facts = Facts(
        same_school=actor_school == school_id,
        actor_active=bool(actor_active),
        teaches_group=bool(teaches),
        round_state=state,
    )
    existing = row[7] if len(row) > 7 else None
    return school_id, SchoolSettings.from_json(settings_json), facts, subject, existing


_NEW_COLUMNS = (
    "round_id",
    "student_id",
    "group_id",
    "teacher_id",
    "subject",
    "light",
    "remark",
    "action",
    "version",
    "created_at",
    "updated_at",
)


@dataclass(frozen=True)
class SavedFeedback:
    """What ``record_feedback`` wrote: the entry's columns as they now are in the database."""

    id: int
    round_id: int
    student_id: int
    group_id: int
    teacher_id: int
    subject: str
    light: Light
    remark: str | None
    action: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, fb: Feedback) -> SavedFeedback:
        return cls(fb.id, *(getattr(fb, c) for c in _NEW_COLUMNS))


def _insert_new(session: Session, values: dict[str, Any]) -> SavedFeedback | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the id: None when the entry already exists
    (a double submit racing this one), so a retry never fails with a key error.

    A Core statement built once per dialect; no ORM object is made for the new row (every
    column is known, and nothing in the turn needs one)."""
    dialect = session.get_bind().dialect.name
    stmt = _INSERTS.get(dialect)
    if stmt is None:
        ins: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = _INSERTS[dialect] = (
            ins(Feedback.__table__)
            .values({c: bindparam(f"new_{c}") for c in _NEW_COLUMNS})
            .on_conflict_do_nothing(
                index_elements=["round_id", "student_id", "group_id", "teacher_id"]
            )
            .returning(Feedback.__table__.c.id)
        )
    new_id = core(session).execute(stmt, {f"new_{c}": values[c] for c in _NEW_COLUMNS}).scalar()
    if new_id is None:
        return None
    return SavedFeedback(new_id, *(values[c] for c in _NEW_COLUMNS))


def _revise(fb: Feedback, light: Light, texts: dict[str, str | None], now: datetime) -> None:
    """Apply a revision; an identical resubmit (a stale button) changes nothing."""
    if (fb.light, fb.remark, fb.action) != (light, texts["remark"], texts["action"]):
        fb.light, fb.remark, fb.action = light, texts["remark"], texts["action"]
        fb.version += 1
        fb.updated_at = now


def record_feedback(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    student_id: int,
    group_id: int,
    light: Light | int,
    remark: str | None,
    action: str | None,
    now: datetime,
    channel: str,
) -> SavedFeedback:
    """Write or revise the actor's feedback for one student in one subject group."""
    light = _light(light)
    key = {
        "round_id": round_id,
        "actor_id": actor_id,
        "group_id": group_id,
        "student_id": student_id,
    }
    school_id, settings, facts, subject, existing = _write_facts(session, _FACTS_ONE, key)
    require(Action.WRITE_FEEDBACK, facts)
    texts = {"remark": blank_to_none(remark), "action": blank_to_none(action)}
    _check_texts(settings, light, texts)
    fb = session.scalars(_BY_KEY, key).first() if existing is not None else None
    saved: SavedFeedback | None = None
    if fb is None:
        saved = _insert_new(
            session,
            dict(
                round_id=round_id,
                student_id=student_id,
                group_id=group_id,
                teacher_id=actor_id,
                subject=subject or "",
                light=light,
                remark=texts["remark"],
                action=texts["action"],
                version=1,
                created_at=now,
                updated_at=now,
            ),
        )
        if saved is None:  # a concurrent submit of the same entry won: revise that one
            fb = session.scalars(_BY_KEY, key).one()
            _revise(fb, light, texts, now)
    else:
        _revise(fb, light, texts, now)
    audit.record(
        session,
        school_id=school_id,
        actor_id=actor_id,
        operation="write",
        entity="feedback",
        student_id=student_id,
        round_id=round_id,
        channel=channel,
        at=now,
    )
    if saved is not None:
        return saved
    assert fb is not None
    session.flush()
    return SavedFeedback.of(fb)


def bulk_fill(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    group_id: int,
    light: Light | int,
    now: datetime,
    channel: str,
) -> list[int]:
    """Give ``light`` to the actor's students in the group who have no entry yet; never
    overwrites. Refused when the school requires a remark or action for that light."""
    light = _light(light)
    key = {"round_id": round_id, "actor_id": actor_id, "group_id": group_id}
    school_id, settings, facts, _subject, _none = _write_facts(session, _FACTS_GROUP, key)
    require(Action.WRITE_FEEDBACK, facts)
    _check_texts(settings, light, {"remark": None, "action": None})
    e = expected_entries(round_id, teacher_id=actor_id, group_id=group_id).subquery()
    missing = ~exists(select(Feedback.id).where(feedback_join(round_id, e)))
    source = select(
        literal(round_id),
        e.c.student_id,
        e.c.group_id,
        e.c.teacher_id,
        e.c.subject,
        literal(light, LightType()),
        literal(1),
        literal(now, UTCDateTime()),
        literal(now, UTCDateTime()),
    ).where(missing)
    cols = [
        "round_id",
        "student_id",
        "group_id",
        "teacher_id",
        "subject",
        "light",
        "version",
        "created_at",
        "updated_at",
    ]
    stmt = insert(Feedback).from_select(cols, source).returning(Feedback.student_id)
    filled = sorted(session.scalars(stmt).all())
    if filled:
        audit.record(
            session,
            school_id=school_id,
            actor_id=actor_id,
            operation="write",
            entity="feedback",
            round_id=round_id,
            count=len(filled),
            channel=channel,
            at=now,
        )
        session.flush()
    return filled
