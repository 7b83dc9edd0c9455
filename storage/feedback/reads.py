"""Reading one round's feedback on a student: each subject's entries that the actor may read.

The facts of the case come from ``storage.feedback.access`` (one statement), the rows from one
more; every row is decided on its own and reading colleagues' entries is audited. Reached
through ``storage.feedback.entries``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from storage.feedback.access import audit_others, context
from storage.models import Feedback, Group, Light, Person
from storage.permissions import Action, Facts, decide


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


def feedback_visible_to(
    session: Session, *, actor_id: int, round_id: int, student_id: int, channel: str
) -> list[FeedbackView]:
    """The student's feedback in the round that the actor may read, by subject."""
    rnd, settings, actor, s_school, shared = context(
        session, actor_id=actor_id, round_id=round_id, student_id=student_id
    )
    teacher = aliased(Person)
    rows = session.execute(
        select(Feedback, Group.title, teacher.display_name)
        .join(Group, Group.id == Feedback.group_id)
        .join(teacher, teacher.id == Feedback.teacher_id)
        .where(Feedback.round_id == round_id, Feedback.student_id == student_id)
        .order_by(func.lower(Feedback.subject), Group.title, teacher.display_name, Feedback.id)
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
    audit_others(
        session,
        school_id=rnd.school_id,
        actor_id=actor_id,
        others=sum(1 for v in out if v.teacher_id != actor_id),
        student_id=student_id,
        round_id=round_id,
        channel=channel,
    )
    return out
