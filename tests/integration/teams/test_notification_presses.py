"""Teams: a notification's buttons pressed days later by someone with dialog state work, each of
them, and a card that shows information keeps showing it after a navigation press."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.teams import render
from schedules.composer import compose_digests
from storage.db import unit_of_work
from storage.models import Person
from storage.rounds.lifecycle import close_round
from tests.integration.teams.conftest import (
    ELS,
    NOW,
    Channel,
    DemoSchool,
    actions,
    cards,
    make_channel,
    texts,
)
from tests.support.bot_framework import FakeBotFramework

MESSAGE_TYPE = "application/vnd.microsoft.activity.message"


def _digest(channel: Channel, mode: render.ActionMode = "execute") -> dict[str, Any]:
    """Close the open round and render Esther's digest as the sender would."""
    sf = channel.session_factory
    with unit_of_work(sf) as s:
        close_round(s, round_id=channel.school.open_round_id, actor_id=None, now=NOW)
    with sf() as s:
        mentor_id = s.scalar(select(Person.id).where(Person.email == ELS.email))
        [reply] = compose_digests(s, round_id=channel.school.open_round_id)[mentor_id]
    assert reply.card is not None and reply.card.version is None
    return render.render_card(reply.card, mode=mode)


def _execute(channel: Channel, act: dict[str, Any]) -> dict[str, Any]:
    r = channel.post(
        channel.activity(
            "invoke_execute", user=ELS, VERB=act["verb"], DATA=act["data"], REPLY_TO_ID="sent-d"
        )
    )
    assert r.status_code == 200, r.text
    return r.json()


def _say(channel: Channel, text: str) -> dict[str, Any]:
    n = len(channel.fake.sent)
    channel.post(channel.activity("message", user=ELS, text=text))
    return cards(channel.fake.wait_for_sent(n + 1))[-1]


def test_each_digest_button_works_and_the_digest_stays(channel: Channel) -> None:
    overview = _say(channel, "mentor")  # the mentor has dialog state before the digest
    digest = _digest(channel)
    buttons = [a for a in actions(digest) if a["type"] == "Action.Execute"]  # not fallbacks
    assert all("version" not in a["data"]["stoplicht"] for a in buttons)
    opens = [a for a in buttons if a["data"]["stoplicht"]["action"] == "m_student"]
    shares = [a for a in buttons if a["data"]["stoplicht"]["action"] == "m_share"]
    assert opens and shares
    for act in (opens[0], shares[0], opens[-1]):  # several buttons of one notification
        n = len(channel.fake.sent)
        body = _execute(channel, act)
        assert body["type"] == MESSAGE_TYPE  # the digest is left as it is
        shown = texts(cards(channel.fake.wait_for_sent(n + 1))[-1])
        assert "verouderd" not in shown.lower(), shown
    # the digest's overview button, then a navigation press on the overview (information)
    overview_button = next(a for a in buttons if a["data"]["stoplicht"]["action"] == "m_start")
    n = len(channel.fake.sent)
    assert _execute(channel, overview_button)["type"] == MESSAGE_TYPE
    shown = cards(channel.fake.wait_for_sent(n + 1))[-1]
    student = next(
        a
        for a in actions(shown)
        if a["type"] == "Action.Execute" and a["data"]["stoplicht"]["action"] == "m_student"
    )
    assert student["data"]["stoplicht"]["keep"] is True and overview
    n = len(channel.fake.sent)
    body = _execute(channel, student)
    assert body["type"] == MESSAGE_TYPE  # the overview keeps showing the mentees
    assert "verouderd" not in texts(cards(channel.fake.wait_for_sent(n + 1))[-1]).lower()


def test_submit_mode_leaves_an_informational_card_as_it_is(
    demo_url: tuple[str, DemoSchool], fake: FakeBotFramework
) -> None:
    url, school = demo_url
    services, server = make_channel(url, fake, STOPLICHT_TEAMS_CARD_ACTIONS="submit")
    try:
        ch = Channel(fake=fake, server=server, services=services, school=school)
        digest = _digest(ch, mode="submit")
        act = next(a for a in actions(digest) if a["data"]["stoplicht"]["action"] == "m_student")
        assert act["type"] == "Action.Submit"
        fake.updated.clear()
        n = len(fake.sent)
        r = ch.post(ch.activity("submit", user=ELS, VALUE=act["data"], REPLY_TO_ID="sent-d"))
        assert r.status_code == 201, r.text
        report = cards(fake.wait_for_sent(n + 1))[-1]
        assert fake.updated == []  # the digest was not replaced by "Beantwoord"
        assert "verouderd" not in texts(report).lower()
    finally:
        server.stop()


def test_a_card_with_inputs_is_still_answered_in_place(channel: Channel) -> None:
    """The rule is for cards that show information: a student card pressed is answered."""
    from tests.integration.teams.conftest import light_action, open_student_card

    card = open_student_card(channel)
    act = light_action(card, 2)
    assert "keep" not in act["data"]["stoplicht"]
    r = channel.post(
        channel.activity(
            "invoke_execute",
            VERB=act["verb"],
            DATA=dict(act["data"], remark="", action=""),
            REPLY_TO_ID="sent-x",
        )
    )
    assert r.json()["type"] == "application/vnd.microsoft.card.adaptive"
