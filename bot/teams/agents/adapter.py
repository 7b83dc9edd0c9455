"""The Microsoft 365 Agents SDK's ``CloudAdapter``, its inbound checks and outbound tokens.

Inbound, with an app id, every request's bearer token goes through the SDK's own
``JwtTokenValidator`` (RS256 signature against the signing keys, expiry and not-before with
the SDK's leeway, the audience against the app id) with the issuer check switched on
(``VALIDATE_ISSUER``; the accepted issuers are the Bot Framework channel's and the app
tenant's). Two checks botbuilder makes and the SDK leaves to the host are added here:

- the ``serviceurl`` claim of a Bot Framework channel token must equal the activity's
  ``serviceUrl`` exactly (the SDK compares hosts only, and only with a host allow-list on);
- a token the SDK's validator trips over in another way than it expects (no key id, not a JWT
  at all) is a 401 like any other bad token, never a 500.

Without an app id the adapter runs anonymous; ``bot.cli.serve_cmd`` only allows that on a
loopback address.

The endpoints default to the public cloud. ``ToBotFromChannelOpenIdMetadataUrl`` (the same
setting the botbuilder backend reads) pins the signing keys to that OpenID metadata's
``jwks_uri`` instead of the SDK's choice by issuer (a sovereign or private cloud; the channel
tests point it at a loopback fake); ``ToBotFromChannelTokenIssuer`` names the channel's issuer.

Outbound, tokens come from ``microsoft-agents-authentication-msal`` (``MsalAuth``) for
Microsoft's login; a ``ToChannelFromBotLoginUrl`` that is not Microsoft's gets a plain
client-credentials request (``bot.teams.tokens``), as on the botbuilder backend.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

import requests
from jwt import PyJWK, PyJWKClient
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core.authorization import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AuthTypes,
    ClaimsIdentity,
    ConnectionManager,
    JwtTokenValidator,
)

from bot.settings import Settings
from bot.teams.agents.reused_clients import ReusedClientFactory
from bot.teams.tokens import ClientCredentials, is_microsoft_login
from bot.teams.turns import on_turn_error

log = logging.getLogger(__name__)

CHANNEL_ISSUER = "https://api.botframework.com"
SERVICE_URL_CLAIM = "serviceurl"
METADATA_TTL = 24 * 3600.0


def for_the_sdk(node: Any) -> Any:
    """The activity JSON without empty strings, which the SDK's models refuse (``locale: ""``,
    ``name: ""`` do come from clients). Only the SDK's copy: the turn reads the posted JSON."""
    if isinstance(node, Mapping):
        return {k: for_the_sdk(v) for k, v in node.items() if v != ""}
    if isinstance(node, list):
        return [for_the_sdk(v) for v in node]
    return node


class PostedRequest:
    """The SDK's ``HttpRequestProtocol`` for a request whose body and identity are known."""

    def __init__(self, request: Any, body: Mapping[str, Any], identity: ClaimsIdentity) -> None:
        self._request = request
        self._body = dict(for_the_sdk(body))
        self._identity = identity

    @property
    def method(self) -> str:
        return str(self._request.method)

    @property
    def headers(self) -> Mapping[str, str]:
        return self._request.headers  # type: ignore[no-any-return]

    async def json(self) -> dict[str, Any]:
        return self._body

    def get_claims_identity(self) -> ClaimsIdentity:
        return self._identity

    def get_path_param(self, name: str) -> str:
        return str(self._request.match_info[name])


class Unauthorized(Exception):
    """The request's token is missing or not acceptable (answered 401)."""


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """The SDK's ``SERVICE_CONNECTION`` settings, from ``Settings`` (either name set)."""
    if not settings.app_id:
        return AgentAuthConfiguration(anonymous_allowed=True)
    auth_type = AuthTypes(settings.agents_auth_type) if settings.agents_auth_type else None
    tenant = settings.app_tenant_id or (
        "botframework.com" if settings.app_type.lower() == "multitenant" else ""
    )
    issuers = [settings.to_bot_from_channel_token_issuer or CHANNEL_ISSUER]
    if tenant and tenant != "botframework.com":
        issuers += [
            f"https://sts.windows.net/{tenant}/",
            f"https://login.microsoftonline.com/{tenant}/v2.0",
        ]
    return AgentAuthConfiguration(
        auth_type=auth_type,
        client_id=settings.app_id,
        client_secret=settings.app_password or None,
        tenant_id=tenant or None,
        authority=settings.agents_authority or None,
        cert_pfx_file=settings.agents_cert_pfx_file or None,
        connection_name="SERVICE_CONNECTION",
        issuers=issuers,
        validate_issuer=True,
        anonymous_allowed=False,
    )


