from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from storage.db import unit_of_work
from storage.demo.seed import (
    DEMO_MENTOR_EMAIL,
    DEMO_ORGANIZER_EMAIL,
    DEMO_STUDENT_EMAIL,
    DEMO_TEACHER_EMAIL,
    demo_exists,
    seed_demo,
)
from storage.errors import InvalidInput
from storage.facts import is_mentor, teaches_student
from storage.feedback.entries import (
    feedback_visible_to,
    histories_for,
    next_open_entry,
    progress,
    teacher_queue,
)
from storage.models import Feedback, Light, Person, PersonKind, Round, RoundState
from storage.people.directory import person_by_email
from storage.rounds.lifecycle import open_rounds, round_status

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def test_demo_school_is_realistic_and_consistent(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        assert not demo_exists(s)
        school = seed_demo(s, now=NOW)
        assert demo_exists(s) and school.demo
        with pytest.raises(InvalidInput):
            seed_demo(s, now=NOW)
        people = {
            e: person_by_email(s, school_id=school.id, email=e)
            for e in (
                DEMO_ORGANIZER_EMAIL,
                DEMO_TEACHER_EMAIL,
                DEMO_MENTOR_EMAIL,
                DEMO_STUDENT_EMAIL,
            )
        }
        assert all(people.values())
        org, teacher, mentor, student = people.values()
        assert org.is_organizer
        assert student.display_name == "Sanne de Vries"
        kinds = dict(s.execute(select(Person.kind, func.count()).group_by(Person.kind)).all())
        assert kinds[PersonKind.STUDENT] == 60 and kinds[PersonKind.TEACHER] == 8
        names = set(s.scalars(select(Person.display_name)))
        assert "Daniël Hendriks" in names and any("ë" in n for n in names)
        assert s.scalar(select(is_mentor(mentor.id, student.id)))
        assert s.scalar(select(teaches_student(teacher.id, student.id)))

        (rnd,) = open_rounds(s, school_id=school.id)
        assert rnd.deadline == NOW + timedelta(days=7)
        done, total = progress(s, round_id=rnd.id, teacher_id=teacher.id)
        assert (done, total) == (4, 60)
        assert (
            len({e.group_title for e in teacher_queue(s, round_id=rnd.id, teacher_id=teacher.id)})
            == 3
        )
        assert next_open_entry(s, round_id=rnd.id, teacher_id=teacher.id) is not None
        st = round_status(s, round_id=rnd.id)
        assert st.total == 60 * 7 and 0 < st.done < st.total and st.not_started
        closed = s.scalars(select(Round).where(Round.state == RoundState.CLOSED)).one()
        lights = set(s.scalars(select(Feedback.light).where(Feedback.round_id == closed.id)))
        assert lights == set(Light)
        assert histories_for(s, actor_id=teacher.id, round_id=rnd.id)
        assert feedback_visible_to(
            s, actor_id=student.id, round_id=closed.id, student_id=student.id, channel="test"
        )


def test_demo_is_deterministic(session_factory) -> None:
    def snapshot() -> list[tuple]:
        with unit_of_work(session_factory) as s:
            if not demo_exists(s):
                seed_demo(s, now=NOW)
            return [
                (p.display_name, f.subject, f.light, f.remark)
                for f, p in s.execute(
                    select(Feedback, Person)
                    .join(Person, Person.id == Feedback.student_id)
                    .order_by(Feedback.id)
                )
            ]

    first = snapshot()
    with unit_of_work(session_factory) as s:
        s.execute(Feedback.__table__.delete())
        from storage.models import School

        s.execute(School.__table__.delete())
    assert snapshot() == first
