"""The Agents SDK's connector clients kept between turns, as ``bot.teams.reused_clients`` does
for botbuilder.

The SDK's ``RestChannelServiceClientFactory`` builds a new ``TeamsConnectorClient`` and a new
``UserTokenClient`` for every inbound activity and every proactive send, each with its own
aiohttp ``ClientSession`` (a new connection pool, so a new TCP connection to the Bot Connector
per turn), and closes both when the turn ends. The clients hold nothing of a turn: the service
URL, the bot's bearer token (cached and refreshed by the token provider) and the session. So
this factory keeps them per (event loop, service URL, token) and per (event loop, app id,
token); a new token (about hourly) gives new clients, and the oldest are closed once more than
``MAX_CLIENTS`` are kept. The adapter's close at the end of a turn is a no-op for a kept
client. Agentic and Copilot Studio requests, and anonymous ones, go to the SDK unchanged.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from microsoft_agents.activity import RoleTypes
from microsoft_agents.hosting.core import RestChannelServiceClientFactory
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

log = logging.getLogger(__name__)

MAX_CLIENTS = 32


class _KeptConnector(TeamsConnectorClient):
    async def close(self) -> None:  # the end of a turn; the factory closes it when dropped
        pass

    async def really_close(self) -> None:
        await super().close()


class _KeptUserTokens(UserTokenClient):
    async def close(self) -> None:
        pass

    async def really_close(self) -> None:
        await super().close()


class ReusedClientFactory(RestChannelServiceClientFactory):
    def __init__(self, connection_manager: Any) -> None:
        super().__init__(connection_manager)
        self._kept: dict[tuple[Any, ...], Any] = {}

    async def _keep(self, key: tuple[Any, ...], make: Any) -> Any:
        client = self._kept.get(key)
        if client is None:
            client = self._kept[key] = make()
            while len(self._kept) > MAX_CLIENTS:
                old = self._kept.pop(next(iter(self._kept)))
                try:
                    await old.really_close()
                except Exception:  # a session that cannot close is dropped all the same
                    log.debug("teams: closing a connector client failed", exc_info=True)
        return client

    @staticmethod
    def _ordinary(context: Any, use_anonymous: bool) -> bool:
        if use_anonymous:
            return False
        if context is None:
            return True
        activity = context.activity
        if activity.is_agentic_request():
            return False
        recipient = activity.recipient
        return not (recipient and recipient.role == RoleTypes.connector_user)

    async def create_connector_client(
        self,
        context: Any,
        claims_identity: Any,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> Any:
        if not service_url or not audience or not self._ordinary(context, use_anonymous):
            return await super().create_connector_client(
                context, claims_identity, service_url, audience, scopes, use_anonymous
            )
        provider = self._connection_manager.get_token_provider(claims_identity, service_url)
        token = await provider.get_access_token(
            audience, scopes or claims_identity.get_token_scope()
        )
        key = ("connector", asyncio.get_running_loop(), service_url, token)
        return await self._keep(key, lambda: _KeptConnector(endpoint=service_url, token=token))

    async def create_user_token_client(
        self, context: Any, claims_identity: Any, use_anonymous: bool = False
    ) -> Any:
        if not self._ordinary(context, use_anonymous):
            return await super().create_user_token_client(context, claims_identity, use_anonymous)
        provider = self._connection_manager.get_token_provider(
            claims_identity, self._token_service_endpoint
        )
        token = await provider.get_access_token(
            self._token_service_audience, claims_identity.get_token_scope()
        )
        if not token:
            return await super().create_user_token_client(context, claims_identity, use_anonymous)
        app_id = claims_identity.get_app_id()
        key = ("tokens", asyncio.get_running_loop(), app_id, token)
        return await self._keep(
            key,
            lambda: _KeptUserTokens(
                app_id=app_id, endpoint=self._token_service_endpoint, token=token
            ),
        )
