"""Teams activities posted to the running app (auth on) and what the fake connector received."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from storage.models import ChannelAccount, Feedback, Light
from tests.integration.teams.conftest import (
    ELS,
    WIM,
    Channel,
    cards,
    light_action,
    make_channel,
    snapshot,
    texts,
)
from tests.unit.dialogs.school import build


def _first_card(channel: Channel) -> dict[str, Any]:
    r = channel.post(channel.activity("message", text="feedback"))
    assert r.status_code == 201, r.text
    return cards(channel.fake.wait_for_sent(1))[-1]


def _feedback(channel: Channel) -> list[Feedback]:
    with channel.session_factory() as s:
        rid = channel.school.ids["round"]
        return list(s.scalars(select(Feedback).where(Feedback.round_id == rid)))


def test_message_gets_the_student_card_with_four_lights(channel: Channel) -> None:
    card = _first_card(channel)
    assert card["version"] == "1.5"
    lights = [light_action(card, n) for n in (1, 2, 3, 4)]
    assert {a["type"] for a in lights} == {"Action.Execute"}
    assert all(a["verb"] == "t_save" for a in lights)
    ids = {b.get("id") for b in card["body"] if b["type"] == "Input.Text"}
    assert {"remark", "action"} <= ids
    # Email came from Teams (the activity has none); the account is linked and reachable.
    assert channel.fake.member_lookups == [WIM.user_id]
    with channel.session_factory() as s:
        account = s.scalars(select(ChannelAccount)).one()
    assert account.external_id == WIM.aad_id and account.tenant == "tenant-1"
    assert account.conversation["serviceUrl"] == channel.fake.service_url
    assert account.conversation["conversation"]["id"] == WIM.conversation_id
    # The second turn finds the linked account: no second lookup.
    channel.post(channel.activity("message", text="waar was ik"))
    channel.fake.wait_for_sent(2)
    assert channel.fake.member_lookups == [WIM.user_id]
    # Every outgoing call carried the bot's token from the (fake) token endpoint.
    assert all(r.authorization.startswith("Bearer bot-token-") for r in channel.fake.sent)


def test_execute_saves_and_answers_in_place(channel: Channel) -> None:
    card = _first_card(channel)
    act = light_action(card, 2)
    data = dict(act["data"], remark="Ik zie dat je **goed** meedoet.", action="")
    r = channel.post(
        channel.activity("invoke_execute", VERB=act["verb"], DATA=data, REPLY_TO_ID="sent-x")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    answered = body["value"]
    assert not [b for b in answered["body"] if b["type"] in ("ActionSet", "Input.Text")]
    saved = _feedback(channel)
    assert [(f.light, f.remark) for f in saved] == [
        (Light.GA_ZO_DOOR, "Ik zie dat je **goed** meedoet.")
    ]
    # The next student's card was posted as a new message.
    sent = channel.fake.wait_for_sent(2)
    nxt = cards(sent)[-1]
    assert light_action(nxt, 1) and nxt != card


def test_outdated_execute_changes_nothing_and_says_so(channel: Channel) -> None:
    card = _first_card(channel)
    act = light_action(card, 2)
    post = lambda light: channel.post(  # noqa: E731
        channel.activity(
            "invoke_execute",
            VERB="t_save",
            DATA=dict(light_action(card, light)["data"], remark="", action=""),
            REPLY_TO_ID="sent-x",
        )
    )
    assert post(2).status_code == 200
    before = snapshot(channel.session_factory)
    r = post(4)  # the same, now outdated, card again
    assert r.status_code == 200
    assert snapshot(channel.session_factory)["feedback"] == before["feedback"]
    shown = texts(r.json()["value"])
    assert "verouderd" in shown.lower() or "oude" in shown.lower(), shown
    assert act["data"]["stoplicht"]["version"] == card_version(card)


def card_version(card: dict[str, Any]) -> int:
    return int(light_action(card, 1)["data"]["stoplicht"]["version"])


def test_action_submit_updates_the_card_in_place(sqlite_url: str, fake: Any) -> None:
    services, server = make_channel(sqlite_url, fake, STOPLICHT_TEAMS_CARD_ACTIONS="submit")
    try:
        ch = Channel(
            fake=fake, server=server, services=services, school=build(services.session_factory)
        )
        card = _first_card(ch)
        act = light_action(card, 3)
        assert act["type"] == "Action.Submit" and "verb" not in act
        value = dict(
            act["data"],
            remark="Ik merk dat je moeite hebt met breuken.",
            action="Oefen elke dag tien sommen.",
        )
        r = ch.post(ch.activity("submit", VALUE=value, REPLY_TO_ID="sent-1"))
        assert r.status_code == 201, r.text
        fake.wait_for_sent(2)
        assert [u.activity_id for u in fake.updated] == ["sent-1"]
        answered = fake.updated[0].body["attachments"][0]["content"]
        assert not [b for b in answered["body"] if b["type"] in ("ActionSet", "Input.Text")]
        assert [(f.light, f.action) for f in _feedback(ch)] == [
            (Light.LET_OP, "Oefen elke dag tien sommen.")
        ]
        # Submitting the same card again (a double click) stores nothing new.
        before = snapshot(services.session_factory)
        ch.post(ch.activity("submit", VALUE=dict(value, remark="anders"), REPLY_TO_ID="sent-1"))
        fake.wait_for_sent(3)
        assert snapshot(services.session_factory)["feedback"] == before["feedback"]
    finally:
        server.stop()


@pytest.mark.parametrize("name", ["installation_update", "conversation_update"])
def test_install_welcomes_and_stores_the_reference(channel: Channel, name: str) -> None:
    r = channel.post(channel.activity(name, user=ELS))
    assert r.status_code == 201, r.text
    sent = channel.fake.wait_for_sent(1)
    assert sent[0].conversation_id == ELS.conversation_id
    with channel.session_factory() as s:
        account = s.scalars(select(ChannelAccount)).one()
    assert account.external_id == ELS.aad_id
    assert account.conversation["user"]["id"] == ELS.user_id


def test_installation_remove_is_ignored(channel: Channel) -> None:
    body = channel.activity("installation_update", action="remove")
    body["action"] = "remove"
    before = snapshot(channel.session_factory)
    assert channel.post(body).status_code == 201
    assert snapshot(channel.session_factory) == before
    assert channel.fake.sent == []


@pytest.mark.parametrize(
    "value",
    [
        {"stoplicht": {"action": "t_save", "args": "light=2", "version": 1}},
        {"stoplicht": {"action": "t_save", "args": {"light": "2"}, "version": "one"}},
        {"stoplicht": {"action": "DROP TABLE", "args": {}, "version": 1}},
        {"stoplicht": {"action": "t_save", "args": {"light": "2"}, "version": 1}, "remark": ["x"]},
        {"action": "t_save"},
        ["not", "an", "object"],
    ],
)
def test_bad_submit_gets_a_friendly_line_and_changes_nothing(channel: Channel, value: Any) -> None:
    _first_card(channel)
    before = snapshot(channel.session_factory)
    r = channel.post(channel.activity("submit", VALUE=value, REPLY_TO_ID="sent-1"))
    assert r.status_code == 201
    sent = channel.fake.wait_for_sent(2)
    assert "niets veranderd" in sent[-1].body["text"]
    assert snapshot(channel.session_factory) == before
    assert channel.fake.updated == []


def test_bad_execute_gets_400_and_changes_nothing(channel: Channel) -> None:
    _first_card(channel)
    before = snapshot(channel.session_factory)
    r = channel.post(
        channel.activity(
            "invoke_execute",
            VERB="t_save",
            DATA={"stoplicht": {"action": "t_skip", "args": {}, "version": 1}},
            REPLY_TO_ID="x",
        )
    )
    assert r.status_code == 400
    assert r.json()["type"] == "application/vnd.microsoft.error"
    assert snapshot(channel.session_factory) == before


def test_unknown_user_is_told_and_nothing_is_linked(channel: Channel) -> None:
    from tests.integration.teams.conftest import STRANGER

    r = channel.post(channel.activity("message", user=STRANGER, text="hallo"))
    assert r.status_code == 201
    channel.fake.wait_for_sent(1)
    with channel.session_factory() as s:
        assert s.scalars(select(ChannelAccount)).all() == []


def test_connector_throttling_is_retried_within_the_turn(channel: Channel) -> None:
    channel.fake.fail_next(429, retry_after=0.2)
    channel.fake.fail_next(502)
    card = _first_card(channel)
    assert light_action(card, 4)
    assert len(channel.fake.sent) == 1
