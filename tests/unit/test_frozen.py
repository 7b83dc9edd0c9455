"""A frozen read gives the rows, types and events of the statement it was made from."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, event, select
from sqlalchemy.engine import Engine

from storage.db import unit_of_work
from storage.frozen import Frozen
from storage.models import Person, PersonKind, Round, RoundState
from tests.unit.dialogs.school import NOW, build

# literal values (anonymous parameters), a bound id, typed results (enum, aware datetime, JSON)
_READ = (
    select(Round.id, Round.state, Round.deadline, Round.closed_at, Person.display_name)
    .join(Person, Person.school_id == Round.school_id)
    .where(
        Round.school_id == bindparam("school_id"),
        Round.state == RoundState.CLOSED,
        Person.kind == PersonKind.TEACHER,
    )
    .order_by(Round.id, Person.display_name)
)


def test_same_rows_types_and_events_on_both_backends(session_factory, engine: Engine) -> None:
    school = build(session_factory)
    frozen = Frozen(_READ)
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _k, st, *a: seen.append(st))
    with unit_of_work(session_factory) as s:
        conn = s.connection()
        want = conn.execute(_READ, {"school_id": school.school_id}).all()
        got = frozen.execute(conn, {"school_id": school.school_id}).all()
        again = frozen.execute(conn, {"school_id": school.school_id}).all()
        none = frozen.execute(conn, {"school_id": -1}).all()
    assert want and got == want == again and none == []
    row = got[0]
    assert row.state is RoundState.CLOSED and row.deadline == NOW - timedelta(days=60)
    assert row.closed_at is not None and row.closed_at.tzinfo is not None
    assert [r.display_name for r in got] == sorted(r.display_name for r in got)
    assert len(seen) == 4  # every run is a statement the engine's events see
