"""One student's report for a round, as far as the asking person may see it.

The same function serves the mentor (everything, live), the student (after sharing) and a
subject teacher (own entries while open, colleagues' after close, history of closed rounds).
Every feedback row, the mentor note, the plan and the agreements are passed through
``decide`` one by one; nothing here knows a rule. Reading others' data is audited as one row
per call, with the number of items read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from storage.cohort import expected_entries
from storage.mentoring.case import StudentCase, gather
from storage.models import (
    ActionPlan,
    Agreement,
    Feedback,
    Group,
    Light,
    MentorNote,
    Person,
    PlanState,
    Round,
    RoundState,
    Share,
)
from storage.permissions import Action, decide, require


@dataclass(frozen=True)
class HistoryEntry:
    round_id: int
    round_name: str
    deadline: datetime
    teacher_name: str
    light: Light
    remark: str | None
    action: str | None


@dataclass(frozen=True)
class SubjectLine:
    """One (subject group, teacher) of the round; ``light`` is None while not given yet."""

    subject: str
    group_id: int
    group_title: str
    teacher_id: int | None
    teacher_name: str
    light: Light | None
    remark: str | None
    action: str | None
    history: tuple[HistoryEntry, ...]


@dataclass(frozen=True)
class StudentReport:
    round_id: int
    round_name: str
    round_state: RoundState
    student_id: int
    student_name: str
    lines: tuple[SubjectLine, ...]
    shared: bool
    mentor_note: str | None
    plan_state: PlanState | None
    plan_answers: dict[str, Any] | None
    agreements: str | None
    # when the student first opened the shared feedback; only for who may see the
    # follow-through (the mentor), else None
    read_at: datetime | None = None


def _rows(
    session: Session, case: StudentCase
) -> tuple[Sequence[Any], Sequence[Any], dict[int, datetime | None]]:
    teacher = aliased(Person)
    rnd = case.round
    feedback = session.execute(
        select(Feedback, Round.name, Round.deadline, Round.state, teacher.display_name, Group.title)
        .join(Round, Round.id == Feedback.round_id)
        .join(teacher, teacher.id == Feedback.teacher_id)
        .join(Group, Group.id == Feedback.group_id)
        .where(
            Feedback.student_id == case.student.id,
            Round.school_id == rnd.school_id,
            or_(Round.id == rnd.id, Round.deadline < rnd.deadline),
        )
        .order_by(Round.deadline, Feedback.subject, Feedback.id)
    ).all()
    entries = expected_entries(rnd.id, student_id=case.student.id).subquery()
    expected = session.execute(
        select(
            entries.c.group_id,
            entries.c.group_title,
            entries.c.subject,
            entries.c.teacher_id,
            teacher.display_name,
        ).join(teacher, teacher.id == entries.c.teacher_id)
    ).all()
    shared: dict[int, datetime | None] = {
        r_id: read_at
        for r_id, read_at in session.execute(
            select(Share.round_id, Share.read_at).where(Share.student_id == case.student.id)
        )
    }
    return feedback, expected, shared


def student_report(
    session: Session, *, actor_id: int, round_id: int, student_id: int, channel: str = "cli"
) -> StudentReport:
    """The report as ``actor_id`` may see it; NotAllowed when they may see nothing at all."""
    case = gather(session, actor_id=actor_id, student_id=student_id, round_id=round_id)
    require_some = case.facts
    feedback, expected, shared_rounds = _rows(session, case)
    others_read = 0

    history: dict[str, list[HistoryEntry]] = {}
    current: dict[tuple[int, int | None], tuple[Any, ...]] = {}
    for fb, r_name, r_deadline, r_state, t_name, g_title in feedback:
        facts = case.facts_for_row(
            teacher_id=fb.teacher_id, round_state=r_state, shared=fb.round_id in shared_rounds
        )
        if not decide(Action.READ_FEEDBACK, facts):
            continue
        if fb.teacher_id != actor_id:
            others_read += 1
        if fb.round_id == round_id:
            current[(fb.group_id, fb.teacher_id)] = (fb, t_name, g_title)
        else:
            history.setdefault(fb.subject.casefold(), []).append(
                HistoryEntry(
                    fb.round_id, r_name, r_deadline, t_name, fb.light, fb.remark, fb.action
                )
            )

    lines: list[SubjectLine] = []
    for (group_id, teacher_id), (fb, t_name, g_title) in current.items():
        lines.append(_line(fb.subject, group_id, g_title, teacher_id, t_name, fb, history))
    for group_id, g_title, subject, teacher_id, t_name in expected:
        if (group_id, teacher_id) in current:
            continue
        if decide(Action.READ_FEEDBACK, case.facts_for_row(teacher_id=teacher_id)):
            lines.append(
                _line(subject or g_title, group_id, g_title, teacher_id, t_name, None, history)
            )
    lines.sort(key=lambda ln: (ln.subject.casefold(), ln.teacher_name.casefold(), ln.group_id))

    note = plan = agreement = None
    if decide(Action.READ_MENTOR_NOTE, case.facts):
        note = session.scalar(
            select(MentorNote.text).where(
                MentorNote.round_id == round_id, MentorNote.student_id == student_id
            )
        )
    if decide(Action.READ_PLAN, case.facts):
        plan = session.scalar(
            select(ActionPlan).where(
                ActionPlan.round_id == round_id, ActionPlan.student_id == student_id
            )
        )
    if decide(Action.READ_AGREEMENTS, case.facts):
        agreement = session.scalar(
            select(Agreement.text).where(
                Agreement.round_id == round_id, Agreement.student_id == student_id
            )
        )
    if not lines and not any(h for h in history.values()) and note is plan is agreement is None:
        require(Action.READ_FEEDBACK, require_some)  # says why, when nothing may be seen
    if not case.facts.is_self:
        others_read += sum(x is not None for x in (note, plan, agreement))
    if others_read:
        case.audit(
            session,
            actor_id=actor_id,
            operation="read",
            entity="student_report",
            count=others_read,
            channel=channel,
        )
    return StudentReport(
        round_id=round_id,
        round_name=case.round.name,
        round_state=case.round.state,
        student_id=student_id,
        student_name=case.student.display_name,
        lines=tuple(lines),
        shared=case.facts.shared,
        mentor_note=note,
        plan_state=plan.state if plan is not None else None,
        plan_answers=dict(plan.answers) if plan is not None else None,
        agreements=agreement,
        read_at=shared_rounds.get(round_id)
        if decide(Action.READ_FOLLOW_THROUGH, case.facts)
        else None,
    )


def _line(
    subject: str,
    group_id: int,
    group_title: str,
    teacher_id: int | None,
    teacher_name: str,
    fb: Feedback | None,
    history: dict[str, list[HistoryEntry]],
) -> SubjectLine:
    return SubjectLine(
        subject=subject,
        group_id=group_id,
        group_title=group_title,
        teacher_id=teacher_id,
        teacher_name=teacher_name,
        light=fb.light if fb else None,
        remark=fb.remark if fb else None,
        action=fb.action if fb else None,
        history=tuple(history.get(subject.casefold(), ())),
    )
