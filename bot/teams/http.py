"""``POST /api/messages``: the Bot Framework's entry into the aiohttp application.

The request is checked for shape first (JSON object, an activity type, a sender, a
conversation, a service URL): a malformed body gets 400 and reaches nothing. Then botbuilder's
``CloudAdapter`` authenticates it (401 on any token problem, including ones the SDK does not
turn into ``PermissionError`` itself, such as an undecodable or expired JWT) and runs the turn.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from msrest.exceptions import DeserializationError
from sqlalchemy import select

from bot.services import Services
from bot.teams.adapter import build_adapter
from bot.teams.bot import StoplichtTeamsBot
from bot.teams.graph import GraphInstaller
from bot.teams.render import ActionMode
from bot.teams.sender import TeamsSender
from bot.teams.translate import CHANNEL
from bot.teams.turns import POSTED_ACTIVITY
from storage.conversation.claims import claim
from storage.models import ChannelAccount

log = logging.getLogger(__name__)
ROUTE = "/api/messages"
ADAPTER_KEY = web.AppKey("teams_adapter", object)


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
    def known(tenant: str, user_id: str) -> bool:
        with services.session_factory() as session:
            return (
                session.scalars(
                    select(ChannelAccount.id).where(
                        ChannelAccount.channel == CHANNEL,
                        ChannelAccount.tenant == tenant,
                        ChannelAccount.external_id == user_id,
                    )
                ).first()
                is not None
            )

    return known


def event_claim(services: Services):  # type: ignore[no-untyped-def]
    """``claim(key)``: True the first time a Teams turn key is seen
    (``storage.conversation.claims``)."""

    def first(key: str) -> bool:
        return claim(services.session_factory, source=CHANNEL, event_id=key, now=services.clock())

    return first


def mount(app: web.Application, services: Services) -> None:
    settings = services.settings
    adapter = build_adapter(settings)
    mode: ActionMode = "submit" if settings.teams_card_actions == "submit" else "execute"
    bot = StoplichtTeamsBot(
        handler=services.handler,
        known_account=known_account_lookup(services),
        claim=event_claim(services),
        mode=mode,
    )
    installer = None
    if settings.graph_enabled and settings.app_id and settings.teams_catalog_app_id:
        installer = GraphInstaller(
            client_id=settings.app_id,
            client_secret=settings.app_password,
            catalog_app_id=settings.teams_catalog_app_id,
            graph_url=settings.graph_url,
            login_url=settings.graph_login_url,
        )
    services.senders[CHANNEL] = TeamsSender(
        adapter=adapter, app_id=settings.app_id, mode=mode, installer=installer
    )
    app[ADAPTER_KEY] = adapter

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
            response = await adapter.process(request, bot)
        except web.HTTPException:
            raise
        except DeserializationError:
            return _bad("the activity does not deserialize")
        except Exception as exc:
            # Turn errors are handled by the adapter's on_turn_error; what escapes here comes
            # from authentication (the SDK raises bare Exceptions for some token problems).
            log.info("teams: rejected request: %s: %s", exc.__class__.__name__, exc)
            raise web.HTTPUnauthorized() from exc
        finally:
            POSTED_ACTIVITY.reset(token)
        return response or web.Response(status=201)

    app.router.add_post(ROUTE, messages)
