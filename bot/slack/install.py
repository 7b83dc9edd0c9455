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
single-workspace mode, else the installation's token. Two ways to ask:

- ``authorize`` (Bolt's, before the ack): the stored bot from a short cache, no network call
  (no ``auth.test``, no rotation), so the ack never waits on Slack;
- ``token`` (the outbox sender and the turns, after the ack): rotated first
  (``oauth.v2.access`` with the refresh token) when it expires within ``rotation_minutes``.

Rotation happens once per workspace across processes: read the stored bot, rotate, store the
new one, all under a lock held across processes (PostgreSQL: a transaction advisory lock per
workspace; SQLite: an exclusive file lock beside the database file, since holding SQLite's
write lock while Slack answers would stall every save and every ack meanwhile). Slack's
refresh tokens are single use, so a process that waited for the lock reads the token the
other one stored instead of rotating again. An ``invalid_refresh_token`` for a refresh token
that someone else has since replaced (a rotation outside the lock) is retried with the
stored one. Only a refresh token that is still the stored one and refused is an error
(``SlackTokenRotationError``: the sender marks the account unreachable, nothing retries it).
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation.rotator import TokenRotator
from slack_sdk.web import WebClient
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Connection, Engine, and_, desc, select, text

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


AUTHORIZE_CACHE_SECONDS = 30.0
ROTATION_TIMEOUT_SECONDS = 15


class BotTokens:
    """The bot token for a team, in either mode; rotates expiring tokens once per workspace
    across processes (never logs them)."""

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        single_token: str = "",
        installations: ThreadedInstallationStore | None = None,
        client_id: str = "",
        client_secret: str = "",
        rotation_minutes: int = 120,
        cache_seconds: float = AUTHORIZE_CACHE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._single = single_token
        self._store = installations
        self._rotation_minutes = rotation_minutes
        self._cache_seconds = cache_seconds
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, Bot]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self.rotations = 0  # rotations this process did (oauth.v2.access calls that succeeded)
        self._rotator = (
            TokenRotator(
                client_id=client_id,
                client_secret=client_secret,
                client=WebClient(base_url=client.base_url, timeout=ROTATION_TIMEOUT_SECONDS),
            )
            if installations is not None and client_id and client_secret
            else None
        )

    # -- before the ack: the store only, cached ---------------------------------------------

    async def bot(self, team_id: str) -> Bot | None:
        """The stored bot of a workspace, from a cache of ``cache_seconds``; no network call."""
        if self._store is None:
            return None
        hit = self._cache.get(team_id)
        now = self._monotonic()
        if hit is not None and now - hit[0] < self._cache_seconds:
            return hit[1]
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
        self._remember(team_id, bot)
        return bot

    def _remember(self, team_id: str, bot: Bot | None) -> None:
        if bot is None:
            self._cache.pop(team_id, None)
        else:
            self._cache[team_id] = (self._monotonic(), bot)

    def forget(self, team_id: str) -> None:
        self._cache.pop(team_id, None)

    # -- after the ack: rotated when due -------------------------------------------------------

    async def token(self, team_id: str) -> str | None:
        if self._single:
            return self._single
        bot = await self.bot(team_id)
        if bot is not None and self._due(bot):
            bot = await self._rotate(team_id)
        return bot.bot_token if bot is not None else None

    def _due(self, bot: Bot) -> bool:
        expires = bot.bot_token_expires_at
        return (
            self._rotator is not None
            and bool(bot.bot_refresh_token)
            and expires is not None
            and expires <= time.time() + self._rotation_minutes * 60
        )

    async def _rotate(self, team_id: str) -> Bot | None:
        """Rotate under the workspace's lock (this process's, then the database's). A refresh
        token refused after another rotation replaced it is retried with the stored one."""
        lock = self._locks.setdefault(team_id, asyncio.Lock())
        async with lock:
            for _attempt in range(3):
                try:
                    bot = await asyncio.to_thread(self._rotate_locked, team_id)
                except _Refused as refused:
                    assert self._store is not None
                    stored = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
                    if stored is None or stored.bot_refresh_token == refused.refresh_token:
                        self.forget(team_id)
                        raise SlackTokenRotationError(refused.error) from None
                    log.info("slack: a refresh token was replaced meanwhile; using the new one")
                    self._remember(team_id, stored)
                    if not self._due(stored):
                        return stored
                    continue
                self._remember(team_id, bot)
                return bot
            raise SlackTokenRotationError(  # three replaced refresh tokens in a row
                SlackApiError("token rotation kept losing", {"error": "rotation_contended"})
            )

    def _rotate_locked(self, team_id: str) -> Bot | None:
        """In a worker thread: lock, read, rotate if still due, store; one transaction."""
        assert self._store is not None and self._rotator is not None
        store = self._store.store
        with _file_lock(store.engine), store.engine.begin() as conn:
            _lock_workspace(conn, team_id)
            found = _latest_bot(conn, store, team_id)
            if found is None:
                return None
            row_id, bot = found
            if not self._due(bot):  # someone rotated while we waited: their token
                return bot
            try:
                rotated = self._rotator.perform_bot_token_rotation(
                    bot=bot, minutes_before_expiration=self._rotation_minutes
                )
            except SlackTokenRotationError as exc:
                raise _Refused(exc.api_error, bot.bot_refresh_token) from None
            if rotated is None:
                return bot
            values = rotated.to_dict()
            values["client_id"] = store.client_id
            values["installed_at"] = _db_time(values.get("installed_at"))
            values["bot_token_expires_at"] = _db_time(values.get("bot_token_expires_at"))
            conn.execute(store.bots.update().where(store.bots.c.id == row_id).values(**values))
            self.rotations += 1
            log.info("slack: rotated the bot token of workspace %s", team_id)
            return rotated


