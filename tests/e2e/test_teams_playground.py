"""End to end with the Microsoft 365 Agents Playground as the Teams client.

The Playground (npm ``@microsoft/m365agentsplayground``, pinned) is started on loopback without
a browser and pointed at the running app (anonymous: both on 127.0.0.1, as ``make run``). The
test drives it through the HTTP API its web client uses (``/_conversation/v1/...``) and reads
what it shows from the client's WebSocket stream and the invoke answers: a teacher picks the
demo role, walks three students through cards, then submits an outdated card once.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import build_services, build_web_app
from bot.settings import Settings
from storage.db import make_engine, make_session_factory, unit_of_work
from storage.demo.seed import DEMO_TEACHER_EMAIL, seed_demo
from storage.models import Feedback, Person, Round, RoundState
from tests.support.bot_framework import ServerThread
from tests.support.npm import package_dir

pytestmark = pytest.mark.e2e
NOW = datetime.now(UTC)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def bot(sqlite_url: str, teams_sdk: str) -> Iterator[tuple[ServerThread, Any]]:
    engine = make_engine(sqlite_url)
    with unit_of_work(make_session_factory(engine)) as s:
        seed_demo(s, now=NOW)
    engine.dispose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("Microsoft")}
    assert not env.get("MicrosoftAppId")
    settings = Settings(
        STOPLICHT_DATABASE_URL=sqlite_url,
        STOPLICHT_DEMO=True,
        STOPLICHT_TEAMS_SDK=teams_sdk,
        MicrosoftAppId="",
    )
    services = build_services(settings)
    server = ServerThread(build_web_app(services)).start()
    yield server, services
    server.stop()


@pytest.fixture
def playground(bot: tuple[ServerThread, Any], tmp_path: Path) -> Iterator[str]:
    cli = package_dir("@microsoft/m365agentsplayground") / "cli.js"
    node = shutil.which("node")
    assert node, "node is needed for the Agents Playground"
    port = _free_port()
    env = dict(os.environ, TEAMSAPPTESTER_BROWSER="none", TEAMSAPPTESTER_PORT=str(port))
    log = open(tmp_path / "playground.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            node,
            str(cli),
            "start",
            "-e",
            f"{bot[0].url}/api/messages",
            "-c",
            "msteams",
            "-p",
            str(port),
            "--disable-telemetry",
        ],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while "Listening on" not in (tmp_path / "playground.log").read_text():
            assert proc.poll() is None, (tmp_path / "playground.log").read_text()
            assert time.monotonic() < deadline, "the Playground did not start"
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class Client:
    """The Playground's web client, minus the browser."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.s = session
        self.base = base
        self.shown: list[dict[str, Any]] = []  # messages the Playground pushed to its client
        self.cid = self.uid = ""

    async def start(self) -> None:
        cfg = await (await self.s.get(f"{self.base}/_internal/v1/config")).json()
        self.cid = cfg["config"]["personalChat"]["id"]
        self.uid = cfg["config"]["currentUser"]["id"]
        self.ws = await self.s.ws_connect(f"{self.base}/_ws_conversation/v1/conversations/stream")
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            event = json.loads(msg.data)
            if event.get("action") == "createMessage":
                self.shown.append(event["message"])

    async def wait_cards(self, count: int, timeout: float = 20) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.cards()) < count:
            assert time.monotonic() < deadline, f"saw {len(self.cards())} of {count} cards"
            await asyncio.sleep(0.05)
        return self.cards()

    def cards(self) -> list[dict[str, Any]]:
        return [
            {"messageId": m["messageId"], **a["content"]}
            for m in self.shown
            for a in m.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    async def install(self) -> None:
        r = await self.s.post(f"{self.base}/_debug/conversation/{self.cid}/installation", json={})
        assert r.status == 200

    async def say(self, text: str) -> None:
        r = await self.s.post(
            f"{self.base}/_conversation/v1/conversations/{self.cid}/messages",
            json={"from": {"id": self.uid}, "text": text, "textFormat": "plain"},
        )
        assert r.status == 200, await r.text()

    async def execute(self, card: dict[str, Any], button: dict[str, Any], **inputs: str) -> dict:
        body = {
            "name": "adaptiveCard/action",
            "value": {
                "action": {
                    "type": "Action.Execute",
                    "verb": button["verb"],
                    "data": dict(button["data"], **inputs),
                },
                "trigger": "manual",
            },
            "from": {"id": self.uid},
            "conversation": {"id": self.cid},
            "replyToId": card["messageId"],
        }
        r = await self.s.post(f"{self.base}/_conversation/v1/invoke", json=body)
        assert r.status == 200, await r.text()
        return await r.json()


def _actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for b in card["body"] if b["type"] == "ActionSet" for a in b["actions"]]


