"""Slack payloads to ``Incoming``: what is a turn, who sent it, and the dedupe keys."""

from __future__ import annotations

import json

import pytest

from bot.slack import translate
from bot.slack.modals import ModalContext
from bot.slack.translate import Profile
from dialogs.types import IncomingKind
from tests.integration.slack.conftest import sample

PROFILE = Profile(email="t.wis@school.example", name="Wim", locale="nl-NL")


def test_dm_message_becomes_a_message_turn() -> None:
    body = sample("event_message_im.json")
    inc = translate.message_incoming(body, PROFILE)
    assert inc is not None and inc.kind == IncomingKind.MESSAGE and inc.text == "feedback"
    assert (inc.user.channel, inc.user.tenant, inc.user.user_id) == ("slack", "T1", "UWIS")
    assert inc.user.email == "t.wis@school.example" and inc.user.locale == "nl-NL"
    assert inc.conversation is not None and inc.conversation.data["channel"] == "DUWIS"
    assert translate.dedupe_key(body) == "ev:Ev0001"


def test_other_messages_are_not_turns() -> None:
    for change in (
        {"bot_id": "B1"},
        {"subtype": "message_changed"},
        {"subtype": "bot_message"},
        {"channel_type": "channel"},
        {"user": None},
    ):
        body = sample("event_message_im.json")
        body["event"].update(change)
        assert translate.message_incoming(body, PROFILE) is None, change


def test_slash_command_is_typed_text_and_bare_is_the_menu() -> None:
    body = sample("command_stoplicht.json")
    inc = translate.command_incoming(body, PROFILE, "DUWIS")
    assert inc.text == "help" and inc.user.user_id == "UWIS" and inc.user.tenant == "T1"
    body["text"] = "  "  # bare: the menu as an action, never typed text a question would take
    bare = translate.command_incoming(body, PROFILE, None)
    assert (bare.kind, bare.action, bare.text) == (IncomingKind.ACTION, "menu", None)
    assert translate.dedupe_key(body) == "tr:1.2.trigger-command"


def test_button_becomes_an_action_with_its_version() -> None:
    body = sample("block_actions.json")
    value = translate.decode_value(json.dumps({"a": "t_jump", "g": {"student_id": 5}, "v": 3}))
    inc = translate.action_incoming(body, value, PROFILE, "DUWIS")
    assert inc.kind == IncomingKind.ACTION and inc.action == "t_jump"
    assert dict(inc.args) == {"student_id": "5"} and inc.version == 3
    assert translate.user_of(body) == "UWIS" and translate.team_of(body) == "T1"


def test_view_submission_carries_values_and_the_cards_version() -> None:
    body = sample("view_submission.json")
    body["view"]["state"] = {
        "values": {
            "remark": {"value": {"type": "plain_text_input", "value": "Goed"}},
            "action": {"value": {"type": "plain_text_input", "value": None}},
        }
    }
    values = translate.view_values(body["view"])
    assert values == {"remark": "Goed", "action": ""}
    ctx = ModalContext(channel="D1", ts="1.1", action="t_save", args={"light": "2"}, version=9)
    inc = translate.submission_incoming(body, ctx, PROFILE, values)
    assert (inc.action, dict(inc.args), inc.version) == ("t_save", {"light": "2"}, 9)
    assert dict(inc.values) == values


@pytest.mark.parametrize(
    "state",
    [None, "x", {"values": "x"}, {"values": {"remark": "x"}}, {"values": {"remark": {"v": 3}}}],
)
def test_view_values_of_a_malformed_state_are_empty_not_an_error(state) -> None:
    assert translate.view_values({"state": state}) == {}
    broken_element = state == {"values": {"remark": {"v": 3}}}
    assert translate.unreadable_fields({"state": state}) == (["remark"] if broken_element else [])


def test_a_value_that_is_not_text_is_unreadable_not_its_repr() -> None:
    view = {
        "state": {
            "values": {
                "remark": {"value": {"type": "plain_text_input", "value": {"nested": 1}}},
                "action": {"value": {"type": "plain_text_input", "value": "Oefen"}},
                "extra": {"value": {"type": "plain_text_input", "value": 7}},
            }
        }
    }
    assert translate.view_values(view) == {"action": "Oefen"}
    assert translate.unreadable_fields(view) == ["remark", "extra"]


def test_closed_and_home() -> None:
    closed = sample("view_closed.json")
    assert translate.closed_incoming(closed, PROFILE).kind == IncomingKind.CLOSED
    assert translate.dedupe_key(closed) == "vc:V1:h3"
    home = sample("event_app_home_opened.json")
    inc = translate.home_incoming(home, PROFILE)
    assert inc.action == "menu" and inc.user.user_id == "UWIS"


