"""The facts of one (actor, student, round) case, gathered from the database.

Mentoring, plans and privacy operations ask ``storage.permissions.decide`` about a student's
records; this module only *collects* what the rule needs (relations, round state, sharing,
plan and agreement state, the school's settings). It states no rule itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import NotFound
from storage.facts import is_mentor, is_shared, teaches_student
from storage.models import (
    ActionPlan,
    Agreement,
    Person,
    PersonKind,
    PlanState,
    Round,
    School,
)
from storage.permissions import Facts
from storage.school_settings import SchoolSettings


@dataclass(frozen=True)
class StudentCase:
    """Who asks about whom in which round, and the facts that hold for the whole case.

    ``facts`` has ``is_author`` False: per-row authorship is set by the caller with
    ``facts_for_row``.
    """

    actor: Person | None
    student: Person
    round: Round
    settings: SchoolSettings
    facts: Facts

    def facts_for_row(self, *, teacher_id: int | None = None, **changes: object) -> Facts:
        is_author = self.actor is not None and teacher_id == self.actor.id
        return replace(self.facts, is_author=is_author, **changes)  # type: ignore[arg-type]

    def audit(
        self,
        session: Session,
        *,
        actor_id: int,
        operation: str,
        entity: str,
        channel: str,
        at: datetime | None = None,
        count: int = 1,
    ) -> None:
        """Record in the audit log that ``actor_id`` did ``operation`` on this student's
        ``entity`` in this round."""
        audit.record(
            session,
            school_id=self.student.school_id,
            actor_id=actor_id,
            operation=operation,
            entity=entity,
            student_id=self.student.id,
            round_id=self.round.id,
            count=count,
            channel=channel,
            at=at,
        )


def load_student(session: Session, student_id: int) -> Person:
    student = session.get(Person, student_id)
    if student is None or student.kind is not PersonKind.STUDENT:
        raise NotFound("unknown student", student_id=student_id)
    return student


def load_round(session: Session, round_id: int) -> Round:
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound("unknown round", round_id=round_id)
    return rnd


def gather(
    session: Session, *, actor_id: int | None, student_id: int, round_id: int
) -> StudentCase:
    """Load the case; raise NotFound for an unknown student, round or actor.

    A round of another school than the student's is treated as unknown: the pair does not
    exist. An actor of another school is *not* an error here: ``same_school`` is False and
    ``decide`` refuses.
    """
    student = load_student(session, student_id)
    rnd = load_round(session, round_id)
    if rnd.school_id != student.school_id:
        raise NotFound("unknown round for this student", round_id=round_id)
    actor = None
    if actor_id is not None:
        actor = session.get(Person, actor_id)
        if actor is None:
            raise NotFound("unknown person", person_id=actor_id)
    aid = actor.id if actor is not None else -1
    row = session.execute(
        select(
            School.settings,
            is_mentor(aid, student_id).label("is_mentor"),
            teaches_student(aid, student_id).label("teaches"),
            is_shared(round_id, student_id).label("shared"),
            exists()
            .where(
                ActionPlan.round_id == round_id,
                ActionPlan.student_id == student_id,
                ActionPlan.state == PlanState.SUBMITTED,
            )
            .label("submitted"),
            exists()
            .where(and_(Agreement.round_id == round_id, Agreement.student_id == student_id))
            .label("agreed"),
        ).where(School.id == student.school_id)
    ).one()
    settings = SchoolSettings.from_json(row.settings)
    same = actor is not None and actor.school_id == student.school_id
    facts = Facts(
        same_school=same,
        actor_active=bool(actor is not None and actor.active),
        is_organizer=bool(actor is not None and actor.is_organizer),
        teaches_group=False,
        teaches_student=bool(row.teaches),
        is_mentor=bool(row.is_mentor),
        is_self=actor is not None and actor.id == student.id,
        round_state=rnd.state,
        shared=bool(row.shared),
        plan_submitted=bool(row.submitted),
        agreements_recorded=bool(row.agreed),
        full_package=settings.full_package,
    )
    return StudentCase(actor=actor, student=student, round=rnd, settings=settings, facts=facts)
