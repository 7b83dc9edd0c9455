"""The composition root: builds everything from a ``Settings`` object.

Nothing happens at import time. ``build_services`` makes the database engine, session factory
and clock; ``build_web_app`` makes the one aiohttp application that serves Teams
(``/api/messages``), Slack (``/slack/events``) and ``/healthz``. Tests build the same app with
a temporary database and loopback fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.services import Services, utc_now
from bot.settings import Settings
from storage.db import make_engine, make_session_factory


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

    if services.settings.scheduler:
        _mount_background(app, services)

    async def _dispose(_app: web.Application) -> None:
        services.engine.dispose()

    app.on_cleanup.append(_dispose)
    return app


BACKGROUND_KEY = web.AppKey("background", object)


def _mount_background(app: web.Application, services: Services) -> None:
    """The scheduler and outbox dispatcher run with the server (only the leading process
    actually runs them; see ``schedules.scheduler``)."""

    async def _start(_app: web.Application) -> None:
        from schedules.scheduler import build_background

        background = build_background(
            settings=services.settings,
            session_factory=services.session_factory,
            senders=services.senders,
            clock=services.clock,
        )
        _app[BACKGROUND_KEY] = background
        await background.start()

    async def _stop(_app: web.Application) -> None:
        background = _app.get(BACKGROUND_KEY)
        if background is not None:
            await background.stop()  # type: ignore[attr-defined]

    app.on_startup.append(_start)
    app.on_cleanup.insert(0, _stop)
