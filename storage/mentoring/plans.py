"""The student's action plan (Plan van Aanpak) for a round.

The student writes it after the mentor shared the feedback, step by step, and may change it
until the mentor records the agreements. Submitting makes it visible to the mentor(s) and
subject teachers and tells the mentor(s) through the outbox, in the same transaction.

Answers schema (``ActionPlan.answers``; every key optional while a draft)::

    {
        "went_well": str,              # what went well, in the student's words
        "subjects": {subject: str},    # "what will you do" per subject with Let op / Pas op
        "help": str,                   # what help the student needs, and from whom
        "other": str,                  # anything else
    }

``subjects`` keys are exactly the subjects of ``plan_steps``. Each text is at most the
school's ``max_text_length`` characters. ``save_plan`` merges: given keys replace the stored
ones, ``subjects`` is merged per subject, and an empty text removes that answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.errors import InvalidInput
from storage.free_text import check_text
from storage.mentoring.case import StudentCase, gather
from storage.models import ActionPlan, Feedback, Light, Mentorship, PlanState
from storage.notifications import enqueue_many
from storage.permissions import Action, require

TEXT_KEYS = ("went_well", "help", "other")
SUBJECTS = "subjects"
STEP_FROM = Light.LET_OP


@dataclass(frozen=True)
class PlanStep:
    """A subject the student writes "what will you do" for, with its worst light."""

    subject: str
    light: Light


@dataclass(frozen=True)
class PlanView:
    student_id: int
    round_id: int
    state: PlanState
    answers: dict[str, Any]
    updated_at: datetime
    submitted_at: datetime | None


def _view(plan: ActionPlan) -> PlanView:
    return PlanView(
        student_id=plan.student_id,
        round_id=plan.round_id,
        state=plan.state,
        answers=dict(plan.answers or {}),
        updated_at=plan.updated_at,
        submitted_at=plan.submitted_at,
    )


def plan_steps(session: Session, *, student_id: int, round_id: int) -> list[PlanStep]:
    """Subjects with "Let op" or "Pas op" in the round, worst first, then by name."""
    rows = session.execute(
        select(Feedback.subject, Feedback.light).where(
            Feedback.round_id == round_id,
            Feedback.student_id == student_id,
            Feedback.light >= STEP_FROM,
        )
    ).all()
    worst: dict[str, Light] = {}
    for subject, light in rows:
        worst[subject] = max(light, worst.get(subject, light))
    steps = [PlanStep(subject=s, light=light) for s, light in worst.items()]
    return sorted(steps, key=lambda p: (-int(p.light), p.subject.casefold()))


def _text(value: object, field: str, max_length: int) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text", detail=f"{field} must be text", field=field)
    return check_text(value, field=field, max_length=max_length)


def validate_answers(answers: object, *, subjects: set[str], max_length: int) -> dict[str, Any]:
    """Check the answers' shape, keys and lengths; return them stripped."""
    if not isinstance(answers, dict):
        raise InvalidInput(
            "answers must be an object", detail="answers must be an object", field="answers"
        )
    clean: dict[str, Any] = {}
    for key, value in answers.items():
        if key in TEXT_KEYS:
            clean[key] = _text(value, key, max_length)
        elif key == SUBJECTS:
            if not isinstance(value, dict):
                raise InvalidInput(
                    "subjects must be an object",
                    detail="subjects must be an object",
                    field=SUBJECTS,
                )
            for subject, text in value.items():
                if subject not in subjects:
                    raise InvalidInput(
                        f"no plan step for subject {subject!r}",
                        detail=f"no plan step for subject {subject!r}",
                        field=SUBJECTS,
                    )
                clean.setdefault(SUBJECTS, {})[subject] = _text(
                    text, f"{SUBJECTS}.{subject}", max_length
                )
        else:
            raise InvalidInput(
                f"unknown answer {key!r}", detail=f"unknown answer {key!r}", field=str(key)
            )
    return clean


