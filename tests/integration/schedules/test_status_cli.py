"""``stoplicht round status`` lists who the round's notifications did not reach, and why."""

from __future__ import annotations

import json

from sqlalchemy import select, update
from typer.testing import CliRunner

from bot.cli import main as cli
from storage.db import make_engine, make_session_factory, unit_of_work
from storage.models import Notification, NotificationStatus, Round, RoundState


def test_round_status_shows_who_was_not_reached(sqlite_url) -> None:
    cli._register()
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(cli.app, [*args, "--database-url", sqlite_url])

    assert run("demo").exit_code == 0
    engine = make_engine(sqlite_url)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as s:
        rid = s.scalar(select(Round.id).where(Round.state == RoundState.OPEN))
        first = s.scalar(select(Notification.id).where(Notification.round_id == rid).limit(1))
        assert first is not None, "the demo's open round has invitations in the outbox"
        s.execute(
            update(Notification)
            .where(Notification.id == first)
            .values(status=NotificationStatus.UNREACHABLE, last_error="no conversation")
        )
    engine.dispose()
    r = run("round", "status", str(rid))
    assert r.exit_code == 0, r.output
    assert "not reached:" in r.stdout and "round_opened: no conversation (unreachable)" in r.stdout
    data = json.loads(run("round", "status", str(rid), "--json").stdout)
    assert [(m["kind"], m["reason"]) for m in data["not_reached"]] == [
        ("round_opened", "no conversation")
    ]
