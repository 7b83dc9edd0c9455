"""PostgreSQL restarts under a running server: the next turn works, nothing is lost or doubled.

A pooled connection is pinged at checkout only after it sat idle (``storage.db.ping_when_idle``),
so one used moments ago is handed out unchecked; when the database restarted meanwhile, the
turn's first statement fails, the pool drops its connections, and the turn runs once more on a
new connection (``storage.db.retryable``). Each test has a cluster of its own, restarted with
``pg_ctl -m fast`` (every session terminated at once).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from storage.db import make_engine, retryable, upgrade
from tests.integration.teams.conftest import (
    WIM,
    Channel,
    light_action,
    make_channel,
    open_feedback,
    open_student_card,
    seed_school,
    texts,
)
from tests.support import pg
from tests.support.bot_framework import FakeBotFramework


@pytest.fixture
def cluster() -> Iterator[pg.Cluster]:
    try:
        c = pg.start_cluster()
    except pg.PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield c
    finally:
        c.stop()


def test_a_connection_idle_a_while_is_pinged_and_replaced(cluster: pg.Cluster) -> None:
    engine = make_engine(cluster.url, ping_idle=0.0)  # every reused connection counts as idle
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        cluster.restart()
        with engine.connect() as conn:  # the ping failed at checkout: a new connection
            assert conn.execute(text("SELECT 2")).scalar() == 2
    finally:
        engine.dispose()


def test_a_connection_used_moments_ago_is_not_pinged_and_fails_retryably(
    cluster: pg.Cluster,
) -> None:
    engine = make_engine(cluster.url, ping_idle=3600.0)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        cluster.restart()
        with pytest.raises(DBAPIError) as lost, engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        assert retryable(lost.value)
        with engine.connect() as conn:  # the pool dropped its lost connections
            assert conn.execute(text("SELECT 3")).scalar() == 3
    finally:
        engine.dispose()


def test_a_teams_save_right_after_a_restart_is_stored_once(
    cluster: pg.Cluster, fake: FakeBotFramework
) -> None:
    upgrade(cluster.url)
    school = seed_school(cluster.url)
    services, server = make_channel(cluster.url, fake)
    channel = Channel(fake=fake, server=server, services=services, school=school)
    try:
        card = open_student_card(channel, WIM)  # the pool's connections were just used
        before = open_feedback(channel)
        cluster.restart()
        act = light_action(card, 3)
        data = dict(act["data"], remark="Na de herstart.", action="Oefenen.")
        body = channel.activity("invoke_execute", VERB=act["verb"], DATA=data, REPLY_TO_ID="s1")
        sent = len(fake.sent)
        r = channel.post(body)
        assert r.status_code == 200, r.text
        assert "er ging iets mis" not in texts(r.json()["value"]).lower()
        changed = [v for k, v in open_feedback(channel).items() if before.get(k) != v]
        assert changed == [(3, "Na de herstart.", "Oefenen.")], texts(r.json()["value"])
        fake.wait_for_sent(sent + 1)  # the next student's card
        assert channel.post(body).status_code == 200  # its redelivery: nothing twice
        assert [v for k, v in open_feedback(channel).items() if before.get(k) != v] == changed
    finally:
        server.stop()
        services.engine.dispose()
