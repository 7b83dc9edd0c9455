"""Demo mode: who plays a role the user picks (``DEMO_ROLES``) in the demo school.

An unknown user of a demo school may pick a role; ``demo_person`` finds a person of the school
who can play it, preferably one with work to do (a teacher of a class in an open round, a
student with shared feedback).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from storage.models import (
    Enrolment,
    Mentorship,
    Person,
    PersonKind,
    Round,
    RoundGroup,
    RoundState,
    Share,
    TeachingAssignment,
)

DEMO_ROLES = ("teacher", "mentor", "student", "organizer")


def demo_person(session: Session, *, school_id: int, role: str) -> Person | None:
    """A person of the demo school who can play ``role``: preferably one with work to do."""
    active = (Person.school_id == school_id, Person.active.is_(True))
    candidates: list[Any]
    if role == "organizer":
        candidates = [select(Person).where(*active, Person.is_organizer.is_(True))]
    elif role == "mentor":
        candidates = [
            select(Person).where(
                *active, exists().where(Mentorship.mentor_id == Person.id, Mentorship.active)
            )
        ]
    elif role == "teacher":
        cls = aliased(Enrolment)
        open_class = (
            select(cls.student_id)
            .join(RoundGroup, RoundGroup.group_id == cls.group_id)
            .join(Round, Round.id == RoundGroup.round_id)
            .where(Round.school_id == school_id, Round.state == RoundState.OPEN)
        )
        teaches_open = exists().where(
            TeachingAssignment.teacher_id == Person.id,
            TeachingAssignment.group_id == Enrolment.group_id,
            Enrolment.student_id.in_(open_class),
        )
        teaches = exists().where(TeachingAssignment.teacher_id == Person.id)
        candidates = [
            select(Person).where(*active, teaches_open),
            select(Person).where(*active, teaches),
        ]
    elif role == "student":
        candidates = [
            select(Person).where(*active, exists().where(Share.student_id == Person.id)),
            select(Person).where(*active, Person.kind == PersonKind.STUDENT),
        ]
    else:
        return None
    for query in candidates:
        person = session.scalars(query.order_by(Person.id)).first()
        if person is not None:
            return person
    return None
