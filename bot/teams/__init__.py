"""Microsoft Teams: everything botbuilder-specific lives in this package.

``mount_teams(app, services)`` adds ``POST /api/messages`` to the one aiohttp application and
registers the proactive sender for the outbox (``services.senders["teams"]``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

    from bot.services import Services


def mount_teams(app: web.Application, services: Services) -> None:
    from bot.teams.http import mount

    mount(app, services)
