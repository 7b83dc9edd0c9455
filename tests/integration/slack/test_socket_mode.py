"""Socket Mode (development): with SLACK_APP_TOKEN the app connects to the WebSocket URL that
``apps.connections.open`` gives, acks each envelope, and a redelivered envelope (Slack's
``retry_attempt``) does nothing a second time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import build_services, build_web_app
from bot.slack.app import SLACK_KEY
from storage.db import make_engine, make_session_factory
from tests.integration.slack.conftest import Slack, running, sample, settings_for
from tests.integration.slack.fake_api import FakeSlack
from tests.unit.dialogs.school import NOW, build


@pytest.fixture
async def socket_slack(sqlite_url: str, fake: FakeSlack) -> AsyncIterator[Slack]:
    async with running(sqlite_url, fake, slack_app_token="xapp-1-A1-test") as slack:
        yield slack


async def test_envelopes_are_acked_and_redelivery_is_ignored(socket_slack: Slack) -> None:
    fake = socket_slack.fake
    opened = await fake.wait_for("apps.connections.open")
    assert opened[0].token == "xapp-1-A1-test"
    envelope = {
        "envelope_id": "env-1",
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": sample("event_message_im.json"),
    }
    await fake.socket_send(envelope)
    acks = await fake.wait_for_acks(1)
    assert acks[0]["envelope_id"] == "env-1"
    await fake.wait_for("chat.postMessage")
    await fake.socket_send(
        {**envelope, "envelope_id": "env-2", "retry_attempt": 1, "retry_reason": "timeout"}
    )
    await fake.wait_for_acks(2)
    await socket_slack.client.app[SLACK_KEY].turns.drain()
    assert len(fake.of("chat.postMessage")) == 1


async def test_the_app_built_outside_a_running_loop_connects_when_served(
    sqlite_url: str, fake: FakeSlack
) -> None:
    """``stoplicht serve`` and ``worker`` build the application before any event loop runs
    (the Socket Mode handler needs one: it is made when the server starts)."""
    engine = make_engine(sqlite_url)
    build(make_session_factory(engine))
    settings = settings_for(sqlite_url, fake, slack_app_token="xapp-1-A1-test")
    services = build_services(settings, clock=lambda: NOW)
    app = await asyncio.to_thread(build_web_app, services)  # no running loop in that thread
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    try:
        opened = await fake.wait_for("apps.connections.open")
        assert opened[0].token == "xapp-1-A1-test"
    finally:
        await client.close()
        engine.dispose()