def _find(card: dict[str, Any], action: str, **args: str) -> dict[str, Any]:
    for a in _actions(card):
        press = a["data"]["stoplicht"]
        if press["action"] == action and all(press["args"].get(k) == v for k, v in args.items()):
            return a
    raise AssertionError(f"no {action} {args} on {json.dumps(card)[:500]}")


def _text(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


async def test_teacher_walks_three_students_in_the_playground(
    bot: tuple[ServerThread, Any], playground: str
) -> None:
    services = bot[1]
    async with aiohttp.ClientSession() as session:
        client = Client(session, playground)
        await client.start()
        await client.install()
        welcome = (await client.wait_cards(1))[-1]
        # Demo mode: the Playground's user is unknown; they choose to be the demo teacher. The
        # choice card shows information: it stays as it is (a message response), and the menu
        # of the person chosen follows as a new message.
        answer = await client.execute(welcome, _find(welcome, "demo", role="teacher"))
        assert answer["type"] == "application/vnd.microsoft.activity.message", answer
        menu = (await client.wait_cards(2))[-1]
        assert "Jeroen Visser" in _text(menu)
        await client.say("feedback")
        n = len(await client.wait_cards(len(client.cards()) + 1))
        picker = client.cards()[-1]
        await client.execute(picker, _find(picker, "t_group"))
        first = (await client.wait_cards(n + 1))[-1]

        lights = {
            "1": "Ik zie dat je veel extra opgaven maakt.",
            "3": "Ik merk dat je de laatste toetsen minder goed voorbereidt.",
            "2": "Ik zie dat je goed meedoet in de les.",
        }
        card = first
        answered = []
        for light, remark in lights.items():
            count = len(client.cards())
            answer = await client.execute(
                card,
                _find(card, "t_save", light=light),
                remark=remark,
                action="Plan elke week een moment om te oefenen.",
            )
            answered.append(answer["value"])
            card = (await client.wait_cards(count + 1))[-1]

        # The Playground swapped each answered card for its read-only state.
        for value in answered:
            assert _actions(value) == [] and "✓" in _text(value)

        with services.session_factory() as s:
            teacher = s.scalars(select(Person).where(Person.email == DEMO_TEACHER_EMAIL)).one()
            rid = s.scalars(select(Round.id).where(Round.state == RoundState.OPEN)).one()
            mine = {
                (f.remark, int(f.light))
                for f in s.scalars(
                    select(Feedback).where(
                        Feedback.round_id == rid, Feedback.teacher_id == teacher.id
                    )
                )
            }
        expected = {(remark, int(light)) for light, remark in lights.items()}
        assert expected <= mine

        # The first card again: outdated. Nothing changes and the Playground is told so.
        before = mine
        count = len(client.cards())
        stale = await client.execute(first, _find(first, "t_save", light="4"), remark="", action="")
        assert (
            "outdated" in _text(stale["value"]).lower()
            or "verouderd" in _text(stale["value"]).lower()
        )
        await client.wait_cards(count + 1)  # the current prompt is shown again
        with services.session_factory() as s:
            after = {
                (f.remark, int(f.light))
                for f in s.scalars(
                    select(Feedback).where(
                        Feedback.round_id == rid, Feedback.teacher_id == teacher.id
                    )
                )
            }
        assert after == before
        client.reader.cancel()
