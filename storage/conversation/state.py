"""A person's dialog state (one JSON dict per person, with a version), read and written with
plain statements: the state is read with the person's account (``storage.people.identity``) and
written once at the end of a turn, one statement, only when it changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from storage.db import core
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
_INSERT = insert(DialogState.__table__).values(person_id=bindparam("b_person_id"), **_VALUES)  # type: ignore[arg-type]
_UPDATE = (
    update(DialogState.__table__)  # type: ignore[arg-type]
    .where(_t.person_id == bindparam("b_person_id"))
    .values(**_VALUES)
)


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
    exists: bool,
) -> None:
    """Write the state: an UPDATE of the existing row, or the INSERT of the first one."""
    params = {
        "b_person_id": person_id,
        "b_state": state,
        "b_version": version,
        "b_updated_at": now,
    }
    core(session).execute(_UPDATE if exists else _INSERT, params)
