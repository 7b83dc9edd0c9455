"""At most once per platform event: a retried delivery is recognised, not redone.

``claim`` inserts ``ProcessedEvent(source, event_id)`` in its own short transaction; the unique
constraint decides the race between a delivery and its retry, on SQLite and PostgreSQL alike.
Claiming before the work means a crash between the claim and the turn loses that one turn (the
user presses again) rather than doing it twice, which for a chat message is the kinder failure.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage.models import ProcessedEvent


def claim(factory: sessionmaker[Session], *, source: str, event_id: str, now: datetime) -> bool:
    """True the first time ``(source, event_id)`` is seen, False for every repeat."""
    session = factory()
    try:
        session.add(ProcessedEvent(source=source, event_id=event_id[:200], received_at=now))
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
        return False
    finally:
        session.close()


def forget_before(factory: sessionmaker[Session], *, before: datetime) -> int:
    """Drop claims older than ``before`` (platforms retry for minutes, not days)."""
    with factory.begin() as session:
        result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < before))
        return int(getattr(result, "rowcount", 0) or 0)
