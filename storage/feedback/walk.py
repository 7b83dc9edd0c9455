"""The listings behind a teacher's walk through their students, sized for one chat turn.

A round expects one entry per (student of its classes, subject group, teacher): see
``storage.cohort``. The walk goes through one subject group at a time: which groups the teacher
has in which rounds (with progress), the students of one group in walk order with their class,
and the teacher's own entries in that group. After close, ``closed_round_students`` lists the
teacher's students of a round for the read-only view, once the rules allow it. Writing and
reading others' feedback are ``storage.feedback.entries``'s operations, which ask the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, distinct, func, select
from sqlalchemy.orm import Session, aliased

from storage.cohort import expected_entries, feedback_join
from storage.db import core
from storage.errors import NotFound
from storage.models import (
    Enrolment,
    Feedback,
    Group,
    Light,
    Person,
    Round,
    RoundGroup,
    RoundState,
)
from storage.names import person_sort_key
from storage.permissions import Action, Facts, require


@dataclass(frozen=True)
class WalkGroup:
    round_id: int
    round_name: str
    deadline: datetime
    group_id: int
    group_title: str
    subject: str
    total: int
    done: int


class OwnEntry(NamedTuple):
    """A teacher's own entry as a walk shows it."""

    student_id: int
    light: Light
    remark: str | None
    action: str | None
    version: int


@dataclass(frozen=True)
class WalkStudent:
    student_id: int
    name: str
    class_title: str


_cls = aliased(Enrolment)  # the student's class enrolment (the round covers classes)
_tg = aliased(Enrolment)  # the student's enrolment in the teaching group


def walk_groups(
    session: Session,
    *,
    teacher_id: int,
    school_id: int,
    states: tuple[RoundState, ...] = (RoundState.OPEN,),
) -> list[WalkGroup]:
    """The teacher's (round, teaching group) pairs in rounds of ``states``, with progress:
    one statement for the rounds, one per round for its groups. Open rounds come most urgent
    first (the nearest deadline); closed ones most recent first."""
    order = (
        (Round.deadline.asc(), Round.id.asc())
        if set(states) <= {RoundState.OPEN, RoundState.DRAFT}
        else (Round.deadline.desc(), Round.id.desc())
    )
    rounds = session.execute(
        select(Round.id, Round.name, Round.deadline)
        .where(Round.school_id == school_id, Round.state.in_(states))
        .order_by(*order)
    ).all()
    out: list[WalkGroup] = []
    for round_id, round_name, deadline in rounds:
        e = expected_entries(round_id, teacher_id=teacher_id).subquery()
        rows = session.execute(
            select(
                e.c.group_id,
                e.c.group_title,
                e.c.subject,
                func.count(distinct(e.c.student_id)),
                func.count(Feedback.id),
            )
            .select_from(e)
            .outerjoin(Feedback, feedback_join(round_id, e))
            .group_by(e.c.group_id, e.c.group_title, e.c.subject)
            .order_by(e.c.group_title)
        ).all()
        out += [
            WalkGroup(
                round_id, round_name, deadline, r[0], r[1], r[2] or r[1], int(r[3]), int(r[4])
            )
            for r in rows
        ]
    return out


def walk_students(
    session: Session, *, round_id: int, teacher_id: int, group_id: int | None
) -> list[WalkStudent]:
    """The students the teacher owes feedback in one group of a round (``group_id`` None: in
    all their groups), in the order of a class list (``storage.names``), with the class
    through which the round covers them."""
    e = expected_entries(round_id, teacher_id=teacher_id, group_id=group_id).subquery()
    cg = aliased(Group)
    rows = session.execute(
        select(
            Person.id,
            Person.display_name,
            func.min(cg.title),
            Person.family_name,
            Person.given_name,
        )
        .select_from(e)
        .join(Person, Person.id == e.c.student_id)
        .join(_cls, and_(_cls.student_id == e.c.student_id, _cls.active.is_(True)))
        .join(
            RoundGroup,
            and_(RoundGroup.group_id == _cls.group_id, RoundGroup.round_id == round_id),
        )
        .join(cg, cg.id == _cls.group_id)
        .group_by(Person.id, Person.display_name, Person.family_name, Person.given_name)
    ).all()
    rows = sorted(rows, key=lambda r: person_sort_key(r[3], r[4], r[0]))
    return [WalkStudent(r[0], r[1], r[2]) for r in rows]


def closed_round_students(
    session: Session, *, teacher_id: int, round_id: int
) -> tuple[Round, list[WalkStudent]]:
    """The round and the teacher's students in it, by class, for the read-only view that shows
    everyone's feedback on them.

    Asked as ``READ_FEEDBACK`` by a teacher of those students: refused (``NotAllowed``) for a
    round of another school, a round without any of the teacher's students, or a round that
    is not closed (colleagues' feedback is seen only after close); an unknown round or teacher
    is ``NotFound``. Each student's feedback is then read through
    ``storage.feedback.entries``, which decides per row and audits the read."""
    rnd = session.get(Round, round_id)
    teacher = session.get(Person, teacher_id)
    if rnd is None or teacher is None:
        raise NotFound("unknown round", round_id=round_id)
    same_school = rnd.school_id == teacher.school_id
    students = (
        walk_students(session, round_id=round_id, teacher_id=teacher_id, group_id=None)
        if same_school
        else []
    )
    facts = Facts(
        same_school=same_school,
        actor_active=teacher.active,
        teaches_student=bool(students),
        round_state=rnd.state,
    )
    require(Action.READ_FEEDBACK, facts)
    return rnd, sorted(students, key=lambda s: s.class_title)  # by class, names in list order


def own_entries(
    session: Session, *, round_id: int, teacher_id: int, group_id: int
) -> dict[int, OwnEntry]:
    """The teacher's own feedback in one group of a round, by student id (one statement):
    cheaper than loading ORM objects every turn."""
    rows = core(session).execute(
        _OWN, {"round_id": round_id, "teacher_id": teacher_id, "group_id": group_id}
    )
    return {f.student_id: OwnEntry(*f) for f in rows}


_OWN = select(
    Feedback.student_id, Feedback.light, Feedback.remark, Feedback.action, Feedback.version
).where(
    Feedback.round_id == bindparam("round_id"),
    Feedback.teacher_id == bindparam("teacher_id"),
    Feedback.group_id == bindparam("group_id"),
)
