"""The teacher's side of a round: the queue of students, progress, and writing feedback.

Every function here issues a fixed number of statements whatever the size of the school:
the queue, the progress and the next open entry are one statement each (``storage.cohort``'s
expected entries outer-joined with ``Feedback``); ``record_feedback`` gathers all its facts in
one statement, reads the existing row, writes it and the audit row.

Text is stored exactly as typed; a remark or action that is empty or only whitespace counts as
absent (``None``), both for storing and for the school's mandatory-field rule.
Reads of feedback (history, colleagues, mentor views) live in ``storage.feedback_reads``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, func, insert, literal, select, tuple_
from sqlalchemy.orm import Session

from storage import audit
from storage.cohort import expected_entries, feedback_join
from storage.errors import MandatoryFieldMissing, NotFound
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


@dataclass(frozen=True)
class QueueEntry:
    """One expected entry of a teacher, with the feedback written so far (if any)."""

    student_id: int
    student_name: str
    group_id: int
    group_title: str
    subject: str
    light: Light | None
    remark: str | None = None
    action: str | None = None
    version: int = 0

    @property
    def done(self) -> bool:
        return self.light is not None


def _queue_select(round_id: int, teacher_id: int, group_id: int | None) -> Select:  # type: ignore[type-arg]
    e = expected_entries(round_id, teacher_id=teacher_id, group_id=group_id).subquery()
    return (
        select(
            e.c.student_id,
            Person.display_name,
            e.c.group_id,
            e.c.group_title,
            e.c.subject,
            Feedback.light,
            Feedback.remark,
            Feedback.action,
            Feedback.version,
        )
        .select_from(e)
        .join(Person, Person.id == e.c.student_id)
        .outerjoin(Feedback, feedback_join(round_id, e))
        .order_by(e.c.group_title, e.c.group_id, Person.family_name, Person.given_name, Person.id)
    )


def _entry(row: Sequence[object]) -> QueueEntry:
    sid, name, gid, title, subject, light, remark, action, version = row
    return QueueEntry(
        student_id=sid,  # type: ignore[arg-type]
        student_name=name,  # type: ignore[arg-type]
        group_id=gid,  # type: ignore[arg-type]
        group_title=title,  # type: ignore[arg-type]
        subject=subject,  # type: ignore[arg-type]
        light=light,  # type: ignore[arg-type]
        remark=remark,  # type: ignore[arg-type]
        action=action,  # type: ignore[arg-type]
        version=version or 0,  # type: ignore[arg-type]
    )


def teacher_queue(
    session: Session, *, round_id: int, teacher_id: int, group_id: int | None = None
) -> list[QueueEntry]:
    """The teacher's students in the round, by group title, then family and given name."""
    return [_entry(r) for r in session.execute(_queue_select(round_id, teacher_id, group_id))]


def next_open_entry(
    session: Session,
    *,
    round_id: int,
    teacher_id: int,
    group_id: int | None = None,
    exclude: Sequence[tuple[int, int]] = (),
) -> QueueEntry | None:
    """The first entry of the queue without a light; ``exclude`` skips (student, group) pairs."""
    stmt = _queue_select(round_id, teacher_id, group_id).where(Feedback.id.is_(None))
    if exclude:
        sub = stmt.selected_columns
        stmt = stmt.where(tuple_(sub[0], sub[2]).not_in(list(exclude)))
    row = session.execute(stmt.limit(1)).first()
    return _entry(row) if row else None


def progress(
    session: Session, *, round_id: int, teacher_id: int, group_id: int | None = None
) -> tuple[int, int]:
    """(done, total) for the teacher in the round (optionally one group)."""
    e = expected_entries(round_id, teacher_id=teacher_id, group_id=group_id).subquery()
    done, total = session.execute(
        select(func.count(Feedback.id), func.count())
        .select_from(e)
        .outerjoin(Feedback, feedback_join(round_id, e))
    ).one()
    return int(done), int(total)


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
    light = Light(light)
    entry = expected_entries(
        round_id, teacher_id=actor_id, group_id=group_id, student_id=student_id
    ).exists()
    rnd, settings, facts, subject = _write_facts(
        session, actor_id=actor_id, round_id=round_id, group_id=group_id, teaches=entry
    )
    require(Action.WRITE_FEEDBACK, facts)
    texts = {"remark": blank_to_none(remark), "action": blank_to_none(action)}
    _check_texts(settings, light, texts)
    fb = session.scalars(
        select(Feedback)
        .where(
            Feedback.round_id == round_id,
            Feedback.student_id == student_id,
            Feedback.group_id == group_id,
            Feedback.teacher_id == actor_id,
        )
        .with_for_update()
    ).first()
    if fb is None:
        fb = Feedback(
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
        )
        session.add(fb)
    elif (fb.light, fb.remark, fb.action) != (light, texts["remark"], texts["action"]):
        fb.light, fb.remark, fb.action = light, texts["remark"], texts["action"]
        fb.version += 1
        fb.updated_at = now
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
    light = Light(light)
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
