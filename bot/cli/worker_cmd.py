"""``stoplicht worker``: the scheduler and the outbox dispatcher without the web server.

For larger deployments: run one or more workers next to ``stoplicht serve`` (start the server
with ``STOPLICHT_SCHEDULER=0`` if it should leave this work to the workers). On PostgreSQL the
processes elect one leader through an advisory lock; the others wait and take over when it
dies. Stops cleanly on SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import logging
import signal

import typer

from bot import log_format
from bot.cli import common


def register(app: typer.Typer) -> None:
    @app.command("worker")
    @common.handles_errors
    def worker(database_url: str | None = common.DatabaseOption) -> None:
        """Run the scheduler (reminders, deadlines, nudges) and deliver notifications."""
        from bot.app import build_services, build_web_app
        from bot.settings import Settings
        from schedules.scheduler import build_background

        settings = Settings()  # type: ignore[call-arg]
        if database_url:
            settings = settings.model_copy(update={"database_url": database_url})
        if problem := settings.slack_problem():
            raise common.CliError(problem)
        log_format.configure(logging.INFO)  # what people typed reaches the log escaped
        services = build_services(settings.model_copy(update={"scheduler": False}))
        # Building the application registers the channel senders (Teams, Slack) on the
        # services; it is not served here.
        build_web_app(services)
        background = build_background(
            settings=settings,
            session_factory=services.session_factory,
            senders=services.senders,
            clock=services.clock,
        )

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop.set)
            await background.start()
            typer.echo(f"stoplicht: worker {background.worker_id} started", err=True)
            await stop.wait()
            await background.stop()

        try:
            asyncio.run(main())
        finally:
            services.engine.dispose()
