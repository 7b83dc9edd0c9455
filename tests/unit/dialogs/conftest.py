from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.unit.dialogs.school import SmallSchool, build


@pytest.fixture
def school(sqlite_session_factory: sessionmaker[Session]) -> SmallSchool:
    return build(sqlite_session_factory)


@pytest.fixture
def sf(sqlite_session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    return sqlite_session_factory
