"""Requests acknowledged before their turn ran, kept until the turn is done: nothing a platform
was told "received" is lost to a crash, and nothing is done twice.

Slack gets its 200 within milliseconds and then never resends; the turn (the save) runs after
the ack. So the request is written here first (``receive``: its own short transaction, before
the ack), and marked done in the same transaction as the turn that handles it
(``mark_done``, conditional: of two runs of one request only the first to commit counts, the
other rolls back). What a crash left undone is taken again (``take_due``: by one process at a
time, after ``grace`` so a turn still running elsewhere is not doubled) and run again until it
is done, at most ``MAX_ATTEMPTS`` times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import InboxEntry

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Pending:
    source: str
    key: str
    body: dict[str, Any]
    attempts: int


def receive(
    factory: sessionmaker[Session], *, source: str, key: str, body: dict[str, Any], now: datetime
) -> bool:
    """Keep the request (committed before this returns); False when it was kept already."""
    session = factory()
    try:
        session.add(
            InboxEntry(source=source, key=key[:200], body=body, received_at=now, attempts=0)
        )
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
        return False
    finally:
        session.close()


def mark_done(session: Session, *, source: str, key: str, now: datetime) -> bool:
    """In the turn's transaction: mark the request done. False when it was done already (by
    another run): the caller rolls its turn back. True also for a request never kept."""
    result = session.execute(
        update(InboxEntry)
        .where(
            InboxEntry.source == source,
            InboxEntry.key == key[:200],
            InboxEntry.done_at.is_(None),
        )
        .values(done_at=now)
        .returning(InboxEntry.id)
        .execution_options(synchronize_session=False)
    )
    if result.first() is not None:
        return True
    kept = session.scalar(
        select(InboxEntry.id).where(InboxEntry.source == source, InboxEntry.key == key[:200])
    )
    return kept is None


def finish(factory: sessionmaker[Session], *, source: str, key: str, now: datetime) -> None:
    """Mark the request done on its own (work that ran no turn, or a turn that failed)."""
    with factory.begin() as session:
        mark_done(session, source=source, key=key, now=now)


def take_due(
    factory: sessionmaker[Session], *, source: str, now: datetime, grace: timedelta, limit: int = 50
) -> list[Pending]:
    """Requests not done, received (and last taken) more than ``grace`` ago, each taken by
    this caller alone (a conditional update); those tried ``MAX_ATTEMPTS`` times are given up
    (marked done) and not returned."""
    cutoff = now - grace
    with factory() as session:
        rows = session.execute(
            select(InboxEntry.id, InboxEntry.key, InboxEntry.body, InboxEntry.attempts)
            .where(
                InboxEntry.source == source,
                InboxEntry.done_at.is_(None),
                InboxEntry.received_at < cutoff,
                or_(InboxEntry.taken_at.is_(None), InboxEntry.taken_at < cutoff),
            )
            .order_by(InboxEntry.received_at)
            .limit(limit)
        ).all()
    out: list[Pending] = []
    for row in rows:
        with factory.begin() as session:
            taken = session.execute(
                update(InboxEntry)
                .where(
                    InboxEntry.id == row.id,
                    InboxEntry.done_at.is_(None),
                    or_(InboxEntry.taken_at.is_(None), InboxEntry.taken_at < cutoff),
                )
                .values(
                    taken_at=now,
                    attempts=InboxEntry.attempts + 1,
                    done_at=now if row.attempts >= MAX_ATTEMPTS else None,
                )
                .returning(InboxEntry.id)
                .execution_options(synchronize_session=False)
            ).first()
        if taken is not None and row.attempts < MAX_ATTEMPTS:
            out.append(Pending(source, row.key, dict(row.body), row.attempts + 1))
    return out


def forget_before(factory: sessionmaker[Session], *, before: datetime) -> int:
    """Drop requests done before ``before``."""
    with factory.begin() as session:
        result = session.execute(
            delete(InboxEntry).where(
                and_(InboxEntry.done_at.is_not(None), InboxEntry.done_at < before)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
