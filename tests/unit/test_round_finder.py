"""Which rounds a person is offered to choose from, and the rule that guards the teacher's
read-only view: only a closed round of the teacher's own school with students they teach
(``READ_FEEDBACK``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, update
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import NotAllowed, NotFound
from storage.feedback.walk import closed_round_students
from storage.models import Group, GroupKind, Person, Round, RoundGroup, RoundState, School
from storage.rounds.finder import closed_rounds_taught, rounds_for_mentor
from storage.rounds.lifecycle import rounds_for_teacher
from tests.unit.dialogs.school import NOW, SmallSchool, build


def _two(sf: sessionmaker[Session]) -> tuple[SmallSchool, SmallSchool]:
    a = build(sf)
    with sf.begin() as s:
        s.execute(
            update(School)
            .where(School.id == a.school_id)
            .values(teams_tenant_id="tenant-A", slack_team_id="TA")
        )
    return a, build(sf)


def _close(sf: sessionmaker[Session], round_id: int) -> None:
    with sf.begin() as s:
        rnd = s.get(Round, round_id)
        rnd.state, rnd.closed_at = RoundState.CLOSED, NOW


def test_closed_rounds_taught_most_recent_first_own_school_only(
    session_factory: sessionmaker[Session],
) -> None:
    a, b = _two(session_factory)
    with session_factory() as s:
        found = closed_rounds_taught(s, teacher_id=b.ids["wis"])
        assert [r.id for r in found] == [b.ids["old"]]  # the open round is not listed
        assert closed_rounds_taught(s, teacher_id=b.ids["org"]) == []  # teaches nobody
        # each teacher only their own school's rounds (the schools look alike)
        assert [r.id for r in closed_rounds_taught(s, teacher_id=a.ids["wis"])] == [a.ids["old"]]
    _close(session_factory, b.ids["round"])
    with session_factory() as s:
        found = closed_rounds_taught(s, teacher_id=b.ids["wis"])
        assert [r.id for r in found] == [b.ids["round"], b.ids["old"]]


def test_a_round_without_the_teachers_students_is_not_listed(
    session_factory: sessionmaker[Session], school_sf: SmallSchool
) -> None:
    school = school_sf
    with session_factory.begin() as s:
        s.execute(delete(RoundGroup).where(RoundGroup.round_id == school.ids["old"]))
    with session_factory() as s:
        assert closed_rounds_taught(s, teacher_id=school.ids["wis"]) == []


def test_closed_round_students_lists_the_teachers_students(
    session_factory: sessionmaker[Session], school_sf: SmallSchool
) -> None:
    school = school_sf
    with session_factory() as s:
        rnd, students = closed_round_students(
            s, teacher_id=school.ids["wis"], round_id=school.ids["old"]
        )
    assert rnd.id == school.ids["old"]
    assert [x.student_id for x in students] == school.students
    assert {x.class_title for x in students} == {"3A"}


@pytest.mark.parametrize(
    ("who", "which", "reason"),
    [
        ("wis", "round", "round_not_closed"),  # colleagues' feedback only after close
        ("org", "old", "not_related"),  # teaches none of the round's students
        ("mentor", "old", "not_related"),
    ],
)
def test_closed_round_students_refused(
    session_factory: sessionmaker[Session], school_sf: SmallSchool, who: str, which: str, reason
) -> None:
    school = school_sf
    with session_factory() as s, pytest.raises(NotAllowed) as err:
        closed_round_students(s, teacher_id=school.ids[who], round_id=school.ids[which])
    assert err.value.params["reason"] == reason


def test_closed_round_students_of_another_school_or_unknown_or_inactive(
    session_factory: sessionmaker[Session],
) -> None:
    a, b = _two(session_factory)
    with session_factory() as s:
        with pytest.raises(NotAllowed) as err:
            closed_round_students(s, teacher_id=b.ids["wis"], round_id=a.ids["old"])
        assert err.value.params["reason"] == "other_school"
        with pytest.raises(NotFound):
            closed_round_students(s, teacher_id=b.ids["wis"], round_id=987654)
    with session_factory.begin() as s:
        s.execute(update(Person).where(Person.id == b.ids["wis"]).values(active=False))
    with session_factory() as s, pytest.raises(NotAllowed) as err:
        closed_round_students(s, teacher_id=b.ids["wis"], round_id=b.ids["old"])
    assert err.value.params["reason"] == "inactive"


@pytest.fixture
def school_sf(session_factory: sessionmaker[Session]) -> SmallSchool:
    return build(session_factory)


def _round_of_another_class(sf: sessionmaker[Session], school: SmallSchool) -> int:
    """An open round over a class 3B, in which none of the school's students (nor the mentor's
    mentees) are."""
    with sf.begin() as s:
        cls = Group(school_id=school.school_id, roster_id="3B", title="3B", kind=GroupKind.CLASS)
        s.add(cls)
        s.flush()
        rnd = Round(
            school_id=school.school_id,
            name="Alleen 3B",
            deadline=NOW + timedelta(days=3),
            state=RoundState.OPEN,
        )
        s.add(rnd)
        s.flush()
        s.add(RoundGroup(round_id=rnd.id, group_id=cls.id))
        return rnd.id


def test_rounds_for_mentor_only_rounds_with_their_mentees(
    session_factory: sessionmaker[Session], school_sf: SmallSchool
) -> None:
    school = school_sf
    other = _round_of_another_class(session_factory, school)
    with session_factory() as s:
        found = rounds_for_mentor(s, mentor_id=school.ids["mentor"], school_id=school.school_id)
        taught = rounds_for_teacher(s, teacher_id=school.ids["wis"])
    assert other not in [r.id for r in found]
    assert [r.id for r in found] == [school.ids["round"], school.ids["old"]]
    assert [r.id for r in taught] == [school.ids["round"]]  # open rounds with their students
