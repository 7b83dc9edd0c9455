"""Forget a person in other people's conversation state (used when a student is erased).

A ``DialogState`` is the JSON of a person's open conversation; a mentor mid-report or a
teacher mid-walk holds the student's id (``student_id``, ``sid``) and, in a teacher's walk, the
student's name next to it (``students: [[id, name, class], ...]``). Erasing the student must
leave nothing that points at them, so every state that holds the id under a student-like key
is *reset*: emptied, and its version raised so cards still on screen are recognised as stale.
The person's next turn starts at their home menu. Resetting the whole state rather than
editing it is deliberate: a flow half-way through a student has no sensible state without
that student, and a reset costs the user one tap.

A key is student-like when it is ``sid`` or contains ``student`` (``student_id``,
``students``, ``student_ids``); the id is matched anywhere below it, as number or digit string.
Other ids that happen to equal the student's (a round id) are not under such a key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from storage.models import DialogState, Person


def _student_key(key: str) -> bool:
    return key == "sid" or "student" in key


def _holds(value: Any, sid: int) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value == sid
    if isinstance(value, str):
        return value.strip() == str(sid)
    if isinstance(value, list | tuple):
        return any(_holds(v, sid) for v in value)
    if isinstance(value, dict):
        return any(_holds(v, sid) for v in value.values())
    return False


def mentions(state: Any, sid: int) -> bool:
    """Whether ``state`` holds ``sid`` under a student-like key, at any depth."""
    if isinstance(state, dict):
        return any(
            (_student_key(str(k)) and _holds(v, sid)) or mentions(v, sid) for k, v in state.items()
        )
    if isinstance(state, list | tuple):
        return any(mentions(v, sid) for v in state)
    return False


def reset_states_mentioning(
    session: Session, *, school_id: int, student_id: int, now: datetime
) -> int:
    """Reset the dialog state of every person of the school that mentions the student.

    The text of the JSON is searched for the id's digits first, so only candidate states are
    loaded. Returns how many states were reset.
    """
    candidates = session.scalars(
        select(DialogState)
        .join(Person, Person.id == DialogState.person_id)
        .where(
            Person.school_id == school_id,
            DialogState.person_id != student_id,
            cast(DialogState.state, String).contains(str(student_id)),
        )
    )
    n = 0
    for ds in candidates:
        if mentions(ds.state, student_id):
            ds.state = {}
            ds.version = (ds.version or 0) + 1
            ds.updated_at = now
            n += 1
    session.flush()
    return n