def test_file_shares_and_thread_replies_are_messages() -> None:
    body = sample("event_message_file_share.json")
    inc = translate.message_incoming(body, PROFILE)
    assert inc is not None and inc.text == "" and translate.only_files(body["event"], inc)
    body["event"]["text"] = "feedback"
    inc = translate.message_incoming(body, PROFILE)
    assert inc is not None and inc.text == "feedback"
    assert not translate.only_files(body["event"], inc)
    reply = sample("event_message_thread_reply.json")
    inc = translate.message_incoming(reply, PROFILE)
    assert inc is not None and inc.text == "help"


@pytest.mark.parametrize(
    "name",
    ["event_message_changed.json", "event_message_deleted.json", "event_message_bot.json"],
)
def test_edits_deletes_and_bot_messages_are_not_turns(name: str) -> None:
    assert translate.message_incoming(sample(name), PROFILE) is None


def test_the_bots_mention_is_dropped_using_the_authorizations() -> None:
    body = sample("event_message_im_rich_text.json")
    assert translate.bot_user_of(body) == "UBOT"
    inc = translate.message_incoming(body, PROFILE)
    assert inc is not None and inc.text == "Feedback"
    body["authorizations"] = [{"user_id": "UBOT", "is_bot": False}, "x"]
    assert translate.bot_user_of(body) is None
    inc = translate.message_incoming(body, PROFILE)
    assert inc is not None and inc.text == "@UBOT Feedback"


def test_slash_command_text_is_unescaped() -> None:
    body = sample("command_stoplicht.json")
    body["text"] = "  Feedback &amp; meer <https://x.org|link> "
    assert translate.command_incoming(body, PROFILE, None).text == "Feedback & meer link"


def test_grid_payloads_use_the_workspace() -> None:
    assert translate.team_of(sample("event_message_im_grid.json")) == "T1"
    action = sample("block_actions.json")
    action.update(team=None, enterprise={"id": "E1", "name": "Scholengroep"})
    assert translate.team_of(action) == "T1"  # the user's team_id
    action["user"] = None
    assert translate.team_of(action) == "" and translate.user_of(action) == ""


@pytest.mark.parametrize(
    ("element", "value"),
    [
        ({"type": "plain_text_input", "value": "Goed"}, "Goed"),
        ({"type": "plain_text_input", "value": None}, ""),
        ({"type": "number_input", "value": "7"}, "7"),
        ({"type": "static_select", "selected_option": {"value": "a"}}, "a"),
        ({"type": "static_select", "selected_option": None}, ""),
        ({"type": "datepicker", "selected_date": "2026-11-20"}, "2026-11-20"),
        ({"type": "timepicker", "selected_time": "09:30"}, "09:30"),
        ({"type": "datetimepicker", "selected_date_time": 1763632800}, "1763632800"),
        ({"type": "users_select", "selected_user": "U1"}, "U1"),
        ({"type": "checkboxes", "selected_options": [{"value": "a"}, {"value": "b"}]}, "a, b"),
        ({"type": "multi_users_select", "selected_users": ["U1", "U2"]}, "U1, U2"),
        (
            {
                "type": "rich_text_input",
                "rich_text_value": {
                    "type": "rich_text",
                    "elements": [
                        {
                            "type": "rich_text_section",
                            "elements": [{"type": "text", "text": "x & y"}],
                        }
                    ],
                },
            },
            "x & y",
        ),
        ({"type": "something_new"}, ""),
    ],
)
def test_element_values_of_every_input_type(element: dict, value: str) -> None:  # type: ignore[type-arg]
    view = {"state": {"values": {"f": {"value": element}}}}
    assert translate.view_values(view) == {"f": value}
    assert translate.unreadable_fields(view) == []


@pytest.mark.parametrize(
    "element",
    [
        {"type": "static_select", "selected_option": {"value": 3}},
        {"type": "checkboxes", "selected_options": [{"value": "a"}, {"value": 1}]},
        {"type": "users_select", "selected_user": ["U1"]},
        {"type": "datetimepicker", "selected_date_time": True},
    ],
)
def test_element_values_that_are_not_text_are_unreadable(element: dict) -> None:  # type: ignore[type-arg]
    view = {"state": {"values": {"f": {"value": element}}}}
    assert translate.view_values(view) == {} and translate.unreadable_fields(view) == ["f"]
