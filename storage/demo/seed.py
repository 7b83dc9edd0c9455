"""A realistic Dutch demo school, for trying the bot and for channel tests.

Three classes (3A, 3B, 4H) of twenty students, eight subjects, two clusters that span 3A and
3B (Frans and Duits: each student of the third year takes one), eight teachers of whom three
are mentors, an organizer, one closed round with feedback, mentor notes and shares (the
history), and one open round with a deadline a week after ``now``, partly filled in.

Everything is derived from fixed lists and a seeded random generator, so two seeds with the
same ``now`` produce the same school. The ``DEMO_*_EMAIL`` constants name the people that
tests and the channels' demo mode log in as.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.demo import data as d
from storage.errors import InvalidInput
from storage.models import (
    Enrolment,
    Feedback,
    Group,
    GroupKind,
    Light,
    MentorNote,
    Mentorship,
    Person,
    PersonKind,
    Round,
    RoundGroup,
    RoundState,
    School,
    Share,
    TeachingAssignment,
)
from storage.rounds.lifecycle import create_round


def _email(given: str, family: str) -> str:
    raw = f"{given}.{family}".replace("ı", "i").replace(" ", "")
    ascii_ = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    return f"{ascii_.lower()}@{d.DOMAIN}"


DEMO_ORGANIZER_EMAIL = _email(d.ORGANIZER[1], d.ORGANIZER[2])
DEMO_TEACHER_EMAIL = _email("Jeroen", "Visser")  # wiskunde in 3A, 3B and 4H
DEMO_MENTOR_EMAIL = _email("Esther", "de Groot")  # mentor of 3A, teaches geschiedenis
DEMO_STUDENT_EMAIL = _email(d.GIVEN[0], d.FAMILY[0])  # Sanne de Vries, 3A
SEED = 20261122
STUDENTS_PER_CLASS = 20


def demo_exists(session: Session) -> bool:
    return session.scalar(select(School.id).where(School.demo.is_(True)).limit(1)) is not None


def _person(school: School, key: str, kind: PersonKind, given: str, family: str) -> Person:
    return Person(
        school_id=school.id,
        roster_id=f"demo-{key}",
        kind=kind,
        given_name=given,
        family_name=family,
        display_name=f"{given} {family}",
        email=_email(given, family),
    )


def seed_demo(session: Session, *, now: datetime) -> School:
    """Create the demo school in the caller's transaction and return it."""
    if demo_exists(session):
        raise InvalidInput("the demo school already exists")
    rng = random.Random(SEED)
    school = School(name=d.SCHOOL_NAME, roster_id="demo", demo=True, created_at=now)
    session.add(school)
    session.flush()

    teachers = {k: _person(school, f"t-{k}", PersonKind.TEACHER, g, f) for k, g, f in d.TEACHERS}
    organizer = _person(school, f"s-{d.ORGANIZER[0]}", PersonKind.STAFF, *d.ORGANIZER[1:])
    organizer.is_organizer = True
    students: list[Person] = []
    for i, given in enumerate(d.GIVEN[: STUDENTS_PER_CLASS * len(d.CLASSES)]):
        family = d.FAMILY[(i * 7) % len(d.FAMILY)]
        students.append(_person(school, f"l-{i + 1:03d}", PersonKind.STUDENT, given, family))
    session.add_all([*teachers.values(), organizer, *students])

    def group(title: str, kind: GroupKind, subject: str | None, grade: str) -> Group:
        g = Group(
            school_id=school.id,
            roster_id=f"demo-g-{title}",
            title=title,
            kind=kind,
            subject=subject,
            grade=grade,
        )
        session.add(g)
        return g

    classes = {c: group(c, GroupKind.CLASS, None, c[0]) for c in d.CLASSES}
    members: dict[str, list[Person]] = {
        c: students[n * STUDENTS_PER_CLASS : (n + 1) * STUDENTS_PER_CLASS]
        for n, c in enumerate(d.CLASSES)
    }
    # (group, teacher key, students)
    teaching: list[tuple[Group, str, list[Person]]] = []
    subject_name = dict(d.SUBJECTS)
    for c in d.CLASSES:
        for code, subject in d.SUBJECTS:
            if code in ("fa", "du") and c.startswith("3"):
                continue  # third year: Frans and Duits are clusters across 3A and 3B
            studs = members[c]
            if code in ("fa", "du"):
                studs = [s for j, s in enumerate(studs) if (j % 2 == 0) == (code == "fa")]
            teaching.append(
                (
                    group(f"{c} {code}", GroupKind.TEACHING, subject, c[0]),
                    d.SUBJECT_TEACHER[code],
                    studs,
                )
            )
    third = members["3A"] + members["3B"]
    for code in ("fa", "du"):
        studs = [s for j, s in enumerate(third) if (j % 2 == 0) == (code == "fa")]
        teaching.append(
            (
                group(f"3AB {code}", GroupKind.TEACHING, subject_name[code], "3"),
                d.SUBJECT_TEACHER[code],
                studs,
            )
        )
    session.flush()

    for c, studs in members.items():
        mentor = teachers[d.CLASS_MENTOR[c]]
        for s in studs:
            session.add(Enrolment(group_id=classes[c].id, student_id=s.id))
            session.add(Mentorship(mentor_id=mentor.id, student_id=s.id))
    for g, tkey, studs in teaching:
        session.add(TeachingAssignment(group_id=g.id, teacher_id=teachers[tkey].id))
        session.add_all(Enrolment(group_id=g.id, student_id=s.id) for s in studs)
    session.flush()

    entries = [(s, g, teachers[t]) for g, t, studs in teaching for s in studs]
    mentor = teachers[d.CLASS_MENTOR["3A"]]
    _closed_round(session, school, organizer, classes, entries, rng, now, mentor, members["3A"])
    _open_round(session, school, organizer, classes, entries, rng, now)
    session.flush()
    return school


