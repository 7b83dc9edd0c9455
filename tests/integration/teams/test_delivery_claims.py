"""An activity's claim commits with its turn, on SQLite and PostgreSQL, on both Teams SDKs.

Teams redelivers an activity it thinks was lost, with the same id. The claim of that id is
written in the turn's own transaction: a turn whose transaction failed leaves no claim, so the
redelivery runs it (and saves what the first delivery could not); a redelivery of an answered
activity, also one arriving at the same moment at another server, changes nothing and posts
nothing, and an ``Action.Execute`` repeat gets the answered card.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from storage.db import make_engine
from storage.models import AuditEntry, DialogState, ProcessedEvent
from tests.integration.teams.conftest import (
    WIM,
    Channel,
    DemoSchool,
    cards,
    light_action,
    make_channel,
    open_feedback,
    open_student_card,
    post_together,
    snapshot,
    texts,
)
from tests.support.bot_framework import FakeBotFramework

REMARK = "Rekent netjes, maar slaat stappen over."


@pytest.fixture
def two_servers(
    any_db: tuple[str, DemoSchool], fake: FakeBotFramework, teams_sdk: str
) -> Iterator[tuple[Channel, Channel]]:
    """Two servers (each its own engine and pool, as two processes) on one database."""
    url, school = any_db
    servers = []
    try:
        for _ in range(2):
            services, server = make_channel(url, fake, teams_sdk)
            servers.append(Channel(fake=fake, server=server, services=services, school=school))
        yield servers[0], servers[1]
    finally:
        for channel in servers:
            channel.server.stop()


def _save(channel: Channel, card: dict[str, Any]) -> dict[str, Any]:
    act = light_action(card, 2)
    data = dict(act["data"], remark=REMARK, action="Elke dag tien sommen.")
    return channel.activity("invoke_execute", VERB=act["verb"], DATA=data, REPLY_TO_ID="sent-1")


def _claims(channel: Channel) -> int:
    with channel.session_factory() as s:
        return int(s.scalar(select(func.count()).select_from(ProcessedEvent)) or 0)


def _writes(channel: Channel) -> int:
    with channel.session_factory() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.operation == "write", AuditEntry.entity == "feedback")
            )
            or 0
        )


# A database that refuses to store feedback, for one delivery: a trigger, the way a full disk,
# a lost connection or a constraint would make the turn's transaction fail.
_BREAK = {
    "sqlite": [
        "CREATE TRIGGER refuse_feedback BEFORE INSERT ON feedback "
        "BEGIN SELECT RAISE(ABORT, 'refused for the test'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_feedback() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'refused for the test'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER refuse_feedback BEFORE INSERT ON feedback "
        "FOR EACH ROW EXECUTE FUNCTION refuse_feedback()",
    ],
}
_MEND = {
    "sqlite": ["DROP TRIGGER refuse_feedback"],
    "postgresql": [
        "DROP TRIGGER refuse_feedback ON feedback",
        "DROP FUNCTION refuse_feedback()",
    ],
}


def _run(engine: Engine, statements: list[str]) -> None:
    with engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql))


def test_a_turn_that_failed_leaves_no_claim_and_its_redelivery_saves(
    two_servers: tuple[Channel, Channel],
) -> None:
    channel = two_servers[0]
    card = open_student_card(channel, WIM)
    body = _save(channel, card)
    engine = make_engine(str(channel.services.settings.database_url))
    dialect = engine.dialect.name
    claims, writes, before = _claims(channel), _writes(channel), open_feedback(channel)
    _run(engine, _BREAK[dialect])
    try:
        failed = channel.post(body)
    finally:
        _run(engine, _MEND[dialect])
        engine.dispose()
    # the person got the apology, and the turn left nothing behind: no feedback, no claim
    assert failed.status_code == 200, failed.text
    assert "er ging iets mis" in texts(failed.json()["value"]).lower()
    assert (_claims(channel), _writes(channel)) == (claims, writes)
    assert open_feedback(channel) == before
    # Teams redelivers it (same activity id): now it is saved, once, and claimed
    sent = len(channel.fake.sent)
    again = channel.post(body)
    assert again.status_code == 200, again.text
    assert (_claims(channel), _writes(channel)) == (claims + 1, writes + 1)
    changed = [v for k, v in open_feedback(channel).items() if before.get(k) != v]
    assert [(light, remark) for light, remark, _ in changed] == [(2, REMARK)]
    next_card = cards(channel.fake.wait_for_sent(sent + 1))[-1]
    assert light_action(next_card, 2)  # the next student's card was posted
    # and one more redelivery changes nothing: the answered card, nothing posted
    stored = snapshot(channel.session_factory)
    sent = len(channel.fake.sent)
    third = channel.post(body)
    assert third.status_code == 200 and third.json()["statusCode"] == 200
    assert not [b for b in third.json()["value"]["body"] if b["type"] == "ActionSet"]
    assert snapshot(channel.session_factory) == stored and len(channel.fake.sent) == sent


def test_a_redelivery_racing_the_first_delivery_acts_once(
    two_servers: tuple[Channel, Channel],
) -> None:
    one, two = two_servers
    fake = one.fake
    card = open_student_card(one, WIM)
    for round_ in range(3):
        body = _save(one, card)
        claims, writes = _claims(one), _writes(one)
        with one.session_factory() as s:
            version = s.scalar(select(DialogState.version).where(DialogState.person_id.isnot(None)))
        sent = len(fake.sent)
        first, second = post_together([(one, body), (two, body)])
        assert first.status_code == second.status_code == 200, (first.text, second.text)
        # one turn: one claim, one write, one step of the dialog, the next card posted once
        assert (_claims(one), _writes(one)) == (claims + 1, writes + 1), round_
        with one.session_factory() as s:
            assert (
                s.scalar(select(DialogState.version).where(DialogState.person_id.isnot(None)))
                == (version or 0) + 1
            )
        posted = [c for c in cards(fake.wait_for_sent(sent + 1)[sent:]) if _has_lights(c)]
        assert len(posted) == 1, round_
        # neither press is told its card was outdated: the repeat gets the answered card
        shown = [texts(r.json()["value"]).lower() for r in (first, second)]
        assert not any("verouderd" in s for s in shown), shown
        card = posted[-1]


def test_a_typed_message_delivered_twice_at_once_is_answered_once(
    two_servers: tuple[Channel, Channel],
) -> None:
    one, two = two_servers
    body = one.activity("message", text="feedback")
    first, second = post_together([(one, body), (two, body)])
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    one.fake.wait_for_sent(1)
    stored = snapshot(one.session_factory)
    assert _claims(one) == 1
    # the answer was posted once; a later redelivery posts nothing and changes nothing
    assert one.post(body).status_code == 201
    assert len(one.fake.sent) == 1
    assert snapshot(one.session_factory) == stored


def _has_lights(card: dict[str, Any]) -> bool:
    try:
        light_action(card, 2)
    except AssertionError:
        return False
    return True