def _merge(stored: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = {k: v for k, v in stored.items() if k != SUBJECTS}
    subjects = dict(stored.get(SUBJECTS) or {})
    for key, value in new.items():
        if key == SUBJECTS:
            subjects.update(value)
        else:
            merged[key] = value
    subjects = {k: v for k, v in subjects.items() if v}
    merged = {k: v for k, v in merged.items() if v}
    if subjects:
        merged[SUBJECTS] = subjects
    return merged


def _own_plan(session: Session, case: StudentCase) -> ActionPlan | None:
    return session.scalar(
        select(ActionPlan).where(
            ActionPlan.round_id == case.round.id, ActionPlan.student_id == case.student.id
        )
    )


def save_plan(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    answers: dict[str, Any],
    now: datetime,
    channel: str = "cli",
) -> PlanView:
    """Save the student's (own) answers as a draft, or update a submitted plan."""
    case = gather(session, actor_id=actor_id, student_id=actor_id, round_id=round_id)
    require(Action.WRITE_PLAN, case.facts)
    subjects = {s.subject for s in plan_steps(session, student_id=actor_id, round_id=round_id)}
    clean = validate_answers(answers, subjects=subjects, max_length=case.settings.max_text_length)
    plan = _own_plan(session, case)
    if plan is None:
        plan = ActionPlan(
            round_id=round_id,
            student_id=actor_id,
            answers={},
            state=PlanState.DRAFT,
            started_at=now,
        )
        session.add(plan)
    plan.answers = _merge(dict(plan.answers or {}), clean)
    plan.updated_at = now
    case.audit(
        session, actor_id=actor_id, operation="write", entity="action_plan", channel=channel, at=now
    )
    session.flush()
    return _view(plan)


def submit_plan(
    session: Session, *, actor_id: int, round_id: int, now: datetime, channel: str = "cli"
) -> bool:
    """Submit the student's plan; False when it was submitted already.

    An empty plan is refused. Each active mentor gets ``plan_submitted`` in the outbox.
    """
    case = gather(session, actor_id=actor_id, student_id=actor_id, round_id=round_id)
    require(Action.WRITE_PLAN, case.facts)
    plan = _own_plan(session, case)
    if plan is None or not plan.answers:
        raise InvalidInput("the plan is empty", detail="the plan is empty", field="answers")
    if plan.state is PlanState.SUBMITTED:
        return False
    plan.state, plan.submitted_at, plan.updated_at = PlanState.SUBMITTED, now, now
    mentors = session.scalars(
        select(Mentorship.mentor_id).where(
            Mentorship.student_id == actor_id, Mentorship.active.is_(True)
        )
    ).all()
    payload = {
        "student_id": actor_id,
        "round_id": round_id,
        "round": case.round.name,  # the notification names the round (schedules.compose)
        "student_name": case.student.display_name,
    }
    enqueue_many(
        session,
        [
            dict(
                school_id=case.student.school_id,
                recipient_id=m,
                kind="plan_submitted",
                round_id=round_id,
                occasion=f"student-{actor_id}",
                payload=payload,
            )
            for m in mentors
        ],
    )
    case.audit(
        session,
        actor_id=actor_id,
        operation="submit",
        entity="action_plan",
        channel=channel,
        at=now,
    )
    session.flush()
    return True


def get_plan(
    session: Session, *, actor_id: int, round_id: int, student_id: int, channel: str = "cli"
) -> PlanView | None:
    """The plan as the actor may see it (READ_PLAN); None when the student has none yet."""
    case = gather(session, actor_id=actor_id, student_id=student_id, round_id=round_id)
    require(Action.READ_PLAN, case.facts)
    plan = _own_plan(session, case)
    if plan is None:
        return None
    if not case.facts.is_self:
        case.audit(
            session, actor_id=actor_id, operation="read", entity="action_plan", channel=channel
        )
    return _view(plan)
