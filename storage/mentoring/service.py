"""The mentor's side of a round: overview, report, mentor note, sharing, agreements.

Every write asks ``storage.permissions.require`` with facts gathered from the database
(``storage.mentoring.case``); the outbox row that tells the student is written in the same
transaction as the share. The overview and the report live in their own modules and are
re-exported here, so callers import one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.errors import InvalidInput
from storage.free_text import check_text
from storage.mentoring.case import gather
from storage.mentoring.overview import (
    Concern,
    MenteeSummary,
    Previous,
    Remark,
    concern,
    mentee_summaries_for_round,
    mentor_overview,
    record_digest_reads,
)
from storage.mentoring.report import HistoryEntry, StudentReport, SubjectLine, student_report
from storage.models import Agreement, MentorNote, Share
from storage.notifications import enqueue
from storage.permissions import Action, require

__all__ = [
    "Concern",
    "HistoryEntry",
    "MenteeSummary",
    "Previous",
    "Remark",
    "StudentReport",
    "SubjectLine",
    "concern",
    "mentee_summaries_for_round",
    "mentor_overview",
    "record_agreements",
    "record_digest_reads",
    "set_mentor_note",
    "share_with_student",
    "student_report",
]


def set_mentor_note(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    student_id: int,
    text: str,
    now: datetime,
    channel: str = "cli",
) -> bool:
    """Write (or, with blank text, remove) the mentor's note; True when a note remains."""
    case = gather(session, actor_id=actor_id, student_id=student_id, round_id=round_id)
    require(Action.WRITE_MENTOR_NOTE, case.facts)
    text = check_text(text, field="mentor_note", max_length=case.settings.max_text_length)
    if not text:
        session.execute(
            delete(MentorNote).where(
                MentorNote.round_id == round_id, MentorNote.student_id == student_id
            )
        )
    else:
        _put_text(session, MentorNote, "updated_at", round_id, student_id, actor_id, text, now)
    case.audit(
        session, actor_id=actor_id, operation="write", entity="mentor_note", channel=channel, at=now
    )
    session.flush()
    return bool(text)


def share_with_student(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    student_id: int,
    now: datetime,
    channel: str = "cli",
) -> bool:
    """Share the round's feedback with the student; False when it was shared already.

    The ``feedback_shared`` notification to the student goes into the outbox in this
    transaction, keyed so a repeated share never notifies twice.
    """
    case = gather(session, actor_id=actor_id, student_id=student_id, round_id=round_id)
    require(Action.SHARE, case.facts)
    if case.facts.shared or not _insert_share(session, round_id, student_id, actor_id, now):
        return False
    enqueue(
        session,
        school_id=case.student.school_id,
        recipient_id=student_id,
        kind="feedback_shared",
        round_id=round_id,
        payload={"student_id": student_id, "round_id": round_id, "round_name": case.round.name},
    )
    case.audit(
        session, actor_id=actor_id, operation="share", entity="feedback", channel=channel, at=now
    )
    session.flush()
    return True


def _insert_share(
    session: Session, round_id: int, student_id: int, mentor_id: int, now: datetime
) -> bool:
    """Insert the share unless another transaction just did (two mentors at once)."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(Share)
        .values(round_id=round_id, student_id=student_id, mentor_id=mentor_id, shared_at=now)
        .on_conflict_do_nothing(index_elements=["round_id", "student_id"])
        .returning(Share.id)
    )
    return session.execute(stmt).first() is not None


def record_agreements(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    student_id: int,
    text: str,
    now: datetime,
    channel: str = "cli",
) -> None:
    """Record (or replace) the agreements of the three-way meeting; this ends plan editing."""
    case = gather(session, actor_id=actor_id, student_id=student_id, round_id=round_id)
    require(Action.WRITE_AGREEMENTS, case.facts)
    text = check_text(text, field="agreements", max_length=case.settings.max_text_length)
    if not text:
        raise InvalidInput(
            "agreements are empty", detail="agreements are empty", field="agreements"
        )
    _put_text(session, Agreement, "recorded_at", round_id, student_id, actor_id, text, now)
    case.audit(
        session, actor_id=actor_id, operation="write", entity="agreements", channel=channel, at=now
    )
    session.flush()


def _put_text(
    session: Session,
    model: type[MentorNote] | type[Agreement],
    stamp: str,
    round_id: int,
    student_id: int,
    mentor_id: int,
    text: str,
    now: datetime,
) -> None:
    """Insert or replace the mentor's one text per (round, student): a note or agreements."""
    row: Any = session.scalar(
        select(model).where(model.round_id == round_id, model.student_id == student_id)
    )
    if row is None:
        row = model(round_id=round_id, student_id=student_id)
        session.add(row)
    row.text, row.mentor_id = text, mentor_id
    setattr(row, stamp, now)
