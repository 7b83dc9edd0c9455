"""The mentor's overview of a round: each mentee's lights, most worrying students first.

``concern`` is the single definition of "needs attention first"; the mentor's overview card,
the digest at close and any later view sort with it. Summaries for one mentor or for every
mentor of a round take the same five statements, whatever the school's size.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Select, cast, func, select
from sqlalchemy.orm import Session

from storage import audit
from storage.mentoring.case import load_round
from storage.models import (
    Enrolment,
    Feedback,
    Group,
    Light,
    Mentorship,
    Person,
    Round,
    RoundGroup,
    RoundState,
)
from storage.names import person_sort_key
from storage.permissions import Action, Facts, require

REMARKS_PER_MENTEE = 2
REMARK_LENGTH = 140
# The mean light must rise by at least this much to count as "worse than last time".
MEAN_WORSE_BY = 0.5


class Concern(enum.IntEnum):
    """How much a mentee needs attention; higher sorts first."""

    NONE = 0
    WORSE_THAN_BEFORE = 1
    TWO_LET_OP = 2
    PAS_OP = 3


@dataclass(frozen=True)
class Previous:
    """The student's lights in their most recent earlier closed round."""

    round_id: int
    worst: Light
    mean: float


@dataclass(frozen=True)
class Remark:
    subject: str
    light: Light
    text: str


@dataclass(frozen=True)
class MenteeSummary:
    student_id: int
    name: str
    class_title: str | None
    counts: Mapping[Light, int]
    concern: Concern
    worse_than_previous: bool
    previous: Previous | None = None
    remarks: tuple[Remark, ...] = field(default=())
    sort_name: tuple[str, str] = ("", "")  # storage.names: family without particles, given

    @property
    def given(self) -> int:
        return sum(self.counts.values())


def is_worse(counts: Mapping[Light, int], previous: Previous | None) -> bool:
    total = sum(counts.values())
    if previous is None or total == 0:
        return False
    worst = max(light for light, n in counts.items() if n)
    mean = sum(int(light) * n for light, n in counts.items()) / total
    return worst > previous.worst or mean >= previous.mean + MEAN_WORSE_BY


def concern(counts: Mapping[Light, int], previous: Previous | None) -> Concern:
    """Any "Pas op", then two or more "Let op", then worse than the previous round."""
    if counts.get(Light.PAS_OP, 0) > 0:
        return Concern.PAS_OP
    if counts.get(Light.LET_OP, 0) >= 2:
        return Concern.TWO_LET_OP
    if is_worse(counts, previous):
        return Concern.WORSE_THAN_BEFORE
    return Concern.NONE


def sort_key(s: MenteeSummary) -> tuple[int, int, str, str, int]:
    """Most concern first; within a concern, who also did worse than last time first."""
    return (-int(s.concern), -int(s.worse_than_previous), *s.sort_name, s.student_id)


