"""The queries behind a teacher's walk through their students, sized for one chat turn.

A round covers classes; a teacher owes one entry per (student of those classes, teaching group
the student is in that the teacher teaches). The walk goes through one teaching group at a time.
Each function issues a fixed number of statements whatever the school's size, so a turn's cost
does not grow with the school. Writes ask ``permissions.require``; reads of feedback written by
others ask ``permissions.decide`` per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, distinct, exists, func, select
from sqlalchemy.orm import Session, aliased

from storage import audit
from storage.cohort import expected_entries, feedback_join
from storage.errors import MandatoryFieldMissing, NotFound, TextTooLong
from storage.models import (
    Enrolment,
    Feedback,
    Group,
    Light,
    Person,
    Round,
    RoundGroup,
    RoundState,
    TeachingAssignment,
)
from storage.permissions import Action, Facts, decide, require
from storage.school_settings import SchoolSettings


@dataclass(frozen=True)
class WalkGroup:
    round_id: int
    round_name: str
    deadline: datetime
    group_id: int
    group_title: str
    subject: str
    total: int
    done: int


@dataclass(frozen=True)
class WalkStudent:
    student_id: int
    name: str
    class_title: str


@dataclass(frozen=True)
class Entry:
    """One piece of feedback as shown in a chat: round, subject, teacher, light and texts."""

    round_id: int
    round_name: str
    subject: str
    teacher_name: str
    light: Light
    remark: str | None
    action: str | None


_cls = aliased(Enrolment)  # the student's class enrolment (the round covers classes)
_tg = aliased(Enrolment)  # the student's enrolment in the teaching group


def walk_groups(
    session: Session,
    *,
    teacher_id: int,
    school_id: int,
    states: tuple[RoundState, ...] = (RoundState.OPEN,),
) -> list[WalkGroup]:
    """The teacher's (round, teaching group) pairs in rounds of ``states``, with progress:
    one statement for the rounds, one per round for its groups."""
    rounds = session.execute(
        select(Round.id, Round.name, Round.deadline)
        .where(Round.school_id == school_id, Round.state.in_(states))
        .order_by(Round.deadline.desc(), Round.id.desc())
    ).all()
    out: list[WalkGroup] = []
    for round_id, round_name, deadline in rounds:
        e = expected_entries(round_id, teacher_id=teacher_id).subquery()
        rows = session.execute(
            select(
                e.c.group_id,
                e.c.group_title,
                e.c.subject,
                func.count(distinct(e.c.student_id)),
                func.count(Feedback.id),
            )
            .select_from(e)
            .outerjoin(Feedback, feedback_join(round_id, e))
            .group_by(e.c.group_id, e.c.group_title, e.c.subject)
            .order_by(e.c.group_title)
        ).all()
        out += [
            WalkGroup(
                round_id, round_name, deadline, r[0], r[1], r[2] or r[1], int(r[3]), int(r[4])
            )
            for r in rows
        ]
    return out


def walk_students(
    session: Session, *, round_id: int, teacher_id: int, group_id: int
) -> list[WalkStudent]:
    """The students the teacher owes feedback in one group of a round, in name order, with the
    class through which the round covers them."""
    e = expected_entries(round_id, teacher_id=teacher_id, group_id=group_id).subquery()
    cg = aliased(Group)
    rows = session.execute(
        select(Person.id, Person.display_name, func.min(cg.title))
        .select_from(e)
        .join(Person, Person.id == e.c.student_id)
        .join(_cls, and_(_cls.student_id == e.c.student_id, _cls.active.is_(True)))
        .join(
            RoundGroup,
            and_(RoundGroup.group_id == _cls.group_id, RoundGroup.round_id == round_id),
        )
        .join(cg, cg.id == _cls.group_id)
        .group_by(Person.id, Person.display_name, Person.family_name, Person.given_name)
        .order_by(func.lower(Person.family_name), func.lower(Person.given_name), Person.id)
    ).all()
    return [WalkStudent(r[0], r[1], r[2]) for r in rows]


def own_entries(
    session: Session, *, round_id: int, teacher_id: int, group_id: int
) -> dict[int, Feedback]:
    """The teacher's own feedback in one group of a round, by student id (one statement)."""
    rows = session.scalars(
        select(Feedback).where(
            Feedback.round_id == round_id,
            Feedback.teacher_id == teacher_id,
            Feedback.group_id == group_id,
        )
    ).all()
    return {f.student_id: f for f in rows}


