"""Workspace installs: slack_sdk's SQLAlchemy stores on the project's database, and bot tokens.

The installation and OAuth-state tables (``slack_bots``, ``slack_installations``,
``slack_oauth_states``) belong to slack_sdk, which defines and evolves their schema; they are
created with the stores' own ``create_tables()`` (``CREATE ... IF NOT EXISTS``) when the Slack
channel starts, not by our Alembic migrations (which leave ``slack_*`` tables alone). An
upgrade of slack_sdk that adds a column is then the library's business, and a deployment
without OAuth never gets the tables.

The stores are synchronous (our engine is synchronous); the async wrappers run them in a
worker thread so the event loop never waits on the database.

``BotTokens`` answers "which bot token for this team": the fixed ``SLACK_BOT_TOKEN`` in
single-workspace mode, else the installation's token, rotated first (``oauth.v2.access`` with
the refresh token) when it expires within ``rotation_minutes``.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Engine

log = logging.getLogger(__name__)

STATE_EXPIRATION_SECONDS = 600


class ThreadedInstallationStore(AsyncInstallationStore):
    """slack_sdk's synchronous SQLAlchemy installation store, awaited through a thread."""

    def __init__(self, store: SQLAlchemyInstallationStore) -> None:
        self.store = store

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await asyncio.to_thread(self.store.save, installation)

    async def async_save_bot(self, bot: Bot) -> None:
        await asyncio.to_thread(self.store.save_bot, bot)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return await asyncio.to_thread(
            lambda: self.store.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return await asyncio.to_thread(
            lambda: self.store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            )
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await asyncio.to_thread(
            lambda: self.store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        )

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await asyncio.to_thread(
            lambda: self.store.delete_installation(
                enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
            )
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        await self.async_delete_installation(enterprise_id=enterprise_id, team_id=team_id)


class ThreadedStateStore(AsyncOAuthStateStore):
    """slack_sdk's synchronous SQLAlchemy OAuth state store, awaited through a thread."""

    def __init__(self, store: SQLAlchemyOAuthStateStore) -> None:
        self.store = store

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self.store.issue)

    async def async_consume(self, state: str) -> bool:
        return await asyncio.to_thread(self.store.consume, state)


def make_stores(
    *, client_id: str, engine: Engine
) -> tuple[ThreadedInstallationStore, ThreadedStateStore]:
    """Both stores on ``engine``, their tables created if missing."""
    installations = SQLAlchemyInstallationStore(client_id=client_id, engine=engine)
    states = SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine)
    installations.create_tables()
    states.create_tables()
    return ThreadedInstallationStore(installations), ThreadedStateStore(states)


class BotTokens:
    """The bot token for a team, in either mode; rotates expiring tokens (never logs them)."""

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        single_token: str = "",
        installations: AsyncInstallationStore | None = None,
        client_id: str = "",
        client_secret: str = "",
        rotation_minutes: int = 120,
    ) -> None:
        self._single = single_token
        self._store = installations
        self._rotation_minutes = rotation_minutes
        self._rotator = (
            AsyncTokenRotator(client_id=client_id, client_secret=client_secret, client=client)
            if installations is not None and client_id and client_secret
            else None
        )

    async def token(self, team_id: str) -> str | None:
        if self._single:
            return self._single
        if self._store is None:
            return None
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None:
            return None
        if self._rotator is not None and bot.bot_refresh_token:
            rotated = await self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=self._rotation_minutes
            )
            if rotated is not None:
                await self._store.async_save_bot(rotated)
                bot = rotated
        return bot.bot_token