def _pick(rng: random.Random) -> tuple[Light, str | None, str | None]:
    lights, weights = zip(*d.LIGHT_WEIGHTS, strict=True)
    light = rng.choices(lights, weights=weights)[0]
    remark, action = rng.choice(d.SAMPLES[light])
    return light, remark, action


def _feedback(
    rnd: Round, s: Person, g: Group, t: Person, rng: random.Random, at: datetime
) -> Feedback:
    light, remark, action = _pick(rng)
    return Feedback(
        round_id=rnd.id,
        student_id=s.id,
        group_id=g.id,
        teacher_id=t.id,
        subject=g.subject or "",
        light=light,
        remark=remark,
        action=action,
        version=1,
        created_at=at,
        updated_at=at,
    )


def _closed_round(
    session: Session,
    school: School,
    organizer: Person,
    classes: dict[str, Group],
    entries: list[tuple[Person, Group, Person]],
    rng: random.Random,
    now: datetime,
    mentor: Person,
    mentees: list[Person],
) -> None:
    rnd = Round(
        school_id=school.id,
        name="Leerlingbespreking periode 1",
        deadline=now - timedelta(days=56),
        organizer_id=organizer.id,
        state=RoundState.CLOSED,
        created_at=now - timedelta(days=72),
        opened_at=now - timedelta(days=70),
        closed_at=now - timedelta(days=55),
    )
    session.add(rnd)
    session.flush()
    session.add_all(RoundGroup(round_id=rnd.id, group_id=g.id) for g in classes.values())
    at = now - timedelta(days=60)
    session.add_all(_feedback(rnd, s, g, t, rng, at) for s, g, t in entries)
    for n, sid in enumerate(sorted(s.id for s in mentees)):
        session.add(
            Share(
                round_id=rnd.id,
                student_id=sid,
                mentor_id=mentor.id,
                shared_at=now - timedelta(days=50),
            )
        )
        if n % 3 == 0:
            session.add(
                MentorNote(
                    round_id=rnd.id,
                    student_id=sid,
                    mentor_id=mentor.id,
                    text=d.MENTOR_NOTE,
                    updated_at=now - timedelta(days=51),
                )
            )


def _open_round(
    session: Session,
    school: School,
    organizer: Person,
    classes: dict[str, Group],
    entries: list[tuple[Person, Group, Person]],
    rng: random.Random,
    now: datetime,
) -> None:
    rnd = create_round(
        session,
        school_id=school.id,
        actor_id=organizer.id,
        name="Leerlingbespreking periode 2",
        group_ids=[g.id for g in classes.values()],
        deadline=now + timedelta(days=7),
        now=now - timedelta(days=2),
        open_now=True,
    )
    # Some teachers are well on their way, some have not started; the demo teacher has
    # done a few students of 3A so the dialog shows progress and work left.
    share_done = {"smit": 1.0, "elamrani": 0.7, "vandenberg": 0.4, "degroot": 0.25}
    done_by_teacher: dict[int, int] = {}
    totals: dict[int, int] = {}
    for _s, _g, t in entries:
        totals[t.id] = totals.get(t.id, 0) + 1
    for s, g, t in entries:
        key = t.roster_id.removeprefix("demo-t-")
        n = done_by_teacher.get(t.id, 0)
        total = totals[t.id]
        demo_teacher_start = key == "visser" and g.title == "3A wi" and n < 4
        if n < total * share_done.get(key, 0.0) or demo_teacher_start:
            session.add(_feedback(rnd, s, g, t, rng, now - timedelta(days=1)))
            done_by_teacher[t.id] = n + 1
