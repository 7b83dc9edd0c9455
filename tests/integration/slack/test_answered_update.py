"""The dialogs' answered state reaches the acted Slack message: a reply marked ``replace`` is a
``chat.update`` of that message (after the channel's own early answer), never a new post."""

from __future__ import annotations

import asyncio
import json

from bot.slack.app import SLACK_KEY
from tests.integration.slack.conftest import Slack


def _text(call) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(call.params.get("blocks"), ensure_ascii=False)


async def test_skip_updates_the_message_to_the_dialogs_answered_state(slack: Slack) -> None:
    await slack.dm("UWIS", "feedback")
    await slack.fake.wait_for("chat.postMessage")
    first = slack.last_message("UWIS")
    await slack.click("UWIS", first, "Overslaan")
    updates = await slack.fake.wait_for("chat.update", 2)
    await slack.fake.wait_for("chat.postMessage", 2)
    await asyncio.sleep(0.1)
    await slack.client.app[SLACK_KEY].turns.drain()
    answered = updates[-1]
    assert answered.params["ts"] == first.result["ts"]
    assert answered.params["blocks"][0] == {
        "type": "context",
        "elements": [
            {"type": "plain_text", "text": "\u2705 Overgeslagen: Anna Aalders.", "emoji": False}
        ],
    }
    assert not [b for b in answered.params["blocks"] if b["type"] in ("actions", "input")]
    posts = slack.fake.of("chat.postMessage")
    assert len(posts) == 2 and "Bram Bakker" in _text(posts[-1])  # only the next prompt posted
    assert "Overgeslagen" not in _text(posts[-1])
