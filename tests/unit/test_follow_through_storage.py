"""The follow-through reads and the read receipt in storage, on SQLite and PostgreSQL: each
asks the rule and is audited; unknown rounds and students, another school's people, the
unrelated and the inactive are refused and nothing changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import NotAllowed, NotFound
from storage.mentoring.picture import Stage, class_picture, class_pictures_for_round
from storage.mentoring.receipts import mark_read
from storage.mentoring.service import share_with_student
from storage.models import (
    AuditEntry,
    Feedback,
    Light,
    Person,
    PersonKind,
    Round,
    RoundState,
    School,
    Share,
)
from storage.permissions import Reason
from storage.rounds.follow import follow_through
from tests.unit.dialogs.school import NOW, SmallSchool, build


@pytest.fixture
def sf(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Both backends: these are the statements of the picture and the status."""
    return session_factory


@pytest.fixture
def school(sf: sessionmaker[Session]) -> SmallSchool:
    return build(sf)


def _stranger(sf: sessionmaker[Session], *, organizer: bool = False) -> int:
    with sf.begin() as s:
        other = School(name="Elders")
        s.add(other)
        s.flush()
        p = Person(
            school_id=other.id,
            roster_id="x",
            kind=PersonKind.TEACHER,
            display_name="X",
            is_organizer=organizer,
        )
        s.add(p)
        s.flush()
        return p.id


def _close_and_share(sf: sessionmaker[Session], school: SmallSchool) -> None:
    with sf.begin() as s:
        s.add(
            Feedback(
                round_id=school.ids["round"],
                student_id=school.students[0],
                group_id=school.ids["g_wis"],
                teacher_id=school.ids["wis"],
                subject="wiskunde",
                light=Light.PAS_OP,
                remark="r",
            )
        )
        rnd = s.get(Round, school.ids["round"])
        rnd.state, rnd.closed_at = RoundState.CLOSED, NOW  # type: ignore[union-attr]
        s.flush()
        share_with_student(
            s,
            actor_id=school.ids["mentor"],
            round_id=school.ids["round"],
            student_id=school.students[0],
            now=NOW,
        )


def _audit(sf: sessionmaker[Session], entity: str) -> list[tuple[int | None, int]]:
    with sf() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.entity == entity))
        return [(a.actor_id, a.count) for a in rows]


def test_the_class_picture_marks_subjects_lights_and_stages(sf, school: SmallSchool) -> None:
    _close_and_share(sf, school)
    with sf.begin() as s:
        pic = class_picture(s, mentor_id=school.ids["mentor"], round_id=school.ids["round"])
    assert [name for _, name in pic.subjects] == ["engels", "wiskunde"]
    anna = pic.rows[0]
    assert anna.summary.student_id == school.students[0]
    assert anna.marks["wiskunde"].light is Light.PAS_OP
    assert anna.marks["wiskunde"].worse  # Let op in Periode 1, Pas op now
    assert anna.marks["engels"].light is None  # in the subject, no light yet
    assert anna.follow.stage is Stage.SHARED
    assert {r.follow.stage for r in pic.rows[1:]} == {Stage.NOT_SHARED}
    assert _audit(sf, "class_picture") == [(school.ids["mentor"], 4)]


def test_a_student_outside_a_subject_is_marked_so(sf, school: SmallSchool) -> None:
    from storage.models import Enrolment

    with sf.begin() as s:
        e = s.scalars(
            select(Enrolment).where(
                Enrolment.student_id == school.students[1],
                Enrolment.group_id == school.ids["g_eng"],
            )
        ).one()
        e.active = False
    with sf.begin() as s:
        pic = class_picture(s, mentor_id=school.ids["mentor"], round_id=school.ids["round"])
    bram = next(r for r in pic.rows if r.summary.student_id == school.students[1])
    assert "engels" not in bram.marks and "wiskunde" in bram.marks


