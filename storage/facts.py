"""SQL expressions that gather the ``Facts`` the rule function needs, in the caller's query.

Each helper returns a column expression (a scalar subquery or EXISTS) so one statement can
fetch the round, the school's settings and every relation between actor and student at once.
The rules themselves stay in ``storage.permissions``; this module only finds the facts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from storage.cohort import IdArg
from storage.models import Enrolment, Group, Mentorship, Person, Share, TeachingAssignment


def person_column(person_id: int, column: Any) -> Any:
    """``column`` of person ``person_id`` (NULL when there is no such person)."""
    return select(column).where(Person.id == person_id).scalar_subquery()


# One alias per helper, made once: a fresh ``aliased()`` per call makes every statement new to
# SQLAlchemy's compiled-statement cache. Each alias is used only inside its helper's subquery.
_en = aliased(Enrolment)
_ta = aliased(TeachingAssignment)
_g = aliased(Group)
_m = aliased(Mentorship)
_sh = aliased(Share)


def teaches_student(teacher_id: IdArg, student_id: IdArg) -> ColumnElement[bool]:
    """The teacher actively teaches an active subject group the student is actively in."""
    en, ta, g = _en, _ta, _g
    return exists(
        select(ta.id)
        .join(en, en.group_id == ta.group_id)
        .join(g, g.id == ta.group_id)
        .where(
            ta.teacher_id == teacher_id,
            ta.active.is_(True),
            en.student_id == student_id,
            en.active.is_(True),
            g.active.is_(True),
            g.subject.is_not(None),
        )
    )


def is_mentor(mentor_id: IdArg, student_id: IdArg) -> ColumnElement[bool]:
    m = _m
    return exists(
        select(m.id).where(m.mentor_id == mentor_id, m.student_id == student_id, m.active.is_(True))
    )


def is_shared(round_id: IdArg, student_id: IdArg) -> ColumnElement[bool]:
    sh = _sh
    return exists(select(sh.id).where(sh.round_id == round_id, sh.student_id == student_id))
