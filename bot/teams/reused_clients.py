"""One Bot Connector client per service URL instead of one per activity.

botbuilder's ``CloudAdapter`` asks its authentication for a new ``ConnectorClient`` and a new
``UserTokenClient`` on every inbound activity and every proactive send. Each construction
builds msrest configurations whose retry policy computes its status list by scanning a
500-element list for each of 999 codes: measured with py-spy under load (``python -m bench
teams_load``), that alone was about 30 % of the server's CPU per Teams turn, more than the
dialogs and the database together.

The clients hold nothing of a turn: the bot's own credentials (whose tokens are cached and
refreshed by the credentials object), the service URL and msrest's configuration. So this
wrapper keeps them per (bot app id, service URL, audience) and per bot app id, and delegates
everything else, authentication above all, to the SDK's own implementation unchanged.
"""

from __future__ import annotations

import threading
from typing import Any

from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    JwtTokenValidation,
    UserTokenClient,
)

MAX_CLIENTS = 64  # service URLs are few (one per region); a bound keeps odd input harmless


class _BoundedCache:
    def __init__(self) -> None:
        self._items: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            return self._items.get(key)

    def put(self, key: Any, value: Any) -> Any:
        """Keep ``value`` unless another turn stored one first; return the one kept."""
        with self._lock:
            if key not in self._items and len(self._items) >= MAX_CLIENTS:
                self._items.pop(next(iter(self._items)))
            return self._items.setdefault(key, value)


def _app_id(identity: ClaimsIdentity | None) -> str | None:
    claims = getattr(identity, "claims", None) or {}
    return JwtTokenValidation.get_app_id_from_claims(claims) if claims else None


class _ReusedConnectorFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, cache: _BoundedCache, app_id: str | None) -> None:
        self._inner = inner
        self._cache = cache
        self._app_id = app_id

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        key = (self._app_id, service_url, audience)
        client = self._cache.get(key)
        if client is None:
            client = self._cache.put(key, await self._inner.create(service_url, audience))
        return client


class ReusedClients(BotFrameworkAuthentication):
    """The SDK's ``BotFrameworkAuthentication`` with its clients kept between activities."""

    def __init__(self, inner: BotFrameworkAuthentication) -> None:
        self._inner = inner
        self._connectors = _BoundedCache()
        self._user_tokens = _BoundedCache()

    def _factory(self, inner: ConnectorFactory | None, identity: Any) -> ConnectorFactory | None:
        if inner is None:
            return None
        return _ReusedConnectorFactory(inner, self._connectors, _app_id(identity))

    async def authenticate_request(self, activity: Any, auth_header: str) -> Any:
        result: AuthenticateRequestResult = await self._inner.authenticate_request(
            activity, auth_header
        )
        result.connector_factory = self._factory(result.connector_factory, result.claims_identity)
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> Any:
        result: AuthenticateRequestResult = await self._inner.authenticate_streaming_request(
            auth_header, channel_id_header
        )
        result.connector_factory = self._factory(result.connector_factory, result.claims_identity)
        return result

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        factory = self._factory(
            self._inner.create_connector_factory(claims_identity), claims_identity
        )
        assert factory is not None
        return factory

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        key = _app_id(claims_identity)
        client = self._user_tokens.get(key)
        if client is None:
            client = self._user_tokens.put(
                key, await self._inner.create_user_token_client(claims_identity)
            )
        return client

    def create_bot_framework_client(self) -> Any:
        return self._inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return str(self._inner.get_originating_audience())

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self._inner.authenticate_channel_request(auth_header)
