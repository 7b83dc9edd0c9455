"""Which rounds concern a person, newest first: for choosing a round in a conversation.

Only listing; what the person may then see or do is decided by the operations themselves.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.cohort import student_in_round
from storage.models import Mentorship, Round, RoundState, Share
from storage.rounds.lifecycle import rounds_for_teacher


def rounds_for_mentor(session: Session, *, mentor_id: int, school_id: int) -> list[Round]:
    """Open and closed rounds of the school that cover at least one of the mentor's students."""
    covers = (
        select(Mentorship.id)
        .where(
            Mentorship.mentor_id == mentor_id,
            Mentorship.active.is_(True),
            student_in_round(Round.id, Mentorship.student_id),
        )
        .exists()
    )
    return list(
        session.scalars(
            select(Round)
            .where(Round.school_id == school_id, Round.state != RoundState.DRAFT, covers)
            .order_by(Round.deadline.desc(), Round.id.desc())
        )
    )


def closed_rounds_taught(session: Session, *, teacher_id: int) -> list[Round]:
    """Closed rounds of the teacher's school in which they have students (expected entries, as
    in the walk), most recent first: the rounds of the teacher's read-only view."""
    return rounds_for_teacher(session, teacher_id=teacher_id, states=(RoundState.CLOSED,))[::-1]


def rounds_shared_with(session: Session, *, student_id: int) -> list[Round]:
    """Rounds whose feedback the mentor shared with the student."""
    return list(
        session.scalars(
            select(Round)
            .join(Share, Share.round_id == Round.id)
            .where(Share.student_id == student_id)
            .order_by(Round.deadline.desc(), Round.id.desc())
        )
    )


def rounds_of_school(session: Session, *, school_id: int, limit: int = 10) -> list[Round]:
    """The school's rounds, open first, then drafts, then the latest closed."""
    order = {RoundState.OPEN: 0, RoundState.DRAFT: 1, RoundState.CLOSED: 2}
    rounds = session.scalars(
        select(Round)
        .where(Round.school_id == school_id)
        .order_by(Round.deadline.desc(), Round.id.desc())
        .limit(50)
    ).all()
    return sorted(rounds, key=lambda r: order[r.state])[:limit]
