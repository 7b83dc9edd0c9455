"""At most once per platform event: a retried delivery is recognised, not redone.

A claim is a ``ProcessedEvent(source, event_id)`` row; the unique constraint decides the race
between a delivery and its retry, on SQLite and PostgreSQL alike.

``claim_in`` claims inside the caller's transaction, the turn's own (``dialogs.engine``, for an
``Incoming.receipt`` that is not kept): one ``INSERT ... ON CONFLICT DO NOTHING RETURNING``. The
claim commits with what the turn did and rolls back with it, so a redelivery of an answered
activity does nothing, and a turn that failed and was rolled back is not lost either: its
redelivery runs it. On PostgreSQL a racing duplicate's insert waits for the first transaction
and then finds the row; on SQLite the database write lock orders the two.

``claim`` claims in its own short transaction, for work that is no dialog turn (a Teams file
upload's consent, Slack's deliveries): a crash between that claim and the work loses the work
(the user presses again) rather than doing it twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from storage.db import core, unit_of_work
from storage.models import ProcessedEvent

_t = ProcessedEvent.__table__.c  # type: ignore[attr-defined]
_ROW = {
    "source": bindparam("source"),
    "event_id": bindparam("event_id"),
    "received_at": bindparam("received_at", type_=_t.received_at.type),
}
_INSERT: dict[str, Any] = {
    name: dialect.insert(ProcessedEvent.__table__)  # type: ignore[attr-defined]
    .values(**_ROW)
    .on_conflict_do_nothing(index_elements=["source", "event_id"])
    .returning(_t.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def claim_in(session: Session, *, source: str, event_id: str, now: datetime) -> bool:
    """In the caller's transaction: True the first time ``(source, event_id)`` is claimed
    (the claim commits or rolls back with the transaction), False when it was claimed."""
    conn = core(session)
    stmt = _INSERT.get(conn.dialect.name, _INSERT["sqlite"])
    params = {"source": source, "event_id": event_id[:200], "received_at": now}
    # RETURNING rather than rowcount: psycopg reports no rowcount for these statements
    return conn.execute(stmt, params).first() is not None


def claim(factory: sessionmaker[Session], *, source: str, event_id: str, now: datetime) -> bool:
    """True the first time ``(source, event_id)`` is seen, False for every repeat (committed
    before this returns): ``claim_in`` in a transaction of its own."""
    with unit_of_work(factory) as session:
        return claim_in(session, source=source, event_id=event_id, now=now)


def forget_before(factory: sessionmaker[Session], *, before: datetime) -> int:
    """Drop claims older than ``before`` (platforms retry for minutes, not days)."""
    with factory.begin() as session:
        result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < before))
        return int(getattr(result, "rowcount", 0) or 0)
