"""Reading feedback: a student's history in one subject, and one round's feedback on a student.

Every row is an authorization decision: the facts of the case are gathered in SQL (one
statement for the actor's relations to the student and the round, one for the rows), each row
is passed to ``decide(READ_FEEDBACK, ...)``, and only the allowed rows are returned. Reading
other people's feedback is written to the audit log, one row per call with the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, aliased

from storage import audit
from storage.cohort import expected_entries
from storage.db import core
from storage.errors import NotFound
from storage.facts import is_mentor, is_shared, teaches_student
from storage.models import Feedback, Group, Light, Person, Round, RoundState, School
from storage.permissions import Action, Facts, decide
from storage.school_settings import SchoolSettings


@dataclass(frozen=True)
class HistoryItem:
    """One earlier round's feedback on a student in a subject ("the clock")."""

    round_id: int
    round_name: str
    date: datetime
    subject: str
    light: Light
    remark: str | None
    action: str | None
    teacher_id: int
    teacher_name: str


@dataclass(frozen=True)
class FeedbackView:
    feedback_id: int
    round_id: int
    student_id: int
    group_id: int
    group_title: str
    subject: str
    teacher_id: int
    teacher_name: str
    light: Light
    remark: str | None
    action: str | None
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class _Actor:
    school_id: int
    active: bool
    teaches_student: bool
    is_mentor: bool


_round, _actor, _student = bindparam("round_id"), bindparam("actor_id"), bindparam("student_id")


def _context_columns(round_: Any) -> tuple[Any, ...]:
    """The school's settings and the actor's relations to the student (bound ``actor_id``,
    ``student_id``), for the round ``round_``."""
    return (
        School.settings.label("settings"),
        select(Person.school_id).where(Person.id == _actor).scalar_subquery().label("a_school"),
        select(Person.active).where(Person.id == _actor).scalar_subquery().label("a_active"),
        teaches_student(_actor, _student).label("teaches"),
        is_mentor(_actor, _student).label("mentor"),
        select(Person.school_id).where(Person.id == _student).scalar_subquery().label("s_school"),
        is_shared(round_.id, _student).label("shared"),
    )


# Built once, with bound parameters, so every call hits SQLAlchemy's compiled-statement cache.
_CONTEXT = (
    select(Round.id, Round.school_id, Round.state, Round.deadline, *_context_columns(Round))
    .join(School, School.id == Round.school_id)
    .where(Round.id == _round)
)


def _context(
    session: Session, *, actor_id: int, round_id: int, student_id: int | None
) -> tuple[Any, SchoolSettings, _Actor, int | None, bool]:
    """Round (id, school_id, state, deadline), settings, the actor's relations to the student,
    the student's school, shared."""
    sid = student_id if student_id is not None else -1
    row = (
        core(session)
        .execute(_CONTEXT, {"round_id": round_id, "actor_id": actor_id, "student_id": sid})
        .first()
    )
    return _unpack(row, actor_id=actor_id, round_id=round_id)


def _unpack(
    row: Any, *, actor_id: int, round_id: int
) -> tuple[Any, SchoolSettings, _Actor, int | None, bool]:
    if row is None:
        raise NotFound(f"round {round_id} not found", what="round", ref=round_id)
    if row.a_school is None:
        raise NotFound(f"person {actor_id} not found", what="person", ref=actor_id)
    actor = _Actor(row.a_school, bool(row.a_active), bool(row.teaches), bool(row.mentor))
    return row, SchoolSettings.from_json(row.settings), actor, row.s_school, bool(row.shared)


def _audit_others(
    session: Session,
    *,
    school_id: int,
    actor_id: int,
    others: int,
    student_id: int | None,
    round_id: int | None,
    channel: str,
) -> None:
    if others:
        audit.record(
            session,
            school_id=school_id,
            actor_id=actor_id,
            operation="read",
            entity="feedback",
            student_id=student_id,
            round_id=round_id,
            count=others,
            channel=channel,
        )
        session.flush()


