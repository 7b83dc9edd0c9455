"""Teams activities → Incoming, and the payloads that are refused."""

from __future__ import annotations

from typing import Any

import pytest

from bot.teams.translate import BadActivity, NoText, NotPersonal, tenant_of, translate
from dialogs.types import IncomingKind
from tests.integration.teams.activities import load

SUBS = {
    "SERVICE_URL": "https://smba.trafficmanager.net/emea/",
    "USER_ID": "29:1abc",
    "USER_NAME": "Wim",
    "AAD_ID": "aad-1",
    "TENANT": "tenant-1",
    "CONVERSATION_ID": "a:1conv",
    "APP_ID": "app",
    "REPLY_TO_ID": "1:reply",
    "ACTIVITY_ID": "1763632801123",
}


def _activity(name: str, **subs: Any) -> dict[str, Any]:
    return load(name, **{**SUBS, **subs})


def test_message() -> None:
    inc = translate(_activity("message", text="<at>Stoplicht</at> feedback"), email="w@x.nl")
    assert inc is not None and inc.kind == IncomingKind.MESSAGE
    assert inc.text == "feedback"
    u = inc.user
    assert (u.channel, u.tenant, u.user_id, u.email, u.locale) == (
        "teams",
        "tenant-1",
        "aad-1",
        "w@x.nl",
        "nl-NL",
    )
    assert inc.conversation is not None
    assert inc.conversation.data["serviceUrl"] == SUBS["SERVICE_URL"]
    assert inc.conversation.data["conversation"]["id"] == "a:1conv"


def test_the_conversation_reference_is_the_same_for_every_activity_of_a_person() -> None:
    """The stored reference is rewritten only when it changes: an activity's own id (new on
    every press) is not part of it, what reaches the person again is."""
    first = translate(_activity("message", text="feedback", ACTIVITY_ID="1"))
    value = {"stoplicht": {"action": "t_skip", "args": {}, "version": 1}}
    second = translate(_activity("submit", VALUE=value, ACTIVITY_ID="2"))
    assert first is not None and second is not None
    assert first.conversation is not None and second.conversation is not None
    assert first.conversation.data == second.conversation.data
    assert "activityId" not in first.conversation.data
    assert set(first.conversation.data) >= {"user", "bot", "conversation", "serviceUrl"}


def test_submit_merges_inputs() -> None:
    value = {
        "stoplicht": {"action": "t_save", "args": {"light": "2"}, "version": 3},
        "remark": "Goed",
        "action": "",
    }
    inc = translate(_activity("submit", VALUE=value))
    assert inc is not None and inc.kind == IncomingKind.ACTION
    assert (inc.action, dict(inc.args), inc.version) == ("t_save", {"light": "2"}, 3)
    assert dict(inc.values) == {"remark": "Goed", "action": ""}


def test_execute_invoke() -> None:
    data = {"stoplicht": {"action": "t_skip", "args": {}, "version": 1}}
    inc = translate(_activity("invoke_execute", VERB="t_skip", DATA=data))
    assert inc is not None and (inc.kind, inc.action, inc.version) == (
        IncomingKind.ACTION,
        "t_skip",
        1,
    )


@pytest.mark.parametrize("name", ["installation_update", "conversation_update"])
def test_install(name: str) -> None:
    inc = translate(_activity(name))
    assert inc is not None and inc.kind == IncomingKind.INSTALLED


def test_bot_only_conversation_update_is_ignored() -> None:
    act = _activity("conversation_update")
    act["membersAdded"] = act["membersAdded"][1:]
    assert translate(act) is None


def test_other_invokes_are_ignored() -> None:
    act = _activity("invoke_execute", VERB="x", DATA={})
    act["name"] = "signin/verifyState"
    assert translate(act) is None


@pytest.mark.parametrize(
    "value",
    [
        {"stoplicht": {"action": "t_save", "args": {"light": 2.5}, "version": 1}},
        {"stoplicht": {"action": "t_save", "version": True}},
        {"stoplicht": {"action": "T-SAVE"}},
        {"stoplicht": "t_save"},
        {"stoplicht": {"action": "t_save"}, "remark": {"nested": 1}},
        {"stoplicht": {"action": "t_save"}, "remark": "x" * 20_001},
    ],
)
def test_bad_submits(value: Any) -> None:
    with pytest.raises(BadActivity):
        translate(_activity("submit", VALUE=value))


def test_verb_must_match_the_action() -> None:
    data = {"stoplicht": {"action": "t_skip"}}
    with pytest.raises(BadActivity):
        translate(_activity("invoke_execute", VERB="t_save", DATA=data))


