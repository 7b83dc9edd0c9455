"""The mentor's class picture of a round: per mentee one row, a light per subject, and how far
the follow-through is (shared, read, plan started, plan submitted, agreements).

Built on the overview's read (``overview.round_lights``: summaries, the light per subject now and
last time) plus two statements: the round's expected entries of the mentees with their feedback
(which subjects a mentee has, and how far each subject teacher is) and the follow-through of
every mentee. One mentor's picture or every mentor's (the digest at close) takes the same number
of statements whatever the school's size.

The mentor reads their mentees' lights (``Action.READ_FEEDBACK``) and their follow-through
(``Action.READ_FOLLOW_THROUGH``); the read is audited as one row with the number of mentees.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from storage import audit
from storage.cohort import expected_entries, feedback_join
from storage.mentoring.case import load_round
from storage.mentoring.overview import (
    MenteeSummary,
    RoundLights,
    mentees_of,
    mentor_facts,
    round_lights,
    subject_key,
)
from storage.models import (
    ActionPlan,
    Agreement,
    Feedback,
    Light,
    Mentorship,
    Person,
    PlanState,
    Round,
    RoundState,
    Share,
)
from storage.names import person_sort_key
from storage.permissions import Action, require


class Stage(enum.IntEnum):
    """How far a mentee's follow-through is; each stage includes the ones before."""

    NOT_SHARED = 0
    SHARED = 1
    READ = 2
    PLAN_STARTED = 3
    PLAN_SUBMITTED = 4
    AGREEMENTS = 5

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class FollowThrough:
    shared_at: datetime | None = None
    read_at: datetime | None = None
    plan: PlanState | None = None
    agreements: bool = False

    @property
    def stage(self) -> Stage:
        if self.agreements:
            return Stage.AGREEMENTS
        if self.plan is PlanState.SUBMITTED:
            return Stage.PLAN_SUBMITTED
        if self.plan is PlanState.DRAFT:
            return Stage.PLAN_STARTED
        if self.read_at is not None:
            return Stage.READ
        return Stage.SHARED if self.shared_at is not None else Stage.NOT_SHARED

    @property
    def read(self) -> bool:
        return self.read_at is not None


@dataclass(frozen=True)
class Mark:
    """A mentee's light in one subject; ``light`` None: no light yet. ``worse``: a more
    worrying light than in the latest earlier round with this subject."""

    light: Light | None
    worse: bool = False


@dataclass(frozen=True)
class PictureRow:
    summary: MenteeSummary
    marks: Mapping[str, Mark]  # subject key -> mark; a subject missing: not in this subject
    follow: FollowThrough


@dataclass(frozen=True)
class TeacherProgress:
    """How far a subject teacher is with the mentor's mentees (open round)."""

    teacher_id: int
    name: str
    subjects: tuple[str, ...]
    done: int
    total: int


@dataclass(frozen=True)
class ClassPicture:
    round_id: int
    round_state: RoundState
    subjects: tuple[tuple[str, str], ...]  # (key, name), by name
    rows: tuple[PictureRow, ...]  # most concern first (``overview.sort_key``)
    teachers: tuple[TeacherProgress, ...]  # least done first, then by name


_teacher = aliased(Person)


