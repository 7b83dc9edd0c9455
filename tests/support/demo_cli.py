"""The command line against a copy of the demo school: seeded once per test session, copied per
test (``demo_db``), run with ``run_cli``; ``dump`` is the whole database as SQL, to show that a
refused command changed nothing."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import main as cli


def seed_demo_file(path: Path) -> Path:
    cli._register()
    result = CliRunner().invoke(cli.app, ["demo", "--database-url", f"sqlite:///{path}"])
    assert result.exit_code == 0, result.output
    return path


def copy_of(template: Path, directory: Path) -> Path:
    path = directory / "stoplicht.sqlite"
    shutil.copy(template, path)
    return path


def dump(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def run_cli(db: Path, *args: str, stdin: bytes | str | None = None):  # type: ignore[no-untyped-def]
    cli._register()
    return CliRunner().invoke(cli.app, [*args, "--database-url", f"sqlite:///{db}"], input=stdin)
