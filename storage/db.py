"""Engine, sessions and units of work.

The storage layer is synchronous SQLAlchemy: the same code serves the CLI, scheduler jobs and
tests. The aiohttp server runs each turn in a worker thread (see ``bot.app``), so the event
loop never waits on the database.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
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


def make_engine(url: str, **kwargs: Any) -> Engine:
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
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


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
