"""Proactive delivery through the fake connector: success, throttling, failures, no reference."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dialogs.types import Card, Choice, Reply
from schedules.delivery import PermanentFailure, RetryLater, Target, Unreachable
from storage.models import ChannelAccount
from tests.integration.teams.conftest import ELS, Channel, cards


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
