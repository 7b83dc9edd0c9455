"""Slack in OAuth mode with token rotation, against the fake Web API (single-use refresh
tokens, as Slack's): the ack makes no network call, a due token is rotated once per
workspace however many senders, turns and processes need it at the same moment, a refresh
token that is refused marks the account and nothing retries it."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.oauth.installation_store.models.bot import Bot

from bot.slack.app import SLACK_KEY, web_client
from bot.slack.install import BotTokens, ThreadedInstallationStore, make_stores
from bot.slack.sender import SlackSender
from dialogs.types import Reply
from schedules.delivery import Target, Unreachable
from storage.db import make_engine
from tests.integration.slack.conftest import Slack, oauth_settings, running
from tests.integration.slack.fake_api import FakeSlack

CLIENT_ID = "111.222"
REPLIES = [Reply(text="Hallo")]


def due_bot(refresh: str = "xoxe-1-refresh") -> Bot:
    """A bot whose token expires within the rotation window (in a minute)."""
    return Bot(
        app_id="A1",
        enterprise_id=None,
        team_id="T1",
        bot_token="xoxb-old",
        bot_refresh_token=refresh,
        bot_token_expires_at=int(time.time()) + 60,
        bot_id="BBOT",
        bot_user_id="UBOT",
        bot_scopes=["chat:write", "im:history"],
        installed_at=time.time(),
    )


def tokens_on(url: str, fake: FakeSlack) -> tuple[BotTokens, ThreadedInstallationStore, Any]:
    """A process's view: its own engine, stores and ``BotTokens`` on the database at ``url``."""
    engine = make_engine(url)
    installations, _states = make_stores(client_id=CLIENT_ID, engine=engine)
    tokens = BotTokens(
        client=web_client(fake.url),
        installations=installations,
        client_id=CLIENT_ID,
        client_secret="shh",
    )
    return tokens, installations, engine


def target(user: str) -> Target:
    return Target(
        person_id=1,
        channel="slack",
        tenant="T1",
        external_id=user,
        conversation={"channel": f"D{user}"},
    )


@pytest.fixture
async def oauth(sqlite_url: str, fake: FakeSlack) -> AsyncIterator[Slack]:
    async with running(sqlite_url, fake, **oauth_settings(CLIENT_ID)) as slack:
        installations = slack.client.app[SLACK_KEY].bolt.installation_store
        await installations.async_save_bot(due_bot())
        yield slack


async def test_a_dm_during_a_slow_rotation_is_acked_at_once_and_answered(oauth: Slack) -> None:
    fake = oauth.fake
    fake.hold["oauth.v2.access"] = asyncio.Event()
    response = await oauth.dm("UWIS", "feedback")
    # The ack came back while oauth.v2.access had not answered; authorize made no call.
    assert response.status == 200
    assert fake.of("auth.test") == [] and fake.of("oauth.v2.access") == []
    await asyncio.wait_for(_until(lambda: fake.held == ["oauth.v2.access"]), 10)
    second = await oauth.dm("UWIS", "feedback")  # a second DM meanwhile: also acked at once
    assert second.status == 200
    fake.hold.pop("oauth.v2.access").set()
    posts = await fake.wait_for("chat.postMessage", 2)
    assert {c.token for c in posts} == {"xoxb-rotated"}
    assert fake.rotations == 1 and fake.of("auth.test") == []
    store = oauth.client.app[SLACK_KEY].bolt.installation_store
    saved = await store.async_find_bot(enterprise_id=None, team_id="T1")
    assert saved.bot_token == "xoxb-rotated" and saved.bot_refresh_token == fake.refresh_token


async def test_four_notifications_at_once_rotate_once(sqlite_url: str, fake: FakeSlack) -> None:
    tokens, installations, engine = tokens_on(sqlite_url, fake)
    await installations.async_save_bot(due_bot())
    sender = SlackSender(base_url=fake.url, tokens=tokens)
    users = ["U1", "U2", "U3", "U4"]
    await asyncio.gather(*(sender.send(target(u), REPLIES, key=u) for u in users))
    assert fake.rotations == 1 and len(fake.of("oauth.v2.access")) == 1
    posts = fake.of("chat.postMessage")
    assert sorted(c.params["channel"] for c in posts) == [f"D{u}" for u in users]
    assert {c.token for c in posts} == {"xoxb-rotated"}
    engine.dispose()


