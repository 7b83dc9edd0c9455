"""Settings from the environment, read once by the composition root.

Teams settings keep botbuilder's own names (``MicrosoftAppId``...), Slack's keep Slack's; the
rest are prefixed ``STOPLICHT_``.
"""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.db import DEFAULT_DATABASE_URL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL, validation_alias=AliasChoices("STOPLICHT_DATABASE_URL")
    )
    demo: bool = Field(False, validation_alias=AliasChoices("STOPLICHT_DEMO"))

    # Microsoft Teams (Bot Framework), botbuilder's names.
    app_id: str = Field("", validation_alias=AliasChoices("MicrosoftAppId"))
    app_password: str = Field("", validation_alias=AliasChoices("MicrosoftAppPassword"))
    app_tenant_id: str = Field("", validation_alias=AliasChoices("MicrosoftAppTenantId"))
    app_type: str = Field("MultiTenant", validation_alias=AliasChoices("MicrosoftAppType"))

    # Slack.
    slack_bot_token: str = Field("", validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_signing_secret: str = Field("", validation_alias=AliasChoices("SLACK_SIGNING_SECRET"))
    slack_client_id: str = Field("", validation_alias=AliasChoices("SLACK_CLIENT_ID"))
    slack_client_secret: str = Field("", validation_alias=AliasChoices("SLACK_CLIENT_SECRET"))
    slack_app_token: str = Field("", validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    slack_api_url: str = Field(
        "https://slack.com/api/", validation_alias=AliasChoices("STOPLICHT_SLACK_API_URL")
    )

    # Scheduler.
    scheduler: bool = Field(True, validation_alias=AliasChoices("STOPLICHT_SCHEDULER"))

    @property
    def teams_configured(self) -> bool:
        return bool(self.app_id)

    @property
    def slack_configured(self) -> bool:
        return bool(self.slack_signing_secret)
