"""A small school built straight from the models, for mentoring, plan and privacy tests.

Class 3A with two teaching groups (wiskunde by Wim, engels by Els), mentor Mia (who also
teaches nothing), three students, an earlier closed round with feedback, and a current round
in the state the test asks for. A second school holds one student and one mentor, to check
that nothing crosses schools.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from storage.models import (
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

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Ids:
    school: int
    other_school: int
    organizer: int
    wim: int  # teaches wiskunde
    els: int  # teaches engels
    mia: int  # mentor of anna, bram, cor
    anna: int
    bram: int
    cor: int
    klas: int
    wiskunde: int
    engels: int
    previous_round: int
    round: int
    other_student: int
    other_mentor: int
    other_round: int


def _person(s: Session, school: School, rid: str, kind: PersonKind, name: str, **kw: Any) -> Person:
    p = Person(
        school_id=school.id,
        roster_id=rid,
        kind=kind,
        display_name=name,
        given_name=name,
        email=f"{rid}@{school.name.lower()}.example",
        **kw,
    )
    s.add(p)
    return p


def feedback(
    s: Session,
    rnd: int,
    student: int,
    group: int,
    teacher: int,
    subject: str,
    light: Light,
    remark: str | None = None,
    action: str | None = None,
) -> None:
    s.add(
        Feedback(
            round_id=rnd,
            student_id=student,
            group_id=group,
            teacher_id=teacher,
            subject=subject,
            light=light,
            remark=remark,
            action=action,
            created_at=NOW,
            updated_at=NOW,
        )
    )


def build(
    s: Session, *, state: RoundState = RoundState.OPEN, settings: dict[str, Any] | None = None
) -> Ids:
    a = School(name="Alfa", settings=settings or {})
    b = School(name="Beta")
    s.add_all([a, b])
    s.flush()
    org = _person(s, a, "org", PersonKind.STAFF, "Olga", is_organizer=True)
    wim = _person(s, a, "wim", PersonKind.TEACHER, "Wim")
    els = _person(s, a, "els", PersonKind.TEACHER, "Els")
    mia = _person(s, a, "mia", PersonKind.TEACHER, "Mia")
    anna = _person(s, a, "anna", PersonKind.STUDENT, "Anna")
    bram = _person(s, a, "bram", PersonKind.STUDENT, "Bram")
    cor = _person(s, a, "cor", PersonKind.STUDENT, "Cor")
    ob = _person(s, b, "anna", PersonKind.STUDENT, "Anna B")
    om = _person(s, b, "mentor", PersonKind.TEACHER, "Mentor B")
    klas = Group(school_id=a.id, roster_id="3a", title="3A", kind=GroupKind.CLASS)
    wi = Group(
        school_id=a.id,
        roster_id="3a-wi",
        title="3A wiskunde",
        kind=GroupKind.TEACHING,
        subject="wiskunde",
    )
    en = Group(
        school_id=a.id,
        roster_id="3a-en",
        title="3A engels",
        kind=GroupKind.TEACHING,
        subject="engels",
    )
    bk = Group(school_id=b.id, roster_id="1b", title="1B", kind=GroupKind.CLASS)
    s.add_all([klas, wi, en, bk])
    s.flush()
    for st in (anna, bram, cor):
        for g in (klas, wi, en):
            s.add(Enrolment(group_id=g.id, student_id=st.id))
        s.add(Mentorship(mentor_id=mia.id, student_id=st.id))
    s.add_all(
        [Enrolment(group_id=bk.id, student_id=ob.id), Mentorship(mentor_id=om.id, student_id=ob.id)]
    )
    s.add_all(
        [
            TeachingAssignment(group_id=wi.id, teacher_id=wim.id),
            TeachingAssignment(group_id=en.id, teacher_id=els.id),
        ]
    )
    prev = Round(
        school_id=a.id,
        name="Periode 1",
        deadline=NOW - timedelta(days=100),
        organizer_id=org.id,
        state=RoundState.CLOSED,
        closed_at=NOW - timedelta(days=99),
    )
    cur = Round(
        school_id=a.id,
        name="Periode 2",
        deadline=NOW + timedelta(days=7),
        organizer_id=org.id,
        state=state,
        closed_at=NOW - timedelta(hours=1) if state is RoundState.CLOSED else None,
    )
    other = Round(school_id=b.id, name="B1", deadline=NOW, state=RoundState.CLOSED, closed_at=NOW)
    s.add_all([prev, cur, other])
    s.flush()
    for r in (prev, cur):
        s.add(RoundGroup(round_id=r.id, group_id=klas.id))
    s.add(RoundGroup(round_id=other.id, group_id=bk.id))
    # History: everyone fine last time; Cor "Let op" in engels.
    for st in (anna, bram, cor):
        feedback(s, prev.id, st.id, wi.id, wim.id, "wiskunde", Light.GA_ZO_DOOR, "Vorige keer wi")
        feedback(
            s,
            prev.id,
            st.id,
            en.id,
            els.id,
            "engels",
            Light.LET_OP if st is cor else Light.GA_ZO_DOOR,
            "Vorige keer en",
        )
    # Current: Bram has a Pas op, Anna two Let op, Cor is worse than before in wiskunde.
    feedback(
        s,
        cur.id,
        anna.id,
        wi.id,
        wim.id,
        "wiskunde",
        Light.LET_OP,
        "Ik zie dat je formules mist",
        "Oefen",
    )
    feedback(
        s,
        cur.id,
        anna.id,
        en.id,
        els.id,
        "engels",
        Light.LET_OP,
        "Ik merk dat je woorden vergeet",
        "Leer",
    )
    feedback(
        s,
        cur.id,
        bram.id,
        wi.id,
        wim.id,
        "wiskunde",
        Light.PAS_OP,
        "Ik maak me zorgen",
        "Kom langs",
    )
    feedback(s, cur.id, cor.id, wi.id, wim.id, "wiskunde", Light.LET_OP, "Je mist huiswerk", "Plan")
    s.flush()
    return Ids(
        school=a.id,
        other_school=b.id,
        organizer=org.id,
        wim=wim.id,
        els=els.id,
        mia=mia.id,
        anna=anna.id,
        bram=bram.id,
        cor=cor.id,
        klas=klas.id,
        wiskunde=wi.id,
        engels=en.id,
        previous_round=prev.id,
        round=cur.id,
        other_student=ob.id,
        other_mentor=om.id,
        other_round=other.id,
    )


def set_state(s: Session, round_id: int, state: RoundState) -> None:
    rnd = s.get(Round, round_id)
    assert rnd is not None
    rnd.state = state
    if state is RoundState.CLOSED:
        rnd.closed_at = NOW
    s.flush()
