"""A fan-out of N notifications through the dispatcher against a fake connector on loopback
that enforces a rate limit (token bucket, 429 with Retry-After when exceeded), like the Bot
Connector's 25 per second per tenant.

Scaled: by default 2,000 notifications at 250/s (ideal 8 s; the same ratio as 2,000 at 25/s
in 80 s); ``STOPLICHT_BENCH_FANOUT="N RATE"`` changes it (``"2000 25"`` for the full 80 s).
Figures: elapsed time and its ratio to the ideal N/rate, 429s received, lost (not delivered)
and duplicates (keys the connector accepted more than once). SQLite on a temp file.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from sqlalchemy import func, insert, select

from schedules.dispatcher import DeliveryPolicy, Dispatcher
from schedules.webhook_sender import WebhookSender
from storage.db import make_engine, make_session_factory, unit_of_work, upgrade
from storage.models import Notification, NotificationStatus, Person, PersonKind, School
from storage.notifications import enqueue_many

FANOUT = "2000 250"  # notifications, connector limit per second
SMOKE = {"FANOUT": "20 1000"}  # sizes of a smoke run (bench.__main__)


def _params() -> tuple[int, float]:
    raw = os.environ.get("STOPLICHT_BENCH_FANOUT", FANOUT).split()
    return int(raw[0]), float(raw[1])


async def _fanout(url: str, n: int, rate: float) -> dict[str, float]:
    engine = make_engine(url)
    sf = make_session_factory(engine)
    with unit_of_work(sf) as s:
        school = School(name="Bench fan-out", roster_id="bench-fanout")
        s.add(school)
        s.flush()
        s.execute(
            insert(Person),
            [
                dict(
                    school_id=school.id,
                    roster_id=f"p{i}",
                    kind=PersonKind.TEACHER,
                    display_name=f"Docent {i}",
                    active=True,
                    is_organizer=False,
                )
                for i in range(n)
            ],
        )
        ids = list(s.scalars(select(Person.id).where(Person.school_id == school.id)))
        enqueue_many(
            s,
            [
                dict(
                    school_id=school.id,
                    recipient_id=p,
                    kind="colleagues_visible",
                    payload={"round": "Herfst"},
                )
                for p in ids
            ],
        )
    # The connector runs in its own process, as the real one does not share our event loop.
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.fake_channel",
        str(rate),
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    connector = (await proc.stdout.readline()).decode().strip()
    sender = WebhookSender(url=connector)
    policy = DeliveryPolicy(
        default_rate=rate,
        tenant_rates={},
        batch_size=500,
        conversation_interval=1.0,
        idle_sleep=0.05,
    )
    dispatcher = Dispatcher(session_factory=sf, senders={}, fallback=sender, policy=policy)
    started = time.perf_counter()
    stop = asyncio.Event()
    delivering = asyncio.create_task(dispatcher.run_forever(stop))
    while True:
        with sf() as s:
            pending = s.scalar(
                select(func.count()).where(Notification.status == NotificationStatus.PENDING)
            )
        if not pending:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await delivering
    elapsed = time.perf_counter() - started
    async with (
        aiohttp.ClientSession() as client,
        client.get(connector.replace("/deliver", "/stats")) as resp,
    ):
        stats = await resp.json()
    await sender.close()
    proc.terminate()
    await proc.wait()
    with sf() as s:
        delivered = s.scalar(
            select(func.count()).where(Notification.status == NotificationStatus.DELIVERED)
        )
    engine.dispose()
    accepted: dict[str, int] = stats["accepted"]
    return {
        "elapsed": elapsed,
        "lost": n - len(accepted) + (n - int(delivered or 0)),
        "duplicates": sum(accepted.values()) - len(accepted),
        "throttled": stats["throttled"],
    }


def run() -> list[tuple[str, str]]:
    n, rate = _params()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'fanout.sqlite'}"
        upgrade(url)
        r = asyncio.run(_fanout(url, n, rate))
    ideal = n / rate
    return [
        ("notifications / connector limit", f"{n} at {rate:g}/s (ideal {ideal:.1f} s)"),
        ("elapsed", f"{r['elapsed']:.1f} s"),
        ("ratio to ideal", f"{r['elapsed'] / ideal:.3f} (target <= 1.10)"),
        ("429 from the connector", str(int(r["throttled"]))),
        ("lost", str(int(r["lost"]))),
        ("duplicates", str(int(r["duplicates"]))),
    ]


if __name__ == "__main__":
    for name, value in run():
        print(f"{name}: {value}")
