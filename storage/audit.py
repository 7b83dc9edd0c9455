"""The append-only audit log of reads and writes of feedback.

Every read of *another person's* feedback (a mentor reading a mentee's report, a teacher
reading colleagues' feedback after close, a student reading shared feedback, an export) and
every write is recorded: who, what, about which student, when, through which channel.
Rows are only ever inserted; erasing a student nulls ``student_id`` (the FK says so).

``record`` writes the row at once with one prepared INSERT (no ORM object, no flush): it runs
on every teacher turn, and every id it refers to already exists in the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from storage.db import core
from storage.models import AuditEntry, utcnow

_INSERT = insert(AuditEntry.__table__)  # type: ignore[arg-type]


def record(
    session: Session,
    *,
    school_id: int,
    actor_id: int | None,
    operation: str,
    entity: str,
    student_id: int | None = None,
    round_id: int | None = None,
    count: int = 1,
    channel: str = "cli",
    at: datetime | None = None,
) -> None:
    core(session).execute(
        _INSERT,
        {
            "school_id": school_id,
            "actor_id": actor_id,
            "operation": operation,
            "entity": entity,
            "student_id": student_id,
            "round_id": round_id,
            "count": count,
            "channel": channel,
            "at": at or utcnow(),
        },
    )


def record_many(session: Session, rows: list[dict[str, object]]) -> None:
    """Several rows (each with ``record``'s keywords, ``at`` required) in one statement: an
    ``executemany`` for more than one."""
    params = [
        {"student_id": None, "round_id": None, "count": 1, "channel": "cli", **row} for row in rows
    ]
    core(session).execute(_INSERT, params[0] if len(params) == 1 else params)
