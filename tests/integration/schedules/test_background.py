"""The background service in-process: it leads, the sweep plans an open round's jobs in the
APScheduler job store on the project's database, the dispatcher delivers, a second service on
the same PostgreSQL waits while the first leads and takes over when it stops."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from schedules.dispatcher import DeliveryPolicy
from schedules.scheduler import BackgroundService, Leadership
from schedules.webhook_sender import WebhookSender
from storage.db import make_engine, make_session_factory, unit_of_work
from storage.models import Notification, NotificationStatus
from storage.rounds.lifecycle import create_round
from tests.support.builders import tiny_school
from tests.support.fake_channel import FakeChannel

POLICY = DeliveryPolicy(
    default_rate=1000.0, tenant_rates={}, idle_sleep=0.05, conversation_interval=0.0
)


async def wait_for(predicate, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not await asyncio.to_thread(predicate):
        assert loop.time() < end, "condition not reached"
        await asyncio.sleep(0.1)


async def test_leader_plans_and_delivers(db_url):
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    now = datetime.now(UTC)
    with unit_of_work(factory) as s:
        t = tiny_school(s)
        rnd = create_round(
            s,
            school_id=t.school_id,
            actor_id=t.people["olga"],
            name="Herfst",
            group_ids=[t.groups["2A"]],
            deadline=now + timedelta(days=10),
            now=now,
            open_now=True,
        )
    fake = FakeChannel()
    await fake.start()
    sender = WebhookSender(url=fake.url)
    svc = BackgroundService(
        database_url=db_url,
        session_factory=factory,
        senders={},
        fallback=sender,
        policy=POLICY,
        poll_interval=0.2,
        sweep_interval=3600,
        worker_id="one",
    )
    await svc.start()
    try:
        await asyncio.wait_for(svc.leading.wait(), 10)

        def planned() -> bool:
            with engine.connect() as c:
                ids = [r[0] for r in c.execute(text("SELECT id FROM apscheduler_jobs"))]
            return any(i.startswith(f"round:{rnd.id}:deadline") for i in ids) and "sweep" in ids

        await wait_for(planned)

        def delivered() -> bool:
            with factory() as s:
                st = [n.status for n in s.scalars(select(Notification))]
            return bool(st) and all(x is NotificationStatus.DELIVERED for x in st)

        await wait_for(delivered)  # the invitations of the open round
        assert sorted(fake.delivered().values()) == [1, 1]  # Wim and Dora, once each
        if engine.dialect.name == "postgresql":
            other = BackgroundService(
                database_url=db_url,
                session_factory=factory,
                senders={},
                fallback=sender,
                policy=POLICY,
                poll_interval=0.2,
                sweep_interval=3600,
                worker_id="two",
            )
            await other.start()
            await asyncio.sleep(0.8)
            assert not other.leading.is_set()  # the first one holds the lock
            await svc.stop()
            await asyncio.wait_for(other.leading.wait(), 10)
            await other.stop()
    finally:
        await svc.stop()
        await sender.close()
        await fake.stop()
        engine.dispose()


def test_sqlite_always_leads(sqlite_url):
    engine = make_engine(sqlite_url)
    lead = Leadership(engine)
    assert lead.try_acquire() and lead.still_held()
    engine.dispose()


def test_only_one_advisory_lock_holder(pg_url):
    e1, e2 = make_engine(pg_url), make_engine(pg_url)
    a, b = Leadership(e1), Leadership(e2)
    assert a.try_acquire()
    assert not b.try_acquire()
    a.release()
    assert b.try_acquire()
    b.release()
    e1.dispose()
    e2.dispose()
