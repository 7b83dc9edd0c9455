"""A student's feedback from earlier rounds ("the clock"): per subject, or for a whole queue.

Only closed rounds of the school before the given round count. ``subject_history`` is on the
hot path of a teacher's turn: the round's context (``storage.feedback.access``) and the history
rows come in one statement, built once at import with bound parameters. ``histories_for`` reads
the history of every (student, subject) of a teacher's queue in one statement for the rows.
Every row is decided on its own; reading colleagues' entries is audited. Reached through
``storage.feedback.entries``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, aliased

from storage.cohort import expected_entries
from storage.db import core
from storage.facts import is_mentor, is_shared
from storage.feedback.access import (
    ROUND_ID,
    STUDENT_ID,
    audit_others,
    context,
    context_columns,
    unpack,
)
from storage.models import Feedback, Light, Person, Round, RoundState, School
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


def history_columns(*, student_id: Any, subject: Any) -> Any:
    """A student's feedback in a subject from closed rounds (``student_id`` and ``subject``:
    bound parameters or scalar subqueries), with round and teacher names, as a subquery to
    outer-join on a round: ``h_school``, ``round_id`` and ``deadline`` select the earlier rounds
    of that round's school."""
    return (
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
            Feedback.student_id == student_id,
            Feedback.subject == subject,
        )
        .subquery()
    )


def _subject_history_select() -> Any:
    """One statement for ``subject_history``: the round's context row, outer-joined with the
    student's history in the subject (so a round without history still gives one row)."""
    h = history_columns(student_id=STUDENT_ID, subject=bindparam("subject"))
    return (
        select(Round.id, Round.school_id, *context_columns(Round), h)
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
        .where(Round.id == ROUND_ID)
        .order_by(h.c.deadline, h.c.round_id, h.c.feedback_id)
    )


def readable_history(
    rows: Any,
    *,
    actor_id: int,
    student_id: int,
    round_school: int,
    actor_school: int,
    actor_active: bool,
    teaches: bool,
    mentor: bool,
    student_school: int | None,
    settings: SchoolSettings,
) -> list[HistoryItem]:
    """The history rows (``history_columns``, NULL ``feedback_id`` for none) the actor may
    read, each decided on its own."""
    same_school = actor_school == round_school == student_school
    return [
        _item(h, h.round_name, h.closed_at, h.deadline, h.teacher_name)
        for h in rows
        if h.feedback_id is not None
        and decide(
            Action.READ_FEEDBACK,
            Facts(
                same_school=same_school,
                actor_active=actor_active,
                is_author=h.teacher_id == actor_id,
                teaches_student=teaches,
                is_mentor=mentor,
                is_self=student_id == actor_id,
                round_state=RoundState.CLOSED,
                shared=bool(h.h_shared),
                full_package=settings.full_package,
            ),
        )
    ]


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
    rnd, settings, actor, s_school, _shared = unpack(
        rows[0] if rows else None, actor_id=actor_id, round_id=before_round_id
    )
    out = readable_history(
        rows,
        actor_id=actor_id,
        student_id=student_id,
        round_school=rnd.school_id,
        actor_school=actor.school_id,
        actor_active=actor.active,
        teaches=actor.teaches_student,
        mentor=actor.is_mentor,
        student_school=s_school,
        settings=settings,
    )
    audit_others(
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
    rnd, settings, actor, _s, _sh = context(
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
    audit_others(
        session,
        school_id=rnd.school_id,
        actor_id=actor_id,
        others=others,
        student_id=None,
        round_id=None,
        channel=channel,
    )
    return out
