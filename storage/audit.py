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

from sqlalchemy import bindparam, insert
from sqlalchemy.orm import Session

from storage.db import core
from storage.frozen import Frozen
from storage.models import AuditEntry, utcnow

_COLUMNS: tuple[str, ...] = ("school_id", "actor_id", "operation", "entity", "student_id")
_COLUMNS += ("round_id", "count", "channel", "at")
_t = AuditEntry.__table__.c  # type: ignore[attr-defined]
# Every column bound by name (an INSERT reserves the columns' own names), compiled once per
# dialect (``storage.frozen``): every teacher turn writes a row.
_INSERT = Frozen(
    insert(AuditEntry.__table__).values(  # type: ignore[arg-type]
        {c: bindparam(f"a_{c}", type_=_t[c].type) for c in _COLUMNS}
    )
)


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
    row = {
        "school_id": school_id,
        "actor_id": actor_id,
        "operation": operation,
        "entity": entity,
        "student_id": student_id,
        "round_id": round_id,
        "count": count,
        "channel": channel,
        "at": at or utcnow(),
    }
    _INSERT.execute(core(session), {f"a_{c}": v for c, v in row.items()})


def record_many(session: Session, rows: list[dict[str, object]]) -> None:
    """Several rows (each with ``record``'s keywords, ``at`` required) in one statement: an
    ``executemany`` for more than one."""
    defaults = {"student_id": None, "round_id": None, "count": 1, "channel": "cli"}
    params = [{f"a_{c}": v for c, v in {**defaults, **row}.items()} for row in rows]
    _INSERT.execute(core(session), params[0] if len(params) == 1 else params)
