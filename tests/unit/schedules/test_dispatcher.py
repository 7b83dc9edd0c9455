"""Delivery through a fake channel server on loopback: 429 with Retry-After, 500s, timeouts,
403, 400; everything delivered, nothing before Retry-After, nothing twice; leases; pacing."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from schedules import outbox
from schedules.dispatcher import DeliveryPolicy, Dispatcher
from schedules.webhook_sender import WebhookSender
from storage.db import unit_of_work
from storage.models import ChannelAccount, Notification, NotificationStatus, Person, PersonKind
from storage.notifications import enqueue_many
from tests.support.builders import tiny_school
from tests.support.fake_channel import FakeChannel

FAST = DeliveryPolicy(
    send_timeout=0.5,
    backoff_base=0.05,
    backoff_cap=0.3,
    conversation_interval=0.0,
    default_rate=1000.0,
    tenant_rates={},
    idle_sleep=0.05,
    max_attempts=6,
)


def add_people(factory, n: int) -> tuple[int, list[int]]:
    with unit_of_work(factory) as s:
        t = tiny_school(s)
        people = [
            Person(
                school_id=t.school_id,
                roster_id=f"x{i}",
                kind=PersonKind.TEACHER,
                display_name=f"T {i}",
            )
            for i in range(n)
        ]
        s.add_all(people)
        s.flush()
        return t.school_id, [p.id for p in people]


def enqueue(factory, school_id: int, recipients: list[int], kind: str = "colleagues_visible"):
    with unit_of_work(factory) as s:
        enqueue_many(
            s,
            [
                dict(school_id=school_id, recipient_id=r, kind=kind, payload={"round": "Herfst"})
                for r in recipients
            ],
        )
    with factory() as s:
        return {n.recipient_id: n.idempotency_key for n in s.scalars(select(Notification))}


def rows(factory) -> list[Notification]:
    with factory() as s:
        return list(s.scalars(select(Notification).order_by(Notification.id)))


async def drain(d: Dispatcher, factory, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while any(r.status is NotificationStatus.PENDING for r in rows(factory)):
        assert loop.time() < end, "delivery did not finish"
        if await d.run_once() == 0:
            await asyncio.sleep(0.05)


@pytest.fixture
async def fake():
    channel = FakeChannel(hang_seconds=2.0)
    await channel.start()
    yield channel
    await channel.stop()


async def test_retries_until_everything_is_delivered_once(sqlite_session_factory, fake):
    f = sqlite_session_factory
    school, people = add_people(f, 24)
    keys = enqueue(f, school, people)
    for i, p in enumerate(people):
        if i % 4 == 0:
            fake.scripts[keys[p]] = ["429:1"]
        elif i % 4 == 1:
            fake.scripts[keys[p]] = ["500", "hang", "503"]
        elif i % 4 == 2:
            fake.scripts[keys[p]] = ["hang"]
    sender = WebhookSender(url=fake.url, timeout=5)
    d = Dispatcher(session_factory=f, senders={}, fallback=sender, policy=FAST)
    await drain(d, f)
    await sender.close()
    assert all(r.status is NotificationStatus.DELIVERED for r in rows(f))
    assert fake.delivered() == {k: 1 for k in keys.values()}  # nothing lost, nothing twice
    for key, hits in fake.by_key().items():
        for before, after in zip(hits, hits[1:], strict=False):
            if before.retry_after:
                assert after.at - before.at >= before.retry_after - 0.01, key
    three = [r for r in rows(f) if fake.scripts.get(r.idempotency_key) == ["500", "hang", "503"]]
    assert {r.attempts for r in three} == {4} and all(r.channel == "webhook" for r in three)
    # Running again sends nothing: delivered rows are never sent again.
    before = len(fake.hits)
    assert await d.run_once() == 0
    assert len(fake.hits) == before


async def test_unreachable_permanent_and_given_up(sqlite_session_factory, fake):
    f = sqlite_session_factory
    school, people = add_people(f, 4)
    with unit_of_work(f) as s:
        for i, p in enumerate(people[:3]):
            s.add(
                ChannelAccount(
                    person_id=p,
                    channel="teams",
                    tenant="t1",
                    external_id=f"u{i}",
                    conversation={"id": f"c{i}"},
                )
            )
    keys = enqueue(f, school, people)
    fake.scripts[keys[people[0]]] = ["403"]
    fake.scripts[keys[people[1]]] = ["400"]
    fake.scripts[keys[people[2]]] = ["500"] * 10
    sender = WebhookSender(url=fake.url)
    d = Dispatcher(session_factory=f, senders={"teams": sender}, policy=FAST)
    await drain(d, f)
    await sender.close()
    by = {r.recipient_id: r for r in rows(f)}
    assert by[people[0]].status is NotificationStatus.UNREACHABLE
    assert by[people[0]].last_error == "HTTP 403"
    assert by[people[1]].status is NotificationStatus.FAILED and by[people[1]].attempts == 1
    assert by[people[2]].status is NotificationStatus.FAILED and by[people[2]].attempts == 6
    assert "gave up after 6 attempts" in by[people[2]].last_error
    assert by[people[3]].status is NotificationStatus.UNREACHABLE
    assert by[people[3]].last_error == "no conversation"
    with f() as s:
        reasons = {a.person_id: a.unreachable_reason for a in s.scalars(select(ChannelAccount))}
    assert reasons[people[0]] == "HTTP 403" and reasons[people[1]] is None


async def test_account_on_a_channel_without_sender_stays_pending(sqlite_session_factory):
    f = sqlite_session_factory
    school, people = add_people(f, 1)
    with unit_of_work(f) as s:
        s.add(ChannelAccount(person_id=people[0], channel="slack", tenant="T", external_id="U1"))
    enqueue(f, school, people)
    d = Dispatcher(session_factory=f, senders={}, policy=FAST)
    started = datetime.now(UTC)
    assert await d.run_once() == 1
    [r] = rows(f)
    assert (
        r.status is NotificationStatus.PENDING and "no sender configured for slack" in r.last_error
    )
    assert r.claimed_by is None and r.next_attempt_at > started  # put off, not given up


async def test_pacing_per_conversation_and_per_tenant(sqlite_session_factory, fake):
    f = sqlite_session_factory
    school, people = add_people(f, 4)
    with unit_of_work(f) as s:
        s.add(
            ChannelAccount(
                person_id=people[0],
                channel="teams",
                tenant="t1",
                external_id="u0",
                conversation={"id": "c0"},
            )
        )
        for p in people[1:]:
            s.add(
                ChannelAccount(
                    person_id=p,
                    channel="teams",
                    tenant="t2",
                    external_id=f"u{p}",
                    conversation={"id": f"c{p}"},
                )
            )
        kinds = ["colleagues_visible", "round_opened", "deadline_reminder"]
        enqueue_many(
            s,
            [
                dict(
                    school_id=school,
                    recipient_id=people[0],
                    kind=k,
                    round_id=None,
                    payload={"round": "R"},
                )
                for k in kinds
            ],
        )
    enqueue(f, school, people[1:])
    policy = DeliveryPolicy(conversation_interval=0.3, tenant_rates={"teams": 5.0}, idle_sleep=0.05)
    sender = TimedSender(WebhookSender(url=fake.url))
    d = Dispatcher(session_factory=f, senders={"teams": sender}, policy=policy)
    await drain(d, f)
    await sender.inner.close()
    # When the dispatcher sent (the server's arrival times would add network jitter).
    same = sorted(at for at, t in sender.sent if t.person_id == people[0])
    assert len(same) == 3
    assert all(b - a >= 0.29 for a, b in zip(same, same[1:], strict=False))
    others = sorted(at for at, t in sender.sent if t.person_id != people[0])
    assert all(b - a >= 0.19 for a, b in zip(others, others[1:], strict=False))  # 5 per second
    assert len(fake.delivered()) == 6


class TimedSender:
    channel = "teams"

    def __init__(self, inner: WebhookSender) -> None:
        self.inner = inner
        self.sent: list[tuple[float, object]] = []

    async def send(self, target, replies, *, key):
        self.sent.append((time.monotonic(), target))
        await self.inner.send(target, replies, key=key)


def test_lease_keeps_others_away_until_it_expires(session_factory):
    f = session_factory
    school, people = add_people(f, 3)
    enqueue(f, school, people)
    now = datetime.now(UTC)
    a = outbox.claim(f, worker="a", now=now, lease=60, limit=2)
    b = outbox.claim(f, worker="b", now=now, lease=60, limit=10)
    assert len(a) == 2 and len(b) == 1 and not set(a) & set(b)
    assert outbox.claim(f, worker="b", now=now + timedelta(seconds=30), lease=60, limit=10) == []
    # Worker a died: after the lease its rows are taken over.
    later = outbox.claim(f, worker="b", now=now + timedelta(seconds=61), lease=60, limit=10)
    assert sorted(later) == sorted(a + b)


def test_claim_from_many_threads_never_overlaps(session_factory):
    import concurrent.futures

    f = session_factory
    school, people = add_people(f, 60)
    enqueue(f, school, people)
    now = datetime.now(UTC)

    def grab(i: int) -> list[int]:
        got = []
        while chunk := outbox.claim(f, worker=f"w{i}", now=now, lease=60, limit=5):
            got += chunk
        return got

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(grab, range(4)))
    flat = [i for r in results for i in r]
    assert len(flat) == 60 and len(set(flat)) == 60


async def test_unreachable_report_for_the_round(sqlite_session_factory, fake):
    from schedules.reach import format_report, unreachable_report
    from storage.rounds.lifecycle import create_round

    f = sqlite_session_factory
    now = datetime.now(UTC)
    with unit_of_work(f) as s:
        t = tiny_school(s)
        rnd = create_round(
            s,
            school_id=t.school_id,
            actor_id=t.people["olga"],
            name="Herfst",
            group_ids=[t.groups["2A"], t.groups["2B"]],
            deadline=now + timedelta(days=3),
            now=now,
            open_now=True,
        )
        s.add(
            ChannelAccount(
                person_id=t.people["wim"],
                channel="teams",
                tenant="t",
                external_id="wim",
                conversation={"id": "c"},
            )
        )
    with f() as s:
        wim_key = s.scalar(
            select(Notification.idempotency_key).where(Notification.recipient_id == t.people["wim"])
        )
    fake.scripts[wim_key] = ["403"]
    sender = WebhookSender(url=fake.url)
    d = Dispatcher(session_factory=f, senders={"teams": sender}, policy=FAST)
    await drain(d, f)
    await sender.close()
    with f() as s:
        report = unreachable_report(s, round_id=rnd.id)
    assert [(r.name, r.kind, r.reason, r.status) for r in report] == [
        ("Dora Duits", "round_opened", "no conversation", "unreachable"),
        ("Wim Wiskerke", "round_opened", "HTTP 403", "unreachable"),
    ]
    assert "Wim Wiskerke — round_opened: HTTP 403 (unreachable)" in format_report(report)


async def test_log_sender_shows_notifications_for_the_demo(sqlite_session_factory, tmp_path):
    import json

    from schedules.log_sender import LogSender

    f = sqlite_session_factory
    school, people = add_people(f, 2)
    enqueue(f, school, people, kind="plan_reminder")
    path = tmp_path / "notifications.jsonl"
    d = Dispatcher(session_factory=f, senders={}, fallback=LogSender(path=path), policy=FAST)
    await drain(d, f)
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert sorted(x["person_id"] for x in lines) == sorted(people)
    assert (
        "== Denk aan je plan van aanpak" in lines[0]["text"] and "[Nu beginnen]" in lines[0]["text"]
    )
    assert {r.channel for r in rows(f)} == {"log"}


async def test_webhook_sender_classifies_odd_answers_and_no_server() -> None:
    import socket

    from schedules.delivery import RetryLater, Target
    from schedules.webhook_sender import retry_after_seconds

    assert retry_after_seconds("2.5") == 2.5
    assert retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT") is None  # backoff applies
    assert retry_after_seconds("-3") == 0.0 and retry_after_seconds(None) is None
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sender = WebhookSender(url=f"http://127.0.0.1:{port}/deliver", timeout=2)
    with pytest.raises(RetryLater) as err:
        await sender.send(
            Target(person_id=1, channel="webhook", tenant="-", external_id="1"), [], key="k"
        )
    assert err.value.reason.startswith("connection")
    await sender.close()


def test_a_new_leader_frees_what_the_lost_leader_had_claimed(sqlite_session_factory) -> None:
    """Rows claimed by a leader that lost its lock are claimable at once by the next one, not
    after the lease; delivered rows and the new leader's own claims are left as they are."""
    f = sqlite_session_factory
    school, people = add_people(f, 3)
    enqueue(f, school, people)
    now = datetime.now(UTC)
    claimed = outbox.claim(f, worker="old:1", now=now, lease=120, limit=10)
    assert len(claimed) == 3
    assert outbox.claim(f, worker="new:2", now=now, lease=120, limit=10) == []  # the lease holds
    with unit_of_work(f) as s:
        first = s.get(Notification, claimed[0])
        assert first is not None
        first.status = NotificationStatus.DELIVERED
        first.claimed_by = None
    assert outbox.release_others(f, worker="new:2") == 2
    assert outbox.claim(f, worker="new:2", now=now, lease=120, limit=10) == claimed[1:]
    assert outbox.release_others(f, worker="new:2") == 0  # its own claims stay
    assert {r.claimed_by for r in rows(f)} == {None, "new:2"}