def test_missing_sender() -> None:
    act = _activity("message")
    act["from"]["id"] = ""
    with pytest.raises(BadActivity):
        translate(act)


def _message(text: str | None, **fields: Any) -> dict[str, Any]:
    body = load("message", **SUBS)
    body["text"] = text
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


BOT_MENTION = {
    "type": "mention",
    "mentioned": {"id": "28:app", "name": "Stoplicht"},
    "text": "<at>Stoplicht</at>",
}


@pytest.mark.parametrize(
    ("text", "fields", "typed"),
    [
        ("\r\n<at>Stoplicht</at> Feedback\r\n", {}, "Feedback"),
        ('<at id="0">Stoplicht</at>&nbsp;feedback', {}, "feedback"),
        (
            "<p><at>Stoplicht</at>&nbsp;Ik &amp; jij</p><p>regel 2</p>",
            {"textFormat": "xml"},
            "Ik & jij\nregel 2",
        ),
        ("Ik &amp; jij < 3", {"textFormat": "plain"}, "Ik &amp; jij < 3"),
        ("a\r\nb\r\n\r\n\r\n\r\nc", {}, "a\nb\n\nc"),
        ("vraag het <at>Jan Jansen</at> even", {}, "vraag het Jan Jansen even"),
        ("vraag <at>Stoplicht</at> even", {"entities": [BOT_MENTION]}, "vraag   even"),
        ("<at>Stoplicht</at>", {}, ""),
        (
            "",
            {
                "attachments": [
                    {
                        "contentType": "text/html",
                        "content": '<div><span itemscope="" itemtype="http://schema.skype.com/Mention"'
                        ' itemid="0">Stoplicht</span>&nbsp;mentor &lt;3</div>',
                    }
                ]
            },
            "mentor <3",
        ),
    ],
)
def test_typed_text(text: str, fields: dict[str, Any], typed: str) -> None:
    inc = translate(_message(text, **fields))
    assert inc is not None and inc.text == typed


def test_files_without_text_are_refused_with_their_own_line() -> None:
    image = {"contentType": "image/*", "contentUrl": "https://x/views/original"}
    with pytest.raises(NoText) as exc:
        translate(_message(None, attachments=[image]))
    assert exc.value.key == "error.no_text"
    inc = translate(_message("feedback", attachments=[image]))  # text and a picture: the text
    assert inc is not None and inc.text == "feedback"


@pytest.mark.parametrize(
    "conversation",
    [
        {"conversationType": "channel", "isGroup": True, "id": "19:c@thread.tacv2"},
        {"conversationType": "groupChat", "isGroup": True, "id": "19:g@thread.v2"},
        {"isGroup": True, "id": "19:g@thread.v2"},
    ],
)
def test_group_conversations_are_not_turns(conversation: dict[str, Any]) -> None:
    with pytest.raises(NotPersonal):
        translate(_message("feedback", conversation=conversation))
    for name in ("conversation_update", "installation_update"):
        act = load(name, **SUBS)
        act["conversation"] = conversation
        assert translate(act) is None


def test_no_conversation_type_counts_as_personal() -> None:
    inc = translate(_message("feedback", conversation={"id": "a:1conv"}))
    assert inc is not None and inc.text == "feedback"


@pytest.mark.parametrize(
    ("locale", "entities", "expected"),
    [
        ("en-GB", [], "en-GB"),
        (None, [{"type": "clientInfo", "locale": "nl-BE"}], "nl-BE"),
        ("  ", [{"type": "clientInfo", "locale": "en-US"}], "en-US"),
        (None, [{"type": "clientInfo"}], None),
        (None, [], None),
    ],
)
def test_locale_falls_back_to_the_client(
    locale: str | None, entities: list[dict[str, Any]], expected: str | None
) -> None:
    inc = translate(_message("hallo", locale=locale, entities=entities))
    assert inc is not None and inc.user.locale == expected


def test_tenant_from_channel_data_else_the_conversation() -> None:
    body = load("message", **SUBS)
    del body["channelData"]
    assert tenant_of(body) == "tenant-1"  # conversation.tenantId
    del body["conversation"]["tenantId"]
    assert tenant_of(body) == ""


def test_no_aad_object_id_uses_the_teams_id() -> None:
    body = load("message", **SUBS)
    del body["from"]["aadObjectId"]
    inc = translate(body)
    assert inc is not None and inc.user.user_id == "29:1abc"