def _truncate(text: str, limit: int = REMARK_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _mentees(round_id: int, mentor_id: int | None) -> Select[int, int, str, str, str, str]:
    stmt = (
        select(
            Mentorship.mentor_id,
            Person.id,
            Person.display_name,
            Group.title,
            Person.family_name,
            Person.given_name,
        )
        .join(Person, Person.id == Mentorship.student_id)
        .join(Enrolment, (Enrolment.student_id == Person.id) & Enrolment.active.is_(True))
        .join(RoundGroup, RoundGroup.group_id == Enrolment.group_id)
        .join(Group, Group.id == RoundGroup.group_id)
        .where(
            RoundGroup.round_id == round_id,
            Mentorship.active.is_(True),
            Group.active.is_(True),
            Person.active.is_(True),
        )
    )
    if mentor_id is not None:
        stmt = stmt.where(Mentorship.mentor_id == mentor_id)
    return stmt


@dataclass(frozen=True)
class RoundLights:
    """What one read of a round's mentees gives: every mentor's sorted summaries, and per
    student the worst light per subject now and in the latest earlier round with that subject
    (keys: ``subject_key``); ``subjects`` maps each key to the subject's name as written."""

    by_mentor: dict[int, list[MenteeSummary]]
    lights: dict[int, dict[str, Light]]
    previous: dict[int, dict[str, Light]]
    subjects: dict[str, str]


def subject_key(subject: str) -> str:
    """One subject however its groups spell it ("Wiskunde", "wiskunde ")."""
    return " ".join(subject.split()).casefold()


def _summaries(
    session: Session, rnd: Round, mentor_id: int | None
) -> dict[int, list[MenteeSummary]]:
    return round_lights(session, rnd, mentor_id).by_mentor


def mentees_of(round_id: int, mentor_id: int | None) -> Any:
    """The students a round's mentee reads cover: one mentor's mentees in the round, or (no
    mentor) every student with feedback in the round (a plain filter on the round is cheaper
    than IN (...))."""
    if mentor_id is not None:
        return _mentees(round_id, mentor_id).with_only_columns(Person.id).scalar_subquery()
    return select(Feedback.student_id).where(Feedback.round_id == round_id).distinct()


def round_lights(session: Session, rnd: Round, mentor_id: int | None) -> RoundLights:
    """The mentees of one mentor (or of all mentors) in the round, in four statements."""
    rows = session.execute(_mentees(rnd.id, mentor_id)).all()
    students: dict[int, tuple[str, str, tuple[str, str]]] = {}
    by_mentor: dict[int, set[int]] = defaultdict(set)
    for m_id, s_id, name, title, family, given in rows:
        if s_id not in students or title < students[s_id][1]:
            students[s_id] = (name, title, person_sort_key(family, given, s_id)[:2])
        by_mentor[m_id].add(s_id)
    if not students:
        return RoundLights({}, {}, {}, {})
    mentees = mentees_of(rnd.id, mentor_id)
    counts: dict[int, dict[Light, int]] = defaultdict(lambda: dict.fromkeys(Light, 0))
    lights: dict[int, dict[str, Light]] = defaultdict(dict)
    subjects: dict[str, str] = {}
    light = cast(Feedback.light, Integer)
    in_round: tuple[Any, ...] = (Feedback.round_id == rnd.id,)
    if mentor_id is not None:
        in_round += (Feedback.student_id.in_(mentees),)
    for s_id, subject, value, n in session.execute(
        select(Feedback.student_id, Feedback.subject, light, func.count())
        .where(*in_round)
        .group_by(Feedback.student_id, Feedback.subject, light)
    ):
        counts[s_id][Light(value)] += n
        key = subject_key(subject)
        subjects.setdefault(key, subject)
        if key not in lights[s_id] or Light(value) > lights[s_id][key]:
            lights[s_id][key] = Light(value)
    remarks: dict[int, list[Remark]] = defaultdict(list)
    for s_id, value, subject, text in session.execute(_top_remarks(in_round)):
        remarks[s_id].append(Remark(subject=subject, light=Light(value), text=_truncate(text)))
    previous, per_subject = _previous(session, rnd, mentees)
    result: dict[int, list[MenteeSummary]] = {}
    for m_id, ids in by_mentor.items():
        items = [
            _summary(s_id, students[s_id], counts[s_id], previous.get(s_id), remarks[s_id])
            for s_id in ids
        ]
        result[m_id] = sorted(items, key=sort_key)
    return RoundLights(result, dict(lights), per_subject, subjects)


def _top_remarks(in_round: tuple[Any, ...]) -> Select[int, int, str, str]:
    """Per student the remarks (else actions) of their worst lights, at most a few each."""
    text = func.coalesce(func.nullif(func.trim(Feedback.remark), ""), func.trim(Feedback.action))
    light = cast(Feedback.light, Integer)
    ranked = (
        select(
            Feedback.student_id.label("student_id"),
            light.label("light"),
            Feedback.subject.label("subject"),
            text.label("text"),
            func.row_number()
            .over(partition_by=Feedback.student_id, order_by=(light.desc(), Feedback.subject))
            .label("rank"),
        )
        .where(*in_round, func.coalesce(text, "") != "")
        .subquery()
    )
    return select(ranked.c.student_id, ranked.c.light, ranked.c.subject, ranked.c.text).where(
        ranked.c.rank <= REMARKS_PER_MENTEE
    )


def _summary(
    s_id: int,
    who: tuple[str, str, tuple[str, str]],
    counts: dict[Light, int],
    prev: Previous | None,
    remarks: list[Remark],
) -> MenteeSummary:
    top = sorted(remarks, key=lambda r: (-int(r.light), r.subject.casefold()))
    return MenteeSummary(
        student_id=s_id,
        name=who[0],
        class_title=who[1],
        counts=dict(counts),
        concern=concern(counts, prev),
        worse_than_previous=is_worse(counts, prev),
        previous=prev,
        remarks=tuple(top[:REMARKS_PER_MENTEE]),
        sort_name=who[2],
    )


def _previous(
    session: Session, rnd: Round, student_ids: object
) -> tuple[dict[int, Previous], dict[int, dict[str, Light]]]:
    """Per student, worst and mean light of their latest closed round before this one; and per
    student and subject the worst light of the latest earlier closed round with that subject."""
    light = cast(Feedback.light, Integer)
    rows = session.execute(
        select(
            Feedback.student_id,
            Round.id,
            Round.deadline,
            Feedback.subject,
            func.max(light),
            func.sum(light),
            func.count(),
        )
        .join(Round, Round.id == Feedback.round_id)
        .where(
            Round.school_id == rnd.school_id,
            Round.state == RoundState.CLOSED,
            Round.id != rnd.id,
            Round.deadline < rnd.deadline,
            Feedback.student_id.in_(student_ids),  # type: ignore[arg-type]
        )
        .group_by(Feedback.student_id, Round.id, Round.deadline, Feedback.subject)
    ).all()
    rounds: dict[tuple[int, int], list[Any]] = {}  # (student, round) -> [deadline, worst, sum, n]
    subject_at: dict[tuple[int, str], tuple[datetime, int, Light]] = {}
    for s_id, r_id, deadline, subject, worst, total, n in rows:
        acc = rounds.setdefault((s_id, r_id), [deadline, 0, 0, 0])
        acc[1], acc[2], acc[3] = max(acc[1], int(worst)), acc[2] + int(total), acc[3] + int(n)
        key = (s_id, subject_key(subject))
        seen = subject_at.get(key)
        candidate = (deadline, r_id, Light(worst))
        if seen is None or candidate > seen:  # the latest round; in it the worst light
            subject_at[key] = candidate
    latest: dict[int, tuple[datetime, int, Previous]] = {}
    for (s_id, r_id), (deadline, worst, total, n) in rounds.items():
        if s_id not in latest or (deadline, r_id) > latest[s_id][:2]:
            prev = Previous(round_id=r_id, worst=Light(worst), mean=total / n)
            latest[s_id] = (deadline, r_id, prev)
    per_subject: dict[int, dict[str, Light]] = defaultdict(dict)
    for (s_id, subject), (_d, _r, worst_light) in subject_at.items():
        per_subject[s_id][subject] = worst_light
    return {s_id: p for s_id, (_, _, p) in latest.items()}, dict(per_subject)


def mentor_facts(session: Session, rnd: Round, mentor_id: int) -> Facts:
    """The facts ``decide`` needs for a mentor reading their mentees in ``rnd``."""
    mentor = session.get(Person, mentor_id)
    return Facts(
        same_school=mentor is not None and mentor.school_id == rnd.school_id,
        actor_active=mentor is not None and mentor.active,
        is_mentor=True,
        round_state=rnd.state,
    )


def mentor_overview(
    session: Session, *, mentor_id: int, round_id: int, channel: str = "cli"
) -> list[MenteeSummary]:
    """Each of the mentor's students in the round, most concern first, then by name.

    The mentor reads their mentees' lights: allowed by ``decide`` for a mentor of the same
    school who is active; the read is audited as one row with the number of mentees.
    """
    rnd = load_round(session, round_id)
    facts = mentor_facts(session, rnd, mentor_id)
    require(Action.READ_FEEDBACK, facts)
    items = _summaries(session, rnd, mentor_id).get(mentor_id, [])
    if items:
        audit.record(
            session,
            school_id=rnd.school_id,
            actor_id=mentor_id,
            operation="read",
            entity="mentor_overview",
            round_id=rnd.id,
            count=len(items),
            channel=channel,
        )
    return items


def mentee_summaries_for_round(
    session: Session, *, round_id: int
) -> dict[int, list[MenteeSummary]]:
    """Every mentor's sorted mentee summaries for the round (mentor id → summaries).

    For the digest at close: a system read in five statements; whoever delivers a digest to a
    mentor records that read (see ``record_digest_reads``).
    """
    return _summaries(session, load_round(session, round_id), None)


def record_digest_reads(
    session: Session,
    *,
    school_id: int,
    round_id: int,
    digests: Iterable[tuple[int, int]],
    channel: str,
) -> None:
    """Audit that each (mentor id, number of mentees) digest was shown to its mentor."""
    for mentor_id, count in digests:
        audit.record(
            session,
            school_id=school_id,
            actor_id=mentor_id,
            operation="read",
            entity="mentor_digest",
            round_id=round_id,
            count=count,
            channel=channel,
        )
