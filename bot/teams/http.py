"""``POST /api/messages``: the Bot Framework's entry into the aiohttp application.

The request is checked for shape first (JSON object, an activity type, a sender, a
conversation, a service URL): a malformed body gets 400 and reaches nothing. Then the backend
(``STOPLICHT_TEAMS_SDK``: botbuilder's ``CloudAdapter``, or the Microsoft 365 Agents SDK's,
``bot.teams.agents``) authenticates it (401 on any token problem, including ones the SDK does
not turn into ``PermissionError`` itself, such as an undecodable or expired JWT) and runs the
turn (``bot.teams.turns``, shared).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web
from sqlalchemy import bindparam, select
from sqlalchemy.exc import DBAPIError

from bot.services import Services
from bot.settings import Settings
from bot.teams.graph import GraphInstaller
from bot.teams.render import ActionMode
from bot.teams.translate import CHANNEL
from bot.teams.turns import POSTED_ACTIVITY, TeamsTurns
from schedules.delivery import Sender
from storage.conversation.claims import claim
from storage.db import retryable
from storage.models import ChannelAccount

log = logging.getLogger(__name__)
ROUTE = "/api/messages"


def _bad(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=400)


def shape_error(body: Any) -> str | None:
    """Why ``body`` is not an activity we can take, or None."""
    if not isinstance(body, Mapping):
        return "the body must be a JSON object"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "type is missing"
    for key in ("serviceUrl", "channelId"):
        if not isinstance(body.get(key), str) or not body[key]:
            return f"{key} is missing"
    sender = body.get("from")
    if not isinstance(sender, Mapping) or not isinstance(sender.get("id"), str) or not sender["id"]:
        return "from.id is missing"
    conversation = body.get("conversation")
    if not isinstance(conversation, Mapping) or not isinstance(conversation.get("id"), str):
        return "conversation.id is missing"
    for key in ("text", "locale", "replyToId", "name", "action"):
        if key in body and body[key] is not None and not isinstance(body[key], str):
            return f"{key} must be text"
    return None


def known_account_lookup(services: Services):  # type: ignore[no-untyped-def]
    """``known(tenant, user_id)``: whether the Teams account is linked (one read; asked once
    per account and process, ``TeamsTurns._email``). Run again once when the database
    restarted under the pool (``storage.db.retryable``)."""
    query = select(ChannelAccount.id).where(
        ChannelAccount.channel == CHANNEL,
        ChannelAccount.tenant == bindparam("tenant"),
        ChannelAccount.external_id == bindparam("user_id"),
    )

    def known(tenant: str, user_id: str) -> bool:
        for attempt in (1, 2):
            try:
                with services.session_factory() as session:
                    found = session.execute(query, {"tenant": tenant, "user_id": user_id})
                    return found.first() is not None
            except DBAPIError as exc:
                if attempt == 2 or not retryable(exc):
                    raise
        raise AssertionError("unreachable")

    return known


def event_claim(services: Services):  # type: ignore[no-untyped-def]
    """``claim(key)``: True the first time a Teams turn key is seen
    (``storage.conversation.claims``)."""

    def first(key: str) -> bool:
        return claim(services.session_factory, source=CHANNEL, event_id=key, now=services.clock())

    return first


Process = Callable[[web.Request], Awaitable[web.StreamResponse | None]]


def _installer(settings: Settings) -> GraphInstaller | None:
    if settings.graph_enabled and settings.app_id and settings.teams_catalog_app_id:
        return GraphInstaller(
            client_id=settings.app_id,
            client_secret=settings.app_password,
            catalog_app_id=settings.teams_catalog_app_id,
            graph_url=settings.graph_url,
            login_url=settings.graph_login_url,
        )
    return None


def botbuilder_backend(
    settings: Settings, turns: TeamsTurns, installer: GraphInstaller | None
) -> tuple[Process, Sender]:
    """botbuilder's ``CloudAdapter`` (authentication included) and its proactive sender."""
    from msrest.exceptions import DeserializationError

    from bot.teams.adapter import build_adapter
    from bot.teams.bot import StoplichtTeamsBot
    from bot.teams.sender import TeamsSender

    adapter = build_adapter(settings)
    bot = StoplichtTeamsBot(turns)

    async def process(request: web.Request) -> web.StreamResponse | None:
        try:
            return await adapter.process(request, bot)
        except web.HTTPException:
            raise
        except DeserializationError:
            return _bad("the activity does not deserialize")
        except Exception as exc:
            # Turn errors are handled by the adapter's on_turn_error; what escapes here comes
            # from authentication (the SDK raises bare Exceptions for some token problems).
            log.info("teams: rejected request: %s: %s", exc.__class__.__name__, exc)
            raise web.HTTPUnauthorized() from exc

    sender = TeamsSender(
        adapter=adapter, app_id=settings.app_id, mode=turns.mode, installer=installer
    )
    return process, sender


def mount(app: web.Application, services: Services) -> None:
    settings = services.settings
    mode: ActionMode = "submit" if settings.teams_card_actions == "submit" else "execute"
    turns = TeamsTurns(
        handler=services.handler,
        known_account=known_account_lookup(services),
        claim=event_claim(services),
        mode=mode,
    )
    installer = _installer(settings)
    if settings.teams_sdk == "agents":
        from bot.teams.agents import agents_backend

        process, sender = agents_backend(settings, turns, installer)
    else:
        process, sender = botbuilder_backend(settings, turns, installer)
    services.senders[CHANNEL] = sender

    async def messages(request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response({"error": "expected application/json"}, status=415)
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return _bad("the body is not JSON")
        reason = shape_error(body)
        if reason:
            return _bad(reason)
        token = POSTED_ACTIVITY.set(body)
        try:
            response = await process(request)
        finally:
            POSTED_ACTIVITY.reset(token)
        return response or web.Response(status=201)

    app.router.add_post(ROUTE, messages)
