"""Real-world Teams payloads the happy-path tests do not send: mentions and HTML from the
different clients, group chats and channels, files, activities Stoplicht does not use, invokes
it does not offer, redeliveries, and sparse sender/tenant/locale fields."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from storage.models import ChannelAccount, Feedback
from tests.integration.teams.conftest import (
    STRANGER,
    WIM,
    Channel,
    actions,
    cards,
    light_action,
    snapshot,
)

PERSONAL_ONLY_NL = "werkt alleen in je persoonlijke chat"


def _starts_feedback(card: dict[str, Any]) -> bool:
    """The first card of the "feedback" command: the group choice or a student's lights."""
    names = {a["data"]["stoplicht"]["action"] for a in actions(card)}
    return bool(names & {"t_group", "t_save"})


def _quiet(channel: Channel, body: Any) -> int:
    """Post ``body``: a 2xx, nothing sent, nothing looked up, nothing changed."""
    before = snapshot(channel.session_factory)
    r = channel.post(body)
    assert 200 <= r.status_code < 300, r.text
    assert channel.fake.sent == [] and channel.fake.updated == []
    assert channel.fake.member_lookups == []
    assert snapshot(channel.session_factory) == before
    return r.status_code


def _message(channel: Channel, text: str | None, **fields: Any) -> dict[str, Any]:
    body = channel.activity("message")
    if text is None:
        body.pop("text")
    else:
        body["text"] = text
    body.update(fields)
    return body


def _mention(channel: Channel) -> dict[str, Any]:
    bot = f"28:{channel.fake.app_id}"
    return {
        "type": "mention",
        "mentioned": {"id": bot, "name": "Stoplicht"},
        "text": "<at>Stoplicht</at>",
    }


# -- what people type, as each client sends it ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("Feedback", {}),
        ("  FEEDBACK!\u00a0", {}),
        ("\r\n<at>Stoplicht</at> Feedback\r\n", {"mention": True}),
        ('<at id="0">Stoplicht</at> feedback', {"mention": True}),
        ("<p><at>Stoplicht</at>&nbsp;Feedback</p>", {"textFormat": "xml", "mention": True}),
        ("<div>feedback<br></div>", {}),
        (
            "",
            {
                "attachments": [
                    {"contentType": "text/html", "content": "<div><div>Feedback</div>\n</div>"}
                ]
            },
        ),
    ],
    ids=[
        "capital",
        "upper-nbsp",
        "channel-style mention",
        "at with id",
        "web html",
        "tags",
        "html copy",
    ],
)
def test_the_feedback_command_in_every_shape(
    channel: Channel, text: str, fields: dict[str, Any]
) -> None:
    extra = dict(fields)
    body = _message(channel, text)
    if extra.pop("mention", False):
        body["entities"] = [_mention(channel), *body["entities"]]
    body.update(extra)
    r = channel.post(body)
    assert r.status_code == 201, r.text
    card = cards(channel.fake.wait_for_sent(1))[-1]
    assert _starts_feedback(card), card


def test_the_web_client_fixture_is_the_feedback_command(channel: Channel) -> None:
    r = channel.post(channel.activity("message_web_html"))
    assert r.status_code == 201, r.text
    assert _starts_feedback(cards(channel.fake.wait_for_sent(1))[-1])


def test_an_image_without_text_gets_a_clear_line_and_changes_nothing(channel: Channel) -> None:
    before = snapshot(channel.session_factory)
    r = channel.post(channel.activity("message_image_only"))
    assert r.status_code == 201, r.text
    sent = channel.fake.wait_for_sent(1)
    assert len(sent) == 1 and "afbeeldingen kan ik niet lezen" in sent[0].body["text"]
    assert snapshot(channel.session_factory) == before


# -- group chats and channels: never a turn ---------------------------------------------------


@pytest.mark.parametrize("name", ["message_channel_mention", "message_group_chat"])
def test_outside_the_personal_chat_says_so_and_stores_nothing(channel: Channel, name: str) -> None:
    before = snapshot(channel.session_factory)
    body = channel.activity(name)
    r = channel.post(body)
    assert r.status_code == 201, r.text
    sent = channel.fake.wait_for_sent(1)
    assert len(sent) == 1 and PERSONAL_ONLY_NL in sent[0].body["text"]
    assert sent[0].conversation_id.split(";")[0] == body["conversation"]["id"].split(";")[0]
    assert not sent[0].body.get("attachments")  # no card with a student on it
    assert snapshot(channel.session_factory) == before  # no account, no reference, no state
    assert channel.fake.member_lookups == []


def test_a_card_pressed_in_a_group_chat_is_refused(channel: Channel) -> None:
    data = {"stoplicht": {"action": "t_save", "args": {"light": "2"}, "version": 1}}
    body = channel.activity("invoke_execute", VERB="t_save", DATA=data, REPLY_TO_ID="x")
    body["conversation"] = {
        "isGroup": True,
        "conversationType": "groupChat",
        "id": "19:g@thread.v2",
    }
    before = snapshot(channel.session_factory)
    r = channel.post(body)
    assert r.status_code == 400
    assert PERSONAL_ONLY_NL in r.json()["value"]["message"]
    assert snapshot(channel.session_factory) == before and channel.fake.sent == []


@pytest.mark.parametrize(
    "name", ["conversation_update_team", "installation_update_team", "conversation_update_removed"]
)
def test_team_events_and_removals_are_ignored(channel: Channel, name: str) -> None:
    _quiet(channel, channel.activity(name))


# -- activities and invokes Stoplicht does not use ---------------------------------------------


