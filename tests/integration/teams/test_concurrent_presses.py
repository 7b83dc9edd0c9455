"""Two presses of one card at the same moment, over HTTP, on SQLite and PostgreSQL.

Two Stoplicht servers (each its own engine and connection pool, as two processes would have)
share one database; a teacher's two ``Action.Execute`` presses of the same card are sent at
once, one to each server, released together by a barrier. Of each pair exactly one acts: one
feedback write, one audit row, the dialog version one step further, the next prompt posted
once. The other gets nothing new when it was the same button (a double click: the card keeps
its answered state, not "outdated"), and the current prompt when it was another light.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models import AuditEntry, DialogState, Feedback
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
    texts,
)
from tests.support.bot_framework import FakeBotFramework

PAIRS_SAME = 5  # double clicks: the same light, the same texts
PAIRS_OTHER = 3  # two lights of one card pressed together


@pytest.fixture
def two_servers(
    any_db: tuple[str, DemoSchool], fake: FakeBotFramework
) -> Iterator[tuple[Channel, Channel]]:
    url, school = any_db
    servers = []
    for _ in range(2):
        services, server = make_channel(url, fake)
        servers.append(Channel(fake=fake, server=server, services=services, school=school))
    one, two = servers
    try:
        yield one, two
    finally:
        one.server.stop()
        two.server.stop()


def _press(channel: Channel, card: dict[str, Any], light: int, remark: str) -> dict[str, Any]:
    act = light_action(card, light)
    data = dict(act["data"], remark=remark, action="Elke dag tien sommen.")
    return channel.activity("invoke_execute", VERB=act["verb"], DATA=data, REPLY_TO_ID="sent-1")


def _counts(channel: Channel) -> tuple[int, int, int]:
    with channel.session_factory() as s:
        writes = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.operation == "write", AuditEntry.entity == "feedback")
        )
        revisions = s.scalar(select(func.coalesce(func.sum(Feedback.version), 0)))
        version = s.scalar(select(DialogState.version).where(DialogState.person_id.isnot(None)))
        return int(writes or 0), int(revisions or 0), int(version or 0)


def _student_cards(sent: list[Any]) -> list[dict[str, Any]]:
    return [c for c in cards(sent) if any(a for a in _lights(c))]


def _lights(card: dict[str, Any]) -> list[int]:
    found = []
    for n in (1, 2, 3, 4):
        try:
            light_action(card, n)
        except AssertionError:
            continue
        found.append(n)
    return found


def test_of_two_presses_of_one_card_exactly_one_acts(two_servers: tuple[Channel, Channel]) -> None:
    one, two = two_servers
    fake = one.fake
    card = open_student_card(one, WIM)
    writes, revisions, version = _counts(one)
    for pair in range(PAIRS_SAME + PAIRS_OTHER):
        same = pair < PAIRS_SAME
        lights = (2, 2) if same else (2, 3)
        remark = f"Opmerking {pair}"
        bodies = [_press(one, card, lights[0], remark), _press(two, card, lights[1], remark)]
        n = len(fake.sent)
        before = open_feedback(one)
        first, second = post_together([(one, bodies[0]), (two, bodies[1])])
        assert first.status_code == second.status_code == 200, (first.text, second.text)
        shown = [texts(r.json()["value"]) for r in (first, second)]
        # exactly one acted: one write, one revision, one step of the dialog
        assert _counts(one) == (writes + 1, revisions + 1, version + 1), (pair, shown)
        writes, revisions, version = writes + 1, revisions + 1, version + 1
        posted = _student_cards(fake.sent[n:])
        if same:
            # the next prompt once; neither acted card says "outdated"
            assert len(posted) == 1, (pair, shown)
            assert not any("verouderd" in s.lower() for s in shown), (pair, shown)
        else:
            # the loser is told its card was outdated and gets the current prompt
            outdated = [i for i, s in enumerate(shown) if "verouderd" in s.lower()]
            assert len(outdated) == 1, (pair, shown)
            stored_light = lights[1 - outdated[0]]
            changed = [v for k, v in open_feedback(one).items() if before.get(k) != v]
            assert [v[0] for v in changed] == [stored_light], (pair, shown)
            assert len(posted) == 2, (pair, shown)  # the next prompt, and it again, outdated
        card = posted[-1]
        assert int(light_action(card, 1)["data"]["stoplicht"]["version"]) == version
