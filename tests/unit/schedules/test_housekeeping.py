"""The daily housekeeping job under a controlled clock: old data goes, recent data stays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from schedules import job_context, jobs
from storage.conversation.claims import claim
from storage.db import unit_of_work
from storage.models import ProcessedEvent, Round, School
from storage.rounds.lifecycle import close_round, create_round
from tests.support.builders import tiny_school
from tests.support.job_queue import RecordingQueue

NOW = datetime(2026, 11, 22, 3, 17, tzinfo=UTC)


def closed_round(
    factory: sessionmaker[Session],
    school_id: int,
    olga: int,
    group: int,
    *,
    name: str,
    closed: datetime,
) -> int:
    with unit_of_work(factory) as s:
        rnd = create_round(
            s,
            school_id=school_id,
            actor_id=olga,
            name=name,
            group_ids=[group],
            deadline=closed,
            now=closed - timedelta(days=7),
            open_now=True,
        )
        close_round(s, round_id=rnd.id, actor_id=olga, now=closed)
        return rnd.id


def test_housekeeping_purges_per_school_retention_and_old_claims(
    session_factory: sessionmaker[Session],
) -> None:
    with unit_of_work(session_factory) as s:
        a = tiny_school(s, name="A")
        b = tiny_school(s, name="B", prefix="b-")
        s.get(School, a.school_id).settings = {"retention_days": 30}
        s.get(School, b.school_id).settings = {"retention_days": 365}
    old_a = closed_round(
        session_factory,
        a.school_id,
        a.people["olga"],
        a.groups["2A"],
        name="old",
        closed=NOW - timedelta(days=40),
    )
    new_a = closed_round(
        session_factory,
        a.school_id,
        a.people["olga"],
        a.groups["2A"],
        name="new",
        closed=NOW - timedelta(days=20),
    )
    old_b = closed_round(
        session_factory,
        b.school_id,
        b.people["olga"],
        b.groups["2A"],
        name="old",
        closed=NOW - timedelta(days=40),
    )
    claim(session_factory, source="slack", event_id="ev-old", now=NOW - timedelta(days=3))
    claim(session_factory, source="teams", event_id="ev-new", now=NOW - timedelta(hours=5))

    ctx = job_context.JobContext(
        session_factory=session_factory, queue=RecordingQueue(), clock=lambda: NOW
    )
    purged = jobs.housekeeping(ctx=ctx)
    assert purged[a.school_id] > 0
    with session_factory() as s:
        left = set(s.scalars(select(Round.id)))
        assert old_a not in left
        assert {new_a, old_b} <= left  # recent, resp. within school B's longer retention
        events = set(s.scalars(select(ProcessedEvent.event_id)))
        assert events == {"ev-new"}

    again = jobs.housekeeping(ctx=ctx)  # idempotent: nothing more to delete
    assert again == {a.school_id: 0, b.school_id: 0}
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Round)) == 2
        assert s.scalar(select(func.count()).select_from(ProcessedEvent)) == 1
