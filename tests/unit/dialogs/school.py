"""A small school for dialog tests: one class, two subjects, a mentor, an organizer, a closed
earlier round with history and an open round. Built with plain inserts (fast)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import (
    AuditEntry,
    Enrolment,
    Feedback,
    Group,
    GroupKind,
    Light,
    Mentorship,
    Person,
    PersonKind,
    Round,
    RoundGroup,
    RoundState,
    School,
    TeachingAssignment,
)

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@dataclass
class SmallSchool:
    school_id: int = 0
    ids: dict[str, int] = field(default_factory=dict)
    students: list[int] = field(default_factory=list)


def _person(
    s: Session, school: School, key: str, kind: PersonKind, given: str, family: str, **kw: object
) -> Person:
    p = Person(
        school_id=school.id,
        roster_id=key,
        kind=kind,
        given_name=given,
        family_name=family,
        display_name=f"{given} {family}",
        email=f"{key}@school.example",
        **kw,
    )
    s.add(p)
    return p


def build(
    sf: sessionmaker[Session],
    *,
    students: int = 4,
    demo: bool = False,
    settings: dict | None = None,
    open_round: bool = True,
) -> SmallSchool:
    out = SmallSchool()
    with sf.begin() as s:
        school = School(
            name="Testschool",
            settings=settings or {},
            demo=demo,
            teams_tenant_id="tenant-1",
            slack_team_id="T1",
        )
        s.add(school)
        s.flush()
        out.school_id = school.id
        wis = _person(s, school, "t.wis", PersonKind.TEACHER, "Wim", "Wiskunde")
        eng = _person(s, school, "t.eng", PersonKind.TEACHER, "Els", "Engels")
        men = _person(s, school, "m.ent", PersonKind.TEACHER, "Mia", "Mentor")
        org = _person(s, school, "o.rg", PersonKind.STAFF, "Olaf", "Organisator", is_organizer=True)
        cls = Group(school_id=school.id, roster_id="3A", title="3A", kind=GroupKind.CLASS)
        g_wis = Group(
            school_id=school.id,
            roster_id="3A-wi",
            title="3A wiskunde",
            kind=GroupKind.TEACHING,
            subject="wiskunde",
        )
        g_eng = Group(
            school_id=school.id,
            roster_id="3A-en",
            title="3A engels",
            kind=GroupKind.TEACHING,
            subject="engels",
        )
        s.add_all([cls, g_wis, g_eng])
        s.flush()
        names = [
            "Anna Aalders",
            "Bram Bakker",
            "Cas de Clercq",
            "Dewi Dijkstra",
            "Eva Evers",
            "Finn Faber",
            "Gijs Groen",
            "Hana Hoek",
        ]
        studs = []
        for i in range(students):
            given, family = names[i % len(names)].split(" ", 1)
            if i >= len(names):
                family = f"{family}{i}"
            p = _person(s, school, f"s{i}", PersonKind.STUDENT, given, family)
            studs.append(p)
        s.flush()
        for p in studs:
            for g in (cls, g_wis, g_eng):
                s.add(Enrolment(group_id=g.id, student_id=p.id))
            s.add(Mentorship(mentor_id=men.id, student_id=p.id))
        s.add(TeachingAssignment(group_id=g_wis.id, teacher_id=wis.id))
        s.add(TeachingAssignment(group_id=g_eng.id, teacher_id=eng.id))
        old = Round(
            school_id=school.id,
            name="Periode 1",
            deadline=NOW - timedelta(days=60),
            state=RoundState.CLOSED,
            organizer_id=org.id,
            opened_at=NOW - timedelta(days=70),
            closed_at=NOW - timedelta(days=59),
        )
        s.add(old)
        s.flush()
        s.add(RoundGroup(round_id=old.id, group_id=cls.id))
        s.add(
            Feedback(
                round_id=old.id,
                student_id=studs[0].id,
                group_id=g_wis.id,
                teacher_id=wis.id,
                subject="wiskunde",
                light=Light.LET_OP,
                remark="Ik zie dat je je huiswerk vaak vergeet.",
                action="Laat mij elke les je agenda zien.",
                created_at=NOW - timedelta(days=61),
                updated_at=NOW - timedelta(days=61),
            )
        )
        out.ids.update(
            school=school.id,
            wis=wis.id,
            eng=eng.id,
            mentor=men.id,
            org=org.id,
            cls=cls.id,
            g_wis=g_wis.id,
            g_eng=g_eng.id,
            old=old.id,
        )
        if open_round:
            cur = Round(
                school_id=school.id,
                name="Periode 2",
                deadline=NOW + timedelta(days=7),
                state=RoundState.OPEN,
                organizer_id=org.id,
                opened_at=NOW - timedelta(days=1),
            )
            s.add(cur)
            s.flush()
            s.add(RoundGroup(round_id=cur.id, group_id=cls.id))
            out.ids["round"] = cur.id
        out.students = [p.id for p in studs]
    return out


def old_english_feedback(
    sf: sessionmaker[Session], school: SmallSchool, *, light: Light, remark: str
) -> None:
    """Els Engels' feedback on Anna in the closed earlier round."""
    with sf.begin() as s:
        s.add(
            Feedback(
                round_id=school.ids["old"],
                student_id=school.students[0],
                group_id=school.ids["g_eng"],
                teacher_id=school.ids["eng"],
                subject="engels",
                light=light,
                remark=remark,
                created_at=NOW - timedelta(days=61),
                updated_at=NOW - timedelta(days=61),
            )
        )


def close_current_round(sf: sessionmaker[Session], school: SmallSchool) -> None:
    with sf.begin() as s:
        rnd = s.get(Round, school.ids["round"])
        assert rnd is not None
        rnd.state, rnd.closed_at = RoundState.CLOSED, NOW


def audit_reads(sf: sessionmaker[Session], actor_id: int) -> list[AuditEntry]:
    """The audit log's reads by ``actor_id``."""
    with sf() as s:
        return list(
            s.scalars(
                select(AuditEntry).where(
                    AuditEntry.actor_id == actor_id, AuditEntry.operation == "read"
                )
            )
        )