def test_the_class_picture_refuses_strangers_and_says_nothing_to_a_non_mentor(
    sf, school: SmallSchool
) -> None:
    stranger = _stranger(sf)
    with sf.begin() as s, pytest.raises(NotAllowed) as err:
        class_picture(s, mentor_id=stranger, round_id=school.ids["round"])
    assert err.value.params["reason"] is Reason.OTHER_SCHOOL
    with sf.begin() as s:
        s.get(Person, school.ids["mentor"]).active = False  # type: ignore[union-attr]
    with sf.begin() as s, pytest.raises(NotAllowed):
        class_picture(s, mentor_id=school.ids["mentor"], round_id=school.ids["round"])
    with sf.begin() as s, pytest.raises(NotFound):
        class_picture(s, mentor_id=school.ids["wis"], round_id=9999)
    with sf.begin() as s:  # a teacher who mentors nobody in the round: an empty picture
        assert (
            class_picture(s, mentor_id=school.ids["wis"], round_id=school.ids["round"]).rows == ()
        )
    assert _audit(sf, "class_picture") == []


def test_every_mentors_picture_for_the_digests(sf, school: SmallSchool) -> None:
    _close_and_share(sf, school)
    with sf.begin() as s:
        pictures = class_pictures_for_round(s, round_id=school.ids["round"])
    assert list(pictures) == [school.ids["mentor"]]
    assert pictures[school.ids["mentor"]].rows[0].follow.stage is Stage.SHARED


def test_a_read_is_recorded_once_and_only_of_shared_feedback(sf, school: SmallSchool) -> None:
    with sf.begin() as s, pytest.raises(NotAllowed) as err:  # open round, nothing shared
        mark_read(s, student_id=school.students[0], round_id=school.ids["round"], now=NOW)
    assert err.value.params["reason"] is Reason.NOT_SHARED
    _close_and_share(sf, school)
    with sf.begin() as s, pytest.raises(NotAllowed):  # Bram's was not shared
        mark_read(s, student_id=school.students[1], round_id=school.ids["round"], now=NOW)
    with sf.begin() as s, pytest.raises(NotFound):
        mark_read(s, student_id=school.ids["wis"], round_id=school.ids["round"], now=NOW)
    with sf.begin() as s, pytest.raises(NotFound):
        mark_read(s, student_id=school.students[0], round_id=9999, now=NOW)
    with sf.begin() as s:
        assert mark_read(s, student_id=school.students[0], round_id=school.ids["round"], now=NOW)
        later = NOW + timedelta(days=2)
        assert not mark_read(
            s, student_id=school.students[0], round_id=school.ids["round"], now=later
        )
    with sf() as s:
        assert [(x.student_id, x.read_at) for x in s.scalars(select(Share))] == [
            (school.students[0], NOW)
        ]
    assert _audit(sf, "read_receipt") == [(school.students[0], 1)]


def test_the_organizers_follow_through(sf, school: SmallSchool) -> None:
    org = school.ids["org"]
    with sf.begin() as s:  # open: nothing follows yet
        assert follow_through(s, round_id=school.ids["round"], actor_id=org) is None
    _close_and_share(sf, school)
    with sf.begin() as s:
        mark_read(s, student_id=school.students[0], round_id=school.ids["round"], now=NOW)
        f = follow_through(s, round_id=school.ids["round"], actor_id=org)
    assert f is not None
    [c] = f.classes
    assert (c.title, c.students, c.shared, c.read, c.submitted, c.agreed) == ("3A", 4, 1, 1, 0, 0)
    assert [(m.name, m.not_shared) for m in f.mentors_behind] == [("Mia Mentor", 3)]
    assert (org, 1) in _audit(sf, "follow_through")


def test_the_follow_through_refuses_anyone_but_the_schools_organizers(
    sf, school: SmallSchool
) -> None:
    _close_and_share(sf, school)
    for actor in (school.ids["wis"], school.students[0], _stranger(sf, organizer=True)):
        with sf.begin() as s, pytest.raises(NotAllowed):
            follow_through(s, round_id=school.ids["round"], actor_id=actor)
    with sf.begin() as s, pytest.raises(NotFound):
        follow_through(s, round_id=9999, actor_id=school.ids["org"])
    assert _audit(sf, "follow_through") == []
