"""Linking a new user's account is race-safe: two first turns at once give one link."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_session_factory
from storage.models import ChannelAccount, Person, PersonKind, School
from storage.people.accounts import link_account
from storage.people.identity import resolve_person
from tests.support.builders import person

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
TURN = dict(channel="teams", tenant="t-1", user_id="aad-anna", demo=False, now=NOW)


def _school(factory: sessionmaker[Session]) -> int:
    with factory.begin() as s:
        school = School(name="Race", roster_id="race", teams_tenant_id="t-1")
        s.add(school)
        s.flush()
        anna = person(s, school.id, "anna", PersonKind.STUDENT)
        s.flush()
        return anna.id


@pytest.fixture
def pg_factory(pg_url: str) -> Iterator[sessionmaker[Session]]:
    eng = make_engine(pg_url)
    yield make_session_factory(eng)
    eng.dispose()


def test_two_first_turns_at_once_on_postgresql(pg_factory: sessionmaker[Session]) -> None:
    """The second turn waits for the first one's insert, then finds its row: no error."""
    anna = _school(pg_factory)
    first = pg_factory()
    found = resolve_person(first, email="ANNA@school.example", **TURN)  # type: ignore[arg-type]
    assert found is not None and found.id == anna  # inserted, not yet committed
    result: dict[str, object] = {}

    def second_turn() -> None:
        try:
            with pg_factory.begin() as s:
                p = resolve_person(s, email="anna@school.example", **TURN)  # type: ignore[arg-type]
                result["person"] = p.id if p else None
        except Exception as exc:  # the failure this test is about
            result["error"] = exc

    worker = threading.Thread(target=second_turn)
    worker.start()
    worker.join(0.5)
    assert worker.is_alive()  # blocked on the first turn's uncommitted row
    first.commit()
    first.close()
    worker.join(10)
    assert result == {"person": anna}
    with pg_factory() as s:
        assert s.scalar(select(func.count()).select_from(ChannelAccount)) == 1


def test_link_then_relink_keeps_one_row(session_factory: sessionmaker[Session]) -> None:
    anna = _school(session_factory)
    with session_factory.begin() as s:
        p = s.get(Person, anna)
        assert p is not None
        a = link_account(s, person=p, channel="slack", tenant="T", user_id="U1", now=NOW)
        b = link_account(s, person=p, channel="slack", tenant="T", user_id="U1", now=NOW)
        assert a.id == b.id and a.person_id == anna
        again = resolve_person(
            s, channel="slack", tenant="T", user_id="U1", email=None, demo=False, now=NOW
        )
        assert again is not None and again.id == anna
        assert s.scalar(select(func.count()).select_from(ChannelAccount)) == 1
