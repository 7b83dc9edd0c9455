"""A close racing saves, on SQLite and PostgreSQL: every save is either committed before the
close (and so seen by it, when it queues the digests) or refused as "round closed".

Forced interleavings hold one transaction open at the point that matters and run the other
in a thread; a third test lets saves of every entry run in threads while the round closes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from storage.cohort import expected_entries
from storage.db import unit_of_work
from storage.errors import RoundClosed
from storage.feedback.entries import record_feedback
from storage.models import Feedback, Light, Notification, Round, RoundState
from storage.rounds.lifecycle import close_round, create_round
from tests.support.builders import Tiny, tiny_school

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def _setup(sf: sessionmaker[Session]) -> tuple[Tiny, int]:
    with unit_of_work(sf) as s:
        t = tiny_school(s)
        rnd = create_round(
            s,
            school_id=t.school_id,
            actor_id=None,
            name="Ronde 2",
            group_ids=[t.groups["2A"], t.groups["2B"]],
            deadline=NOW + timedelta(days=7),
            now=NOW,
            open_now=True,
        )
        return t, rnd.id


def _save(s: Session, t: Tiny, rid: int, teacher: str, student: str, group: str) -> int:
    return record_feedback(
        s,
        actor_id=t.people[teacher],
        round_id=rid,
        student_id=t.people[student],
        group_id=t.groups[group],
        light=Light.GA_ZO_DOOR,
        remark=None,
        action=None,
        now=NOW,
        channel="test",
    ).id


def _count(sf: sessionmaker[Session]) -> int:
    with sf() as s:
        return int(s.scalar(select(func.count()).select_from(Feedback)) or 0)


def _in_thread(fn: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Run ``fn`` in a thread; the list gets its result or the exception it raised."""
    out: list[Any] = []

    def run() -> None:
        try:
            out.append(fn())
        except Exception as exc:
            out.append(exc)

    th = threading.Thread(target=run)
    th.start()
    return th, out


def _when(engine: Engine, *starts: str) -> threading.Event:
    """An event set just before the engine runs, in a thread other than the test's, a statement
    starting with one of ``starts``."""
    seen = threading.Event()
    main = threading.current_thread()

    def hook(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if threading.current_thread() is not main and statement.lstrip().upper().startswith(starts):
            seen.set()

    event.listen(engine, "before_cursor_execute", hook)
    return seen


def test_a_save_during_a_close_is_refused(engine: Engine, session_factory) -> None:
    t, rid = _setup(session_factory)
    # the save reads the round (storage.feedback.save: its one read starts with the CTE)
    reading = _when(engine, "WITH NEXT_STUDENT")
    with unit_of_work(session_factory) as closing:
        close_round(closing, round_id=rid, actor_id=None, now=NOW)
        th, out = _in_thread(
            lambda: _run(session_factory, lambda s: _save(s, t, rid, "wim", "anna", "2A wi"))
        )
        assert reading.wait(timeout=30), "the save never read the round"
    th.join()
    assert len(out) == 1 and isinstance(out[0], RoundClosed), out
    assert _count(session_factory) == 0


def test_a_close_during_a_save_waits_and_sees_it(engine: Engine, session_factory) -> None:
    t, rid = _setup(session_factory)
    locking = _when(engine, "UPDATE REVIEW_ROUND", "SELECT REVIEW_ROUND.ID")  # the close
    seen: list[int] = []

    def close(s: Session) -> None:
        close_round(s, round_id=rid, actor_id=None, now=NOW)
        seen.append(int(s.scalar(select(func.count()).select_from(Feedback)) or 0))

    with unit_of_work(session_factory) as saving:
        _save(saving, t, rid, "wim", "anna", "2A wi")
        th, out = _in_thread(lambda: _run(session_factory, close))
        assert locking.wait(timeout=30), "the close never locked the round"
    th.join()
    assert out == [None] and seen == [1]  # the close came after the save, and counted it


@pytest.mark.parametrize("race", range(3))
def test_saves_racing_a_close_land_before_it_or_are_refused(session_factory, race: int) -> None:
    _t, rid = _setup(session_factory)
    with session_factory() as s:
        entries = s.execute(expected_entries(rid)).all()
    barrier = threading.Barrier(len(entries) + 1)
    seen: list[set[int]] = []

    def close(s: Session) -> None:
        close_round(s, round_id=rid, actor_id=None, now=NOW)
        seen.append(set(s.scalars(select(Feedback.id).where(Feedback.round_id == rid))))

    def save(row: Any) -> Callable[[], Any]:
        def go() -> Any:
            barrier.wait()
            return _run(
                session_factory,
                lambda s: (
                    record_feedback(
                        s,
                        actor_id=row.teacher_id,
                        round_id=rid,
                        student_id=row.student_id,
                        group_id=row.group_id,
                        light=Light.LET_OP,
                        remark=None,
                        action="Plan je week",
                        now=NOW,
                        channel="test",
                    ).id
                ),
            )

        return go

    def closer() -> Any:
        barrier.wait()
        return _run(session_factory, close)

    runs = [_in_thread(save(row)) for row in entries] + [_in_thread(closer)]
    for th, _out in runs:
        th.join()
    results = [out[0] for _th, out in runs[:-1]]
    assert runs[-1][1] == [None]
    saved = {r for r in results if isinstance(r, int)}
    refused = [r for r in results if isinstance(r, RoundClosed)]
    assert len(saved) + len(refused) == len(entries), results
    assert saved <= seen[0]  # every save that was acknowledged was there before the close
    with session_factory() as s:
        stored = set(s.scalars(select(Feedback.id).where(Feedback.round_id == rid)))
        assert stored == saved
        assert s.get(Round, rid).state == RoundState.CLOSED
        digests = s.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.round_id == rid, Notification.kind == "mentor_digest")
        )
        assert digests == 1


def _run(sf: sessionmaker[Session], fn: Callable[[Session], Any]) -> Any:
    with unit_of_work(sf) as s:
        return fn(s)
