"""Shared fixtures: a migrated database per test, on SQLite and on a real PostgreSQL.

``db_url`` is parametrized over both backends; tests that take it run twice. PostgreSQL comes
from ``STOPLICHT_TEST_PG_URL`` (an admin URL to a running server) or a throwaway cluster that
this session starts (``tests/support/pg.py``). If neither is possible the tests fail: a
database check is never skipped.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, make_session_factory, upgrade
from tests.support import pg


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.sqlite"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    url = os.environ.get("STOPLICHT_TEST_PG_URL")
    if url:
        yield url
        return
    try:
        cluster = pg.start_cluster()
    except pg.PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield cluster.url
    finally:
        cluster.stop()


def _admin_engine(admin_url: str) -> Engine:
    return create_engine(admin_url, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def pg_template(pg_admin_url: str) -> str:
    """A migrated template database, created once per test process."""
    name = f"tpl_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine(pg_admin_url)
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    upgrade(pg_admin_url.rsplit("/", 1)[0] + f"/{name}")
    admin.dispose()
    return name


def new_pg_database(admin_url: str, template: str) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(admin_url)
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_pg_database(admin_url: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = _admin_engine(admin_url)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "stoplicht.sqlite"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def pg_url(request: pytest.FixtureRequest) -> Iterator[str]:
    admin = request.getfixturevalue("pg_admin_url")
    url = new_pg_database(admin, request.getfixturevalue("pg_template"))
    try:
        yield url
    finally:
        drop_pg_database(admin, url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """A freshly migrated, empty database on each backend."""
    return str(
        request.getfixturevalue(f"{'pg' if request.param == 'postgresql' else 'sqlite'}_url")
    )


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def sqlite_session_factory(sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    """SQLite only: for dialog and channel tests where the backend is not the point."""
    eng = make_engine(sqlite_url)
    yield make_session_factory(eng)
    eng.dispose()


TEAMS_SDKS = ["botbuilder", "agents"]


@pytest.fixture(params=TEAMS_SDKS)
def teams_sdk(request: pytest.FixtureRequest) -> str:
    """The Teams backend (``STOPLICHT_TEAMS_SDK``): every Teams test through the HTTP endpoint
    runs on both."""
    return str(request.param)
