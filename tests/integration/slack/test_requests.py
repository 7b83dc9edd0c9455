"""Requests that must not do anything: forged, stale, malformed, oversized, retried."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time

from sqlalchemy import func, select

from storage.models import ChannelAccount, DialogState, ProcessedEvent
from tests.integration.slack.conftest import SECRET, Slack, sample, signed


def _count(slack: Slack, model: type) -> int:
    with slack.sf() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _event_body() -> str:
    p = sample("event_message_im.json")
    return json.dumps(p)


async def _settle(slack: Slack) -> None:
    await asyncio.sleep(0.2)
    from bot.slack.app import SLACK_KEY

    await slack.client.app[SLACK_KEY].turns.drain()


async def test_forged_signature_is_401_and_changes_nothing(slack: Slack) -> None:
    body = _event_body()
    headers = {"Content-Type": "application/json", **signed(body, secret="not-the-secret")}
    response = await slack.client.post("/slack/events", data=body, headers=headers)
    assert response.status == 401
    tampered = {"Content-Type": "application/json", **signed(body)}
    response = await slack.client.post(
        "/slack/events", data=body.replace("feedback", "help"), headers=tampered
    )
    assert response.status == 401
    unsigned = await slack.client.post(
        "/slack/events", data=body, headers={"Content-Type": "application/json"}
    )
    assert unsigned.status == 401
    await _settle(slack)
    assert slack.fake.calls == []
    assert _count(slack, ProcessedEvent) == 0 and _count(slack, DialogState) == 0


async def test_timestamps_that_are_no_whole_number_are_401_not_500(slack: Slack) -> None:
    """Signed with the right secret over the odd timestamp, so only its form is wrong."""
    body = _event_body()
    now = str(int(time.time()))
    odd = ["abc", "1e9", "12.5", "", "9" * 5000, " " + now, now + "\u0661", "-" + now, "0x1F"]
    for stamp in odd:
        base = f"v0:{stamp}:{body}".encode()
        sig = "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sig,
        }
        response = await slack.client.post("/slack/events", data=body, headers=headers)
        assert response.status == 401, (stamp[:20], response.status)
    # a signature that is not ASCII (hmac.compare_digest would raise TypeError)
    headers = {"Content-Type": "application/json", **signed(body)}
    headers["X-Slack-Signature"] = "v0=" + "é" * 64
    response = await slack.client.post(
        "/slack/events",
        data=body,
        headers={k: v.encode().decode("latin-1") for k, v in headers.items()},
    )
    assert response.status == 401
    await _settle(slack)
    assert slack.fake.calls == [] and _count(slack, ProcessedEvent) == 0


async def test_timestamp_older_than_five_minutes_is_401(slack: Slack) -> None:
    body = _event_body()
    old = int(time.time()) - 6 * 60
    headers = {"Content-Type": "application/json", **signed(body, ts=old)}
    response = await slack.client.post("/slack/events", data=body, headers=headers)
    assert response.status == 401
    await _settle(slack)
    assert slack.fake.calls == [] and _count(slack, ProcessedEvent) == 0


async def test_malformed_bodies_are_400(slack: Slack) -> None:
    for body, ctype in [
        ("{not json", "application/json"),
        ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
        ("", "application/json"),
        ("[1, 2]", "application/json"),
    ]:
        response = await slack.post(body, ctype)
        assert response.status == 400, body
    response = await slack.client.post(
        "/slack/events",
        data=b"\xff\xfe{}",
        headers={"Content-Type": "application/json", **signed("\xff\xfe{}")},
    )
    assert response.status in (400, 401)
    await _settle(slack)
    assert slack.fake.calls == [] and _count(slack, ProcessedEvent) == 0


async def test_oversized_body_is_413(slack: Slack) -> None:
    p = sample("event_message_im.json")
    p["event"]["text"] = "x" * (300 * 1024)
    response = await slack.event(p)
    assert response.status == 413
    await _settle(slack)
    assert slack.fake.calls == [] and _count(slack, ProcessedEvent) == 0


async def test_retried_event_has_no_second_side_effect(slack: Slack) -> None:
    p = sample("event_message_im.json")
    p["event"]["text"] = "feedback"
    first = await slack.event(p)
    assert first.status == 200
    await slack.fake.wait_for("chat.postMessage")
    await _settle(slack)
    state_before = _state(slack)
    retry = await slack.event(p, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status == 200
    await _settle(slack)
    assert len(slack.fake.of("chat.postMessage")) == 1
    assert _state(slack) == state_before
    assert _count(slack, ProcessedEvent) == 1


async def test_concurrent_duplicates_do_the_turn_once(slack: Slack) -> None:
    p = sample("event_message_im.json")
    results = await asyncio.gather(*(slack.event(p) for _ in range(5)))
    assert {r.status for r in results} == {200}
    await slack.fake.wait_for("chat.postMessage")
    await _settle(slack)
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_bot_messages_and_edits_are_ignored(slack: Slack) -> None:
    bot = sample("event_message_im.json")
    bot["event"]["bot_id"] = "BBOT"
    edit = sample("event_message_im.json")
    edit["event_id"] = "Ev-edit"
    edit["event"]["subtype"] = "message_changed"
    for p in (bot, edit):
        assert (await slack.event(p)).status == 200
    await _settle(slack)
    assert slack.fake.of("chat.postMessage") == []
    assert _count(slack, ChannelAccount) == 0


def _state(slack: Slack) -> list[tuple[int, int]]:
    with slack.sf() as s:
        return [(d.person_id, d.version) for d in s.scalars(select(DialogState)).all()]


async def test_signed_bodies_of_the_wrong_shape_are_400_not_500(slack: Slack) -> None:
    from urllib.parse import urlencode

    events = [
        {"type": "event_callback", "event_id": "Ev-a", "team_id": "T1", "event": [1]},
        {"type": "event_callback", "event_id": "Ev-b", "team_id": "T1", "event": "message"},
    ]
    interactions = [
        {"type": "block_actions", "actions": "x", "user": {"id": "UWIS"}, "team": {"id": "T1"}},
        {"type": "block_actions", "actions": [{"action_id": "stl:0"}], "user": "UWIS"},
        {"type": "block_actions", "actions": ["stl:0"], "user": {"id": "UWIS"}},
        {"type": "view_submission", "view": "x", "user": {"id": "UWIS"}, "team": {"id": "T1"}},
        {"type": "view_closed", "view": {"id": 1}, "user": {"id": "UWIS"}, "team": "T1"},
    ]
    for body in events:
        response = await slack.event(body)
        assert response.status == 400, body
    for body in interactions:
        form = urlencode({"payload": json.dumps(body)})
        response = await slack.post(form, "application/x-www-form-urlencoded")
        assert response.status == 400, body
    await _settle(slack)
    assert slack.fake.calls == [] and _count(slack, ProcessedEvent) == 0
