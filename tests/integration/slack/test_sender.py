"""The outbox's Slack sender against the fake Web API: delivery and the classification of every
failure the dispatcher must tell apart; bot tokens per workspace, rotated when expiring."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_sdk.oauth.installation_store.models.bot import Bot
from sqlalchemy import create_engine

from bot.slack.app import web_client
from bot.slack.install import BotTokens, make_stores
from bot.slack.sender import SlackSender
from dialogs.types import Card, Choice, Reply
from schedules.delivery import PermanentFailure, RetryLater, Target, Unreachable
from tests.integration.slack.fake_api import FakeSlack


class FixedToken:
    def __init__(self, token: str | None = "xoxb-test-token") -> None:
        self.value = token

    async def token(self, team_id: str) -> str | None:
        return self.value


def target(**conversation: str) -> Target:
    return Target(
        person_id=1, channel="slack", tenant="T1", external_id="UWIS", conversation=conversation
    )


REPLIES = [
    Reply(
        text="Er is een nieuwe ronde.",
        card=Card(
            kind="menu",
            title="Periode 2",
            choices=(Choice(label="Feedback geven", action="start_feedback"),),
        ),
    )
]


@pytest.fixture
async def sender(fake: FakeSlack) -> AsyncIterator[SlackSender]:
    yield SlackSender(base_url=fake.url, tokens=FixedToken())


async def test_delivers_to_the_stored_dm(fake: FakeSlack, sender: SlackSender) -> None:
    await sender.send(target(channel="DSTORED"), REPLIES, key="n-1")
    posts = fake.of("chat.postMessage")
    assert [p.params["channel"] for p in posts] == ["DSTORED", "DSTORED"]
    assert fake.of("conversations.open") == []
    assert posts[1].params["blocks"][-1]["type"] == "actions"
    assert all(p.token == "xoxb-test-token" for p in posts)


async def test_opens_the_dm_without_a_stored_reference(
    fake: FakeSlack, sender: SlackSender
) -> None:
    await sender.send(target(), REPLIES, key="n-2")
    assert fake.of("conversations.open")[0].params["users"] == "UWIS"
    assert fake.of("chat.postMessage")[0].params["channel"] == "DUWIS"


@pytest.mark.parametrize(
    ("status", "body", "headers", "expected", "retry_after"),
    [
        (429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "7"}, RetryLater, 7.0),
        (500, {"ok": False, "error": "internal_error"}, {}, RetryLater, None),
        (503, {"ok": False, "error": "service_unavailable"}, {}, RetryLater, None),
        (200, {"ok": False, "error": "account_inactive"}, {}, Unreachable, None),
        (200, {"ok": False, "error": "user_not_found"}, {}, Unreachable, None),
        (200, {"ok": False, "error": "token_revoked"}, {}, Unreachable, None),
        (200, {"ok": False, "error": "invalid_auth"}, {}, Unreachable, None),
        (200, {"ok": False, "error": "invalid_blocks"}, {}, PermanentFailure, None),
    ],
)
async def test_failures_are_classified_once(
    fake: FakeSlack,
    sender: SlackSender,
    status: int,
    body: dict,
    headers: dict,  # type: ignore[type-arg]
    expected: type,
    retry_after: float | None,
) -> None:
    fake.fail["chat.postMessage"] = [(status, body, headers)]
    with pytest.raises(expected) as info:
        await sender.send(target(channel="DSTORED"), REPLIES, key="n-3")
    assert len(fake.of("chat.postMessage")) == 1  # no retry inside the sender
    if expected is RetryLater:
        assert info.value.retry_after == retry_after


async def test_no_token_is_unreachable(fake: FakeSlack) -> None:
    with pytest.raises(Unreachable):
        await SlackSender(base_url=fake.url, tokens=FixedToken(None)).send(
            target(), REPLIES, key="k"
        )
    assert fake.calls == []


async def test_transport_error_is_retry_later() -> None:
    dead = SlackSender(base_url="http://127.0.0.1:9/api/", tokens=FixedToken(), timeout=2)
    with pytest.raises(RetryLater):
        await dead.send(target(channel="D1"), REPLIES, key="k")


async def test_expiring_token_is_rotated_and_saved(fake: FakeSlack, tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'i.sqlite'}")
    installations, _states = make_stores(client_id="111.222", engine=engine)
    await installations.async_save_bot(
        Bot(
            app_id="A1",
            enterprise_id=None,
            team_id="T1",
            bot_token="xoxb-old",
            bot_refresh_token="xoxe-1-refresh",
            bot_token_expires_at=int(time.time()) + 60,
            bot_id="BBOT",
            bot_user_id="UBOT",
            installed_at=time.time(),
        )
    )
    tokens = BotTokens(
        client=web_client(fake.url),
        installations=installations,
        client_id="111.222",
        client_secret="shh",
    )
    sender = SlackSender(base_url=fake.url, tokens=tokens)
    await sender.send(target(channel="D1"), REPLIES, key="k")
    assert fake.of("oauth.v2.access")[0].params["grant_type"] == "refresh_token"
    assert {c.token for c in fake.of("chat.postMessage")} == {"xoxb-rotated"}
    saved = await installations.async_find_bot(enterprise_id=None, team_id="T1")
    assert saved is not None and saved.bot_token == "xoxb-rotated"
    assert await tokens.token("T2") is None
    engine.dispose()
