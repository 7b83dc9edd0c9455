"""The Agents SDK backend's configuration from ``Settings`` (``bot.teams.agents.adapter``)."""

from __future__ import annotations

from microsoft_agents.authentication.msal import MsalAuth

from bot.settings import Settings
from bot.teams.agents.adapter import (
    CHANNEL_ISSUER,
    TokenEndpointProvider,
    auth_configuration,
    for_the_sdk,
    token_provider_factory,
)

PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


def test_without_an_app_id_only_anonymous() -> None:
    config = auth_configuration(Settings(STOPLICHT_TEAMS_SDK="agents"))  # type: ignore[call-arg]
    assert config.ANONYMOUS_ALLOWED and not config.CLIENT_ID


def test_single_tenant_by_the_agents_sdk_names() -> None:
    settings = Settings(  # type: ignore[call-arg]
        **{
            f"{PREFIX}CLIENTID": "app-1",
            f"{PREFIX}CLIENTSECRET": "s",
            f"{PREFIX}TENANTID": "11111111-2222-3333-4444-555555555555",
            "MicrosoftAppType": "SingleTenant",
        }
    )
    assert (settings.app_id, settings.app_password) == ("app-1", "s")
    config = auth_configuration(settings)
    assert not config.ANONYMOUS_ALLOWED and config.VALIDATE_ISSUER
    assert config.CLIENT_ID == "app-1" and config.TENANT_ID.startswith("1111")
    assert CHANNEL_ISSUER in config.ISSUERS
    assert "https://sts.windows.net/11111111-2222-3333-4444-555555555555/" in config.ISSUERS


def test_multi_tenant_by_botbuilder_names_gets_tokens_from_botframework_com() -> None:
    config = auth_configuration(
        Settings(MicrosoftAppId="app-1", MicrosoftAppPassword="s")  # type: ignore[call-arg]
    )
    assert config.TENANT_ID == "botframework.com" and config.ISSUERS == [CHANNEL_ISSUER]


def test_outgoing_tokens_from_msal_unless_the_login_is_not_microsofts() -> None:
    public = Settings(MicrosoftAppId="app-1", MicrosoftAppPassword="s")  # type: ignore[call-arg]
    assert isinstance(token_provider_factory(public)(auth_configuration(public)), MsalAuth)
    private = public.model_copy(
        update={"to_channel_from_bot_login_url": "https://login.example.org/botframework.com"}
    )
    provider = token_provider_factory(private)(auth_configuration(private))
    assert isinstance(provider, TokenEndpointProvider)


def test_the_sdk_copy_drops_empty_strings_only() -> None:
    body = {"type": "message", "locale": "", "text": "hi", "value": {"a": "", "b": [{"c": ""}]}}
    assert for_the_sdk(body) == {"type": "message", "text": "hi", "value": {"b": [{}]}}
