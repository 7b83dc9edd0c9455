"""Teams activities posted to the running app (auth on) and what the fake connector received."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from storage.models import ChannelAccount
from tests.integration.teams.conftest import (
    ELS,
    WIM,
    Channel,
    DemoSchool,
    actions,
    cards,
    light_action,
    make_channel,
    open_feedback,
    open_student_card,
    snapshot,
    texts,
)


def _first_card(channel: Channel) -> dict[str, Any]:
    return open_student_card(channel)


def _changed(before: dict, after: dict) -> dict:
    return {k: v for k, v in after.items() if before.get(k) != v}


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
    # Later turns find the linked account: no second lookup.
    n = len(channel.fake.sent)
    channel.post(channel.activity("message", text="waar was ik"))
    channel.fake.wait_for_sent(n + 1)
    assert channel.fake.member_lookups == [WIM.user_id]
    # Every outgoing call carried the bot's token from the (fake) token endpoint.
    assert all(r.authorization.startswith("Bearer bot-token-") for r in channel.fake.sent)


def test_execute_saves_and_answers_in_place(channel: Channel) -> None:
    card = _first_card(channel)
    before = open_feedback(channel)
    n = len(channel.fake.sent)
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
    changed = _changed(before, open_feedback(channel))
    assert list(changed.values()) == [(2, "Ik zie dat je **goed** meedoet.", None)] or list(
        changed.values()
    ) == [(2, "Ik zie dat je **goed** meedoet.", "")]
    # The next student's card was posted as a new message.
    sent = channel.fake.wait_for_sent(n + 1)
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


def test_action_submit_updates_the_card_in_place(
    demo_url: tuple[str, DemoSchool], fake: Any, teams_sdk: str
) -> None:
    url, school = demo_url
    services, server = make_channel(url, fake, teams_sdk, STOPLICHT_TEAMS_CARD_ACTIONS="submit")
    try:
        ch = Channel(fake=fake, server=server, services=services, school=school)
        r = ch.post(ch.activity("message", text="feedback"))
        assert r.status_code == 201
        picker = cards(fake.wait_for_sent(1))[-1]
        group = next(a for a in actions(picker) if a["data"]["stoplicht"]["action"] == "t_group")
        assert group["type"] == "Action.Submit"
        ch.post(ch.activity("submit", VALUE=group["data"], REPLY_TO_ID="sent-1"))
        card = cards(fake.wait_for_sent(2))[-1]
        fake.updated.clear()
        before = open_feedback(ch)
        act = light_action(card, 3)
        assert act["type"] == "Action.Submit" and "verb" not in act
        value = dict(
            act["data"],
            remark="Ik merk dat je moeite hebt met breuken.",
            action="Oefen elke dag tien sommen.",
        )
        r = ch.post(ch.activity("submit", VALUE=value, REPLY_TO_ID="sent-2"))
        assert r.status_code == 201, r.text
        fake.wait_for_sent(3)
        assert [u.activity_id for u in fake.updated] == ["sent-2"]
        answered = fake.updated[0].body["attachments"][0]["content"]
        assert not [b for b in answered["body"] if b["type"] in ("ActionSet", "Input.Text")]
        changed = _changed(before, open_feedback(ch))
        assert [(v[0], v[2]) for v in changed.values()] == [(3, "Oefen elke dag tien sommen.")]
        # Submitting the same card again (a double click) stores nothing new.
        before = snapshot(services.session_factory)
        ch.post(ch.activity("submit", VALUE=dict(value, remark="anders"), REPLY_TO_ID="sent-2"))
        fake.wait_for_sent(4)
        assert snapshot(services.session_factory)["feedback"] == before["feedback"]
    finally:
        server.stop()


def test_the_submit_fallback_of_an_execute_card_is_the_same_press(channel: Channel) -> None:
    """A phone without Universal Actions presses the Action.Submit fallback of a card sent
    with Action.Execute: the same feedback is stored, the card is answered in place, the next
    card comes as a new message (in execute mode again), and a second press changes nothing."""
    card = _first_card(channel)
    act = light_action(card, 3)
    assert act["type"] == "Action.Execute"
    fallback = act["fallback"]
    assert fallback["type"] == "Action.Submit" and fallback["data"] == act["data"]
    before = open_feedback(channel)
    n = len(channel.fake.sent)
    channel.fake.updated.clear()
    value = dict(fallback["data"], remark="Breuken blijven lastig.", action="Oefen elke dag.")
    r = channel.post(channel.activity("submit", VALUE=value, REPLY_TO_ID="sent-card"))
    assert r.status_code == 201, r.text
    nxt = cards(channel.fake.wait_for_sent(n + 1))[-1]
    assert light_action(nxt, 1)["type"] == "Action.Execute" and nxt != card
    changed = _changed(before, open_feedback(channel))
    assert list(changed.values()) == [(3, "Breuken blijven lastig.", "Oefen elke dag.")]
    assert [u.activity_id for u in channel.fake.updated] == ["sent-card"]
    answered = channel.fake.updated[0].body["attachments"][0]["content"]
    assert not [b for b in answered["body"] if b["type"] in ("ActionSet", "Input.Text")]
    before_again = snapshot(channel.session_factory)
    again = dict(value, remark="anders")
    assert channel.post(channel.activity("submit", VALUE=again, REPLY_TO_ID="sent-card")).ok
    channel.fake.wait_for_sent(n + 2)  # the person is told the card is outdated
    assert snapshot(channel.session_factory)["feedback"] == before_again["feedback"]


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
    n = len(channel.fake.sent)
    channel.fake.updated.clear()
    r = channel.post(channel.activity("submit", VALUE=value, REPLY_TO_ID="sent-1"))
    assert r.status_code == 201
    sent = channel.fake.wait_for_sent(n + 1)
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
    assert len(channel.fake.sent) == 2  # the group choice and the student card, once each