class _Refused(Exception):
    def __init__(self, error: SlackApiError, refresh_token: str | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.refresh_token = refresh_token


def _db_time(value: Any) -> Any:
    return normalize_datetime_for_db(value)


def _lock_workspace(conn: Connection, team_id: str) -> None:
    """PostgreSQL: hold the workspace's advisory lock until the transaction ends (it makes no
    other statement wait, only another rotation of the same workspace)."""
    if conn.dialect.name == "postgresql":
        key = zlib.crc32(f"stoplicht-slack-rotation:{team_id}".encode())
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


_MEMORY_LOCK = threading.Lock()


@contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    """SQLite: an exclusive lock on a file beside the database (``<db>.slack-rotation.lock``),
    held by one process at a time. Not SQLite's write lock: holding that during
    ``oauth.v2.access`` would make every save, and the inbox write before each ack, wait for
    Slack. PostgreSQL (advisory lock instead): nothing."""
    if engine.dialect.name != "sqlite":
        yield
        return
    database = engine.url.database or ""
    if not database or database == ":memory:" or "mode=memory" in str(engine.url):
        with _MEMORY_LOCK:  # one process owns an in-memory database
            yield
        return
    with open(f"{database}.slack-rotation.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _latest_bot(
    conn: Connection, store: SQLAlchemyInstallationStore, team_id: str
) -> tuple[Any, Bot] | None:
    """The workspace's bot as ``find_bot`` reads it, with its row id, on ``conn``."""
    c = store.bots.c
    query = (
        select(store.bots)
        .where(
            and_(
                c.client_id == store.client_id,
                c.enterprise_id.is_(None),
                c.team_id == team_id,
                c.bot_token.is_not(None),
            )
        )
        .order_by(desc(c.installed_at))
        .limit(1)
    )
    for row in conn.execute(query).mappings():
        return row["id"], store.build_bot_entity(row)
    return None


class StoreAuthorize(AsyncAuthorize):
    """Bolt's authorize for OAuth mode without network calls: the stored bot from
    ``BotTokens.bot`` (cached), no ``auth.test`` and no rotation, so the ack never waits on
    Slack. A token due for rotation is rotated by the turn, after the ack (``BotTokens.token``).
    No stored bot: ``None`` (Bolt answers that the app is not installed)."""

    token_rotation_expiration_minutes = 120  # set by Bolt; rotation is ``BotTokens``' job
    bot_only = True

    def __init__(self, tokens: BotTokens) -> None:
        super().__init__()
        self.tokens = tokens

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        if not team_id:
            return None
        bot = await self.tokens.bot(team_id)
        if bot is None:
            return None
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            bot_user_id=bot.bot_user_id,
            bot_id=bot.bot_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
            user_id=user_id,
        )
