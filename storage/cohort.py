"""Who is in a round: the feedback a round expects, as one reusable SELECT.

A round covers groups (usually classes) through ``RoundGroup``. It expects one entry per
(student enrolled in any of those groups, subject group the student is enrolled in, teacher of
that subject group). A subject group is any active group with a non-null ``subject``, so a
cluster that spans two classes counts for every student of the round, whichever class they
are in, and a teacher sees every student they teach in the round's classes.

Everything is active-only: an inactive person, group, enrolment or teaching assignment drops
out of the round without deleting anyone's history.

``expected_entries`` returns a ``Select`` with the columns ``student_id``, ``group_id``,
``teacher_id``, ``subject`` and ``group_title``. Progress, status and queues put it in a
subquery and outer-join ``Feedback`` on those keys, so each of them is one statement whatever
the size of the school.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, exists, select
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.elements import ColumnElement

from storage.models import (
    Enrolment,
    Feedback,
    Group,
    Person,
    PersonKind,
    RoundGroup,
    TeachingAssignment,
)

# An id given as a value or as a column of an enclosing query (for correlated use).
IdArg = int | ColumnElement[int] | InstrumentedAttribute[int]


# Aliases made once: a fresh ``aliased()`` per call makes every statement new to SQLAlchemy's
# compiled-statement cache. Each is used only inside its own helper's SELECT.
_cls_enrol = aliased(Enrolment)
_cls_group = aliased(Group)
_student = aliased(Person)
_teacher = aliased(Person)


def student_in_round(round_id: IdArg, student_id: IdArg) -> ColumnElement[bool]:
    """True when ``student_id`` is actively enrolled in an active group the round covers.

    Correlated explicitly: given columns (``Round.id``, ``Mentorship.student_id``) refer to
    the enclosing queries at any depth. Auto-correlation reaches only the query right around
    this EXISTS, so inside another EXISTS (``expected_entries(Round.id).exists()``) ``Round``
    would otherwise be joined in anew and match every round."""
    cls_enrol, cls_group = _cls_enrol, _cls_group
    return exists(
        select(cls_enrol.id)
        .join(RoundGroup, RoundGroup.group_id == cls_enrol.group_id)
        .join(cls_group, cls_group.id == cls_enrol.group_id)
        .where(
            RoundGroup.round_id == round_id,
            cls_enrol.student_id == student_id,
            cls_enrol.active.is_(True),
            cls_group.active.is_(True),
        )
        .correlate_except(cls_enrol, RoundGroup, cls_group)
    )


def expected_entries(
    round_id: IdArg,
    *,
    teacher_id: IdArg | None = None,
    group_id: IdArg | None = None,
    student_id: IdArg | None = None,
) -> Select[*tuple[Any, ...]]:
    """The round's expected (student, subject group, teacher) entries, optionally narrowed."""
    student, teacher = _student, _teacher
    stmt = (
        select(
            Enrolment.student_id.label("student_id"),
            Group.id.label("group_id"),
            TeachingAssignment.teacher_id.label("teacher_id"),
            Group.subject.label("subject"),
            Group.title.label("group_title"),
        )
        .select_from(Enrolment)
        .join(Group, Group.id == Enrolment.group_id)
        .join(TeachingAssignment, TeachingAssignment.group_id == Group.id)
        .join(student, student.id == Enrolment.student_id)
        .join(teacher, teacher.id == TeachingAssignment.teacher_id)
        .where(
            Enrolment.active.is_(True),
            Group.active.is_(True),
            Group.subject.is_not(None),
            TeachingAssignment.active.is_(True),
            student.active.is_(True),
            student.kind == PersonKind.STUDENT,
            teacher.active.is_(True),
            student_in_round(round_id, Enrolment.student_id),
        )
    )
    if teacher_id is not None:
        stmt = stmt.where(TeachingAssignment.teacher_id == teacher_id)
    if group_id is not None:
        stmt = stmt.where(Group.id == group_id)
    if student_id is not None:
        stmt = stmt.where(Enrolment.student_id == student_id)
    return stmt


def feedback_join(round_id: IdArg, entries: object) -> ColumnElement[bool]:
    """The ON clause that matches a subquery of ``expected_entries`` with its feedback row."""
    c = entries.c  # type: ignore[attr-defined]
    return and_(
        Feedback.round_id == round_id,
        Feedback.student_id == c.student_id,
        Feedback.group_id == c.group_id,
        Feedback.teacher_id == c.teacher_id,
    )
