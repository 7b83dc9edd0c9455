"""A small school built with plain inserts, for storage and CLI tests.

Layout (``tiny_school``):
- classes 2A (Anna, Bram, Cas) and 2B (Dewi, Eva), 3C (Fenna; not in the round);
- subject groups: ``2A wi`` (wiskunde, Wim) with 2A; ``2B wi`` (Wim) with 2B;
  cluster ``2-du`` (Duits, Dora) with Anna, Bram (2A) and Dewi (2B);
  ``2A ne`` (Nederlands, Dora) with 2A; ``3C wi`` (Wim) with Fenna;
- mentor Mia mentors 2A; organizer Olga; an inactive teacher Ivo on ``2A wi``.
So Wim expects 5 entries (3 in 2A wi, 2 in 2B wi), Dora 6 (3 in 2-du, 3 in 2A ne); total 11.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storage.models import (
    Enrolment,
    Group,
    GroupKind,
    Mentorship,
    Person,
    PersonKind,
    School,
    TeachingAssignment,
)


@dataclass
class Tiny:
    school_id: int
    people: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)


def person(session: Session, school_id: int, key: str, kind: PersonKind, **kw: object) -> Person:
    given = str(kw.pop("given_name", key.capitalize()))
    family = str(kw.pop("family_name", "Jansen"))
    p = Person(
        school_id=school_id,
        roster_id=f"r-{key}",
        kind=kind,
        given_name=given,
        family_name=family,
        display_name=f"{given} {family}",
        email=f"{key}@school.example",
        **kw,
    )
    session.add(p)
    return p


def tiny_school(session: Session, *, name: str = "Tiny", prefix: str = "") -> Tiny:
    school = School(name=name, roster_id=f"{prefix}school")
    session.add(school)
    session.flush()
    sid = school.id
    P = PersonKind
    people = {
        "anna": person(session, sid, f"{prefix}anna", P.STUDENT, family_name="Bakker"),
        "bram": person(session, sid, f"{prefix}bram", P.STUDENT, family_name="Aalders"),
        "cas": person(session, sid, f"{prefix}cas", P.STUDENT, family_name="Claes"),
        "dewi": person(session, sid, f"{prefix}dewi", P.STUDENT, family_name="Dijk"),
        "eva": person(session, sid, f"{prefix}eva", P.STUDENT, family_name="Ernst"),
        "fenna": person(session, sid, f"{prefix}fenna", P.STUDENT, family_name="Fris"),
        "wim": person(session, sid, f"{prefix}wim", P.TEACHER, family_name="Wiskerke"),
        "dora": person(session, sid, f"{prefix}dora", P.TEACHER, family_name="Duits"),
        "ivo": person(session, sid, f"{prefix}ivo", P.TEACHER, active=False),
        "mia": person(session, sid, f"{prefix}mia", P.TEACHER, family_name="Mentor"),
        "olga": person(session, sid, f"{prefix}olga", P.STAFF, is_organizer=True),
    }

    def group(key: str, kind: GroupKind, subject: str | None = None) -> Group:
        g = Group(school_id=sid, roster_id=f"g-{key}", title=key, kind=kind, subject=subject)
        session.add(g)
        return g

    groups = {
        "2A": group("2A", GroupKind.CLASS),
        "2B": group("2B", GroupKind.CLASS),
        "3C": group("3C", GroupKind.CLASS),
        "2A wi": group("2A wi", GroupKind.TEACHING, "wiskunde"),
        "2B wi": group("2B wi", GroupKind.TEACHING, "wiskunde"),
        "2-du": group("2-du", GroupKind.TEACHING, "Duits"),
        "2A ne": group("2A ne", GroupKind.TEACHING, "Nederlands"),
        "3C wi": group("3C wi", GroupKind.TEACHING, "wiskunde"),
    }
    session.flush()
    members = {
        "2A": ["anna", "bram", "cas"],
        "2B": ["dewi", "eva"],
        "3C": ["fenna"],
        "2A wi": ["anna", "bram", "cas"],
        "2B wi": ["dewi", "eva"],
        "2-du": ["anna", "bram", "dewi"],
        "2A ne": ["anna", "bram", "cas"],
        "3C wi": ["fenna"],
    }
    for g, names in members.items():
        for n in names:
            session.add(Enrolment(group_id=groups[g].id, student_id=people[n].id))
    teaching = {
        "2A wi": ["wim", "ivo"],
        "2B wi": ["wim"],
        "2-du": ["dora"],
        "2A ne": ["dora"],
        "3C wi": ["wim"],
    }
    for g, names in teaching.items():
        for n in names:
            session.add(TeachingAssignment(group_id=groups[g].id, teacher_id=people[n].id))
    for n in members["2A"]:
        session.add(Mentorship(mentor_id=people["mia"].id, student_id=people[n].id))
    session.flush()
    return Tiny(
        school_id=sid,
        people={k: p.id for k, p in people.items()},
        groups={k: g.id for k, g in groups.items()},
    )


def later(now: datetime, days: int = 7) -> datetime:
    return now + timedelta(days=days)
