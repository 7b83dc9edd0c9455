"""What the organizer sees of a round after close: how far the follow-through is.

Counts, never content: per class the students, and how many were shared with, read their
feedback, submitted a plan and have agreements; and the mentors with mentees not yet shared
with. Two statements whatever the school's size. The organizer reads it through the rule
(``Action.READ_FOLLOW_THROUGH``); the read is audited as one row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, aliased

from storage import audit
from storage.errors import NotFound
from storage.models import (
    ActionPlan,
    Agreement,
    Enrolment,
    Group,
    Mentorship,
    Person,
    PlanState,
    Round,
    RoundGroup,
    RoundState,
    Share,
)
from storage.names import person_sort_key
from storage.permissions import Action, Facts, require


@dataclass(frozen=True)
class ClassFollowThrough:
    group_id: int
    title: str
    students: int
    shared: int
    read: int
    submitted: int
    agreed: int

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.group_id,
            "title": self.title,
            "students": self.students,
            "shared": self.shared,
            "read": self.read,
            "plan_submitted": self.submitted,
            "agreements": self.agreed,
        }


@dataclass(frozen=True)
class MentorBehind:
    mentor_id: int
    name: str
    not_shared: int


@dataclass(frozen=True)
class FollowThroughStatus:
    round_id: int
    classes: tuple[ClassFollowThrough, ...]
    mentors_behind: tuple[MentorBehind, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "classes": [c.to_json() for c in self.classes],
            "mentors_not_shared": [
                {"id": m.mentor_id, "name": m.name, "not_shared": m.not_shared}
                for m in self.mentors_behind
            ],
        }


_student = aliased(Person)
_mentor = aliased(Person)


def follow_through(
    session: Session,
    *,
    round_id: int,
    actor_id: int | None = None,
    channel: str = "cli",
) -> FollowThroughStatus | None:
    """The round's follow-through, or None while the round is not closed (nothing follows
    yet). ``actor_id``: the organizer asking (checked and audited); None: the operator's CLI,
    which holds the database itself."""
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound(f"round {round_id} not found", what="round", ref=round_id)
    if actor_id is not None:
        actor = session.get(Person, actor_id)
        require(
            Action.READ_FOLLOW_THROUGH,
            Facts(
                same_school=actor is not None and actor.school_id == rnd.school_id,
                actor_active=actor is not None and actor.active,
                is_organizer=actor is not None and actor.is_organizer,
                round_state=rnd.state,
            ),
        )
    if rnd.state is not RoundState.CLOSED:
        return None
    rows = session.execute(
        select(
            Group.id,
            Group.title,
            _student.id,
            Share.id,
            Share.read_at,
            ActionPlan.state,
            Agreement.id,
        )
        .select_from(RoundGroup)
        .join(Group, Group.id == RoundGroup.group_id)
        .join(Enrolment, (Enrolment.group_id == Group.id) & Enrolment.active.is_(True))
        .join(_student, (_student.id == Enrolment.student_id) & _student.active.is_(True))
        .outerjoin(Share, (Share.round_id == round_id) & (Share.student_id == _student.id))
        .outerjoin(
            ActionPlan, (ActionPlan.round_id == round_id) & (ActionPlan.student_id == _student.id)
        )
        .outerjoin(
            Agreement, (Agreement.round_id == round_id) & (Agreement.student_id == _student.id)
        )
        .where(RoundGroup.round_id == round_id, Group.active.is_(True))
    ).all()
    counts: dict[int, list[object]] = {}
    for g_id, title, _s_id, share_id, read_at, plan, agreement_id in rows:
        c = counts.setdefault(g_id, [title, 0, 0, 0, 0, 0])
        c[1] = int(c[1]) + 1  # type: ignore[call-overload]
        c[2] = int(c[2]) + (share_id is not None)  # type: ignore[call-overload]
        c[3] = int(c[3]) + (read_at is not None)  # type: ignore[call-overload]
        c[4] = int(c[4]) + (plan == PlanState.SUBMITTED)  # type: ignore[call-overload]
        c[5] = int(c[5]) + (agreement_id is not None)  # type: ignore[call-overload]
    classes = tuple(
        ClassFollowThrough(g_id, str(c[0]), *(int(x) for x in c[1:]))  # type: ignore[call-overload]
        for g_id, c in sorted(counts.items(), key=lambda kv: (str(kv[1][0]), kv[0]))
    )
    behind = session.execute(
        select(
            _mentor.id,
            _mentor.display_name,
            _mentor.family_name,
            _mentor.given_name,
            func.count(distinct(_student.id)),
        )
        .select_from(Mentorship)
        .join(_mentor, _mentor.id == Mentorship.mentor_id)
        .join(_student, (_student.id == Mentorship.student_id) & _student.active.is_(True))
        .join(Enrolment, (Enrolment.student_id == _student.id) & Enrolment.active.is_(True))
        .join(
            RoundGroup,
            (RoundGroup.group_id == Enrolment.group_id) & (RoundGroup.round_id == round_id),
        )
        .outerjoin(Share, (Share.round_id == round_id) & (Share.student_id == _student.id))
        .where(Mentorship.active.is_(True), Share.id.is_(None))
        .group_by(_mentor.id, _mentor.display_name, _mentor.family_name, _mentor.given_name)
    ).all()
    mentors = tuple(
        MentorBehind(mentor_id=m_id, name=name, not_shared=int(n))
        for m_id, name, family, given, n in sorted(
            behind, key=lambda r: person_sort_key(r[2], r[3], r[0])
        )
    )
    if actor_id is not None:
        audit.record(
            session,
            school_id=rnd.school_id,
            actor_id=actor_id,
            operation="read",
            entity="follow_through",
            round_id=round_id,
            count=len(classes),
            channel=channel,
        )
    return FollowThroughStatus(round_id=round_id, classes=classes, mentors_behind=mentors)