@pytest.mark.parametrize("name", ["message_reaction", "typing", "message_update", "message_delete"])
def test_reactions_typing_edits_and_deletes_are_ignored(channel: Channel, name: str) -> None:
    _quiet(channel, channel.activity(name))


@pytest.mark.parametrize("kind", ["event", "endOfConversation", "handoff", "somethingNew"])
def test_other_activity_types_are_ignored(channel: Channel, kind: str) -> None:
    body = channel.activity("typing")
    body["type"] = kind
    body["name"] = "application/vnd.microsoft.meetingStart"
    _quiet(channel, body)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("composeExtension/query", {"commandId": "search", "parameters": [{"name": "q"}]}),
        ("composeExtension/queryLink", {"url": "https://example.org"}),
        ("task/fetch", {"data": {"type": "task/fetch"}, "context": {"theme": "dark"}}),
        ("signin/verifyState", {"state": "123456"}),
        ("config/fetch", {}),
        ("", None),
    ],
)
def test_invokes_stoplicht_does_not_offer_get_an_empty_200(
    channel: Channel, name: str, value: Any
) -> None:
    assert _quiet(channel, channel.activity("invoke_other", INVOKE_NAME=name, VALUE=value)) == 200


# -- redeliveries: one turn per activity, one welcome per install --------------------------------


def test_a_redelivered_message_is_one_turn(channel: Channel) -> None:
    body = _message(channel, "feedback")
    assert channel.post(body).status_code == 201
    channel.fake.wait_for_sent(1)
    before = snapshot(channel.session_factory)
    assert channel.post(body).status_code == 201
    assert len(channel.fake.sent) == 1
    assert snapshot(channel.session_factory) == before


def test_a_redelivered_execute_saves_once_and_answers_the_card(channel: Channel) -> None:
    channel.post(_message(channel, "feedback"))
    card = cards(channel.fake.wait_for_sent(1))[-1]
    if not any(a["data"]["stoplicht"]["action"] == "t_save" for a in actions(card)):
        group = next(a for a in actions(card) if a["data"]["stoplicht"]["action"] == "t_group")
        channel.post(
            channel.activity(
                "invoke_execute", VERB=group["verb"], DATA=group["data"], REPLY_TO_ID="s1"
            )
        )
        card = cards(channel.fake.wait_for_sent(2))[-1]
    act = light_action(card, 2)
    body = channel.activity(
        "invoke_execute",
        VERB=act["verb"],
        DATA=dict(act["data"], remark="", action=""),
        REPLY_TO_ID="s2",
    )
    first = channel.post(body)
    assert first.status_code == 200 and first.json()["statusCode"] == 200
    sent = len(channel.fake.wait_for_sent(len(channel.fake.sent)))
    before = snapshot(channel.session_factory)
    again = channel.post(body)
    assert again.status_code == 200
    assert not [b for b in again.json()["value"]["body"] if b["type"] == "ActionSet"]
    assert len(channel.fake.sent) == sent
    assert snapshot(channel.session_factory) == before
    with channel.session_factory() as s:
        assert len(s.scalars(select(Feedback).where(Feedback.light == 2)).all()) >= 1


def test_installing_sends_two_activities_and_welcomes_once(channel: Channel) -> None:
    assert channel.post(channel.activity("installation_update")).status_code == 201
    assert channel.post(channel.activity("conversation_update")).status_code == 201
    assert len(channel.fake.wait_for_sent(1)) == 1
    with channel.session_factory() as s:
        assert s.scalars(select(ChannelAccount)).one().conversation is not None


# -- sparse sender, tenant and locale fields ----------------------------------------------------


def test_a_sender_without_aad_object_id_is_linked_by_their_teams_id(channel: Channel) -> None:
    body = _message(channel, "feedback")
    del body["from"]["aadObjectId"]
    assert channel.post(body).status_code == 201
    assert _starts_feedback(cards(channel.fake.wait_for_sent(1))[-1])
    with channel.session_factory() as s:
        assert s.scalars(select(ChannelAccount.external_id)).one() == WIM.user_id


def test_the_tenant_may_come_from_the_conversation_only(channel: Channel) -> None:
    body = _message(channel, "feedback")
    del body["channelData"]
    assert channel.post(body).status_code == 201
    assert _starts_feedback(cards(channel.fake.wait_for_sent(1))[-1])


def test_no_tenant_at_all_is_an_unknown_school(channel: Channel) -> None:
    body = _message(channel, "feedback")
    del body["channelData"]
    del body["conversation"]["tenantId"]
    assert channel.post(body).status_code == 201
    assert "Ik ken je nog niet" in channel.fake.wait_for_sent(1)[0].body["text"]
    with channel.session_factory() as s:
        assert s.scalars(select(ChannelAccount)).all() == []


@pytest.mark.parametrize(
    ("locale", "client", "expected"),
    [
        ("en-GB", "en-GB", "I do not know you yet"),
        ("nl", "nl", "Ik ken je nog niet"),
        (None, "en-US", "I do not know you yet"),
        (None, None, "Ik ken je nog niet"),
        ("", None, "Ik ken je nog niet"),
        ("de-DE", "de-DE", "Ik ken je nog niet"),
    ],
)
def test_the_language_follows_the_locale_or_the_client(
    channel: Channel, locale: str | None, client: str | None, expected: str
) -> None:
    body = channel.activity("message", user=STRANGER)
    if locale is None:
        del body["locale"]
    else:
        body["locale"] = locale
    body["entities"] = [dict(body["entities"][0], locale=client)] if client else []
    assert channel.post(body).status_code == 201
    assert expected in channel.fake.wait_for_sent(1)[0].body["text"]
