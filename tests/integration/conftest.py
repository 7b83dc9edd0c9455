"""Shared fixtures of the integration tests."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.cli import main as cli


@pytest.fixture
def chat(sqlite_url: str):  # type: ignore[no-untyped-def]
    """``chat(email, *lines)``: one ``stoplicht chat`` session on the demo school, its output
    (exit 0 and no traceback asserted)."""
    cli._register()
    runner = CliRunner()
    assert runner.invoke(cli.app, ["demo", "--database-url", sqlite_url]).exit_code == 0

    def run(email: str, *lines: str) -> str:
        script = "".join(f"{line}\n" for line in lines)
        result = runner.invoke(
            cli.app, ["chat", "--as", email, "--database-url", sqlite_url], input=script
        )
        assert result.exit_code == 0, result.output
        assert "Traceback" not in result.output
        return result.output

    return run
