"""Other gestures: plain buttons, outdated messages, the slash command, App Home, modal close,
and a Slack user who is not in the roster."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import func, select

from bot.slack.app import SLACK_KEY
from storage.models import ChannelAccount, DialogState, Feedback
from tests.integration.slack.conftest import Slack, sample


def _text(call) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(call.params.get("blocks") or call.params.get("view"), ensure_ascii=False)


async def _settle(slack: Slack) -> None:
    await asyncio.sleep(0.1)
    await slack.client.app[SLACK_KEY].turns.drain()


def _version(slack: Slack) -> int:
    with slack.sf() as s:
        return int(s.scalar(select(func.max(DialogState.version))) or 0)


async def test_plain_button_answers_in_place_and_outdated_message_changes_nothing(
    slack: Slack,
) -> None:
    await slack.dm("UWIS", "feedback")
    await slack.fake.wait_for("chat.postMessage")
    first = slack.last_message("UWIS")
    await slack.click("UWIS", first, "Overslaan")
    update = (await slack.fake.wait_for("chat.update"))[0]
    assert update.params["ts"] == first.result["ts"]
    assert not [b for b in update.params["blocks"] if b["type"] == "actions"]
    assert "Overslaan" in _text(update)
    await slack.fake.wait_for("chat.postMessage", 2)
    assert "Bram Bakker" in _text(slack.last_message("UWIS"))
    await _settle(slack)
    version = _version(slack)

    # The first message's light button (kept by a client that did not refresh): outdated.
    await slack.click("UWIS", first, "Pas op")
    notice = (await slack.fake.wait_for("views.update"))[-1].params["view"]
    assert "verouderd" in _text_of(notice)
    assert not [b for b in notice["blocks"] if b["type"] == "input"]
    await _settle(slack)
    assert _version(slack) == version
    with slack.sf() as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 1  # only the old round's

    # A plain button of the outdated message: the dialogs say so and re-show where we are.
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.click("UWIS", first, "Vorige")
    await slack.fake.wait_for("chat.postMessage", posted + 1)
    await _settle(slack)
    assert "verouderd" in " ".join(_text(c) for c in slack.fake.of("chat.postMessage")[posted:])
    assert _version(slack) == version


def _text_of(view: dict) -> str:  # type: ignore[type-arg]
    return json.dumps(view, ensure_ascii=False)


async def test_slash_command_answers_in_the_dm(slack: Slack) -> None:
    response = await slack.command("UWIS", "help", channel_name="general")
    assert response.status == 200
    await slack.fake.wait_for("chat.postMessage")
    [said] = slack.fake.of("respond")  # an ephemeral line where the command was typed
    assert "privébericht" in said.params["text"] and said.params["response_type"] == "ephemeral"
    assert slack.fake.of("conversations.open")[0].params["users"] == "UWIS"
    assert slack.last_message("UWIS").params["channel"] == "DUWIS"
    with slack.sf() as s:
        account = s.scalars(select(ChannelAccount)).one()
        assert (account.channel, account.tenant, account.external_id) == ("slack", "T1", "UWIS")
        assert account.conversation == {"team_id": "T1", "channel": "DUWIS", "locale": "nl-NL"}


async def test_app_home_shows_the_role_shortcuts(slack: Slack) -> None:
    p = sample("event_app_home_opened.json")
    assert (await slack.event(p)).status == 200
    home = (await slack.fake.wait_for("views.publish"))[0]
    assert home.params["user_id"] == "UWIS"
    assert home.params["view"]["type"] == "home"
    labels = [
        e["text"]["text"]
        for b in home.params["view"]["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
    ]
    assert "Feedback geven" in labels
    text = json.dumps(home.params["view"], ensure_ascii=False)
    assert "Open besprekingen" in text and "Periode 2" in text
    assert "jij: 0 van 4 ingevuld" in text
    assert "deadline 27-11-2026 11:00" in text  # the school's clock (10:00 UTC)
    messages_tab = sample("event_app_home_opened.json")
    messages_tab["event_id"] = "Ev-messages"
    messages_tab["event"]["tab"] = "messages"
    await slack.event(messages_tab)
    await _settle(slack)
    assert len(slack.fake.of("views.publish")) == 1


async def test_modal_closed_changes_nothing(slack: Slack) -> None:
    p = sample("view_closed.json")
    assert (await slack.interaction(p)).status == 200
    await _settle(slack)
    assert slack.fake.of("chat.postMessage") == []
    assert _version(slack) == 0


async def test_unknown_user_is_told_and_not_linked(slack: Slack) -> None:
    slack.fake.users["USTRANGER"] = "stranger@elsewhere.example"
    await slack.dm("USTRANGER", "feedback")
    await slack.fake.wait_for("chat.postMessage")
    assert "Ik ken je nog niet" in _text(slack.last_message("USTRANGER"))
    await _settle(slack)
    with slack.sf() as s:
        assert s.scalar(select(func.count()).select_from(ChannelAccount)) == 0
