"""Teams activities → Incoming, and the payloads that are refused."""

from __future__ import annotations

from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.teams.translate import BadActivity, translate
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
}


def _activity(name: str, **subs: Any) -> Activity:
    return Activity().deserialize(load(name, **{**SUBS, **subs}))


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
    act.members_added = act.members_added[1:]
    assert translate(act) is None


def test_other_invokes_are_ignored() -> None:
    act = _activity("invoke_execute", VERB="x", DATA={})
    act.name = "signin/verifyState"
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
    act.from_property.id = ""
    with pytest.raises(BadActivity):
        translate(act)
