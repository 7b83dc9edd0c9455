"""The teacher's side of a round: the queue of students, progress, and writing feedback.

This module is the entry point for feedback: callers import from here. It holds
``record_feedback`` and re-exports the queue (``storage.feedback.queue``), filling a group
(``storage.feedback.bulk``) and the reads (``storage.feedback.reads``: one round's feedback on
a student; ``storage.feedback.history``: earlier rounds).

Every function here issues a fixed number of statements whatever the size of the school:
the queue, the progress and the next open entry are one statement each; ``record_feedback``
gathers all its facts and the id of an existing entry in one statement, then inserts the new
row (or reads and updates the existing one) and writes the audit row: 3 statements for a new
entry, 4 for a revision. Its statements are built once at import with bound parameters, so
SQLAlchemy's compiled cache serves every call.

Text is stored exactly as typed; a remark or action that is empty or only whitespace counts as
absent (``None``), both for storing and for the school's mandatory-field rule
(``storage.feedback.write``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage import audit
from storage.cohort import expected_entries
from storage.db import core
from storage.feedback.bulk import bulk_fill, earlier_concerns
from storage.feedback.history import HistoryItem, histories_for, subject_history
from storage.feedback.queue import QueueEntry, next_open_entry, progress, teacher_queue
from storage.feedback.reads import FeedbackView, feedback_visible_to
from storage.feedback.write import (
    ACTOR_ID,
    GROUP_ID,
    NEW_COLUMNS,
    ROUND_ID,
    STUDENT_ID,
    check_texts,
    facts_select,
    light_of,
    write_facts,
)
from storage.free_text import blank_to_none
from storage.models import Feedback, Light
from storage.permissions import Action, require

__all__ = [
    "FeedbackView",
    "HistoryItem",
    "QueueEntry",
    "bulk_fill",
    "earlier_concerns",
    "feedback_visible_to",
    "histories_for",
    "next_open_entry",
    "progress",
    "record_feedback",
    "subject_history",
    "teacher_queue",
]


_KEY = (
    Feedback.round_id == ROUND_ID,
    Feedback.student_id == STUDENT_ID,
    Feedback.group_id == GROUP_ID,
    Feedback.teacher_id == ACTOR_ID,
)
# Built once, with bound parameters, so every call hits SQLAlchemy's compiled-statement cache.
_FACTS_ONE = facts_select(
    expected_entries(
        ROUND_ID, teacher_id=ACTOR_ID, group_id=GROUP_ID, student_id=STUDENT_ID
    ).exists(),
    select(Feedback.id).where(*_KEY).scalar_subquery(),
)
_BY_KEY = select(Feedback).where(*_KEY).with_for_update()
_INSERTS: dict[str, Any] = {}


@dataclass(frozen=True)
class SavedFeedback:
    """What ``record_feedback`` wrote: the entry's columns as they now are in the database."""

    id: int
    round_id: int
    student_id: int
    group_id: int
    teacher_id: int
    subject: str
    light: Light
    remark: str | None
    action: str | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, fb: Feedback) -> SavedFeedback:
        return cls(fb.id, *(getattr(fb, c) for c in NEW_COLUMNS))


def _insert_new(session: Session, values: dict[str, Any]) -> SavedFeedback | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING the id: None when the entry already exists
    (a double submit racing this one), so a retry never fails with a key error.

    A Core statement built once per dialect; no ORM object is made for the new row (every
    column is known, and nothing in the turn needs one)."""
    dialect = session.get_bind().dialect.name
    stmt = _INSERTS.get(dialect)
    if stmt is None:
        ins: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
        stmt = _INSERTS[dialect] = (
            ins(Feedback.__table__)
            .values({c: bindparam(f"new_{c}") for c in NEW_COLUMNS})
            .on_conflict_do_nothing(
                index_elements=["round_id", "student_id", "group_id", "teacher_id"]
            )
            .returning(Feedback.__table__.c.id)
        )
    new_id = core(session).execute(stmt, {f"new_{c}": values[c] for c in NEW_COLUMNS}).scalar()
    if new_id is None:
        return None
    return SavedFeedback(new_id, *(values[c] for c in NEW_COLUMNS))


def _revise(fb: Feedback, light: Light, texts: dict[str, str | None], now: datetime) -> None:
    """Apply a revision; an identical resubmit (a stale button) changes nothing."""
    if (fb.light, fb.remark, fb.action) != (light, texts["remark"], texts["action"]):
        fb.light, fb.remark, fb.action = light, texts["remark"], texts["action"]
        fb.version += 1
        fb.updated_at = now


def record_feedback(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    student_id: int,
    group_id: int,
    light: Light | int,
    remark: str | None,
    action: str | None,
    now: datetime,
    channel: str,
) -> SavedFeedback:
    """Write or revise the actor's feedback for one student in one subject group."""
    light = light_of(light)
    key = {
        "round_id": round_id,
        "actor_id": actor_id,
        "group_id": group_id,
        "student_id": student_id,
    }
    school_id, settings, facts, subject, existing = write_facts(session, _FACTS_ONE, key)
    require(Action.WRITE_FEEDBACK, facts)
    texts = {"remark": blank_to_none(remark), "action": blank_to_none(action)}
    check_texts(settings, light, texts)
    fb = session.scalars(_BY_KEY, key).first() if existing is not None else None
    saved: SavedFeedback | None = None
    if fb is None:
        saved = _insert_new(
            session,
            dict(
                round_id=round_id,
                student_id=student_id,
                group_id=group_id,
                teacher_id=actor_id,
                subject=subject or "",
                light=light,
                remark=texts["remark"],
                action=texts["action"],
                version=1,
                created_at=now,
                updated_at=now,
            ),
        )
        if saved is None:  # a concurrent submit of the same entry won: revise that one
            fb = session.scalars(_BY_KEY, key).one()
            _revise(fb, light, texts, now)
    else:
        _revise(fb, light, texts, now)
    audit.record(
        session,
        school_id=school_id,
        actor_id=actor_id,
        operation="write",
        entity="feedback",
        student_id=student_id,
        round_id=round_id,
        channel=channel,
        at=now,
    )
    if saved is not None:
        return saved
    assert fb is not None
    session.flush()
    return SavedFeedback.of(fb)
