"""Privacy operations (GDPR): export one student, erase one student, purge old data.

These are the school administrator's operations, run from the command line against the
school's own database; they are not cycle actions, so they ask no ``decide``. Each is
audited. Erasing finds what references a person from the schema itself (every foreign key
to ``person``), so a table added later is covered without touching this module:
``ON DELETE SET NULL`` columns are nulled (audit rows keep existing, without the student),
all other referencing rows are deleted.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, false, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from storage import audit
from storage.conversation import scrub as dialog_scrub
from storage.errors import InvalidInput, NotFound
from storage.models import (
    ActionPlan,
    Agreement,
    AuditEntry,
    Base,
    ChannelAccount,
    DialogState,
    Enrolment,
    Feedback,
    Group,
    Light,
    MentorNote,
    Mentorship,
    Notification,
    NotificationStatus,
    Person,
    PersonKind,
    Round,
    RoundGroup,
    RoundState,
    School,
    Share,
)
from storage.school_settings import SchoolSettings


class AmbiguousStudent(InvalidInput):
    """The key names students in more than one school; ``params['schools']`` lists them."""

    key = "error.ambiguous_student"


def find_student(session: Session, *, school_id: int | None, key: str) -> Person:
    """The student whose roster id or email is ``key`` (in ``school_id`` when given)."""
    key = key.strip()
    if not key:
        raise InvalidInput("empty student key", detail="empty student key", field="key")
    stmt = select(Person).where(
        Person.kind == PersonKind.STUDENT,
        or_(Person.roster_id == key, Person.email == key.lower()),
    )
    if school_id is not None:
        stmt = stmt.where(Person.school_id == school_id)
    found = {p.id: p for p in session.scalars(stmt)}
    if not found:
        raise NotFound(f"no student {key!r}", key=key)
    if len(found) > 1:
        schools = sorted({p.school_id for p in found.values()})
        message = f"{key!r} names students in schools {', '.join(map(str, schools))}; choose one"
        raise AmbiguousStudent(message, detail=message, schools=schools)
    return next(iter(found.values()))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Light):
        return value.key
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _row(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    cols = obj.__table__.columns.keys()
    return {c: _plain(getattr(obj, c)) for c in cols if c not in skip}


def _round_rows(session: Session, model: Any, sid: int) -> list[dict[str, Any]]:
    """The student's rows of a per-round table, with the round's name and the mentor's."""
    mentor = aliased(Person)
    mentor_id = getattr(model, "mentor_id", None)
    stmt = select(model, Round.name, mentor.display_name).join(Round, Round.id == model.round_id)
    stmt = stmt.outerjoin(mentor, mentor.id == mentor_id if mentor_id is not None else false())
    rows = session.execute(stmt.where(model.student_id == sid).order_by(model.id)).all()
    out = []
    for obj, r_name, m_name in rows:
        item = {**_row(obj, skip=("student_id",)), "round": r_name}
        if mentor_id is not None:
            item["mentor"] = m_name
        out.append(item)
    return out


