"""Saves and the close of a round serialise on the round, so a save is either committed before
the close (and counted in the digests the close queues) or refused as "round closed".

- PostgreSQL: the statement a save reads the round's state with locks the round's row
  ``FOR SHARE`` (saves do not wait for each other), and the close reads it ``FOR UPDATE``:
  the close waits for the saves in progress to commit, and a save that comes while the close
  is in progress waits for it and then reads "closed" (a locking read sees the newest row).
- SQLite: row locks do not exist, and a read outside a write transaction may be older than a
  write that commits the next moment. The close and a group fill (``storage.feedback.bulk``)
  take the database's write lock first (``take_write_lock``: a write that changes nothing), so
  what they read next is current and nobody else writes until they commit. A single save
  (``storage.feedback.save``) reads without it and lets its one write check that the round is
  still open (``INSERT ... SELECT ... WHERE`` / ``UPDATE ... WHERE``): a write starts after the
  close committed (it waits for the lock), so it sees "closed" and changes nothing, and the
  save answers "round closed".
"""

from __future__ import annotations

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from storage.db import core
from storage.models import Round

_TOUCH = (
    update(Round)
    .where(Round.id == bindparam("lock_round_id"))
    .values(state=Round.state)
    .execution_options(synchronize_session=False)
)


def take_write_lock(session: Session, round_id: int) -> None:
    """SQLite: hold the database write lock from now until the transaction ends. Elsewhere
    nothing: the locking read (``FOR SHARE`` / ``FOR UPDATE``) does it."""
    conn = core(session)
    if conn.dialect.name == "sqlite":
        conn.execute(_TOUCH, {"lock_round_id": round_id})
