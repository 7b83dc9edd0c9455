"""A platform event is claimed once, on both backends, also when two claims race."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.conversation.claims import claim, forget_before
from storage.models import ProcessedEvent

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_first_claim_wins_and_repeats_lose(session_factory: sessionmaker[Session]) -> None:
    assert claim(session_factory, source="slack", event_id="ev:1", now=NOW) is True
    assert claim(session_factory, source="slack", event_id="ev:1", now=NOW) is False
    assert claim(session_factory, source="teams", event_id="ev:1", now=NOW) is True
    with ThreadPoolExecutor(8) as pool:
        results = list(
            pool.map(
                lambda _: claim(session_factory, source="slack", event_id="ev:2", now=NOW),
                range(8),
            )
        )
    assert results.count(True) == 1
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedEvent)) == 3


def test_old_claims_are_forgotten(session_factory: sessionmaker[Session]) -> None:
    claim(session_factory, source="slack", event_id="old", now=NOW - timedelta(days=2))
    claim(session_factory, source="slack", event_id="new", now=NOW)
    assert forget_before(session_factory, before=NOW - timedelta(days=1)) == 1
    assert claim(session_factory, source="slack", event_id="new", now=NOW) is False
