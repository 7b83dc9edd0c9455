"""``stoplicht round status`` after close: the follow-through per class and the mentors who
have not shared yet, as text and as JSON; nothing of it while the round is open."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from bot.cli import main as cli


@pytest.fixture
def run(sqlite_url: str):
    cli._register()
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli.app, [*args, "--database-url", sqlite_url])

    return invoke


def _rounds(run) -> dict[str, int]:
    return {r["state"]: r["id"] for r in json.loads(run("round", "list", "--json").stdout)}


def test_status_after_close_says_how_far_the_follow_through_is(run) -> None:
    assert run("demo").exit_code == 0
    ids = _rounds(run)
    r = run("round", "status", str(ids["closed"]), "--json")
    assert r.exit_code == 0, r.output
    follow = json.loads(r.stdout)["follow_through"]
    classes = {c["title"]: c for c in follow["classes"]}
    assert classes, follow
    for c in classes.values():
        assert c["students"] >= c["shared"] >= c["read"]
        assert c["shared"] >= c["plan_submitted"] >= 0 and c["shared"] >= c["agreements"]
    assert all(m["not_shared"] > 0 and m["name"] for m in follow["mentors_not_shared"])
    text = run("round", "status", str(ids["closed"]))
    assert text.exit_code == 0
    assert "follow-through per class" in text.stdout
    assert "mentors not yet shared with all mentees" in text.stdout


def test_status_of_an_open_round_has_no_follow_through(run) -> None:
    assert run("demo").exit_code == 0
    ids = _rounds(run)
    r = run("round", "status", str(ids["open"]), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["follow_through"] is None
    assert "follow-through" not in run("round", "status", str(ids["open"])).stdout


def test_status_of_an_unknown_round_is_one_line_and_no_follow_through(run) -> None:
    assert run("demo").exit_code == 0
    r = run("round", "status", "999")
    assert r.exit_code != 0 and "follow-through" not in r.output
    assert len(r.output.strip().splitlines()) == 1
