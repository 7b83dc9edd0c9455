"""A teacher's turn costs the same number of statements in a small and a larger school."""

from __future__ import annotations

from sqlalchemy import event

from bench.statements import NOW, build
from storage.db import make_engine, make_session_factory, unit_of_work
from storage.feedback.entries import next_open_entry, progress, record_feedback, teacher_queue
from storage.models import Light
from storage.rounds.status import round_status


def _counts(url: str, students: int) -> dict[str, int]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    seen = [0]
    event.listen(engine, "before_cursor_execute", lambda *a: seen.__setitem__(0, seen[0] + 1))
    with unit_of_work(factory) as s:
        ids = build(s, students)
    rid, tid = ids["round"], ids["teacher"]
    out: dict[str, int] = {}

    def count(name: str, fn) -> object:
        start = seen[0]
        result = fn()
        out[name] = seen[0] - start
        return result

    with unit_of_work(factory) as s:
        entry = count("next", lambda: next_open_entry(s, round_id=rid, teacher_id=tid))
        count("progress", lambda: progress(s, round_id=rid, teacher_id=tid))
        count("queue", lambda: teacher_queue(s, round_id=rid, teacher_id=tid))
        count("status", lambda: round_status(s, round_id=rid))
        for name, light in (("write", Light.LET_OP), ("revise", Light.GA_ZO_DOOR)):
            count(
                name,
                lambda light=light: record_feedback(
                    s,
                    actor_id=tid,
                    round_id=rid,
                    student_id=entry.student_id,
                    group_id=entry.group_id,
                    light=light,
                    remark=None,
                    action="Plan je week",
                    now=NOW,
                    channel="test",
                ),
            )
    engine.dispose()
    return out


def test_statement_counts_do_not_grow_with_the_school(db_url: str) -> None:
    small = _counts(db_url, 50)
    # A save is one read, one write that checks the round is open itself, and the audit row:
    # no write lock is taken first, on SQLite either (storage.feedback.save).
    assert small == {
        "next": 1,
        "progress": 1,
        "queue": 1,
        "status": 3,
        "write": 3,
        "revise": 3,
    }
    assert _counts(db_url, 250) == small
