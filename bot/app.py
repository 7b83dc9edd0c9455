"""The composition root: builds everything from a ``Settings`` object.

Nothing happens at import time. ``build_services`` makes the database engine, session factory
and clock; ``build_web_app`` makes the one aiohttp application that serves Teams
(``/api/messages``), Slack (``/slack/events``) and ``/healthz``. Tests build the same app with
a temporary database and loopback fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from storage.db import make_engine, make_session_factory


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """What channels, dialogs and jobs share. ``senders`` maps a channel name to its sender
    for the outbox (see ``schedules``)."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Callable[[], datetime] = utc_now
    senders: dict[str, Any] = field(default_factory=dict)
    handler: Any = None  # dialogs.types.TurnHandler: the dialogs every channel talks to


def build_services(settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> Services:
    from dialogs.engine import DialogEngine

    engine = make_engine(settings.database_url)
    session_factory = make_session_factory(engine)
    return Services(
        settings=settings,
        engine=engine,
        session_factory=session_factory,
        clock=clock,
        handler=DialogEngine(session_factory=session_factory, clock=clock, demo=settings.demo),
    )


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def build_web_app(services: Services) -> web.Application:
    app = web.Application(client_max_size=256 * 1024)
    app["services"] = services
    app.router.add_get("/healthz", _healthz)
    from bot.teams import mount_teams

    mount_teams(app, services)
    if services.settings.slack_configured:
        from bot.slack.app import mount_slack

        mount_slack(app, services)

    async def _dispose(_app: web.Application) -> None:
        services.engine.dispose()

    app.on_cleanup.append(_dispose)
    return app
