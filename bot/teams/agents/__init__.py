"""Teams on the Microsoft 365 Agents SDK (``STOPLICHT_TEAMS_SDK=agents``).

The second Teams backend beside botbuilder (the default). Only what touches the SDK lives
here: the adapter and its authentication (``adapter``), the ``ActivityHandler`` shell
(``bot``) and the proactive sender (``sender``). Translation, rendering and the turn logic are
the same code as botbuilder's (``bot.teams.translate``, ``render``, ``turns``), and both read
and write the same conversation references (Bot Framework JSON), so a school can switch
backends without anyone having to open the app again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

    from bot.settings import Settings
    from bot.teams.graph import GraphInstaller
    from bot.teams.turns import TeamsTurns
    from schedules.delivery import Sender


def agents_backend(settings: Settings, turns: TeamsTurns, installer: GraphInstaller | None):  # type: ignore[no-untyped-def]
    """(process(request), sender) for ``bot.teams.http``."""
    from aiohttp import web
    from pydantic import ValidationError

    from bot.teams.agents.adapter import PostedRequest, Unauthorized, build_adapter, log
    from bot.teams.agents.bot import AgentsTeamsBot
    from bot.teams.agents.sender import AgentsTeamsSender

    adapter, auth = build_adapter(settings)
    bot = AgentsTeamsBot(turns)

    async def process(request: web.Request) -> web.StreamResponse | None:
        body = await request.json()
        try:
            identity = await auth.identity(request.headers.get("Authorization"), body)
        except Unauthorized as exc:
            log.info("teams: rejected request: %s", exc)
            return web.json_response({"error": "unauthorized"}, status=401)
        try:
            answer = await adapter.process_request(PostedRequest(request, body, identity), bot)
        except ValidationError as exc:  # the SDK's model does not take the activity
            log.info("teams: the activity does not parse: %s", exc.__class__.__name__)
            return web.json_response({"error": "the activity does not parse"}, status=400)
        if answer.body is not None:
            return web.json_response(answer.body, status=answer.status_code)
        if answer.status_code == 202:
            return None  # taken: the endpoint answers 201 whichever backend carries it
        return web.Response(status=answer.status_code)

    sender: Sender = AgentsTeamsSender(
        adapter=adapter, app_id=settings.app_id, mode=turns.mode, installer=installer
    )
    return process, sender
