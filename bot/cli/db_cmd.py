"""``stoplicht db upgrade``: bring the schema to the newest migration."""

from __future__ import annotations

import typer

from bot.cli.common import DatabaseOption, handles_errors
from storage.db import database_url_from_env, upgrade

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@db_app.command("upgrade")
@handles_errors
def upgrade_cmd(database_url: str | None = DatabaseOption) -> None:
    """Apply all Alembic migrations."""
    url = database_url_from_env(database_url)
    upgrade(url)
    typer.echo("database is up to date")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
