"""Settings from the environment, read once by the composition root.

Teams settings keep botbuilder's own names (``MicrosoftAppId``...) and also take the Microsoft
365 Agents SDK's (``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID``...), so either
backend (``STOPLICHT_TEAMS_SDK``) runs on either set; Slack's keep Slack's; the rest are
prefixed ``STOPLICHT_``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.db import DEFAULT_DATABASE_URL

_AGENTS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL, validation_alias=AliasChoices("STOPLICHT_DATABASE_URL")
    )
    demo: bool = Field(False, validation_alias=AliasChoices("STOPLICHT_DEMO"))

    # Microsoft Teams: which SDK carries it, "botbuilder" (default) or "agents" (the Microsoft
    # 365 Agents SDK). Both read the same settings and the same stored conversations.
    teams_sdk: Literal["botbuilder", "agents"] = Field(
        "botbuilder", validation_alias=AliasChoices("STOPLICHT_TEAMS_SDK")
    )
    # The Azure Bot registration, by botbuilder's names or the Agents SDK's.
    app_id: str = Field("", validation_alias=AliasChoices("MicrosoftAppId", f"{_AGENTS}CLIENTID"))
    app_password: str = Field(
        "", validation_alias=AliasChoices("MicrosoftAppPassword", f"{_AGENTS}CLIENTSECRET")
    )
    app_tenant_id: str = Field(
        "", validation_alias=AliasChoices("MicrosoftAppTenantId", f"{_AGENTS}TENANTID")
    )
    app_type: str = Field("MultiTenant", validation_alias=AliasChoices("MicrosoftAppType"))
    # Agents SDK only: how the bot gets its outgoing tokens (authentication-msal's AUTHTYPE:
    # client_secret, certificate, user_managed_identity, ...) and the pieces they need.
    agents_auth_type: str = Field("", validation_alias=AliasChoices(f"{_AGENTS}AUTHTYPE"))
    agents_authority: str = Field("", validation_alias=AliasChoices(f"{_AGENTS}AUTHORITY"))
    agents_cert_pfx_file: str = Field("", validation_alias=AliasChoices(f"{_AGENTS}CERTPFXFILE"))
    # Bot Framework endpoints, botbuilder's configuration names; empty = the public cloud.
    # Set for a sovereign/private cloud (and by the channel tests, to loopback fakes).
    to_bot_from_channel_openid_metadata_url: str = Field(
        "", validation_alias=AliasChoices("ToBotFromChannelOpenIdMetadataUrl")
    )
    to_bot_from_channel_token_issuer: str = Field(
        "", validation_alias=AliasChoices("ToBotFromChannelTokenIssuer")
    )
    to_channel_from_bot_login_url: str = Field(
        "", validation_alias=AliasChoices("ToChannelFromBotLoginUrl")
    )
    to_channel_from_bot_oauth_scope: str = Field(
        "", validation_alias=AliasChoices("ToChannelFromBotOAuthScope")
    )
    to_bot_from_emulator_openid_metadata_url: str = Field(
        "", validation_alias=AliasChoices("ToBotFromEmulatorOpenIdMetadataUrl")
    )
    # Cards: "execute" (Action.Execute, Universal Actions) or "submit" (Action.Submit).
    teams_card_actions: str = Field(
        "execute", validation_alias=AliasChoices("STOPLICHT_TEAMS_CARD_ACTIONS")
    )
    # Microsoft Graph (optional): install the app for roster users who never opened it.
    graph_enabled: bool = Field(False, validation_alias=AliasChoices("STOPLICHT_GRAPH_ENABLED"))
    graph_url: str = Field(
        "https://graph.microsoft.com/v1.0", validation_alias=AliasChoices("STOPLICHT_GRAPH_URL")
    )
    graph_login_url: str = Field(
        "https://login.microsoftonline.com",
        validation_alias=AliasChoices("STOPLICHT_GRAPH_LOGIN_URL"),
    )
    teams_catalog_app_id: str = Field(
        "", validation_alias=AliasChoices("STOPLICHT_TEAMS_CATALOG_APP_ID")
    )

    # Slack.
    slack_bot_token: str = Field("", validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_signing_secret: str = Field("", validation_alias=AliasChoices("SLACK_SIGNING_SECRET"))
    slack_client_id: str = Field("", validation_alias=AliasChoices("SLACK_CLIENT_ID"))
    slack_client_secret: str = Field("", validation_alias=AliasChoices("SLACK_CLIENT_SECRET"))
    slack_app_token: str = Field("", validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    slack_api_url: str = Field(
        "https://slack.com/api/", validation_alias=AliasChoices("STOPLICHT_SLACK_API_URL")
    )
    # Slack requests kept before the ack and left undone by a crash are run again once they
    # are this old (a turn takes well under it), checked this often (storage.conversation.inbox).
    inbox_grace_seconds: float = Field(30.0, validation_alias=AliasChoices("STOPLICHT_INBOX_GRACE"))
    inbox_sweep_seconds: float = Field(10.0, validation_alias=AliasChoices("STOPLICHT_INBOX_SWEEP"))

    # Scheduler and notification delivery (see schedules/).
    scheduler: bool = Field(True, validation_alias=AliasChoices("STOPLICHT_SCHEDULER"))
    delivery_webhook: str = Field(
        "", validation_alias=AliasChoices("STOPLICHT_DELIVERY_WEBHOOK")
    )  # deliver every notification by POSTing it here instead of Teams/Slack (a relay)
    notify_log: str = Field(
        "", validation_alias=AliasChoices("STOPLICHT_NOTIFY_LOG")
    )  # also append notifications shown in the log to this file (demo)
    delivery_lease_seconds: float = Field(
        120.0, validation_alias=AliasChoices("STOPLICHT_DELIVERY_LEASE")
    )
    teams_rate: float = Field(25.0, validation_alias=AliasChoices("STOPLICHT_TEAMS_RATE"))
    sweep_seconds: float = Field(60.0, validation_alias=AliasChoices("STOPLICHT_SWEEP_SECONDS"))
    leader_poll_seconds: float = Field(2.0, validation_alias=AliasChoices("STOPLICHT_LEADER_POLL"))

    @property
    def teams_configured(self) -> bool:
        return bool(self.app_id)

    @property
    def slack_configured(self) -> bool:
        return bool(self.slack_signing_secret)

    def slack_problem(self) -> str | None:
        """Why the Slack settings cannot work (one line for the operator), or None. Bolt would
        say it with a traceback at start-up; ``serve`` and ``worker`` say this and exit."""
        oauth = (self.slack_client_id, self.slack_client_secret)
        if any(oauth) and not all(oauth):
            return "Slack OAuth needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"
        if not self.slack_signing_secret:  # Slack is off
            return None
        if not self.slack_bot_token and not all(oauth):
            return (
                "SLACK_SIGNING_SECRET is set, but neither SLACK_BOT_TOKEN (one workspace) nor "
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (OAuth): set one, or unset "
                "SLACK_SIGNING_SECRET to run without Slack"
            )
        return None