def subject_history(
    session: Session,
    *,
    viewer_id: int,
    student_id: int,
    subject: str,
    exclude_round_id: int | None = None,
    limit: int = 3,
) -> list[Entry]:
    """The student's feedback for ``subject`` in earlier rounds, newest first, as the viewer
    (who teaches the student) may see it."""
    query = (
        select(Feedback, Round.name, Round.state, Person.display_name)
        .join(Round, Round.id == Feedback.round_id)
        .join(Person, Person.id == Feedback.teacher_id)
        .where(Feedback.student_id == student_id, Feedback.subject == subject)
        .order_by(Round.deadline.desc(), Round.id.desc())
        .limit(limit)
    )
    if exclude_round_id is not None:
        query = query.where(Feedback.round_id != exclude_round_id)
    out: list[Entry] = []
    for fb, round_name, state, teacher_name in session.execute(query).all():
        facts = Facts(is_author=fb.teacher_id == viewer_id, teaches_student=True, round_state=state)
        if decide(Action.READ_FEEDBACK, facts):
            out.append(_entry(fb, round_name, teacher_name))
    return out


def _entry(fb: Feedback, round_name: str, teacher_name: str) -> Entry:
    return Entry(fb.round_id, round_name, fb.subject, teacher_name, fb.light, fb.remark, fb.action)


def _writable_group(
    session: Session, *, teacher: Person, round_id: int, group_id: int, student_id: int | None
) -> tuple[Round, tuple[str, str] | None]:
    """The round, and (subject, group title) when the teacher owes feedback in this group
    (for this student, when given) in the round; None when not."""
    rnd = session.get(Round, round_id)
    if rnd is None or rnd.school_id != teacher.school_id:
        raise NotFound("round not found")
    e = expected_entries(
        round_id, teacher_id=teacher.id, group_id=group_id, student_id=student_id
    ).subquery()
    row = session.execute(select(e.c.subject, e.c.group_title).limit(1)).first()
    return rnd, (None if row is None else (row[0], row[1]))


def _check_fields(
    settings: SchoolSettings, light: Light, remark: str | None, action: str | None
) -> None:
    for text in (remark, action):
        if text is not None and len(text) > settings.max_text_length:
            raise TextTooLong("text too long", length=len(text), max=settings.max_text_length)
    req = settings.requirement(light)
    missing = [
        name
        for name, needed, value in (("remark", req.remark, remark), ("action", req.action, action))
        if needed and not (value and value.strip())
    ]
    if missing:
        raise MandatoryFieldMissing("mandatory field missing", fields=missing)


def record(
    session: Session,
    *,
    teacher: Person,
    round_id: int,
    group_id: int,
    student_id: int,
    light: Light,
    remark: str | None,
    action: str | None,
    settings: SchoolSettings,
    now: datetime,
    channel: str,
) -> Feedback:
    """Create or revise the teacher's entry for one student (texts stored exactly as given)."""
    rnd, group = _writable_group(
        session, teacher=teacher, round_id=round_id, group_id=group_id, student_id=student_id
    )
    facts = Facts(
        actor_active=teacher.active, teaches_group=group is not None, round_state=rnd.state
    )
    require(Action.WRITE_FEEDBACK, facts)
    assert group is not None
    _check_fields(settings, light, remark, action)
    fb = session.scalars(
        select(Feedback).where(
            Feedback.round_id == round_id,
            Feedback.student_id == student_id,
            Feedback.group_id == group_id,
            Feedback.teacher_id == teacher.id,
        )
    ).first()
    if fb is None:
        fb = Feedback(
            round_id=round_id,
            student_id=student_id,
            group_id=group_id,
            teacher_id=teacher.id,
            subject=group[0] or group[1],
            version=1,
            created_at=now,
        )
        session.add(fb)
    else:
        fb.version = (fb.version or 0) + 1
    fb.light, fb.remark, fb.action, fb.updated_at = light, remark, action, now
    audit.record(
        session,
        school_id=teacher.school_id,
        actor_id=teacher.id,
        operation="write",
        entity="feedback",
        student_id=student_id,
        round_id=round_id,
        channel=channel,
        at=now,
    )
    session.flush()
    return fb


