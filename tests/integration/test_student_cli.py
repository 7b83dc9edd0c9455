"""``stoplicht student export|erase`` and ``stoplicht purge`` against a SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import student_cmd
from storage.db import make_engine, make_session_factory, unit_of_work
from storage.models import AuditEntry, Feedback, Person, Round
from tests.support.small_school import build


@pytest.fixture
def cli(sqlite_url: str):
    engine = make_engine(sqlite_url)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as s:
        ids = build(s)
        # make the earlier round old enough for the default retention (3 years)
        old = s.get(Round, ids.previous_round)
        old.closed_at = datetime.now(UTC) - timedelta(days=4 * 365)
    app = typer.Typer()
    student_cmd.register(app)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [*args, "--database-url", sqlite_url])

    yield run, factory, ids
    engine.dispose()


def test_export_to_stdout_and_file(cli, tmp_path) -> None:
    run, _, ids = cli
    res = run("student", "export", "bram@alfa.example")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["person"]["id"] == ids.bram and len(data["feedback"]) == 3
    out = tmp_path / "bram.json"
    res = run("student", "export", "bram", "--out", str(out))
    assert res.exit_code == 0 and json.loads(out.read_text())["person"]["roster_id"] == "bram"
    res = run("student", "export", "bram", "--out", str(tmp_path / "missing" / "x.json"))
    assert res.exit_code == 2 and "cannot write" in res.stderr


def test_ambiguous_and_unknown(cli) -> None:
    run, _, ids = cli
    res = run("student", "export", "anna")
    assert res.exit_code == 2
    assert "--school" in res.stderr and "Alfa" in res.stderr and "Beta" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    res = run("student", "export", "anna", "--school", "Beta")
    assert res.exit_code == 0 and json.loads(res.stdout)["person"]["id"] == ids.other_student
    res = run("student", "export", "anna", "--school", str(ids.school))
    assert res.exit_code == 0 and json.loads(res.stdout)["person"]["id"] == ids.anna
    res = run("student", "export", "nobody")
    assert res.exit_code == 2 and res.stderr.count("\n") == 1 and "Traceback" not in res.output
    res = run("student", "export", "anna", "--school", "Gamma")
    assert res.exit_code == 2


def test_erase_needs_yes_then_erases_once(cli) -> None:
    run, factory, ids = cli
    res = run("student", "erase", "cor")
    assert res.exit_code == 2 and "--yes" in res.stderr
    with unit_of_work(factory) as s:
        assert s.get(Person, ids.cor) is not None
    res = run("student", "erase", "cor", "--yes", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["feedback"] == 3
    res = run("student", "erase", "cor", "--yes")
    assert res.exit_code == 2 and "no student" in res.stderr
    res = run("student", "erase", "anna", "--yes")
    assert res.exit_code == 2 and "--school" in res.stderr
    with unit_of_work(factory) as s:
        assert s.get(Person, ids.cor) is None
        assert s.get(Person, ids.anna) is not None


def test_purge_dry_run_then_for_real(cli) -> None:
    run, factory, ids = cli
    res = run("purge", "--json")
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["dry_run"] is True
    alfa = next(r for r in report["schools"] if r["school_id"] == ids.school)
    assert alfa["deleted"]["review_round"] == 1 and alfa["deleted"]["feedback"] == 6
    with unit_of_work(factory) as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 10
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0
    res = run("purge", "--yes")
    assert res.exit_code == 0 and "Alfa: " in res.stdout and "dry run" not in res.stdout
    with unit_of_work(factory) as s:
        assert s.scalar(select(func.count()).select_from(Feedback)) == 4
        assert s.get(Round, ids.previous_round) is None
