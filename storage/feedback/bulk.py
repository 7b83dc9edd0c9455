"""Filling a group at once: one light for every student of the actor's group without an entry.

Never overwrites; refused when the school requires a remark or action for that light. The
facts are one statement (``storage.feedback.write``), the insert one more, and one audit row
counts the entries written. Reached through ``storage.feedback.entries``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, insert, literal, select
from sqlalchemy.orm import Session

from storage import audit
from storage.cohort import expected_entries, feedback_join
from storage.feedback.write import (
    ACTOR_ID,
    GROUP_ID,
    NEW_COLUMNS,
    ROUND_ID,
    check_texts,
    facts_select,
    light_of,
    write_facts,
)
from storage.models import Feedback, Light, LightType, UTCDateTime
from storage.permissions import Action, require

# Built once, with bound parameters, so every call hits SQLAlchemy's compiled-statement cache.
_FACTS_GROUP = facts_select(
    expected_entries(ROUND_ID, teacher_id=ACTOR_ID, group_id=GROUP_ID).exists()
)
# A filled entry has no texts; the columns in the order ``bulk_fill``'s select gives them.
_FILLED_COLUMNS = [c for c in NEW_COLUMNS if c not in ("remark", "action")]


def bulk_fill(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    group_id: int,
    light: Light | int,
    now: datetime,
    channel: str,
) -> list[int]:
    """Give ``light`` to the actor's students in the group who have no entry yet; never
    overwrites. Refused when the school requires a remark or action for that light."""
    light = light_of(light)
    key = {"round_id": round_id, "actor_id": actor_id, "group_id": group_id}
    school_id, settings, facts, _subject, _none = write_facts(session, _FACTS_GROUP, key)
    require(Action.WRITE_FEEDBACK, facts)
    check_texts(settings, light, {"remark": None, "action": None})
    e = expected_entries(round_id, teacher_id=actor_id, group_id=group_id).subquery()
    missing = ~exists(select(Feedback.id).where(feedback_join(round_id, e)))
    source = select(
        literal(round_id),
        e.c.student_id,
        e.c.group_id,
        e.c.teacher_id,
        e.c.subject,
        literal(light, LightType()),
        literal(1),
        literal(now, UTCDateTime()),
        literal(now, UTCDateTime()),
    ).where(missing)
    stmt = insert(Feedback).from_select(_FILLED_COLUMNS, source).returning(Feedback.student_id)
    filled = sorted(session.scalars(stmt).all())
    if filled:
        audit.record(
            session,
            school_id=school_id,
            actor_id=actor_id,
            operation="write",
            entity="feedback",
            round_id=round_id,
            count=len(filled),
            channel=channel,
            at=now,
        )
        session.flush()
    return filled