def bulk_fill(
    session: Session,
    *,
    teacher: Person,
    round_id: int,
    group_id: int,
    light: Light,
    settings: SchoolSettings,
    now: datetime,
    channel: str,
) -> list[WalkStudent]:
    """Give ``light`` to every student of the group without an entry yet; never overwrites.
    Returns the students it set."""
    rnd, group = _writable_group(
        session, teacher=teacher, round_id=round_id, group_id=group_id, student_id=None
    )
    require(
        Action.WRITE_FEEDBACK,
        Facts(actor_active=teacher.active, teaches_group=group is not None, round_state=rnd.state),
    )
    assert group is not None
    _check_fields(settings, light, None, None)
    students = walk_students(session, round_id=round_id, teacher_id=teacher.id, group_id=group_id)
    done = own_entries(session, round_id=round_id, teacher_id=teacher.id, group_id=group_id)
    todo = [s for s in students if s.student_id not in done]
    for s in todo:
        session.add(
            Feedback(
                round_id=round_id,
                student_id=s.student_id,
                group_id=group_id,
                teacher_id=teacher.id,
                subject=group[0] or group[1],
                light=light,
                version=1,
                created_at=now,
                updated_at=now,
            )
        )
    if todo:
        audit.record(
            session,
            school_id=teacher.school_id,
            actor_id=teacher.id,
            operation="write",
            entity="feedback",
            round_id=round_id,
            count=len(todo),
            channel=channel,
            at=now,
        )
    session.flush()
    return todo


def student_round_feedback(
    session: Session, *, viewer: Person, round_id: int, student_id: int, channel: str, now: datetime
) -> list[Entry]:
    """All feedback on one student in one round that the viewer (a teacher of the student) may
    read: their own, and colleagues' once the round is closed. Reads of others are audited."""
    teaches = session.scalar(
        select(
            exists().where(
                TeachingAssignment.teacher_id == viewer.id,
                TeachingAssignment.active.is_(True),
                _tg.group_id == TeachingAssignment.group_id,
                _tg.student_id == student_id,
            )
        )
    )
    rows = session.execute(
        select(Feedback, Round.name, Round.state, Round.school_id, Person.display_name)
        .join(Round, Round.id == Feedback.round_id)
        .join(Person, Person.id == Feedback.teacher_id)
        .where(Feedback.round_id == round_id, Feedback.student_id == student_id)
        .order_by(Feedback.subject, Person.display_name)
    ).all()
    out: list[Entry] = []
    others = 0
    for fb, round_name, state, school_id, teacher_name in rows:
        facts = Facts(
            same_school=school_id == viewer.school_id,
            actor_active=viewer.active,
            is_author=fb.teacher_id == viewer.id,
            teaches_student=bool(teaches),
            round_state=state,
        )
        if decide(Action.READ_FEEDBACK, facts):
            out.append(_entry(fb, round_name, teacher_name))
            others += fb.teacher_id != viewer.id
    if others:
        audit.record(
            session,
            school_id=viewer.school_id,
            actor_id=viewer.id,
            operation="read",
            entity="feedback",
            student_id=student_id,
            round_id=round_id,
            count=others,
            channel=channel,
            at=now,
        )
    return out
