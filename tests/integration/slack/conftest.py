"""The Slack channel under test: the real aiohttp app (``bot.app.build_web_app``) with the real
dialog engine on a small school, a fake Slack Web API on loopback, and correctly signed
requests built from the payload samples in ``tests/fixtures/slack/``."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_services, build_web_app
from bot.settings import Settings
from bot.slack.app import SLACK_KEY
from storage.db import make_engine, make_session_factory
from tests.integration.slack.fake_api import Call, FakeSlack
from tests.unit.dialogs.school import NOW, SmallSchool, build

FIXTURES = Path(__file__).parents[2] / "fixtures" / "slack"
SECRET = "test-signing-secret"
USERS = {
    "UWIS": "t.wis@school.example",
    "UMEN": "m.ent@school.example",
    "US0": "s0@school.example",
    "UORG": "o.rg@school.example",
}


def sample(name: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def signed(body: str, *, secret: str = SECRET, ts: int | None = None) -> dict[str, str]:
    stamp = str(ts if ts is not None else int(time.time()))
    base = f"v0:{stamp}:{body}".encode()
    sig = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": sig}


class Slack:
    """Drives the app the way Slack does and reads what the fake API received."""

    def __init__(self, client: TestClient, fake: FakeSlack, school: SmallSchool, sf: Any) -> None:
        self.client, self.fake, self.school, self.sf = client, fake, school, sf
        self._n = 0

    def _next(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n:04d}"

    async def post(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> Any:
        h = {"Content-Type": content_type, **signed(body), **(headers or {})}
        return await self.client.post("/slack/events", data=body.encode(), headers=h)

    async def event(self, payload: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        return await self.post(json.dumps(payload), "application/json", headers)

    async def interaction(self, payload: dict[str, Any]) -> Any:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def dm(self, user: str, text: str) -> Any:
        p = sample("event_message_im.json")
        p["event_id"] = self._next("Ev")
        p["event"].update(user=user, text=text, channel=f"D{user}")
        return await self.event(p)

    async def command(self, user: str, text: str, channel_name: str = "directmessage") -> Any:
        p = sample("command_stoplicht.json")
        p.update(user_id=user, text=text, trigger_id=self._next("tr"), channel_name=channel_name)
        p["response_url"] = f"{self.fake.url}respond"  # the fake's, never Slack's hooks
        return await self.post(urlencode(p), "application/x-www-form-urlencoded")

    def last_message(self, user: str) -> Call:
        posts = [c for c in self.fake.of("chat.postMessage") if c.params["channel"] == f"D{user}"]
        assert posts, "no message posted"
        return posts[-1]

    def buttons(self, call: Call) -> list[dict[str, Any]]:
        return [e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]]

    def button(self, call: Call, label: str) -> dict[str, Any]:
        """A button by label text, or by action id as ``"action:<id>"``."""
        for b in self.buttons(call):
            if label.startswith("action:"):
                if json.loads(b["value"])["a"] == label.removeprefix("action:"):
                    return b
            elif label in b["text"]["text"]:
                return b
        raise AssertionError(
            f"no button {label!r} in {[b['text']['text'] for b in self.buttons(call)]}"
        )

    async def click(self, user: str, call: Call, label: str) -> Any:
        b = self.button(call, label)
        p = sample("block_actions.json")
        p["user"]["id"] = user
        p["trigger_id"] = self._next("trig")
        ts = call.result["ts"]
        p["container"].update(message_ts=ts, channel_id=call.params["channel"])
        p["channel"]["id"] = call.params["channel"]
        p["message"].update(ts=ts, blocks=call.params["blocks"])
        p["actions"] = [
            {**p["actions"][0], "action_id": b["action_id"], "text": b["text"], "value": b["value"]}
        ]
        return await self.interaction(p)

    async def submit(self, user: str, view: dict[str, Any], values: dict[str, str]) -> Any:
        p = sample("view_submission.json")
        p["user"]["id"] = user
        p["trigger_id"] = self._next("sub")
        p["view"].update(
            blocks=view["blocks"],
            private_metadata=view["private_metadata"],
            callback_id=view["callback_id"],
            state={
                "values": {
                    k: {"value": {"type": "plain_text_input", "value": v}}
                    for k, v in values.items()
                }
            },
        )
        return await self.interaction(p)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    f = await FakeSlack(users=dict(USERS)).start()
    yield f
    await f.close()


def settings_for(url: str, fake: FakeSlack, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": url,
        "slack_signing_secret": SECRET,
        "slack_bot_token": "xoxb-test-token",
        "slack_api_url": fake.url,
        "scheduler": False,
    }
    return Settings(**{**values, **extra})


@asynccontextmanager
async def running(url: str, fake: FakeSlack, **settings: Any) -> AsyncIterator[Slack]:
    """The small school and the whole web app (Bolt inside) on ``url``, served on 127.0.0.1,
    with ``settings`` over the defaults of ``settings_for``; the Slack turns drained at the end."""
    engine = make_engine(url)
    sf = make_session_factory(engine)
    school = build(sf)
    app = build_web_app(build_services(settings_for(url, fake, **settings), clock=lambda: NOW))
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()  # runs on_startup (Socket Mode connects there)
    try:
        yield Slack(client, fake, school, sf)
    finally:
        await app[SLACK_KEY].turns.drain()
        await client.close()
        engine.dispose()


def oauth_settings(client_id: str) -> dict[str, str]:
    """Settings of an app installed per workspace (OAuth): no bot token of its own."""
    return {
        "slack_bot_token": "",
        "slack_client_id": client_id,
        "slack_client_secret": "client-secret-value",
    }


@pytest.fixture
async def slack(sqlite_url: str, fake: FakeSlack) -> AsyncIterator[Slack]:
    async with running(sqlite_url, fake) as running_slack:
        yield running_slack