async def test_two_processes_on_one_database_rotate_once(db_url: str, fake: FakeSlack) -> None:
    one, store, engine_one = tokens_on(db_url, fake)
    two, _store_two, engine_two = tokens_on(db_url, fake)
    await store.async_save_bot(due_bot())
    # The first rotation is held inside oauth.v2.access, its lock taken; the second process
    # asks meanwhile and must wait for it, then read the new token (no second rotation).
    fake.hold["oauth.v2.access"] = asyncio.Event()
    first = asyncio.create_task(one.token("T1"))
    await asyncio.wait_for(_until(lambda: len(fake.held) == 1), 10)
    second = asyncio.create_task(two.token("T1"))
    await asyncio.sleep(0.2)  # give the second a chance to reach the lock (not asserted on)
    fake.hold.pop("oauth.v2.access").set()
    assert await asyncio.wait_for(asyncio.gather(first, second), 30) == [
        "xoxb-rotated",
        "xoxb-rotated",
    ]
    assert fake.rotations == 1 and len(fake.of("oauth.v2.access")) == 1
    assert one.rotations + two.rotations == 1
    engine_one.dispose()
    engine_two.dispose()


ROTATE_IN_A_PROCESS = """
import asyncio, sys
from bot.slack.app import web_client
from bot.slack.install import BotTokens, make_stores
from storage.db import make_engine
url, api = sys.argv[1], sys.argv[2]
installations, _ = make_stores(client_id="111.222", engine=make_engine(url))
tokens = BotTokens(client=web_client(api), installations=installations,
                   client_id="111.222", client_secret="shh")
print(asyncio.run(tokens.token("T1")), tokens.rotations)
"""


async def test_two_server_processes_rotate_once(db_url: str, fake: FakeSlack) -> None:
    _tokens, store, engine = tokens_on(db_url, fake)
    await store.async_save_bot(due_bot())
    fake.hold["oauth.v2.access"] = asyncio.Event()
    run = (sys.executable, "-c", ROTATE_IN_A_PROCESS, db_url, fake.url)
    pipe = asyncio.subprocess.PIPE
    first = await asyncio.create_subprocess_exec(*run, stdout=pipe, stderr=pipe)
    await asyncio.wait_for(_until(lambda: len(fake.held) == 1), 60)
    second = await asyncio.create_subprocess_exec(*run, stdout=pipe, stderr=pipe)
    await asyncio.sleep(1)  # let the second reach the lock (the asserts do not depend on it)
    fake.hold.pop("oauth.v2.access").set()
    outs = [await asyncio.wait_for(p.communicate(), 60) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outs
    lines = sorted(out.decode().split() for out, _err in outs)
    assert lines == [["xoxb-rotated", "0"], ["xoxb-rotated", "1"]]
    assert fake.rotations == 1 and len(fake.of("oauth.v2.access")) == 1
    engine.dispose()


async def test_refused_refresh_token_marks_the_account_and_does_not_loop(
    sqlite_url: str, fake: FakeSlack
) -> None:
    tokens, installations, engine = tokens_on(sqlite_url, fake)
    await installations.async_save_bot(due_bot(refresh="xoxe-1-revoked"))
    sender = SlackSender(base_url=fake.url, tokens=tokens)
    with pytest.raises(Unreachable) as caught:
        await sender.send(target("U1"), REPLIES, key="k1")
    assert caught.value.reason == "invalid_refresh_token"
    assert len(fake.of("oauth.v2.access")) == 1 and fake.of("chat.postMessage") == []
    # Each later send asks once more (the store may have a new install by then), never loops.
    with pytest.raises(Unreachable):
        await sender.send(target("U2"), REPLIES, key="k2")
    assert len(fake.of("oauth.v2.access")) == 2 and fake.rotations == 0
    saved = await installations.async_find_bot(enterprise_id=None, team_id="T1")
    assert saved is not None and saved.bot_token == "xoxb-old"  # nothing changed
    engine.dispose()


async def test_a_refresh_token_replaced_outside_the_lock_is_retried_with_the_stored_one(
    pg_url: str, fake: FakeSlack
) -> None:
    """Someone rotated without our lock (an older deployment) and stored the result while ours
    was under way: Slack refuses ours, the refused token is no longer the stored one, so the
    stored bot is used instead of failing the send. (PostgreSQL: the advisory lock leaves
    other writers alone; SQLite's write lock would make that writer wait for us.)"""
    tokens, installations, engine = tokens_on(pg_url, fake)
    await installations.async_save_bot(due_bot(refresh="xoxe-1-stale"))
    fake.hold["oauth.v2.access"] = asyncio.Event()
    task = asyncio.create_task(tokens.token("T1"))
    await asyncio.wait_for(_until(lambda: len(fake.held) == 1), 10)
    # Meanwhile the other rotation stored a fresh token (not due for twelve hours).
    other = due_bot(refresh="xoxe-1-other")
    other.bot_token, other.bot_token_expires_at = "xoxb-other", int(time.time()) + 43200
    other.installed_at = time.time() + 1
    await installations.async_save_bot(other)
    fake.hold.pop("oauth.v2.access").set()
    assert await asyncio.wait_for(task, 30) == "xoxb-other"
    assert fake.rotations == 0
    engine.dispose()


async def _until(condition: Any) -> None:
    while not condition():
        await asyncio.sleep(0.01)
