"""A person's dialog state (one JSON dict per person, with a version), read and written with
plain statements: the state is read with the person's account (``storage.people.identity``) and
written once at the end of a turn, one statement, only when it changed.

The write is the guard that makes one press count once, across threads and processes and on
both backends: it is conditional on the version the turn read (``UPDATE ... WHERE version =
:read``; the first row an ``INSERT ... ON CONFLICT DO NOTHING``). When another turn of the same
person committed in between, the write changes no row and ``save`` returns False; the caller
rolls its whole turn back (``dialogs.engine``). On PostgreSQL the second UPDATE waits for the
first transaction's row lock and then sees the new version; on SQLite the database write lock
orders the two, and the second finds the version moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.db import core
from storage.frozen import Frozen
from storage.models import DialogState

_t = DialogState.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True)
class StoredState:
    state: dict[str, Any]
    version: int


_SELECT = select(_t.state, _t.version).where(_t.person_id == bindparam("person_id"))
_VALUES = {
    "state": bindparam("b_state", type_=_t.state.type),
    "version": bindparam("b_version"),
    "updated_at": bindparam("b_updated_at", type_=_t.updated_at.type),
}
_NEW = {"person_id": bindparam("b_person_id"), **_VALUES}
_INSERT = {
    "postgresql": postgresql.insert(DialogState.__table__)  # type: ignore[arg-type]
    .values(**_NEW)
    .on_conflict_do_nothing(index_elements=["person_id"])
    .returning(_t.person_id),
    "sqlite": sqlite.insert(DialogState.__table__)  # type: ignore[arg-type]
    .values(**_NEW)
    .on_conflict_do_nothing(index_elements=["person_id"])
    .returning(_t.person_id),
}
_UPDATE = (
    update(DialogState.__table__)  # type: ignore[arg-type]
    .where(_t.person_id == bindparam("b_person_id"), _t.version == bindparam("b_read"))
    .values(**_VALUES)
    .returning(_t.person_id)
)


_FROZEN_UPDATE = Frozen(_UPDATE)  # every turn that moves the state runs it (``storage.frozen``)


def load(session: Session, person_id: int) -> StoredState | None:
    """The person's stored state, or None when they have none yet."""
    row = core(session).execute(_SELECT, {"person_id": person_id}).first()
    return StoredState(row.state or {}, row.version or 0) if row is not None else None


def save(
    session: Session,
    *,
    person_id: int,
    state: dict[str, Any],
    version: int,
    now: datetime,
    read_version: int | None,
) -> bool:
    """Write the state if it is still the one the turn read: an UPDATE conditional on
    ``read_version``, or (``read_version`` None: the person had no state) the INSERT of the
    first row. False when another turn wrote first (nothing was written)."""
    params = {
        "b_person_id": person_id,
        "b_state": state,
        "b_version": version,
        "b_updated_at": now,
    }
    conn = core(session)
    stmt: Any
    if read_version is None:
        stmt = _INSERT.get(conn.dialect.name, _INSERT["sqlite"])
    else:
        params["b_read"] = read_version
        return _FROZEN_UPDATE.execute(conn, params).first() is not None
    # RETURNING rather than rowcount: psycopg reports no rowcount for these statements
    return conn.execute(stmt, params).first() is not None
