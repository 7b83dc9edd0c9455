"""The round lifecycle: create, open, extend, close; and what the organizer sees of it.

States go draft → open → closed, nothing else. Each operation asks the rule function
(``MANAGE_ROUND``: organizers only); ``actor_id=None`` is the system itself (the scheduler's
auto-close, the admin command line acting for the school). Notifications caused by a
transition are written to the outbox in the same transaction, keyed so that they exist once:
``round_opened`` to each teacher with expected entries when the round opens; at close
``mentor_digest`` to each mentor with mentees in the round and ``colleagues_visible`` to each
teacher. Reminders and deadline jobs belong to ``schedules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, aliased

from storage.cohort import expected_entries, student_in_round
from storage.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound, TextTooLong
from storage.models import (
    Group,
    Mentorship,
    Person,
    Round,
    RoundGroup,
    RoundState,
    School,
)
from storage.notifications import enqueue_many
from storage.permissions import Action, Facts, decide
from storage.rounds.locks import take_write_lock
from storage.rounds.status import RoundStatus, round_status
from storage.school_time import school_zone

ROUND_NAME_MAX: int = Round.__table__.c.name.type.length  # type: ignore[attr-defined]
EXPLANATION_MAX = 2000  # a few paragraphs: it travels in every invitation

__all__ = [
    "EXPLANATION_MAX",
    "ROUND_NAME_MAX",
    "RoundStatus",
    "close_round",
    "create_round",
    "extend_round",
    "open_round",
    "open_rounds",
    "round_status",
    "rounds_for_teacher",
]


def _require_manage(session: Session, *, school_id: int, actor_id: int | None) -> None:
    if actor_id is None:  # the system: scheduler jobs, the admin command line
        return
    actor = session.get(Person, actor_id)
    if actor is None:
        raise NotFound(f"person {actor_id} not found", what="person", ref=actor_id)
    decision = decide(
        Action.MANAGE_ROUND,
        Facts(
            same_school=actor.school_id == school_id,
            actor_active=actor.active,
            is_organizer=actor.is_organizer,
        ),
    )
    if not decision:
        raise NotAllowed(
            f"{actor.display_name} may not manage rounds ({decision.reason.value})",
            reason=decision.reason,
        )


def _check_deadline(deadline: datetime, now: datetime) -> None:
    if deadline.tzinfo is None:
        raise InvalidInput("deadline needs a time zone", field="deadline")
    if deadline <= now:
        raise InvalidInput(
            f"deadline {deadline.isoformat()} is not in the future", field="deadline"
        )


def _load(session: Session, round_id: int, *, lock: bool = False) -> Round:
    """The round; ``lock``: read it for a change of state, after the saves in progress and
    before the saves still to come (``storage.rounds.locks``)."""
    if lock:
        take_write_lock(session, round_id)
        rnd = session.get(Round, round_id, with_for_update=True, populate_existing=True)
    else:
        rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound(f"round {round_id} not found", what="round", ref=round_id)
    return rnd


def create_round(
    session: Session,
    *,
    school_id: int,
    actor_id: int | None,
    name: str,
    group_ids: Sequence[int],
    deadline: datetime,
    now: datetime,
    open_now: bool = False,
    explanation: str | None = None,
) -> Round:
    """A new round in draft (or opened at once) for ``group_ids`` of the school; the
    ``explanation`` (toelichting, optional) goes along with the invitations."""
    _require_manage(session, school_id=school_id, actor_id=actor_id)
    if not name or not name.strip():
        raise InvalidInput("round name is empty", field="name")
    if len(name.strip()) > ROUND_NAME_MAX:
        raise TextTooLong(
            f"round name is {len(name.strip())} characters, at most {ROUND_NAME_MAX} allowed",
            field="name",
            length=len(name.strip()),
            max=ROUND_NAME_MAX,
        )
    ids = sorted(set(group_ids))
    if not ids:
        raise InvalidInput("a round needs at least one group", field="groups")
    found = set(
        session.scalars(select(Group.id).where(Group.id.in_(ids), Group.school_id == school_id))
    )
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(
            f"unknown group id(s) for this school: {', '.join(map(str, missing))}",
            field="groups",
        )
    _check_deadline(deadline, now)
    explanation = (explanation or "").strip() or None
    if explanation is not None and len(explanation) > EXPLANATION_MAX:
        raise TextTooLong(
            f"explanation is {len(explanation)} characters, at most {EXPLANATION_MAX} allowed",
            field="explanation",
            length=len(explanation),
            max=EXPLANATION_MAX,
        )
    rnd = Round(
        school_id=school_id,
        name=name.strip(),
        explanation=explanation,
        deadline=deadline,
        organizer_id=actor_id,
        state=RoundState.DRAFT,
        created_at=now,
    )
    session.add(rnd)
    session.flush()
    session.add_all(RoundGroup(round_id=rnd.id, group_id=g) for g in ids)
    session.flush()
    if open_now:
        open_round(session, round_id=rnd.id, actor_id=actor_id, now=now)
    return rnd


def open_round(session: Session, *, round_id: int, actor_id: int | None, now: datetime) -> Round:
    """Draft → open; invites every teacher with expected entries (outbox)."""
    rnd = _load(session, round_id, lock=True)
    _require_manage(session, school_id=rnd.school_id, actor_id=actor_id)
    if rnd.state is not RoundState.DRAFT:
        raise InvalidTransition(
            f"round {rnd.id} is {rnd.state.value}; only a draft round can be opened",
            state=rnd.state.value,
        )
    if rnd.deadline <= now:
        raise InvalidTransition(
            f"round {rnd.id} deadline has passed; extend it before opening",
            state=rnd.state.value,
        )
    rnd.state = RoundState.OPEN
    rnd.opened_at = now
    session.flush()
    e = expected_entries(rnd.id).subquery()
    per_teacher = session.execute(
        select(e.c.teacher_id, func.count()).group_by(e.c.teacher_id)
    ).all()
    deadline_local = rnd.deadline.astimezone(_zone(session, rnd.school_id)).isoformat()
    enqueue_many(
        session,
        [
            dict(
                school_id=rnd.school_id,
                recipient_id=teacher_id,
                kind="round_opened",
                round_id=rnd.id,
                payload={
                    "round": rnd.name,
                    "deadline": deadline_local,
                    "total": total,
                    **({"explanation": rnd.explanation} if rnd.explanation else {}),
                },
            )
            for teacher_id, total in per_teacher
        ],
    )
    return rnd


def close_round(session: Session, *, round_id: int, actor_id: int | None, now: datetime) -> Round:
    """Open → closed; digests to mentors and "colleagues visible" to teachers (outbox)."""
    rnd = _load(session, round_id, lock=True)
    _require_manage(session, school_id=rnd.school_id, actor_id=actor_id)
    if rnd.state is not RoundState.OPEN:
        raise InvalidTransition(
            f"round {rnd.id} is {rnd.state.value}; only an open round can be closed",
            state=rnd.state.value,
        )
    rnd.state = RoundState.CLOSED
    rnd.closed_at = now
    session.flush()
    e = expected_entries(rnd.id).subquery()
    teachers = session.scalars(select(e.c.teacher_id).distinct()).all()
    mentor, student = aliased(Person), aliased(Person)
    mentors = session.execute(
        select(Mentorship.mentor_id, func.count(distinct(Mentorship.student_id)))
        .join(mentor, mentor.id == Mentorship.mentor_id)
        .join(student, student.id == Mentorship.student_id)
        .where(
            Mentorship.active.is_(True),
            mentor.active.is_(True),
            student.active.is_(True),
            mentor.school_id == rnd.school_id,
            student_in_round(rnd.id, Mentorship.student_id),
        )
        .group_by(Mentorship.mentor_id)
    ).all()
    base = {"round": rnd.name}
    items = [
        dict(
            school_id=rnd.school_id,
            recipient_id=mentor_id,
            kind="mentor_digest",
            round_id=rnd.id,
            payload={**base, "mentees": n},
        )
        for mentor_id, n in mentors
    ]
    items += [
        dict(
            school_id=rnd.school_id,
            recipient_id=t,
            kind="colleagues_visible",
            round_id=rnd.id,
            payload=base,
        )
        for t in teachers
    ]
    enqueue_many(session, items)
    return rnd


def extend_round(
    session: Session, *, round_id: int, actor_id: int | None, deadline: datetime, now: datetime
) -> Round:
    """Move the deadline of a draft or open round; the new deadline must be in the future."""
    rnd = _load(session, round_id)
    _require_manage(session, school_id=rnd.school_id, actor_id=actor_id)
    if rnd.state is RoundState.CLOSED:
        raise InvalidTransition(
            f"round {rnd.id} is closed; its deadline cannot change", state=rnd.state.value
        )
    _check_deadline(deadline, now)
    rnd.deadline = deadline
    session.flush()
    return rnd


def open_rounds(session: Session, *, school_id: int) -> list[Round]:
    return list(
        session.scalars(
            select(Round)
            .where(Round.school_id == school_id, Round.state == RoundState.OPEN)
            .order_by(Round.deadline, Round.id)
        )
    )


def rounds_for_teacher(
    session: Session,
    *,
    teacher_id: int,
    states: Iterable[RoundState] = (RoundState.OPEN,),
) -> list[Round]:
    """Rounds in ``states`` in which the teacher has at least one expected entry."""
    e = expected_entries(Round.id, teacher_id=teacher_id).exists()  # correlated on Round.id
    school_id = select(Person.school_id).where(Person.id == teacher_id).scalar_subquery()
    return list(
        session.scalars(
            select(Round)
            .where(Round.school_id == school_id, Round.state.in_(list(states)), e)
            .order_by(Round.deadline, Round.id)
        )
    )


def _zone(session: Session, school_id: int) -> ZoneInfo:
    return school_zone(session.scalar(select(School.time_zone).where(School.id == school_id)))