def feedback_visible_to(
    session: Session, *, actor_id: int, round_id: int, student_id: int, channel: str
) -> list[FeedbackView]:
    """The student's feedback in the round that the actor may read, by subject."""
    rnd, settings, actor, s_school, shared = _context(
        session, actor_id=actor_id, round_id=round_id, student_id=student_id
    )
    teacher = aliased(Person)
    rows = session.execute(
        select(Feedback, Group.title, teacher.display_name)
        .join(Group, Group.id == Feedback.group_id)
        .join(teacher, teacher.id == Feedback.teacher_id)
        .where(Feedback.round_id == round_id, Feedback.student_id == student_id)
        .order_by(Feedback.subject, Group.title, teacher.display_name, Feedback.id)
    ).all()
    same_school = actor.school_id == rnd.school_id == s_school
    out: list[FeedbackView] = []
    for fb, title, tname in rows:
        facts = Facts(
            same_school=same_school,
            actor_active=actor.active,
            is_author=fb.teacher_id == actor_id,
            teaches_student=actor.teaches_student,
            is_mentor=actor.is_mentor,
            is_self=student_id == actor_id,
            round_state=rnd.state,
            shared=shared,
            full_package=settings.full_package,
        )
        if decide(Action.READ_FEEDBACK, facts):
            out.append(
                FeedbackView(
                    feedback_id=fb.id,
                    round_id=fb.round_id,
                    student_id=fb.student_id,
                    group_id=fb.group_id,
                    group_title=title,
                    subject=fb.subject,
                    teacher_id=fb.teacher_id,
                    teacher_name=tname,
                    light=fb.light,
                    remark=fb.remark,
                    action=fb.action,
                    version=fb.version,
                    updated_at=fb.updated_at,
                )
            )
    _audit_others(
        session,
        school_id=rnd.school_id,
        actor_id=actor_id,
        others=sum(1 for v in out if v.teacher_id != actor_id),
        student_id=student_id,
        round_id=round_id,
        channel=channel,
    )
    return out


_prev = aliased(Round)
_teacher = aliased(Person)


def _history_select(rnd: Any) -> Any:
    """Feedback of the school's closed rounds before ``rnd`` (a round or its alias), with round
    and teacher names."""
    return (
        select(
            Feedback,
            _prev.name,
            _prev.closed_at,
            _prev.deadline,
            _teacher.display_name,
            is_shared(_prev.id, Feedback.student_id),
        )
        .join(_prev, _prev.id == Feedback.round_id)
        .join(_teacher, _teacher.id == Feedback.teacher_id)
        .where(
            _prev.school_id == rnd.school_id,
            _prev.state == RoundState.CLOSED,
            _prev.id != rnd.id,
            _prev.deadline < rnd.deadline,
        )
        .order_by(_prev.deadline, _prev.id, Feedback.id)
    )


def _item(fb: Any, name: str, closed: datetime | None, deadline: datetime, t: str) -> HistoryItem:
    return HistoryItem(
        round_id=fb.round_id,
        round_name=name,
        date=closed or deadline,
        subject=fb.subject,
        light=fb.light,
        remark=fb.remark,
        action=fb.action,
        teacher_id=fb.teacher_id,
        teacher_name=t,
    )


def _subject_history_select() -> Any:
    """One statement for ``subject_history``: the round's context row, outer-joined with the
    student's history in the subject (so a round without history still gives one row)."""
    h = (
        select(
            Feedback.round_id,
            Feedback.subject,
            Feedback.light,
            Feedback.remark,
            Feedback.action,
            Feedback.teacher_id,
            Feedback.id.label("feedback_id"),
            _prev.school_id.label("h_school"),
            _prev.name.label("round_name"),
            _prev.closed_at.label("closed_at"),
            _prev.deadline.label("deadline"),
            _teacher.display_name.label("teacher_name"),
            is_shared(_prev.id, Feedback.student_id).label("h_shared"),
        )
        .join(_prev, _prev.id == Feedback.round_id)
        .join(_teacher, _teacher.id == Feedback.teacher_id)
        .where(
            _prev.state == RoundState.CLOSED,
            Feedback.student_id == _student,
            Feedback.subject == bindparam("subject"),
        )
        .subquery()
    )
    return (
        select(Round.id, Round.school_id, *_context_columns(Round), h)
        .select_from(Round)
        .join(School, School.id == Round.school_id)
        .outerjoin(
            h,
            and_(
                h.c.h_school == Round.school_id,
                h.c.round_id != Round.id,
                h.c.deadline < Round.deadline,
            ),
        )
        .where(Round.id == _round)
        .order_by(h.c.deadline, h.c.round_id, h.c.feedback_id)
    )


