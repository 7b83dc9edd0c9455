"""Engine, sessions and units of work.

The storage layer is synchronous SQLAlchemy: the same code serves the CLI, scheduler jobs and
tests. The aiohttp server runs each turn in a worker thread (see ``bot.app``), so the event
loop never waits on the database.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DATABASE_URL = "sqlite:///stoplicht.sqlite"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def database_url_from_env(explicit: str | None = None) -> str:
    return explicit or os.environ.get("STOPLICHT_DATABASE_URL") or DEFAULT_DATABASE_URL


def normalise_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs (the only PostgreSQL driver we ship). A URL
    SQLAlchemy cannot read (a port that is no number, ...) is an ``ArgumentError`` that names
    no part of it (it may hold a password)."""
    try:
        u = make_url(url)
    except ValueError as exc:
        reason = "the port is not a number" if "int()" in str(exc) else "malformed"
        raise ArgumentError(f"Could not parse SQLAlchemy URL: {reason}") from None
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


# A pooled connection unused for this many seconds is pinged before it is handed out
# (``ping_when_idle``); one used more recently is trusted. Under load every connection is used
# many times a second, so no turn pays for a ping; a quiet server pings as before.
PING_IDLE_SECONDS = 2.0


def make_engine(url: str, *, ping_idle: float = PING_IDLE_SECONDS, **kwargs: Any) -> Engine:
    """An engine for ``url``: SQLite with its pragmas; PostgreSQL (psycopg 3) with a pool
    that pings only connections idle for ``ping_idle`` seconds (``ping_when_idle``)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url and "mode=memory" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    # the most recently used connection first: the fewest connections stay busy (none idles
    # long enough to need a ping), the others idle and are pinged when they are needed again
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_use_lifo", True)
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        ping_when_idle(engine, ping_idle)
    return engine


def ping_when_idle(engine: Engine, idle: float) -> None:
    """Ping a pooled connection at checkout only when it sat unused for ``idle`` seconds or
    more: after a database restart such a connection is dead, and the ping (failing) makes
    the pool replace it before the caller gets it. A connection used moments ago is not pinged
    (SQLAlchemy's ``pool_pre_ping`` would: one more round trip on every checkout, i.e. every
    turn); if the database went away under it, its first statement fails, the pool drops its
    connections, and the caller's work runs again on a new one (``retryable``)."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")  # none for a new connection: nothing to check
        if since is None or time.monotonic() - since < idle:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            # the pool closes this connection and checks out another (a new one if need be)
            raise DisconnectionError(f"a pooled connection was lost: {exc}") from exc


def retryable(exc: BaseException) -> bool:
    """Whether work that failed with ``exc`` may simply run again: its connection was lost
    (a database restart) in a statement, so its transaction never committed, and the pool
    replaces the lost connections. Not when the connection was lost in the COMMIT itself
    (the statement is then unknown): that commit may have happened."""
    return isinstance(exc, DBAPIError) and exc.connection_invalidated and exc.statement is not None


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def core(session: Session) -> Connection:
    """The session's connection, for hot Core statements that return plain rows: executing on
    it skips the ORM's per-statement result machinery. Pending changes are flushed first,
    as the session's autoflush would."""
    if session.autoflush:
        session.flush()
    return session.connection()


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database schema to ``revision`` with Alembic."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Tables owned by libraries (APScheduler's jobs, slack_sdk's stores) are not ours."""
    if type_ == "table" and name is not None:
        return name != "apscheduler_jobs" and not name.startswith("slack_")
    return True
