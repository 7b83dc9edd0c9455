"""The ``stoplicht demo`` and ``stoplicht round ...`` commands, good and bad input."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import main as cli
from bot.cli.common import CliError
from bot.cli.round_cmd import parse_deadline
from storage.db import make_engine, make_session_factory, unit_of_work
from storage.models import Notification, Round, RoundState

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def run(sqlite_url: str):
    cli._register()
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli.app, [*args, "--database-url", sqlite_url])

    return invoke


def _db(url: str):
    return make_session_factory(make_engine(url))


def _future(days: int = 10) -> str:
    return (datetime.now(AMS) + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_demo_then_round_commands(run, sqlite_url) -> None:
    r = run("demo")
    assert r.exit_code == 0, r.output
    assert "jeroen.visser@" in r.output and "sanne.devries@" in r.output
    r = run("demo", "--if-empty")
    assert r.exit_code == 0 and "not seeded" in r.output

    r = run("round", "list", "--json")
    rounds = json.loads(r.stdout)
    assert [x["state"] for x in rounds] == ["open", "closed"]

    r = run(
        "round",
        "create",
        "--name",
        "Tussenbespreking 4H",
        "--group",
        "4h",
        "--deadline",
        _future(),
        "--json",
    )
    assert r.exit_code == 0, r.output
    created = json.loads(r.stdout)
    assert created["groups"] == ["4H"] and created["state"] == "draft"
    rid = str(created["id"])

    assert run("round", "open", rid).exit_code == 0
    r = run("round", "extend", rid, "--deadline", _future(12)[:10])
    assert r.exit_code == 0 and "23:59" in r.stdout
    r = run("round", "status", rid, "--json")
    status = json.loads(r.stdout)
    assert status["state"] == "open" and status["total"] == 20 * 7 and status["done"] == 0
    assert len(status["not_started"]) == len(status["teachers"])
    r = run("round", "status", rid)
    assert "per teacher:" in r.stdout and "Jeroen Visser" in r.stdout
    assert run("round", "close", rid).exit_code == 0

    r = run("round", "close", rid)
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "only an open round" in r.stderr
    assert "Traceback" not in r.output

    with unit_of_work(_db(sqlite_url)) as s:
        rnd = s.get(Round, int(rid))
        assert rnd.state is RoundState.CLOSED
        kinds = s.execute(
            select(Notification.kind, func.count())
            .where(Notification.round_id == rnd.id)
            .group_by(Notification.kind)
        ).all()
        assert dict(kinds) == {"round_opened": 8, "colleagues_visible": 8, "mentor_digest": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["round", "create", "--name", "X", "--group", "9Z", "--deadline", "2099-01-01"],
            "unknown group '9Z'",
        ),
        (
            ["round", "create", "--name", "X", "--group", "3A", "--deadline", "volgende week"],
            "invalid deadline",
        ),
        (
            ["round", "create", "--name", "X", "--group", "3A", "--deadline", "2020-01-01T10:00"],
            "not in the future",
        ),
        (
            ["round", "create", "--name", " ", "--group", "3A", "--deadline", "2099-01-01"],
            "round name is empty",
        ),
        (
            [
                "round",
                "create",
                "--name",
                "X",
                "--group",
                "3A",
                "--deadline",
                "2099-01-01",
                "--organizer",
                "nobody@example.org",
            ],
            "unknown organizer",
        ),
        (
            [
                "round",
                "create",
                "--name",
                "X",
                "--group",
                "3A",
                "--deadline",
                "2099-01-01",
                "--organizer",
                "jeroen.visser@demo-college.example",
            ],
            "not_organizer",
        ),
        (["round", "open", "999"], "round 999 not found"),
        (["round", "status", "999"], "round 999 not found"),
        (["round", "extend", "2", "--deadline", "2020-01-01"], "not in the future"),
        (["round", "extend", "1", "--deadline", "2099-01-01"], "closed"),
        (["round", "open", "2"], "only a draft round"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(run, sqlite_url, args, message) -> None:
    assert run("demo").exit_code == 0
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert message in r.stderr and r.stderr.startswith("stoplicht: ")
    assert r.stderr.count("\n") == 1
    with unit_of_work(_db(sqlite_url)) as s:
        assert s.scalar(select(func.count()).select_from(Round)) == 2


def test_no_school_and_non_numeric_id(run) -> None:
    r = run("round", "list")
    assert r.exit_code == 2 and "no school" in r.stderr
    r = run("round", "open", "abc")
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_parse_deadline_zones() -> None:
    assert parse_deadline("2026-12-04T17:00", AMS) == datetime(2026, 12, 4, 17, 0, tzinfo=AMS)
    assert parse_deadline("2026-12-04", AMS) == datetime(2026, 12, 4, 23, 59, tzinfo=AMS)
    utc = parse_deadline("2026-12-04T17:00+00:00", AMS)
    assert utc.astimezone(AMS).hour == 18
    with pytest.raises(CliError):
        parse_deadline("4 december", AMS)