_SUBJECT_HISTORY = _subject_history_select()


def subject_history(
    session: Session,
    *,
    actor_id: int,
    student_id: int,
    subject: str,
    before_round_id: int,
    channel: str = "cli",
) -> list[HistoryItem]:
    """The student's feedback in ``subject`` from closed rounds before ``before_round_id``."""
    params = {
        "round_id": before_round_id,
        "actor_id": actor_id,
        "student_id": student_id,
        "subject": subject,
    }
    rows = core(session).execute(_SUBJECT_HISTORY, params).all()
    rnd, settings, actor, s_school, _shared = _unpack(
        rows[0] if rows else None, actor_id=actor_id, round_id=before_round_id
    )
    same_school = actor.school_id == rnd.school_id == s_school
    out = [
        _item(h, h.round_name, h.closed_at, h.deadline, h.teacher_name)
        for h in rows
        if h.feedback_id is not None
        and decide(
            Action.READ_FEEDBACK,
            Facts(
                same_school=same_school,
                actor_active=actor.active,
                is_author=h.teacher_id == actor_id,
                teaches_student=actor.teaches_student,
                is_mentor=actor.is_mentor,
                is_self=student_id == actor_id,
                round_state=RoundState.CLOSED,
                shared=bool(h.h_shared),
                full_package=settings.full_package,
            ),
        )
    ]
    _audit_others(
        session,
        school_id=rnd.school_id,
        actor_id=actor_id,
        others=sum(1 for h in out if h.teacher_id != actor_id),
        student_id=student_id,
        round_id=None,
        channel=channel,
    )
    return out


def histories_for(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    group_id: int | None = None,
    channel: str = "cli",
) -> dict[tuple[int, str], list[HistoryItem]]:
    """``subject_history`` for every (student, subject) of the actor's queue in the round,
    in one statement for the rows; keys without history are absent."""
    rnd, settings, actor, _s, _sh = _context(
        session, actor_id=actor_id, round_id=round_id, student_id=None
    )
    e0 = expected_entries(round_id, teacher_id=actor_id, group_id=group_id).subquery()
    e = select(e0.c.student_id, e0.c.subject).distinct().subquery()
    stmt = (
        _history_select(rnd)
        .add_columns(is_mentor(actor_id, Feedback.student_id))
        .join(e, (e.c.student_id == Feedback.student_id) & (e.c.subject == Feedback.subject))
    )
    out: dict[tuple[int, str], list[HistoryItem]] = {}
    others = 0
    for fb, name, closed, deadline, tname, shared, mentor in session.execute(stmt):
        facts = Facts(
            same_school=actor.school_id == rnd.school_id,
            actor_active=actor.active,
            is_author=fb.teacher_id == actor_id,
            teaches_student=True,  # the queue holds only students the actor teaches
            is_mentor=bool(mentor),
            is_self=False,
            round_state=RoundState.CLOSED,
            shared=bool(shared),
            full_package=settings.full_package,
        )
        if decide(Action.READ_FEEDBACK, facts):
            out.setdefault((fb.student_id, fb.subject), []).append(
                _item(fb, name, closed, deadline, tname)
            )
            others += fb.teacher_id != actor_id
    _audit_others(
        session,
        school_id=rnd.school_id,
        actor_id=actor_id,
        others=others,
        student_id=None,
        round_id=None,
        channel=channel,
    )
    return out
