"""Real-world Slack payloads the happy-path tests do not send: rich text and Slack's markup,
message subtypes, events and buttons Stoplicht does not use, Enterprise Grid, App Home
buttons, modal states of other element types, and Slack's own checks."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot.slack.app import SLACK_KEY
from storage.models import ActionPlan, ChannelAccount, DialogState, Feedback, ProcessedEvent
from tests.integration.slack.conftest import Slack, sample
from tests.unit.dialogs.test_mentor_student import shared


def _blocks(call: Any) -> str:
    return json.dumps(call.params.get("blocks") or call.params.get("view"), ensure_ascii=False)


async def _settle(slack: Slack) -> None:
    await asyncio.sleep(0.1)
    await slack.client.app[SLACK_KEY].turns.drain()


def _count(slack: Slack, model: type) -> int:
    with slack.sf() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _state(slack: Slack) -> list[tuple[int, int]]:
    with slack.sf() as s:
        return [(d.person_id, d.version) for d in s.scalars(select(DialogState))]


async def _quiet(slack: Slack, response: Any) -> None:
    """A 200 with an empty body, and after the lazy work: no Web API call (Bolt's own
    ``auth.test`` aside), nothing stored."""
    assert response.status == 200, await response.text()
    assert await response.text() == ""
    await _settle(slack)
    assert [c.method for c in slack.fake.calls if c.method != "auth.test"] == []
    assert _count(slack, ChannelAccount) == 0 and _state(slack) == []


def _starts_feedback(call: Any) -> bool:
    return "Anna Aalders" in _blocks(call)


# -- what people type ---------------------------------------------------------------------------


async def test_rich_text_with_the_bots_mention_and_bold_is_the_feedback_command(
    slack: Slack,
) -> None:
    assert (await slack.event(sample("event_message_im_rich_text.json"))).status == 200
    await slack.fake.wait_for("chat.postMessage")
    assert _starts_feedback(slack.last_message("UWIS"))


@pytest.mark.parametrize(
    "text",
    [
        "<@UBOT> feedback",
        "*Feedback*",
        "  FEEDBACK!  ",
        "feedback\u00a0",
        "<@UBOT|stoplicht>  Feedback",
    ],
)
async def test_markup_text_without_blocks_is_read_as_typed(slack: Slack, text: str) -> None:
    p = sample("event_message_im.json")
    p["event"].update(text=text, blocks=[])
    await slack.event(p)
    await slack.fake.wait_for("chat.postMessage")
    assert _starts_feedback(slack.last_message("UWIS")), text


@pytest.mark.parametrize("text", ["  FEEDBACK  ", "Feedback", "Feedback."])
async def test_slash_command_text_is_read_as_typed(slack: Slack, text: str) -> None:
    await slack.command("UWIS", text)
    await slack.fake.wait_for("chat.postMessage")
    assert _starts_feedback(slack.last_message("UWIS")), text


async def test_a_typed_plan_answer_is_stored_without_slacks_escapes(slack: Slack) -> None:
    await asyncio.to_thread(shared, slack.sf, slack.school)
    await slack.dm("US0", "plan")
    await slack.fake.wait_for("chat.postMessage")
    await _settle(slack)
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.click("US0", slack.last_message("US0"), "action:s_plan")
    await slack.fake.wait_for("chat.postMessage", posted + 1)
    await _settle(slack)
    posted = len(slack.fake.of("chat.postMessage"))
    p = sample("event_message_im.json")
    p["event_id"] = "Ev-plan-answer"
    # Typed: Ik doe mee & let op <3 (see https://example.org)
    p["event"].update(
        user="US0",
        channel="DUS0",
        text="Ik doe mee &amp; let op &lt;3 (see <https://example.org>)",
        blocks=[],
    )
    await slack.event(p)
    await slack.fake.wait_for("chat.postMessage", posted + 1)
    await _settle(slack)
    with slack.sf() as s:
        answers = json.dumps(s.scalars(select(ActionPlan.answers)).one(), ensure_ascii=False)
    assert "Ik doe mee & let op <3 (see https://example.org)" in answers, answers
    assert "&amp;" not in answers and "&lt;" not in answers


async def test_a_file_without_text_gets_a_clear_line_and_changes_nothing(slack: Slack) -> None:
    assert (await slack.event(sample("event_message_file_share.json"))).status == 200
    await slack.fake.wait_for("chat.postMessage")
    await _settle(slack)
    posts = slack.fake.of("chat.postMessage")
    assert len(posts) == 1 and "afbeeldingen kan ik niet lezen" in posts[0].params["text"]
    assert _count(slack, ChannelAccount) == 0 and _state(slack) == []


async def test_a_file_with_a_caption_is_the_caption(slack: Slack) -> None:
    p = sample("event_message_file_share.json")
    p["event"]["text"] = "feedback"
    await slack.event(p)
    await slack.fake.wait_for("chat.postMessage")
    assert _starts_feedback(slack.last_message("UWIS"))


async def test_a_thread_reply_in_the_dm_is_a_turn_answered_once(slack: Slack) -> None:
    p = sample("event_message_thread_reply.json")
    assert (await slack.event(p)).status == 200
    await slack.fake.wait_for("chat.postMessage")
    retry = await slack.event(p, {"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"})
    assert retry.status == 200
    await _settle(slack)
    assert len(slack.fake.of("chat.postMessage")) == 1
    assert slack.last_message("UWIS").params["channel"] == "DUWIS"


# -- what is not a turn -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "event_message_changed.json",
        "event_message_deleted.json",
        "event_message_bot.json",
        "event_app_mention.json",
        "event_tokens_revoked.json",
    ],
)
async def test_events_that_are_not_turns_are_taken_quietly(slack: Slack, name: str) -> None:
    await _quiet(slack, await slack.event(sample(name)))


async def test_a_message_in_a_channel_is_taken_quietly(slack: Slack) -> None:
    p = sample("event_message_im.json")
    p["event"].update(channel="C0GENERAL", channel_type="channel")
    await _quiet(slack, await slack.event(p))


async def test_a_button_stoplicht_did_not_make_is_taken_quietly(slack: Slack) -> None:
    p = sample("block_actions.json")
    p["actions"] = [
        {
            "action_id": "open_manual",
            "block_id": "links",
            "text": {"type": "plain_text", "text": "Handleiding"},
            "url": "https://school.example/handleiding",
            "type": "button",
            "action_ts": "1763805880.001200",
        },
        {"action_id": "stl:0", "block_id": "choices0", "type": "button", "value": "not json"},
    ]
    await _quiet(slack, await slack.interaction(p))


async def test_a_stoplicht_button_with_a_foreign_value_is_taken_quietly(slack: Slack) -> None:
    p = sample("block_actions.json")
    p["actions"][0]["value"] = '{"a": 5}'
    await _quiet(slack, await slack.interaction(p))


async def test_other_interactions_are_taken_quietly(slack: Slack) -> None:
    shortcut = {
        "type": "message_action",
        "callback_id": "save_note",
        "trigger_id": "1.2.trigger-shortcut",
        "team": {"id": "T1", "domain": "testschool"},
        "user": {"id": "UWIS", "name": "t.wis", "team_id": "T1"},
        "channel": {"id": "C0GENERAL", "name": "general"},
        "message": {"type": "message", "user": "UWIS", "ts": "1763805890.001300", "text": "x"},
        "response_url": "https://hooks.slack.com/app/T1/1/xyz",
    }
    await _quiet(slack, await slack.interaction(shortcut))
    foreign_view = sample("view_submission.json")
    foreign_view["view"]["callback_id"] = "someone_elses_modal"
    await _quiet(slack, await slack.interaction(foreign_view))


# -- Slack's own checks -------------------------------------------------------------------------


async def test_url_verification_echoes_the_challenge(slack: Slack) -> None:
    p = sample("url_verification.json")
    response = await slack.event(p)
    assert response.status == 200
    assert p["challenge"] in await response.text()
    await _settle(slack)
    assert slack.fake.calls == [] and _count(slack, ProcessedEvent) == 0


async def test_ssl_check_is_200_and_does_nothing(slack: Slack) -> None:
    body = urlencode({"ssl_check": "1", "token": "legacy-verification-token"})
    response = await slack.post(body, "application/x-www-form-urlencoded")
    assert response.status == 200
    await _settle(slack)
    assert slack.fake.calls == [] and _count(slack, ProcessedEvent) == 0


# -- Enterprise Grid and the App Home -----------------------------------------------------------


async def test_an_enterprise_grid_dm_is_a_turn_in_the_workspace(slack: Slack) -> None:
    assert (await slack.event(sample("event_message_im_grid.json"))).status == 200
    await slack.fake.wait_for("chat.postMessage")
    assert _starts_feedback(slack.last_message("UWIS"))
    with slack.sf() as s:
        account = s.scalars(select(ChannelAccount)).one()
    assert (account.tenant, account.external_id) == ("T1", "UWIS")


async def test_a_grid_button_without_a_team_uses_the_users_workspace(slack: Slack) -> None:
    await slack.dm("UWIS", "feedback")
    await slack.fake.wait_for("chat.postMessage")
    await _settle(slack)
    message = slack.last_message("UWIS")
    b = slack.button(message, "Overslaan")
    p = sample("block_actions.json")
    p.update(team=None, enterprise={"id": "E0SCHOOLS", "name": "Scholengroep"})
    p["is_enterprise_install"] = True
    p["user"]["enterprise_id"] = "E0SCHOOLS"
    p["container"].update(message_ts=message.result["ts"], channel_id="DUWIS")
    p["message"].update(ts=message.result["ts"], blocks=message.params["blocks"])
    p["actions"] = [dict(p["actions"][0], text=b["text"], value=b["value"])]
    assert (await slack.interaction(p)).status == 200
    await slack.fake.wait_for("chat.postMessage", 2)
    assert "Bram Bakker" in _blocks(slack.last_message("UWIS"))
    with slack.sf() as s:
        assert {a.tenant for a in s.scalars(select(ChannelAccount))} == {"T1"}


async def test_a_button_on_the_app_home_answers_in_the_dm(slack: Slack) -> None:
    await slack.event(sample("event_app_home_opened.json"))
    home = (await slack.fake.wait_for("views.publish"))[0].params["view"]
    await _settle(slack)
    button = next(
        e
        for b in home["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"] == "Feedback geven"
    )
    p = sample("block_actions_home.json")
    p["actions"] = [dict(p["actions"][0], action_id=button["action_id"], value=button["value"])]
    assert (await slack.interaction(p)).status == 200
    await slack.fake.wait_for("chat.postMessage")
    await _settle(slack)
    assert slack.last_message("UWIS").params["channel"] == "DUWIS"
    assert _starts_feedback(slack.last_message("UWIS"))
    assert slack.fake.of("chat.update") == []  # a home view is not a message to update


# -- modal state of other element types ---------------------------------------------------------


async def test_a_submit_reads_rich_text_and_select_elements(slack: Slack) -> None:
    await slack.dm("UWIS", "feedback")
    await slack.fake.wait_for("chat.postMessage")
    await slack.click("UWIS", slack.last_message("UWIS"), "Let op")
    view = (await slack.fake.wait_for("views.update"))[-1].params["view"]
    p = sample("view_submission.json")
    p["trigger_id"] = "sub-rich"
    remark = {
        "type": "rich_text_input",
        "rich_text_value": {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [
                        {"type": "text", "text": "Ik zie dat je "},
                        {"type": "text", "text": "hard", "style": {"bold": True}},
                        {"type": "text", "text": " werkt & plant."},
                    ],
                }
            ],
        },
    }
    action = {
        "type": "static_select",
        "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": "Plan je week."},
    }
    p["view"].update(
        blocks=view["blocks"],
        private_metadata=view["private_metadata"],
        state={"values": {"remark": {"value": remark}, "action": {"value": action}}},
    )
    response = await slack.interaction(p)
    assert response.status == 200 and await response.text() == ""
    await slack.fake.wait_for("chat.postMessage", 2)
    await _settle(slack)
    with slack.sf() as s:
        rows = s.scalars(select(Feedback).where(Feedback.round_id == slack.school.ids["round"]))
        saved = [(f.remark, f.action) for f in rows]
    assert saved == [("Ik zie dat je hard werkt & plant.", "Plan je week.")]
