"""Who may read feedback: what every read of feedback gathers before it decides, row by row.

Every row is an authorization decision: the facts of the case are gathered in SQL (one
statement for the actor's relations to the student and the round, ``context``; one for the
rows, in the reading module), each row is passed to ``decide(READ_FEEDBACK, ...)``, and only
the allowed rows are returned. Reading other people's feedback is written to the audit log, one
row per call with the count (``audit_others``).

The readers are ``storage.feedback.reads`` (one round) and ``storage.feedback.history``
(earlier rounds); ``context_columns`` lets a reader fold the context into its own statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from storage import audit
from storage.db import core
from storage.errors import NotFound
from storage.facts import is_mentor, is_shared, teaches_student
from storage.models import Person, Round, School
from storage.school_settings import SchoolSettings

ROUND_ID: BindParameter[int] = bindparam("round_id")
ACTOR_ID: BindParameter[int] = bindparam("actor_id")
STUDENT_ID: BindParameter[int] = bindparam("student_id")


@dataclass(frozen=True)
class Actor:
    """The reader: their school, whether active, and their relations to the student."""

    school_id: int
    active: bool
    teaches_student: bool
    is_mentor: bool


def context_columns(round_: Any) -> tuple[Any, ...]:
    """The school's settings and the actor's relations to the student (bound ``actor_id``,
    ``student_id``), for the round ``round_``."""
    return (
        School.settings.label("settings"),
        select(Person.school_id).where(Person.id == ACTOR_ID).scalar_subquery().label("a_school"),
        select(Person.active).where(Person.id == ACTOR_ID).scalar_subquery().label("a_active"),
        teaches_student(ACTOR_ID, STUDENT_ID).label("teaches"),
        is_mentor(ACTOR_ID, STUDENT_ID).label("mentor"),
        select(Person.school_id).where(Person.id == STUDENT_ID).scalar_subquery().label("s_school"),
        is_shared(round_.id, STUDENT_ID).label("shared"),
    )


# Built once, with bound parameters, so every call hits SQLAlchemy's compiled-statement cache.
_CONTEXT = (
    select(Round.id, Round.school_id, Round.state, Round.deadline, *context_columns(Round))
    .join(School, School.id == Round.school_id)
    .where(Round.id == ROUND_ID)
)


def context(
    session: Session, *, actor_id: int, round_id: int, student_id: int | None
) -> tuple[Any, SchoolSettings, Actor, int | None, bool]:
    """Round (id, school_id, state, deadline), settings, the actor's relations to the student,
    the student's school, shared."""
    sid = student_id if student_id is not None else -1
    row = (
        core(session)
        .execute(_CONTEXT, {"round_id": round_id, "actor_id": actor_id, "student_id": sid})
        .first()
    )
    return unpack(row, actor_id=actor_id, round_id=round_id)


def unpack(
    row: Any, *, actor_id: int, round_id: int
) -> tuple[Any, SchoolSettings, Actor, int | None, bool]:
    """``context``'s answer from a row with the ``context_columns`` (``NotFound`` for no row,
    or an actor that does not exist)."""
    if row is None:
        raise NotFound(f"round {round_id} not found", what="round", ref=round_id)
    if row.a_school is None:
        raise NotFound(f"person {actor_id} not found", what="person", ref=actor_id)
    actor = Actor(row.a_school, bool(row.a_active), bool(row.teaches), bool(row.mentor))
    return row, SchoolSettings.from_json(row.settings), actor, row.s_school, bool(row.shared)


def audit_others(
    session: Session,
    *,
    school_id: int,
    actor_id: int,
    others: int,
    student_id: int | None,
    round_id: int | None,
    channel: str,
) -> None:
    """One audit row for ``others`` entries of other teachers read (none when zero)."""
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