def export_student(
    session: Session,
    *,
    school_id: int | None,
    key: str,
    actor_id: int | None = None,
    channel: str = "cli",
) -> dict[str, Any]:
    """Everything stored about one student, as JSON-serialisable data. Audited."""
    p = find_student(session, school_id=school_id, key=key)
    sid = p.id
    teacher, mentor = aliased(Person), aliased(Person)
    school = session.get(School, p.school_id)
    data: dict[str, Any] = {
        "person": _row(p),
        "school": {"id": p.school_id, "name": school.name if school else None},
    }
    data["enrolments"] = [
        {
            "group": g.title,
            "group_roster_id": g.roster_id,
            "kind": g.kind.value,
            "subject": g.subject,
            "active": e.active,
        }
        for e, g in session.execute(
            select(Enrolment, Group)
            .join(Group, Group.id == Enrolment.group_id)
            .where(Enrolment.student_id == sid)
            .order_by(Group.title)
        )
    ]
    data["mentors"] = [
        {"id": m.id, "name": m.display_name, "email": m.email, "active": ms.active}
        for ms, m in session.execute(
            select(Mentorship, mentor)
            .join(mentor, mentor.id == Mentorship.mentor_id)
            .where(Mentorship.student_id == sid)
        )
    ]
    data["feedback"] = [
        {**_row(f, skip=("student_id",)), "round": r_name, "group": g_title, "teacher": t_name}
        for f, r_name, g_title, t_name in session.execute(
            select(Feedback, Round.name, Group.title, teacher.display_name)
            .join(Round, Round.id == Feedback.round_id)
            .join(Group, Group.id == Feedback.group_id)
            .join(teacher, teacher.id == Feedback.teacher_id)
            .where(Feedback.student_id == sid)
            .order_by(Round.deadline, Feedback.subject, Feedback.id)
        )
    ]
    for name, model in (
        ("mentor_notes", MentorNote),
        ("shares", Share),
        ("plans", ActionPlan),
        ("agreements", Agreement),
    ):
        data[name] = _round_rows(session, model, sid)
    data["notifications"] = [
        _row(n, skip=("claimed_by", "claimed_until"))
        for n in session.scalars(
            select(Notification).where(Notification.recipient_id == sid).order_by(Notification.id)
        )
    ]
    data["channel_accounts"] = [
        _row(a, skip=("person_id",))
        for a in session.scalars(select(ChannelAccount).where(ChannelAccount.person_id == sid))
    ]
    state = session.get(DialogState, sid)
    data["dialog_state"] = _row(state, skip=("person_id",)) if state is not None else None
    data["audit"] = [
        _row(a)
        for a in session.scalars(
            select(AuditEntry)
            .where(or_(AuditEntry.student_id == sid, AuditEntry.actor_id == sid))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    ]
    audit.record(
        session,
        school_id=p.school_id,
        actor_id=actor_id,
        operation="export",
        entity="student",
        student_id=sid,
        count=len(data["feedback"]),
        channel=channel,
    )
    return data


def person_references(table_filter: str = "person") -> list[tuple[Table, Any, str | None]]:
    """Every (table, column, ondelete) whose foreign key points at ``person.id``."""
    refs = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == table_filter:
                refs.append((table, fk.parent, fk.ondelete))
    return refs


def erase_student(
    session: Session,
    *,
    school_id: int | None,
    key: str,
    actor_id: int | None = None,
    channel: str = "cli",
) -> dict[str, int]:
    """Delete the student and every row that references them; counts per table.

    Audit rows about the student stay, with ``student_id`` NULL; one ``erase`` entry without
    the student's id records the operation. Outbox rows to others about the student (their
    payload names the student) are deleted too. Other people's dialog states that still hold
    the student's id are reset (``storage.conversation.scrub``).
    """
    p = find_student(session, school_id=school_id, key=key)
    sid, sch = p.id, p.school_id
    counts: dict[str, int] = {}
    about = (
        delete(Notification)
        .where(Notification.payload["student_id"].as_integer() == sid)
        .execution_options(synchronize_session=False)
    )
    counts["notification"] = _run(session, about)
    counts["dialog_state=reset"] = dialog_scrub.reset_states_mentioning(
        session, school_id=sch, student_id=sid, now=datetime.now(UTC)
    )
    for table, column, ondelete in person_references():
        if (ondelete or "").upper() == "SET NULL":
            n = _run(session, update(table).where(column == sid).values({column.name: None}))
            name = f"{table.name}.{column.name}=NULL"
        else:
            n = _run(session, delete(table).where(column == sid))
            name = table.name
        if n:
            counts[name] = counts.get(name, 0) + n
    person = _table(Person)
    counts["person"] = _run(session, delete(person).where(person.c.id == sid))
    session.expunge(p)
    session.expire_all()
    audit.record(
        session,
        school_id=sch,
        actor_id=actor_id,
        operation="erase",
        entity="student",
        count=sum(v for k, v in counts.items() if "=" not in k),
        channel=channel,
    )
    session.flush()
    return counts


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _run(session: Session, stmt: Any) -> int:
    """Execute a Core DELETE/UPDATE; how many rows it touched."""
    result = cast(CursorResult[Any], session.execute(stmt))
    return int(result.rowcount or 0)


ROUND_CHILDREN = (Feedback, MentorNote, Share, ActionPlan, Agreement, Notification, RoundGroup)


def purge_older_than(
    session: Session, *, school_id: int, now: datetime, channel: str = "cli"
) -> dict[str, int]:
    """Delete what is older than the school's retention; counts per kind of record.

    Rounds closed before the cutoff go with their feedback, notes, shares, plans, agreements,
    outbox rows and group links; audit rows older than the cutoff go, and so do outbox rows
    created before it that are no longer pending.
    """
    school = session.get(School, school_id)
    if school is None:
        raise NotFound("unknown school", school_id=school_id)
    cutoff = now - timedelta(days=SchoolSettings.from_json(school.settings).retention_days)
    old_rounds = select(Round.id).where(
        Round.school_id == school_id,
        Round.state == RoundState.CLOSED,
        func.coalesce(Round.closed_at, Round.deadline) < cutoff,
    )
    counts: dict[str, int] = {}
    for model in ROUND_CHILDREN:
        table = _table(model)
        counts[table.name] = _run(session, delete(table).where(table.c.round_id.in_(old_rounds)))
    log = _table(AuditEntry)
    _run(session, update(log).where(log.c.round_id.in_(old_rounds)).values(round_id=None))
    ids = list(session.scalars(old_rounds))
    rounds = _table(Round)
    counts["review_round"] = _run(session, delete(rounds).where(rounds.c.id.in_(ids)))
    counts["audit_log"] = _run(
        session, delete(log).where(log.c.school_id == school_id, log.c.at < cutoff)
    )
    n = _table(Notification).c
    counts["notification"] += _run(
        session,
        delete(_table(Notification)).where(
            n.school_id == school_id,
            n.status != NotificationStatus.PENDING,
            n.created_at < cutoff,
        ),
    )
    session.expire_all()
    audit.record(
        session,
        school_id=school_id,
        actor_id=None,
        operation="purge",
        entity="school",
        count=sum(counts.values()),
        channel=channel,
        at=now,
    )
    session.flush()
    return counts
