"""A platform event is claimed once, on both backends, also when two claims race; a claim made
in a transaction (``claim_in``, a turn's) commits and rolls back with it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.conversation.claims import claim, claim_in, forget_before
from storage.db import unit_of_work
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


def _count(factory: sessionmaker[Session]) -> int:
    with factory() as s:
        return int(s.scalar(select(func.count()).select_from(ProcessedEvent)) or 0)


def test_a_claim_in_a_transaction_rolls_back_with_it(
    session_factory: sessionmaker[Session],
) -> None:
    class Failed(Exception):
        pass

    try:
        with unit_of_work(session_factory) as s:
            assert claim_in(s, source="teams", event_id="act:1", now=NOW) is True
            assert claim_in(s, source="teams", event_id="act:1", now=NOW) is False
            raise Failed
    except Failed:
        pass
    assert _count(session_factory) == 0  # nothing claimed: the next delivery runs the turn
    with unit_of_work(session_factory) as s:
        assert claim_in(s, source="teams", event_id="act:1", now=NOW) is True
    with unit_of_work(session_factory) as s:
        assert claim_in(s, source="teams", event_id="act:1", now=NOW) is False
        assert claim_in(s, source="slack", event_id="act:1", now=NOW) is True
    # a claim made on its own and one made in a turn are the same claim
    assert claim(session_factory, source="teams", event_id="act:1", now=NOW) is False
    assert _count(session_factory) == 2


def test_of_racing_transactions_one_claims_and_the_others_see_it(
    session_factory: sessionmaker[Session],
) -> None:
    barrier = threading.Barrier(6)

    def race(_: int) -> bool:
        barrier.wait()
        with unit_of_work(session_factory) as s:
            return claim_in(s, source="teams", event_id="act:2" + "x" * 300, now=NOW)

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(race, range(6)))
    assert results.count(True) == 1
    assert _count(session_factory) == 1
