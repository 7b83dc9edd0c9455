"""A walk's save reads what the next card needs in the same statement as its facts: the
teacher's entries, the next student without an entry and that student's history. It must give
exactly what the separate reads give, decide every history row by the rules, audit reading a
colleague's entries, stay at three statements, and refuse a save the round's close overtook."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.db import unit_of_work
from storage.errors import RoundClosed
from storage.feedback.entries import record_and_look_ahead, record_feedback, subject_history
from storage.feedback.walk import own_entries
from storage.models import AuditEntry, Enrolment, Feedback, Light, Round, RoundState
from tests.unit.dialogs.school import NOW, SmallSchool, build


def _history_row(s: Session, school: SmallSchool, student: int, teacher: str, text: str) -> None:
    s.add(
        Feedback(
            round_id=school.ids["old"],
            student_id=student,
            group_id=school.ids["g_wis"],
            teacher_id=school.ids[teacher],
            subject="wiskunde",
            light=Light.PAS_OP,
            remark=text,
            created_at=NOW - timedelta(days=61),
            updated_at=NOW - timedelta(days=61),
        )
    )


def _school(sf: sessionmaker[Session]) -> SmallSchool:
    """Four students in Wim's wiskunde group; Anna has Wim's own entry from Periode 1, Cas one
    by Els (a colleague, who taught wiskunde then) and one by Wim, and an English entry."""
    school = build(sf)
    with sf.begin() as s:
        cas = school.students[2]
        _history_row(s, school, cas, "eng", "Cas rekent secuur.")
        _history_row(s, school, cas, "wis", "Cas vergeet zijn rekenmachine.")
        s.add(
            Feedback(
                round_id=school.ids["old"],
                student_id=cas,
                group_id=school.ids["g_eng"],
                teacher_id=school.ids["eng"],
                subject="engels",
                light=Light.GA_ZO_DOOR,
                remark="Engels: niet voor wiskunde.",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    return school


def _save(s: Session, school: SmallSchool, student: int, ahead: list[int], light: Light) -> Any:
    return record_and_look_ahead(
        s,
        actor_id=school.ids["wis"],
        round_id=school.ids["round"],
        student_id=student,
        group_id=school.ids["g_wis"],
        light=light,
        remark="Ik zie dat je meedoet.",
        action="Maak elke dag tien sommen.",
        now=NOW,
        channel="test",
        ahead=ahead,
    )


def _reads(sf: sessionmaker[Session], actor: int) -> list[tuple[int | None, int]]:
    with sf() as s:
        rows = s.execute(
            select(AuditEntry.student_id, AuditEntry.count)
            .where(AuditEntry.actor_id == actor, AuditEntry.operation == "read")
            .order_by(AuditEntry.id)
        )
        return [tuple(r) for r in rows]


def test_a_walk_of_saves_gives_what_the_separate_reads_give(session_factory) -> None:
    school = _school(session_factory)
    wis, students = school.ids["wis"], school.students
    done: set[int] = set()
    for pos, student in enumerate(students):
        ahead = [students[(pos + k) % 4] for k in range(1, 4)]
        with unit_of_work(session_factory) as s:
            step = _save(s, school, student, ahead, Light.GA_ZO_DOOR)
        done.add(student)
        expected_next = next((i for i in ahead if i not in done), None)
        with unit_of_work(session_factory) as s:
            entries = own_entries(
                s, round_id=school.ids["round"], teacher_id=wis, group_id=school.ids["g_wis"]
            )
            history = (
                subject_history(
                    s,
                    actor_id=wis,
                    student_id=expected_next,
                    subject="wiskunde",
                    before_round_id=school.ids["round"],
                )
                if expected_next is not None
                else []
            )
        assert step.saved.student_id == student and step.saved.version == 1
        assert step.entries == entries and set(entries) == done
        assert step.next_student == expected_next
        assert step.next_history == history
    # Anna's card came from "feedback" itself; after saving Bram, Cas is next: his two
    # wiskunde entries (Els's readable to the teacher who teaches him now), not the English one
    with unit_of_work(session_factory) as s:
        again = _save(s, school, students[1], [students[2], students[3], students[0]], Light.LET_OP)
    assert again.saved.version == 2 and again.saved.light == Light.LET_OP
    assert again.next_student is None and again.next_history == []  # everyone has an entry


def test_the_next_student_skips_entries_and_wraps(session_factory) -> None:
    school = _school(session_factory)
    a, b, c, d = school.students
    with unit_of_work(session_factory) as s:
        _save(s, school, b, [c, d, a], Light.GA_ZO_DOOR)
        _save(s, school, c, [d, a, b], Light.GA_ZO_DOOR)
    with unit_of_work(session_factory) as s:
        step = _save(s, school, d, [a, b, c], Light.GA_ZO_DOOR)  # from the last one: wraps
    assert step.next_student == a
    assert [h.remark for h in step.next_history] == ["Ik zie dat je je huiswerk vaak vergeet."]
    with unit_of_work(session_factory) as s:
        step = _save(s, school, a, [b, c, d], Light.GA_ZO_DOOR)
    assert step.next_student is None and set(step.entries) == {a, b, c, d}


def test_reading_a_colleagues_entry_is_audited_and_costs_no_statement(
    session_factory, engine: Engine
) -> None:
    school = _school(session_factory)
    a, b, c, d = school.students
    wis = school.ids["wis"]
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _k, st, *a: seen.append(st))
    with unit_of_work(session_factory) as s:
        step = _save(s, school, b, [c, d, a], Light.GA_ZO_DOOR)  # Cas next: Els's entry
    assert step.next_student == c
    assert [h.remark for h in step.next_history] == [
        "Cas rekent secuur.",
        "Cas vergeet zijn rekenmachine.",
    ]
    assert len(seen) == 3  # the read, the insert, the audit rows (write + read of Els's entry)
    assert _reads(session_factory, wis) == [(c, 1)]
    seen.clear()
    with unit_of_work(session_factory) as s:
        step = _save(s, school, d, [a, b, c], Light.GA_ZO_DOOR)  # Anna next: Wim's own entry
    assert step.next_student == a and len(step.next_history) == 1
    assert len(seen) == 3
    assert _reads(session_factory, wis) == [(c, 1)]  # one's own entries: no read row
    with session_factory() as s:
        writes = s.scalar(
            select(func.count()).where(AuditEntry.actor_id == wis, AuditEntry.operation == "write")
        )
    assert writes == 2


def test_history_of_a_student_who_left_the_group_is_decided_on_the_facts_of_now(
    session_factory,
) -> None:
    """The walk's list is taken when the group is opened. Cas leaves the group after that:
    the teacher no longer teaches him, so a colleague's entry is no longer readable (one's
    own stays), and nothing is audited as read."""
    school = _school(session_factory)
    a, b, c, d = school.students
    with session_factory.begin() as s:
        s.execute(
            update(Enrolment)
            .where(Enrolment.student_id == c, Enrolment.group_id == school.ids["g_wis"])
            .values(active=False)
        )
    with unit_of_work(session_factory) as s:
        step = _save(s, school, b, [c, d, a], Light.GA_ZO_DOOR)
        expected = subject_history(
            s,
            actor_id=school.ids["wis"],
            student_id=c,
            subject="wiskunde",
            before_round_id=school.ids["round"],
        )
    assert step.next_student == c
    assert [h.remark for h in step.next_history] == ["Cas vergeet zijn rekenmachine."]
    assert step.next_history == expected
    assert _reads(session_factory, school.ids["wis"]) == []


def _close_before(engine: Engine, starts: str, round_id: int, url: str) -> list[bool]:
    """Just before this engine runs a statement starting with ``starts``, another connection
    closes the round and commits (once)."""
    from storage.db import make_engine

    fired: list[bool] = []

    def sneak(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if fired or not statement.lstrip().upper().startswith(starts):
            return
        fired.append(True)
        other = make_engine(url)
        with other.begin() as c:
            c.execute(
                update(Round)
                .where(Round.id == round_id)
                .values(state=RoundState.CLOSED, closed_at=NOW)
            )
        other.dispose()

    event.listen(engine, "before_cursor_execute", sneak)
    return fired


@pytest.mark.parametrize("existing", [False, True], ids=["new", "revision"])
def test_sqlite_a_close_between_the_read_and_the_write_refuses_the_save(
    sqlite_url: str, existing: bool
) -> None:
    """On SQLite the save reads without the write lock; the close commits between its read
    and its write: the write checks the round itself, changes nothing, and the save answers
    "round closed". (On PostgreSQL the read locks the round: the close waits, see
    tests/integration/test_close_races_saves.py.)"""
    from storage.db import make_engine, make_session_factory

    engine = make_engine(sqlite_url)
    sf = make_session_factory(engine)
    school = _school(sf)
    anna = school.students[0]
    if existing:
        with unit_of_work(sf) as s:
            _save(s, school, anna, [], Light.GA_ZO_DOOR)
    fired = _close_before(
        engine,
        "UPDATE FEEDBACK" if existing else "INSERT INTO FEEDBACK",
        school.ids["round"],
        sqlite_url,
    )
    with pytest.raises(RoundClosed), unit_of_work(sf) as s:
        record_feedback(
            s,
            actor_id=school.ids["wis"],
            round_id=school.ids["round"],
            student_id=anna,
            group_id=school.ids["g_wis"],
            light=Light.EXCELLENT,
            remark="Te laat",
            action=None,
            now=NOW,
            channel="test",
        )
    assert fired
    with sf() as s:
        rows = list(s.scalars(select(Feedback).where(Feedback.round_id == school.ids["round"])))
        assert [(f.light, f.version) for f in rows] == ([(Light.GA_ZO_DOOR, 1)] if existing else [])
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == (1 if existing else 0)
    engine.dispose()
