"""The botbuilder ``CloudAdapter`` and its authentication, built from ``Settings``.

With an app id every inbound activity's JWT is validated by the SDK (issuer, audience, expiry,
signing keys from the OpenID metadata, the ``serviceurl`` claim against the activity's
``serviceUrl``). Without an app id the SDK runs anonymous; ``bot.cli.serve_cmd`` only allows
that on a loopback address.

The endpoints default to the public cloud. Setting botbuilder's own configuration names
(``ToBotFromChannelOpenIdMetadataUrl``, ``ToChannelFromBotLoginUrl``, ...) points the adapter at
a sovereign or private cloud; the channel tests use that to point it at loopback fakes. For such
a login URL the bot's outgoing token comes from a plain OAuth 2.0 client-credentials request to
``<login url>/oauth2/v2.0/token`` (msal only accepts Microsoft's https authorities).
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botframework.connector.auth import (
    AppCredentials,
    AuthenticationConstants,
    GovernmentConstants,
    ServiceClientCredentialsFactory,
)
from msrest.authentication import Authentication

from bot.settings import Settings
from bot.teams.reused_clients import ReusedClients
from bot.teams.tokens import ClientCredentials
from bot.teams.turns import on_turn_error

log = logging.getLogger(__name__)

PUBLIC_LOGIN_URL = "https://login.microsoftonline.com/botframework.com"
PUBLIC_SCOPE = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
PUBLIC_ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER


class _Configuration:
    """The attribute bag botbuilder's ``Configuration*`` classes read."""

    def __init__(self, settings: Settings) -> None:
        self.APP_ID = settings.app_id
        self.APP_PASSWORD = settings.app_password
        self.APP_TENANTID = settings.app_tenant_id
        self.APP_TYPE = settings.app_type
        if (
            settings.to_bot_from_channel_openid_metadata_url
            or settings.to_channel_from_bot_login_url
        ):
            self.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = (
                settings.to_bot_from_channel_openid_metadata_url
                or AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
            )
            self.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = (
                settings.to_bot_from_emulator_openid_metadata_url
                or AuthenticationConstants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL
            )
            self.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = (
                settings.to_bot_from_channel_token_issuer or PUBLIC_ISSUER
            )
            self.TO_CHANNEL_FROM_BOT_LOGIN_URL = (
                settings.to_channel_from_bot_login_url or PUBLIC_LOGIN_URL
            )
            self.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = (
                settings.to_channel_from_bot_oauth_scope or PUBLIC_SCOPE
            )
            self.OAUTH_URL = AuthenticationConstants.OAUTH_URL
            self.VALIDATE_AUTHORITY = True


class TokenEndpointCredentials(AppCredentials):
    """Client-credentials token from a configured OAuth 2.0 endpoint (``bot.teams.tokens``)."""

    def __init__(self, *, app_id: str, password: str, login_url: str, scope: str) -> None:
        super().__init__(app_id=app_id, oauth_scope=scope)
        self._client = ClientCredentials(app_id=app_id, password=password, login_url=login_url)

    def get_access_token(self, force_refresh: bool = False) -> str:
        return self._client.token(self.oauth_scope, force_refresh=force_refresh)


class CredentialFactory(ServiceClientCredentialsFactory):
    """botbuilder's factory, except for a non-Microsoft login URL (see module docstring)."""

    def __init__(self, settings: Settings, configuration: _Configuration) -> None:
        self._settings = settings
        self._inner = ConfigurationServiceClientCredentialFactory(configuration)

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(await self._inner.is_valid_app_id(app_id))

    async def is_authentication_disabled(self) -> bool:
        return bool(await self._inner.is_authentication_disabled())

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Authentication:
        endpoint = (login_endpoint or "").lower()
        microsoft = endpoint.startswith(
            (
                AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX,
                GovernmentConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX,
            )
        )
        if not endpoint or microsoft or await self.is_authentication_disabled():
            return await self._inner.create_credentials(
                app_id, oauth_scope, login_endpoint, validate_authority
            )
        if not await self.is_valid_app_id(app_id):
            raise PermissionError("Invalid app_id")
        return TokenEndpointCredentials(
            app_id=app_id,
            password=self._settings.app_password,
            login_url=login_endpoint,
            scope=oauth_scope or PUBLIC_SCOPE,
        )


def build_adapter(settings: Settings, *, reuse_clients: bool = True) -> CloudAdapter:
    """The adapter of ``settings``; ``reuse_clients=False`` gives the SDK's own behaviour of a
    new connector client per activity (the bare-SDK reference of ``bench/teams_load.py``)."""
    configuration = _Configuration(settings)
    auth = ConfigurationBotFrameworkAuthentication(
        configuration, credentials_factory=CredentialFactory(settings, configuration)
    )
    adapter = CloudAdapter(ReusedClients(auth) if reuse_clients else auth)
    adapter.on_turn_error = on_turn_error
    return adapter


def auth_enabled(settings: Settings) -> bool:
    return bool(settings.app_id)


def describe(settings: Settings) -> dict[str, Any]:
    """What the adapter was built with (for the serve banner), secrets left out."""
    return {"app_id": settings.app_id or None, "app_type": settings.app_type}
