"""Slack: latency from a signed ``block_actions`` request to its ack, and to the ``chat.update``
reaching the (fake, loopback) Web API, at concurrency 1 and 32; side by side in the same run
with a bare Bolt app that acks the same payload and calls ``chat.update`` after the ack.

Stoplicht's path: signature check, Bolt dispatch, ack; after the ack ``users.info`` (cached),
``chat.update`` to the answered state, the claim in ``ProcessedEvent``, one dialog turn on
SQLite with the demo school (the teacher skips to the next student: a state write), and the
next prompt posted. Each simulated user presses, waits for the ack and the update, and presses
again when the next prompt is there (closed loop). At concurrency 32 the turns of other users
compete with the acks for the GIL and SQLite's write lock, which the bare app (no work after
its ack but the update) does not have. Figures in milliseconds.
"""

from __future__ import annotations

import asyncio
import json
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from sqlalchemy import select

from bot.app import build_services, build_web_app
from bot.settings import Settings
from bot.slack.app import SLACK_KEY, web_client
from storage.db import make_engine, make_session_factory, upgrade
from storage.demo.seed import seed_demo
from storage.models import Person, PersonKind, School
from tests.integration.slack.conftest import sample, signed
from tests.integration.slack.fake_api import FakeSlack

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SECRET = "test-signing-secret"
REQUESTS = {1: 150, 32: 640}
SMOKE = {"REQUESTS": {1: 3, 32: 6}}  # sizes of a smoke run (bench.__main__)


def _seed(url: str) -> list[str]:
    """The demo school on Slack team TB; the teachers' emails."""
    upgrade(url)
    engine = make_engine(url)
    sf = make_session_factory(engine)
    with sf.begin() as s:
        school: School = seed_demo(s, now=NOW)
        school.slack_team_id = "TB"
        s.flush()
        emails = list(
            s.scalars(
                select(Person.email).where(
                    Person.school_id == school.id, Person.kind == PersonKind.TEACHER
                )
            )
        )
    engine.dispose()
    return [e for e in emails if e]


def _payload(n: int, user: str) -> str:
    p = sample("block_actions.json")
    p["team"]["id"] = "TB"
    p["user"].update(id=user, team_id="TB")
    ts = f"1700000000.{n:06d}"
    p["trigger_id"] = f"bench-{n}"
    p["container"].update(message_ts=ts, channel_id=f"D{user}")
    p["channel"]["id"] = f"D{user}"
    p["message"].update(ts=ts, blocks=[])
    value = json.dumps({"a": "t_skip", "v": 10**9}, separators=(",", ":"))
    p["actions"] = [
        {
            **p["actions"][0],
            "action_id": "stl:4",
            "value": value,
            "text": {"type": "plain_text", "text": "Overslaan"},
        }
    ]
    return urlencode({"payload": json.dumps(p)})


def _bare_app(fake: FakeSlack) -> web.Application:
    bolt = AsyncApp(
        signing_secret=SECRET,
        client=web_client(fake.url, "xoxb-bench"),
        process_before_response=True,
    )

    async def ack(ack: Any) -> None:
        await ack()

    async def update(body: dict[str, Any], client: Any) -> None:
        c = body["container"]
        await client.chat_update(channel=c["channel_id"], ts=c["message_ts"], text="ok")

    bolt.action(re.compile("^stl:"))(ack=ack, lazy=[update])

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


async def _serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/slack/events"


async def _measure(
    url: str,
    fake: FakeSlack,
    users: list[str],
    concurrency: int,
    start: int,
    *,
    wait_for_post: bool,
) -> tuple[list[float], list[float]]:
    """``concurrency`` users, each pressing a button, waiting for its ack, the message update
    and (Stoplicht) the next prompt, then pressing again: a closed loop, as people do."""
    total = REQUESTS[concurrency]
    acks: list[float] = []
    updates: list[float] = []
    counter = iter(range(start, start + total))
    async with aiohttp.ClientSession() as session:

        async def worker(w: int) -> None:
            user = users[w % len(users)]
            for n in counter:
                body = _payload(n, user)
                headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
                updated = fake.expect_update(f"1700000000.{n:06d}")
                posted = fake.expect_post(f"D{user}") if wait_for_post else None
                t0 = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as r:
                    await r.read()
                    assert r.status == 200, r.status
                acks.append((time.perf_counter() - t0) * 1000)
                call = await asyncio.wait_for(updated, 60)
                updates.append((call.at - t0) * 1000)
                if posted is not None:  # the next prompt is there: the user can press again
                    await asyncio.wait_for(posted, 60)

        await asyncio.gather(*(worker(w) for w in range(concurrency)))
    return acks, updates


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def _run() -> list[tuple[str, str]]:
    tmp = Path(tempfile.mkdtemp(prefix="stoplicht-bench-"))
    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    emails = _seed(url)
    fake = FakeSlack()
    await fake.start()
    users = [f"UB{i:02d}" for i in range(32)]  # 32 Slack users over the demo's teachers
    fake.users.update({u: emails[i % len(emails)] for i, u in enumerate(users)})
    settings = Settings(
        database_url=url,
        slack_signing_secret=SECRET,
        slack_bot_token="xoxb-bench",
        slack_api_url=fake.url,
        scheduler=False,
    )
    services = build_services(settings, clock=lambda: NOW)
    ours = build_web_app(services)
    runner_ours, url_ours = await _serve(ours)
    runner_bare, url_bare = await _serve(_bare_app(fake))
    rows: list[tuple[str, str]] = []
    try:
        n = 0
        for app_url in (url_ours, url_bare):  # warm up: auth.test, users.info, first turns
            await _measure(app_url, fake, users, 1, n, wait_for_post=app_url == url_ours)
            n += REQUESTS[1]
        for concurrency in (1, 32):
            results = {}
            for name, app_url in (("stoplicht", url_ours), ("bare bolt", url_bare)):
                results[name] = await _measure(
                    app_url, fake, users, concurrency, n, wait_for_post=name == "stoplicht"
                )
                n += REQUESTS[concurrency]
            for kind, index in (("ack", 0), ("chat.update", 1)):
                ours_v, bare_v = results["stoplicht"][index], results["bare bolt"][index]
                for q, label in ((0.5, "p50"), (0.99, "p99")):
                    a, b = _pct(ours_v, q), _pct(bare_v, q)
                    rows.append(
                        (
                            f"{kind} {label} c={concurrency} (stoplicht | bare bolt | ratio)",
                            f"{a:.1f} ms | {b:.1f} ms | {a / b:.2f}x",
                        )
                    )
            rows.append((f"requests c={concurrency}", str(len(results["stoplicht"][0]))))
    finally:
        await ours[SLACK_KEY].turns.drain()
        await runner_ours.cleanup()
        await runner_bare.cleanup()
        await fake.close()
    return rows


def run() -> list[tuple[str, str]]:
    return asyncio.run(_run())


if __name__ == "__main__":
    for figure, value in run():
        print(f"{figure:60s} {value}")