def _expected(
    session: Session, round_id: int, mentees: object | None
) -> tuple[dict[int, set[str]], dict[str, str], dict[int, list[object]]]:
    """Per mentee the subjects they have in the round; per teacher [name, sort key, subjects,
    done, total] over those mentees."""
    e = expected_entries(round_id).subquery()
    stmt = (
        select(
            e.c.student_id,
            e.c.subject,
            e.c.teacher_id,
            _teacher.display_name,
            _teacher.family_name,
            _teacher.given_name,
            Feedback.id,
        )
        .select_from(e)
        .join(_teacher, _teacher.id == e.c.teacher_id)
        .outerjoin(Feedback, feedback_join(round_id, e))
    )
    if mentees is not None:  # one mentor's; else the whole round's (rows of mentees are used)
        stmt = stmt.where(e.c.student_id.in_(mentees))  # type: ignore[arg-type]
    rows = session.execute(stmt).all()
    has: dict[int, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    teachers: dict[int, list[object]] = {}
    for s_id, subject, t_id, t_name, family, given, fb_id in rows:
        key = subject_key(subject)
        has[s_id].add(key)
        names.setdefault(key, subject)
        line = teachers.setdefault(
            t_id, [t_name, person_sort_key(family, given, t_id), set(), 0, 0]
        )
        line[2].add(subject)  # type: ignore[attr-defined]
        line[3] = int(line[3]) + (fb_id is not None)  # type: ignore[call-overload]
        line[4] = int(line[4]) + 1  # type: ignore[call-overload]
    return has, names, teachers


def _follow(session: Session, round_id: int, mentees: object | None) -> dict[int, FollowThrough]:
    shares_q = select(Share.student_id, Share.shared_at, Share.read_at).where(
        Share.round_id == round_id
    )
    if mentees is not None:
        shares_q = shares_q.where(Share.student_id.in_(mentees))  # type: ignore[arg-type]
    shares = shares_q.subquery()
    plans = (
        select(ActionPlan.student_id, ActionPlan.state)
        .where(ActionPlan.round_id == round_id)
        .subquery()
    )
    agreed = select(Agreement.student_id).where(Agreement.round_id == round_id).subquery()
    rows = session.execute(
        select(
            shares.c.student_id,
            shares.c.shared_at,
            shares.c.read_at,
            plans.c.state,
            agreed.c.student_id,
        )
        .select_from(shares)
        .outerjoin(plans, plans.c.student_id == shares.c.student_id)
        .outerjoin(agreed, agreed.c.student_id == shares.c.student_id)
    ).all()
    return {
        s_id: FollowThrough(
            shared_at=shared_at,
            read_at=read_at,
            plan=PlanState(state) if state is not None else None,
            agreements=agreement is not None,
        )
        for s_id, shared_at, read_at, state, agreement in rows
    }


def _build(
    rnd: Round,
    summaries: list[MenteeSummary],
    lights: RoundLights,
    has: Mapping[int, set[str]],
    names: Mapping[str, str],
    follow: Mapping[int, FollowThrough],
    teachers: Mapping[int, list[object]],
) -> ClassPicture:
    keys: dict[str, str] = {}
    rows = []
    for s in summaries:
        now, before = lights.lights.get(s.student_id, {}), lights.previous.get(s.student_id, {})
        marks: dict[str, Mark] = {}
        for key in has.get(s.student_id, set()) | set(now):
            light = now.get(key)
            prev = before.get(key)
            worse = light is not None and prev is not None and light > prev
            marks[key] = Mark(light=light, worse=worse)
            keys[key] = names.get(key) or lights.subjects.get(key, key)
        rows.append(
            PictureRow(summary=s, marks=marks, follow=follow.get(s.student_id, FollowThrough()))
        )
    progress = [
        TeacherProgress(
            teacher_id=t_id,
            name=str(line[0]),
            subjects=tuple(sorted(line[2], key=str.casefold)),  # type: ignore[call-overload]
            done=int(line[3]),  # type: ignore[call-overload]
            total=int(line[4]),  # type: ignore[call-overload]
        )
        for t_id, line in sorted(teachers.items(), key=lambda kv: kv[1][1])  # type: ignore[arg-type, return-value]
    ]
    progress.sort(key=lambda p: p.done / p.total if p.total else 1.0)  # stable: names keep order
    return ClassPicture(
        round_id=rnd.id,
        round_state=rnd.state,
        subjects=tuple(sorted(keys.items(), key=lambda kv: kv[1].casefold())),
        rows=tuple(rows),
        teachers=tuple(progress),
    )


def class_picture(
    session: Session, *, mentor_id: int, round_id: int, channel: str = "cli"
) -> ClassPicture:
    """The mentor's class picture of the round (empty rows: no mentees in it)."""
    rnd = load_round(session, round_id)
    facts = mentor_facts(session, rnd, mentor_id)
    require(Action.READ_FEEDBACK, facts)
    require(Action.READ_FOLLOW_THROUGH, facts)
    lights = round_lights(session, rnd, mentor_id)
    summaries = lights.by_mentor.get(mentor_id, [])
    if not summaries:
        return ClassPicture(rnd.id, rnd.state, (), (), ())
    mentees = mentees_of(rnd.id, mentor_id)
    has, names, teachers = _expected(session, rnd.id, mentees)
    follow = _follow(session, rnd.id, mentees)
    audit.record(
        session,
        school_id=rnd.school_id,
        actor_id=mentor_id,
        operation="read",
        entity="class_picture",
        round_id=rnd.id,
        count=len(summaries),
        channel=channel,
    )
    return _build(rnd, summaries, lights, has, names, follow, teachers)


def class_pictures_for_round(session: Session, *, round_id: int) -> dict[int, ClassPicture]:
    """Every mentor's class picture of the round (mentor id -> picture), for the digests at
    close: a system read in a constant number of statements; whoever delivers a digest records
    the read (``overview.record_digest_reads``). Teacher progress is left out (the round is
    closed)."""
    rnd = load_round(session, round_id)
    lights = round_lights(session, rnd, None)
    if not lights.by_mentor:
        return {}
    mentored = (
        select(Mentorship.student_id)
        .where(Mentorship.active.is_(True))
        .distinct()
        .scalar_subquery()
    )
    has, names, _teachers = _expected(session, rnd.id, mentored)
    follow = _follow(session, rnd.id, mentored)
    return {
        m_id: _build(rnd, items, lights, has, names, follow, {})
        for m_id, items in lights.by_mentor.items()
    }
