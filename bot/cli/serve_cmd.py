"""``stoplicht serve``: run the one aiohttp application (Teams, Slack, /healthz).

Without Bot Framework credentials (``MicrosoftAppId``) nobody's token can be checked, so the
server only runs anonymous on a loopback address (for the Agents Playground); bound to anything
else it refuses to start.
"""

from __future__ import annotations

import ipaddress
import logging

import typer

from bot import log_format
from bot.cli import common


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def register(app: typer.Typer) -> None:
    @app.command("serve")
    @common.handles_errors
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to bind."),
        port: int = typer.Option(3978, "--port", min=1, max=65535, help="Port to bind."),
        database_url: str | None = common.DatabaseOption,
    ) -> None:
        """Serve /api/messages (Teams), the Slack routes and /healthz."""
        from aiohttp import web
        from pydantic import ValidationError

        from bot.app import build_services, build_web_app
        from bot.settings import Settings

        try:
            settings = Settings()  # type: ignore[call-arg]
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}"
                for e in exc.errors()
            )
            raise common.CliError(f"invalid settings: {problems}") from exc
        if database_url:
            settings = settings.model_copy(update={"database_url": database_url})
        if problem := settings.slack_problem():
            raise common.CliError(problem)
        if not settings.app_id and not is_loopback(host):
            raise common.CliError(
                f"refusing to serve on {host} without MicrosoftAppId/MicrosoftAppPassword: "
                "anonymous mode is only allowed on a loopback address (127.0.0.1)"
            )
        log_format.configure(logging.INFO)  # what people typed reaches the log escaped
        mode = "authenticated" if settings.app_id else "anonymous (loopback only)"
        typer.echo(
            f"stoplicht: serving on http://{host}:{port}/api/messages, {mode}, "
            f"Teams on {settings.teams_sdk}",
            err=True,
        )
        web.run_app(build_web_app(build_services(settings)), host=host, port=port, print=None)
