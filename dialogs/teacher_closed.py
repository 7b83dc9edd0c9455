"""The teacher's read-only view after close: their students in a closed round, and per student
everyone's feedback (colleagues' too, now that the round is closed) with the submitted plan.

State (``sub``): ``step`` is ``closed`` (the list) or ``closed_student`` (one student, in
``student_id``); ``round_id``, ``round_name`` and ``students`` (``[id, name, class]``) name the
round shown. What may be read is decided in storage: every student's feedback goes through
``storage.feedback.feedback_visible_to``, which asks the rules per row and audits the read.
"""

from __future__ import annotations

from typing import Any

from dialogs import teacher_cards as cards
from dialogs.flow import Ctx, StepResult, Sub
from dialogs.types import Reply
from storage import feedback, plans, walk
from storage.errors import DomainError
from storage.models import RoundState

STEPS = ("closed", "closed_student")


def closed(sub: Sub, ctx: Ctx, note: str = "") -> StepResult:
    groups = walk.walk_groups(
        ctx.session, teacher_id=ctx.person.id, school_id=ctx.school.id, states=(RoundState.CLOSED,)
    )
    if not groups:
        return {"step": "none"}, [Reply(text=ctx.t("teacher.nothing_open"))]
    latest = groups[0].round_id
    seen: dict[int, list[Any]] = {}
    for g in (g for g in groups if g.round_id == latest):
        for s in walk.walk_students(
            ctx.session, round_id=latest, teacher_id=ctx.person.id, group_id=g.group_id
        ):
            seen.setdefault(s.student_id, [s.student_id, s.name, s.class_title])
    sub = {"step": "closed", "round_id": latest, "round_name": groups[0].round_name}
    sub["students"] = list(seen.values())
    text = ctx.t("teacher.nothing_open")
    card = cards.closed_list_card(
        ctx, round_name=groups[0].round_name, students=sub["students"], note=note or text
    )
    return sub, [Reply(card=card)]


def view(sub: Sub, ctx: Ctx, student_id: int | None, *, otherwise: list[Reply]) -> StepResult:
    """One student of the list; a student not in it (or no list shown) gets ``otherwise``."""
    students = {s[0]: s for s in sub.get("students", [])}
    if sub.get("step") not in STEPS or student_id not in students:
        return sub, [Reply(text=ctx.t("teacher.no_such_student"))] + otherwise
    sub["step"] = "closed_student"
    sub["student_id"] = student_id
    return sub, prompt(sub, ctx)


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    if sub.get("step") == "closed":
        card = cards.closed_list_card(
            ctx, round_name=sub.get("round_name", ""), students=sub.get("students", [])
        )
        return [Reply(card=card)]
    sid = int(sub["student_id"])
    name = next((s[1] for s in sub.get("students", []) if s[0] == sid), "")
    visible = feedback.feedback_visible_to(
        ctx.session,
        actor_id=ctx.person.id,
        round_id=int(sub["round_id"]),
        student_id=sid,
        channel=ctx.channel,
    )
    card = cards.closed_student_card(
        ctx,
        name=name,
        round_name=sub.get("round_name", ""),
        entries=visible,
        plan=_submitted_plan(ctx, int(sub["round_id"]), sid),
    )
    return [Reply(card=card)]


def _submitted_plan(ctx: Ctx, round_id: int, student_id: int) -> dict[str, Any] | None:
    """The student's action plan once submitted (visible to their teachers), else None."""
    try:
        plan = plans.get_plan(
            ctx.session,
            actor_id=ctx.person.id,
            round_id=round_id,
            student_id=student_id,
            channel=ctx.channel,
        )
    except DomainError:  # not submitted, or the school has no action plans
        return None
    return dict(plan.answers) if plan is not None else None
