"""Read receipts: the student opened the feedback their mentor shared.

``mark_read`` records the first time only (the moment stays what it was on every later
opening), asks the rule (``Action.MARK_READ``: the student, once the feedback is shared) and
audits the receipt. The mentor's class picture and the organizer's follow-through status read
``Share.read_at``; the plan reminder words itself after it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.mentoring.case import gather
from storage.models import Share
from storage.permissions import Action, require


def mark_read(
    session: Session,
    *,
    student_id: int,
    round_id: int,
    now: datetime,
    channel: str = "cli",
) -> bool:
    """Record that the student read the round's shared feedback; True when this was the first
    time. NotAllowed (with the rule's reason) when the feedback is not theirs to see."""
    case = gather(session, actor_id=student_id, student_id=student_id, round_id=round_id)
    require(Action.MARK_READ, case.facts)
    done = session.execute(
        update(Share)
        .where(Share.round_id == round_id, Share.student_id == student_id, Share.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    first = bool(done.rowcount)  # type: ignore[attr-defined]
    if first:
        case.audit(
            session,
            actor_id=student_id,
            operation="write",
            entity="read_receipt",
            channel=channel,
            at=now,
        )
    return first
