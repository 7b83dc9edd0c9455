"""Proactive delivery through the fake connector: success, throttling, failures, no reference."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from dialogs.types import Card, Choice, Reply
from schedules.delivery import PermanentFailure, RetryLater, Target, Unreachable
from schedules.dispatcher import Dispatcher
from storage.db import unit_of_work
from storage.models import ChannelAccount, Notification, NotificationStatus
from storage.notifications import enqueue
from tests.integration.teams.conftest import (
    ELS,
    NOW,
    WIM,
    Channel,
    DemoSchool,
    cards,
    make_channel,
)
from tests.support.bot_framework import FakeBotFramework


def _target(channel: Channel) -> Target:
    r = channel.post(channel.activity("installation_update", user=ELS))
    assert r.status_code == 201
    channel.fake.wait_for_sent(1)
    with channel.session_factory() as s:
        acc = s.scalars(select(ChannelAccount)).one()
        return Target(
            person_id=acc.person_id,
            channel="teams",
            tenant=acc.tenant,
            external_id=acc.external_id,
            conversation=acc.conversation or {},
        )


REPLIES = [
    Reply(
        card=Card(
            kind="reminder",
            title="Nog 3 leerlingen",
            text="De deadline is vrijdag.",
            choices=(Choice(label="Verder", action="start_feedback"),),
            version=0,
        )
    )
]


def _send(channel: Channel, target: Target) -> None:
    sender = channel.services.senders["teams"]
    channel.server.call(sender.send(target, REPLIES, key="n-1"))


def test_delivers_the_card_to_the_stored_conversation(channel: Channel) -> None:
    target = _target(channel)
    _send(channel, target)
    sent = channel.fake.wait_for_sent(2)
    assert sent[-1].conversation_id == ELS.conversation_id
    card = cards(sent[-1:])[0]
    assert "Nog 3 leerlingen" in str(card)


def test_429_is_retry_later_with_retry_after(channel: Channel) -> None:
    target = _target(channel)
    channel.fake.fail_next(429, retry_after=7)
    with pytest.raises(RetryLater) as err:
        _send(channel, target)
    assert err.value.retry_after == 7.0
    _send(channel, target)  # the dispatcher's next attempt goes through
    assert len(channel.fake.wait_for_sent(2)) == 2


@pytest.mark.parametrize("status", [412, 500, 502, 503, 504])
def test_transient_failures_are_retry_later(channel: Channel, status: int) -> None:
    target = _target(channel)
    channel.fake.fail_next(status)
    with pytest.raises(RetryLater):
        _send(channel, target)


def test_403_is_unreachable(channel: Channel) -> None:
    target = _target(channel)
    channel.fake.fail_next(403)
    with pytest.raises(Unreachable):
        _send(channel, target)


def test_400_is_permanent(channel: Channel) -> None:
    target = _target(channel)
    channel.fake.fail_next(400)
    with pytest.raises(PermanentFailure):
        _send(channel, target)


def test_no_reference_is_unreachable(channel: Channel) -> None:
    target = Target(person_id=1, channel="teams", tenant="tenant-1", external_id="aad-x")
    with pytest.raises(Unreachable):
        _send(channel, target)
    assert channel.fake.sent == []


def test_dead_connector_is_retry_later(channel: Channel) -> None:
    target = _target(channel)
    conv = dict(target.conversation, serviceUrl="http://127.0.0.1:9/connector/")
    dead = Target(**{**target.__dict__, "conversation": conv})
    with pytest.raises(RetryLater):
        _send(channel, dead)


def test_switching_backend_keeps_every_conversation(
    demo_url: tuple[str, DemoSchool], fake: FakeBotFramework, teams_sdk: str
) -> None:
    """A teacher speaks to the bot on one Teams backend; the school switches to the other
    (STOPLICHT_TEAMS_SDK) on the same database; the outbox's deadline reminder reaches her in
    the conversation the first backend stored."""
    url, school = demo_url
    other = "agents" if teams_sdk == "botbuilder" else "botbuilder"
    services, server = make_channel(url, fake, teams_sdk, STOPLICHT_SCHEDULER=False)
    try:
        ch = Channel(fake=fake, server=server, services=services, school=school)
        assert ch.post(ch.activity("message", user=WIM, text="feedback")).status_code == 201
        fake.wait_for_sent(1)
    finally:
        server.stop()
    with services.session_factory() as s:
        account = s.scalars(select(ChannelAccount)).one()
        person_id = account.person_id
    services.engine.dispose()

    services, server = make_channel(url, fake, other, STOPLICHT_SCHEDULER=False)
    try:
        with unit_of_work(services.session_factory) as s:
            assert enqueue(
                s,
                school_id=school.school_id,
                recipient_id=person_id,
                kind="deadline_reminder",
                round_id=school.open_round_id,
                occasion="switch-test",
                not_before=NOW,
                payload={
                    "round": "Leerlingbespreking",
                    "round_id": school.open_round_id,
                    "deadline": "2026-11-27T17:00:00+01:00",
                    "done": 1,
                    "total": 12,
                },
            )
        n = len(fake.sent)
        dispatcher = Dispatcher(
            session_factory=services.session_factory,
            senders=services.senders,
            clock=lambda: NOW,
        )
        assert server.call(dispatcher.run_once()) == 1
        sent = fake.wait_for_sent(n + 1)[-1]
        assert sent.conversation_id == WIM.conversation_id
        assert sent.authorization.startswith("Bearer bot-token-")
        assert cards([sent]) or sent.body.get("text")
        with services.session_factory() as s:
            row = s.scalars(
                select(Notification).where(Notification.occasion == "switch-test")
            ).one()
            assert row.status == NotificationStatus.DELIVERED and row.attempts <= 1
    finally:
        server.stop()


@pytest.mark.parametrize("stored_by", ["botbuilder 4.17.1", "the Agents SDK 1.9.0"])
def test_a_reference_as_either_sdk_writes_it_is_continued(channel: Channel, stored_by: str) -> None:
    """References in databases from before this backend existed were written by botbuilder's
    ``TurnContext.get_conversation_reference(activity).serialize()``; the Agents SDK writes
    ``model_dump(by_alias=True)``. Both backends continue either."""
    target = _target(channel)
    body = channel.activity("message", user=ELS, text="hallo")
    if stored_by.startswith("botbuilder"):
        from botbuilder.core import TurnContext
        from botbuilder.schema import Activity

        reference = TurnContext.get_conversation_reference(Activity().deserialize(body)).serialize()
    else:
        from microsoft_agents.activity import Activity as AgentsActivity

        reference = (
            AgentsActivity.model_validate(body)
            .get_conversation_reference()
            .model_dump(mode="json", by_alias=True, exclude_none=True)
        )
    assert reference["conversation"]["id"] == ELS.conversation_id
    target = replace(target, conversation=reference)
    n = len(channel.fake.sent)
    _send(channel, target)
    assert channel.fake.wait_for_sent(n + 1)[-1].conversation_id == ELS.conversation_id
