"""What the organizer sees of a round: completion overall, per teacher and per group.

Completion, never content: counts of expected entries and of entries with feedback. Three
statements whatever the school's size (the round, the per-teacher counts, the per-group counts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.cohort import expected_entries, feedback_join
from storage.errors import NotFound
from storage.models import Enrolment, Feedback, Group, Person, Round, RoundGroup, RoundState
from storage.names import person_sort_key


@dataclass(frozen=True)
class TeacherProgress:
    teacher_id: int
    name: str
    done: int
    total: int

    @property
    def started(self) -> bool:
        return self.done > 0


@dataclass(frozen=True)
class GroupProgress:
    """Completion of a group the round covers (a class), over all its students' entries."""

    group_id: int
    title: str
    done: int
    total: int


@dataclass(frozen=True)
class RoundStatus:
    round_id: int
    name: str
    state: RoundState
    deadline: datetime
    done: int
    total: int
    teachers: tuple[TeacherProgress, ...]
    groups: tuple[GroupProgress, ...]

    @property
    def not_started(self) -> tuple[TeacherProgress, ...]:
        return tuple(t for t in self.teachers if not t.started)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.round_id,
            "name": self.name,
            "state": self.state.value,
            "deadline": self.deadline.isoformat(),
            "done": self.done,
            "total": self.total,
            "teachers": [
                {
                    "id": t.teacher_id,
                    "name": t.name,
                    "done": t.done,
                    "total": t.total,
                    "started": t.started,
                }
                for t in self.teachers
            ],
            "groups": [
                {"id": g.group_id, "title": g.title, "done": g.done, "total": g.total}
                for g in self.groups
            ],
            "not_started": [t.name for t in self.not_started],
        }


def round_status(session: Session, *, round_id: int) -> RoundStatus:
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound(f"round {round_id} not found", what="round", ref=round_id)
    e = expected_entries(round_id).subquery()
    per_teacher = sorted(
        session.execute(
            select(
                Person.id,
                Person.display_name,
                func.count(Feedback.id),
                func.count(),
                Person.family_name,
                Person.given_name,
            )
            .select_from(e)
            .join(Person, Person.id == e.c.teacher_id)
            .outerjoin(Feedback, feedback_join(round_id, e))
            .group_by(Person.id, Person.display_name, Person.family_name, Person.given_name)
        ).all(),
        key=lambda r: person_sort_key(r[4], r[5], r[0]),
    )
    # Per group: first each student's (done, total), then summed over the group's members,
    # so the join of expected entries with enrolments never multiplies.
    per_student = (
        select(
            e.c.student_id,
            func.count(Feedback.id).label("done"),
            func.count().label("total"),
        )
        .select_from(e)
        .outerjoin(Feedback, feedback_join(round_id, e))
        .group_by(e.c.student_id)
        .subquery()
    )
    per_group = session.execute(
        select(
            Group.id,
            Group.title,
            func.coalesce(func.sum(per_student.c.done), 0),
            func.coalesce(func.sum(per_student.c.total), 0),
        )
        .select_from(RoundGroup)
        .join(Group, Group.id == RoundGroup.group_id)
        .outerjoin(Enrolment, (Enrolment.group_id == Group.id) & Enrolment.active.is_(True))
        .outerjoin(per_student, per_student.c.student_id == Enrolment.student_id)
        .where(RoundGroup.round_id == round_id)
        .group_by(Group.id, Group.title)
        .order_by(Group.title, Group.id)
    ).all()
    teachers = tuple(
        TeacherProgress(teacher_id=i, name=n, done=d, total=t) for i, n, d, t, _f, _g in per_teacher
    )
    return RoundStatus(
        round_id=rnd.id,
        name=rnd.name,
        state=rnd.state,
        deadline=rnd.deadline,
        done=sum(t.done for t in teachers),
        total=sum(t.total for t in teachers),
        teachers=teachers,
        groups=tuple(
            GroupProgress(group_id=i, title=ti, done=int(d), total=int(t))
            for i, ti, d, t in per_group
        ),
    )
