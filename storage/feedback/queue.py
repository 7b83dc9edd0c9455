"""A teacher's queue in a round: the expected entries with what was written so far.

One statement each, whatever the size of the school: ``storage.cohort``'s expected entries,
narrowed to the teacher (and a group), outer-joined with ``Feedback``. Ordered by group title,
then family and given name, the order a teacher sees their class lists in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session

from storage.cohort import expected_entries, feedback_join
from storage.models import Feedback, Light, Person


@dataclass(frozen=True)
class QueueEntry:
    """One expected entry of a teacher, with the feedback written so far (if any)."""

    student_id: int
    student_name: str
    group_id: int
    group_title: str
    subject: str
    light: Light | None
    remark: str | None = None
    action: str | None = None
    version: int = 0

    @property
    def done(self) -> bool:
        return self.light is not None


def _queue_select(round_id: int, teacher_id: int, group_id: int | None) -> Select:  # type: ignore[type-arg]
    e = expected_entries(round_id, teacher_id=teacher_id, group_id=group_id).subquery()
    return (
        select(
            e.c.student_id,
            Person.display_name,
            e.c.group_id,
            e.c.group_title,
            e.c.subject,
            Feedback.light,
            Feedback.remark,
            Feedback.action,
            Feedback.version,
        )
        .select_from(e)
        .join(Person, Person.id == e.c.student_id)
        .outerjoin(Feedback, feedback_join(round_id, e))
        .order_by(e.c.group_title, e.c.group_id, Person.family_name, Person.given_name, Person.id)
    )


def _entry(row: Sequence[object]) -> QueueEntry:
    sid, name, gid, title, subject, light, remark, action, version = row
    return QueueEntry(
        student_id=sid,  # type: ignore[arg-type]
        student_name=name,  # type: ignore[arg-type]
        group_id=gid,  # type: ignore[arg-type]
        group_title=title,  # type: ignore[arg-type]
        subject=subject,  # type: ignore[arg-type]
        light=light,  # type: ignore[arg-type]
        remark=remark,  # type: ignore[arg-type]
        action=action,  # type: ignore[arg-type]
        version=version or 0,  # type: ignore[arg-type]
    )


def teacher_queue(
    session: Session, *, round_id: int, teacher_id: int, group_id: int | None = None
) -> list[QueueEntry]:
    """The teacher's students in the round, by group title, then family and given name."""
    return [_entry(r) for r in session.execute(_queue_select(round_id, teacher_id, group_id))]


def next_open_entry(
    session: Session,
    *,
    round_id: int,
    teacher_id: int,
    group_id: int | None = None,
    exclude: Sequence[tuple[int, int]] = (),
) -> QueueEntry | None:
    """The first entry of the queue without a light; ``exclude`` skips (student, group) pairs."""
    stmt = _queue_select(round_id, teacher_id, group_id).where(Feedback.id.is_(None))
    if exclude:
        sub = stmt.selected_columns
        stmt = stmt.where(tuple_(sub[0], sub[2]).not_in(list(exclude)))
    row = session.execute(stmt.limit(1)).first()
    return _entry(row) if row else None


def progress(
    session: Session, *, round_id: int, teacher_id: int, group_id: int | None = None
) -> tuple[int, int]:
    """(done, total) for the teacher in the round (optionally one group)."""
    e = expected_entries(round_id, teacher_id=teacher_id, group_id=group_id).subquery()
    done, total = session.execute(
        select(func.count(Feedback.id), func.count())
        .select_from(e)
        .outerjoin(Feedback, feedback_join(round_id, e))
    ).one()
    return int(done), int(total)
