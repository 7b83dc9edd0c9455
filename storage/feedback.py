"""The teacher's side of a round: the queue of students, progress, and writing feedback.

Every function here issues a fixed number of statements whatever the size of the school:
the queue, the progress and the next open entry (``storage.teacher_queue``, re-exported here)
are one statement each; ``record_feedback`` gathers all its facts in one statement, reads the
existing row, writes it and the audit row.

Text is stored exactly as typed; a remark or action that is empty or only whitespace counts as
absent (``None``), both for storing and for the school's mandatory-field rule.
Reads of feedback (history, colleagues, mentor views) live in ``storage.feedback_reads``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, insert, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage import audit
from storage.cohort import expected_entries, feedback_join
from storage.errors import InvalidInput, MandatoryFieldMissing, NotFound
from storage.facts import person_column
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


def _write_facts(
    session: Session, *, actor_id: int, round_id: int, group_id: int, teaches: object
) -> tuple[Round, SchoolSettings, Facts, str | None]:
    """The round, the school's settings, the Facts for WRITE_FEEDBACK and the group's subject,
    in one statement."""
    row = session.execute(
        select(
            Round,
            School.settings,
            person_column(actor_id, Person.school_id),
            person_column(actor_id, Person.active),
            teaches,  # type: ignore[call-overload]
            select(Group.subject).where(Group.id == group_id).scalar_subquery(),
        )
        .join(School, School.id == Round.school_id)
        .where(Round.id == round_id)
    ).first()
    if row is None:
        raise NotFound(f"round {round_id} not found", what="round", ref=round_id)
    rnd, settings_json, actor_school, actor_active, teaches_group, subject = row
    if actor_school is None:
        raise NotFound(f"person {actor_id} not found", what="person", ref=actor_id)
    facts = Facts(
        same_school=actor_school == rnd.school_id,
        actor_active=bool(actor_active),
        teaches_group=bool(teaches_group),
        round_state=rnd.state,
    )
    return rnd, SchoolSettings.from_json(settings_json), facts, subject


def _insert_new(session: Session, values: dict[str, Any]) -> Feedback | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the row: None when the entry already
    exists (a double submit racing this one), so a retry never fails with a key error."""
    dialect = session.get_bind().dialect.name
    ins: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        ins(Feedback)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["round_id", "student_id", "group_id", "teacher_id"])
        .returning(Feedback)
    )
    return session.scalars(stmt).first()


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
) -> Feedback:
    """Write or revise the actor's feedback for one student in one subject group."""
    light = _light(light)
    entry = expected_entries(
        round_id, teacher_id=actor_id, group_id=group_id, student_id=student_id
    ).exists()
    rnd, settings, facts, subject = _write_facts(
        session, actor_id=actor_id, round_id=round_id, group_id=group_id, teaches=entry
    )
    require(Action.WRITE_FEEDBACK, facts)
    texts = {"remark": blank_to_none(remark), "action": blank_to_none(action)}
    _check_texts(settings, light, texts)
    key = (
        Feedback.round_id == round_id,
        Feedback.student_id == student_id,
        Feedback.group_id == group_id,
        Feedback.teacher_id == actor_id,
    )
    fb = session.scalars(select(Feedback).where(*key).with_for_update()).first()
    if fb is None:
        fb = _insert_new(
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
        if fb is None:  # a concurrent submit of the same entry won: revise that one
            fb = session.scalars(select(Feedback).where(*key).with_for_update()).one()
            _revise(fb, light, texts, now)
    else:
        _revise(fb, light, texts, now)
    audit.record(
        session,
        school_id=rnd.school_id,
        actor_id=actor_id,
        operation="write",
        entity="feedback",
        student_id=student_id,
        round_id=round_id,
        channel=channel,
        at=now,
    )
    session.flush()
    return fb


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
    teaches = expected_entries(round_id, teacher_id=actor_id, group_id=group_id).exists()
    rnd, settings, facts, _subject = _write_facts(
        session, actor_id=actor_id, round_id=round_id, group_id=group_id, teaches=teaches
    )
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
            school_id=rnd.school_id,
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
