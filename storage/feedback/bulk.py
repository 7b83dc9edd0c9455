"""Filling a group at once: one light for every student of the actor's group without an entry.

Never overwrites; refused when the school requires a remark or action for that light. The
facts are one statement (``storage.feedback.write``), the insert one more, and one audit row
counts the entries written. ``exclude`` leaves students out (the teacher chose not to include
those who had Let op or Pas op last time: ``earlier_concerns``, one statement more, each
earlier row read through ``decide`` and audited). Reached through ``storage.feedback.entries``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from sqlalchemy import exists, func, insert, literal, select
from sqlalchemy.orm import Session, aliased

from storage import audit
from storage.cohort import expected_entries, feedback_join
from storage.feedback.access import audit_others
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
from storage.models import Feedback, Light, LightType, Round, RoundState, UTCDateTime
from storage.permissions import Action, decide, require

CONCERNS = (Light.LET_OP, Light.PAS_OP)

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
    exclude: Collection[int] = (),
) -> list[int]:
    """Give ``light`` to the actor's students in the group who have no entry yet, except those
    in ``exclude``; never overwrites. Refused when the school requires a remark or action for
    that light."""
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
    if exclude:
        source = source.where(e.c.student_id.not_in(list(exclude)))
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


def earlier_concerns(
    session: Session, *, actor_id: int, round_id: int, group_id: int, channel: str
) -> dict[int, Light]:
    """The actor's students in the group without an entry yet whose light for this subject in
    the latest earlier (closed) round of the school was Let op or Pas op: student id -> that
    light (the worse one when several teachers gave one). The teacher may read it (students
    they teach, closed rounds: ``decide``); colleagues' rows read are audited as one read."""
    key = {"round_id": round_id, "actor_id": actor_id, "group_id": group_id}
    school_id, _settings, facts, _subject, _none = write_facts(session, _FACTS_GROUP, key)
    require(Action.WRITE_FEEDBACK, facts)
    e = expected_entries(round_id, teacher_id=actor_id, group_id=group_id).subquery()
    missing = ~exists(select(Feedback.id).where(feedback_join(round_id, e)))
    current, earlier = aliased(Round), aliased(Round)
    old = aliased(Feedback)  # the earlier rows; ``missing`` speaks of this round's
    rows = session.execute(
        select(old.student_id, old.light, earlier.deadline, earlier.state, old.teacher_id)
        .select_from(e)
        .join(
            old,
            (old.student_id == e.c.student_id)
            & (func.lower(old.subject) == func.lower(e.c.subject)),
        )
        .join(earlier, earlier.id == old.round_id)
        .join(current, current.id == round_id)
        .where(
            missing,
            earlier.school_id == current.school_id,
            earlier.state == RoundState.CLOSED,
            earlier.deadline < current.deadline,
        )
    ).all()
    latest: dict[int, tuple[datetime, Light]] = {}
    read = 0
    for student_id, light, deadline, state, teacher_id in rows:
        own = teacher_id == actor_id
        row_facts = replace(facts, teaches_student=True, round_state=state, is_author=own)
        if not decide(Action.READ_FEEDBACK, row_facts):
            continue
        read += 0 if own else 1  # a colleague's entry is a read of others' data
        seen = latest.get(student_id)
        if seen is None or deadline > seen[0] or (deadline == seen[0] and light > seen[1]):
            latest[student_id] = (deadline, light)
    audit_others(
        session,
        school_id=school_id,
        actor_id=actor_id,
        others=read,
        student_id=None,
        round_id=round_id,
        channel=channel,
    )
    return {sid: light for sid, (_, light) in latest.items() if light in CONCERNS}
