"""Two ``stoplicht worker`` processes against one PostgreSQL, delivering through a loopback
relay (``STOPLICHT_DELIVERY_WEBHOOK``): one leads, the leader is killed (SIGKILL) in the middle
of a fan-out of 300 notifications, the other takes over and finishes it. Nothing is lost; no
notification row is created twice; each notification reaches the relay, and a send that was in
flight at the moment of the kill can only come again with the same idempotency key."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from storage.db import make_engine, make_session_factory, unit_of_work
from storage.models import Notification, NotificationStatus, Person, PersonKind, Round
from storage.notifications import enqueue_many
from storage.rounds.lifecycle import create_round
from tests.support.builders import tiny_school
from tests.support.fake_channel import FakeChannel

FANOUT = 300


def seed(url: str) -> None:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    now = datetime.now(UTC)
    with unit_of_work(factory) as s:
        t = tiny_school(s)
        people = [
            Person(
                school_id=t.school_id,
                roster_id=f"p{i}",
                kind=PersonKind.TEACHER,
                display_name=f"Docent {i}",
            )
            for i in range(FANOUT)
        ]
        s.add_all(people)
        s.flush()
        rnd = create_round(
            s,
            school_id=t.school_id,
            actor_id=t.people["olga"],
            name="Herfst",
            group_ids=[t.groups["2A"]],
            deadline=now + timedelta(days=1),
            now=now,
            open_now=True,
        )
        # The deadline passed while nobody ran: the leader's sweep tells the organizer.
        s.execute(
            update(Round).where(Round.id == rnd.id).values(deadline=now - timedelta(minutes=5))
        )
        enqueue_many(
            s,
            [
                dict(
                    school_id=t.school_id,
                    recipient_id=p.id,
                    kind="colleagues_visible",
                    round_id=rnd.id,
                    payload={"round": "Herfst"},
                )
                for p in people
            ],
        )
    engine.dispose()


def snapshot(factory) -> tuple[dict[str, int], list[str]]:
    with factory() as s:
        by_status = dict(
            s.execute(select(Notification.status, func.count()).group_by(Notification.status)).all()
        )
        claimers = s.scalars(
            select(Notification.claimed_by).distinct().where(Notification.claimed_by.is_not(None))
        ).all()
    return {str(k): v for k, v in by_status.items()}, list(claimers)


async def test_kill_the_leader_during_a_fan_out(pg_url, tmp_path):
    seed(pg_url)
    fake = FakeChannel()
    await fake.start()
    env = {
        **os.environ,
        "STOPLICHT_DATABASE_URL": pg_url,
        "STOPLICHT_DELIVERY_WEBHOOK": fake.url,
        "STOPLICHT_TEAMS_RATE": "40",  # the relay's rate: 300 take about 8 s
        "STOPLICHT_DELIVERY_LEASE": "3",
        "STOPLICHT_LEADER_POLL": "0.3",
        "STOPLICHT_SWEEP_SECONDS": "1",
    }
    procs = {}
    for name in ("a", "b"):
        log = open(tmp_path / f"worker-{name}.log", "wb")  # noqa: SIM115 - closed below
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli.main",
            "worker",
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=log,
        )
        procs[proc.pid] = (proc, log)
    engine = make_engine(pg_url)
    factory = make_session_factory(engine)
    loop = asyncio.get_running_loop()
    try:
        end = loop.time() + 60
        while len(fake.delivered()) < 60:  # well into the fan-out
            assert loop.time() < end, "the fan-out did not start"
            await asyncio.sleep(0.05)
        claimers: list[str] = []
        while not claimers:  # between two batches nothing may be claimed for a moment
            assert loop.time() < end, "nobody claims the fan-out"
            _, claimers = await asyncio.to_thread(snapshot, factory)
        leader_pids = {int(c.rsplit(":", 1)[1]) for c in claimers}
        assert len(leader_pids) == 1 and leader_pids <= set(procs)
        [leader] = leader_pids
        os.kill(leader, signal.SIGKILL)
        await procs[leader][0].wait()
        at_kill = len(fake.delivered())
        assert at_kill < FANOUT + 3, "killed too late to test a takeover"
        end = loop.time() + 90
        while True:
            by_status, _ = await asyncio.to_thread(snapshot, factory)
            if by_status.get("pending", 0) == 0 and sum(by_status.values()) >= FANOUT + 3:
                break
            assert loop.time() < end, f"not finished after the takeover: {by_status}"
            await asyncio.sleep(0.2)
    finally:
        for proc, log in procs.values():
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(proc.wait(), 15)
                except TimeoutError:
                    proc.kill()
            log.close()
        await fake.stop()
    with factory() as s:
        rows = list(s.scalars(select(Notification)))
        kinds = sorted(n.kind for n in rows if n.kind != "colleagues_visible")
    engine.dispose()
    # No notification created twice: one row per (kind, round, recipient, occasion).
    assert kinds == ["deadline_reached", "round_opened", "round_opened"]
    assert len(rows) == FANOUT + 3
    assert all(n.status is NotificationStatus.DELIVERED for n in rows)
    # None lost: every row reached the relay; a repeat can only be a send in flight at the kill.
    delivered = fake.delivered()
    assert set(delivered) == {n.idempotency_key for n in rows}
    repeats = sum(delivered.values()) - len(delivered)
    assert repeats <= 2, f"{repeats} repeated sends"
    survivor = next(p for p in procs if p != leader)
    assert {n.claimed_by for n in rows} == {None}
    assert any(
        str(survivor) in line
        for line in (tmp_path / f"worker-{'ab'[list(procs).index(survivor)]}.log")
        .read_text()
        .splitlines()
        if "leading" in line
    )