class _PinnedKeys:
    """Signing keys from one configured OpenID metadata document, for the SDK's validator
    (which otherwise picks the JWKS address by the token's issuer)."""

    def __init__(self, metadata_url: str) -> None:
        self._metadata_url = metadata_url
        self._client: PyJWKClient | None = None
        self._fetched = 0.0

    def _jwks(self) -> PyJWKClient:
        if self._client is None or time.monotonic() - self._fetched > METADATA_TTL:
            response = requests.get(self._metadata_url, timeout=10)
            response.raise_for_status()
            self._client = PyJWKClient(str(response.json()["jwks_uri"]))
            self._fetched = time.monotonic()
        return self._client

    async def get_signing_key(self, jwks_uri: str, header: dict[str, Any]) -> PyJWK:
        def find() -> PyJWK:
            return self._jwks().get_signing_key(header["kid"])

        return await asyncio.to_thread(find)


class InboundAuth:
    """Who sent the request: the SDK's validation plus the service URL check."""

    def __init__(self, settings: Settings, configuration: AgentAuthConfiguration) -> None:
        self._configuration = configuration
        self._anonymous = not settings.app_id
        self._channel_issuer = settings.to_bot_from_channel_token_issuer or CHANNEL_ISSUER
        self._validator = JwtTokenValidator(configuration)
        metadata = settings.to_bot_from_channel_openid_metadata_url
        if metadata:
            # The validator's key lookup, pinned to the configured metadata.
            self._validator._jwk_client_manager = _PinnedKeys(metadata)  # type: ignore[assignment]

    async def identity(self, authorization: str | None, activity: Mapping[str, Any]) -> Any:
        if not authorization:
            if self._anonymous:
                return self._validator.get_anonymous_claims()
            raise Unauthorized("no Authorization header")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token:
            raise Unauthorized("not a bearer token")
        try:
            identity = await self._validator.validate_token(token)
        except Exception as exc:  # PyJWTError, ValueError, and what a malformed token causes
            raise Unauthorized(f"token rejected: {exc.__class__.__name__}") from exc
        claims = identity.claims
        channel_token = claims.get("iss") == self._channel_issuer or SERVICE_URL_CLAIM in claims
        if channel_token and claims.get(SERVICE_URL_CLAIM) != activity.get("serviceUrl"):
            raise Unauthorized("the serviceurl claim does not match the activity")
        return identity


class TokenEndpointProvider:
    """An ``AccessTokenProviderBase`` for a login URL that is not Microsoft's."""

    def __init__(self, configuration: AgentAuthConfiguration, login_url: str) -> None:
        self._configuration = configuration
        self._client = ClientCredentials(
            app_id=configuration.CLIENT_ID or "",
            password=configuration.CLIENT_SECRET or "",
            login_url=login_url,
        )

    @property
    def configuration(self) -> AgentAuthConfiguration:
        return self._configuration

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        scope = scopes[0] if scopes else resource_url
        return await asyncio.to_thread(self._client.token, scope, force_refresh=force_refresh)

    def get_token_credential(self) -> Any:
        raise NotImplementedError("not used by Stoplicht")

    async def acquire_token_on_behalf_of(self, scopes: list[str], user_assertion: str) -> str:
        raise NotImplementedError("Stoplicht does not act on behalf of users")

    async def get_agentic_application_token(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("Stoplicht is not an agentic app")

    async def get_agentic_instance_token(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("Stoplicht is not an agentic app")

    async def get_agentic_user_token(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("Stoplicht is not an agentic app")


def token_provider_factory(settings: Settings):  # type: ignore[no-untyped-def]
    login_url = settings.to_channel_from_bot_login_url

    def create(configuration: AgentAuthConfiguration) -> AccessTokenProviderBase:
        if configuration.CLIENT_ID and not is_microsoft_login(login_url):
            return TokenEndpointProvider(configuration, login_url)  # type: ignore[return-value]
        return MsalAuth(configuration)

    return create


class _ClientFault(logging.Filter):
    """The SDK logs an activity its model refuses at error level with a stack trace; that is
    the sender's fault, answered 400 (``bot.teams.agents``): one info line, no trace."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and str(record.msg).startswith("Validation error"):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


_SDK_ACTIVITY_LOG = logging.getLogger("microsoft_agents.activity.activity")


def build_adapter(settings: Settings) -> tuple[CloudAdapter, InboundAuth]:
    if not any(isinstance(f, _ClientFault) for f in _SDK_ACTIVITY_LOG.filters):
        _SDK_ACTIVITY_LOG.addFilter(_ClientFault())
    configuration = auth_configuration(settings)
    connections = ConnectionManager(
        provider_factory=token_provider_factory(settings),
        connections_configurations={"SERVICE_CONNECTION": configuration},
    )
    adapter = CloudAdapter(
        connection_manager=connections,
        channel_service_client_factory=ReusedClientFactory(connections),
    )
    adapter.on_turn_error = on_turn_error
    return adapter, InboundAuth(settings, configuration)


def anonymous_identity() -> ClaimsIdentity:
    return ClaimsIdentity()
