"""The teacher's read-only view of closed rounds: their students in a closed round, and per
student everyone's feedback (colleagues' too, now that the round is closed) with the submitted
plan; and the list of earlier rounds to choose one from.

Without an open round, "feedback" shows the latest closed round; a card of a walk used after
its round closed (review list, bulk, a save) shows that round (``round_view``). "Eerdere
besprekingen" (on the choice of round or group, and on this view when there are more) lists the
closed rounds the teacher had students in; choosing one is ``start_feedback`` with its
``round_id``.

State (``sub``): ``step`` is ``closed`` (the list), ``closed_student`` (one student, in
``student_id``) or ``earlier`` (the list of rounds; ``shown`` is the round on screen before).
``round_id``, ``round_name`` and ``students`` (``[id, name, class]``) name the round shown;
``open`` says the teacher has an open round to go back to, ``earlier`` that there are other
closed rounds. What may be read is decided in storage: the round's students through
``storage.feedback.walk.closed_round_students`` (the rules: only a closed round of the teacher's own
school with their students), each student's feedback through
``storage.feedback.entries.feedback_visible_to``, which asks the rules per row and audits the read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dialogs import actions as A
from dialogs.flow import Ctx, StepResult, Sub, choice
from dialogs.round_choice import rounds_card
from dialogs.student import plan_text
from dialogs.teacher.cards import entry_facts
from dialogs.types import Card, Choice, Reply, Section, Style
from storage.errors import DomainError
from storage.feedback import entries as feedback
from storage.feedback import walk
from storage.feedback.entries import FeedbackView
from storage.mentoring import plans
from storage.models import Round
from storage.rounds.finder import closed_rounds_taught

STEPS = ("closed", "closed_student", "earlier")


def closed(sub: Sub, ctx: Ctx) -> StepResult:
    """No open round: the latest closed round the teacher had students in."""
    rounds = closed_rounds_taught(ctx.session, teacher_id=ctx.person.id)
    shown = show_round(ctx, rounds[0].id, open_=False, rounds=rounds) if rounds else None
    if shown is None:
        return {"step": "none"}, [Reply(text=ctx.t("teacher.nothing_open"))]
    return shown


def round_view(ctx: Ctx, round_id: int) -> StepResult:
    """A walk's round once it closed (a card of the walk used after the close): its read-only
    view; the latest closed round when that one cannot be shown."""
    groups = walk.walk_groups(ctx.session, teacher_id=ctx.person.id, school_id=ctx.school.id)
    return show_round(ctx, round_id, open_=bool(groups)) or closed({}, ctx)


def show_round(
    ctx: Ctx, round_id: int, *, open_: bool, rounds: list[Round] | None = None
) -> StepResult | None:
    """The read-only view of a closed round; None when the rules refuse it (another school's
    round, an open one, one without the teacher's students: all alike, nothing said)."""
    try:
        rnd, students = walk.closed_round_students(
            ctx.session, teacher_id=ctx.person.id, round_id=round_id
        )
    except DomainError:
        return None
    if rounds is None:
        rounds = closed_rounds_taught(ctx.session, teacher_id=ctx.person.id)
    sub = {
        "step": "closed",
        "round_id": rnd.id,
        "round_name": rnd.name,
        "students": [[s.student_id, s.name, s.class_title] for s in students],
        "open": open_,
        "earlier": len(rounds) > 1,
    }
    return sub, prompt(sub, ctx)


def earlier(sub: Sub, ctx: Ctx) -> StepResult | None:
    """The closed rounds to choose from; None when there are none."""
    shown = sub.get("round_id") if sub.get("step") in ("closed", "closed_student") else None
    new = {"step": "earlier", "shown": shown}
    replies = prompt(new, ctx)
    return (new, replies) if replies[0].card is not None else None


def view(sub: Sub, ctx: Ctx, student_id: int | None) -> StepResult | None:
    """One student of the list shown; None for a student not in it (or no list shown)."""
    students = {s[0] for s in sub.get("students", [])}
    if sub.get("step") not in ("closed", "closed_student") or student_id not in students:
        return None
    sub["step"] = "closed_student"
    sub["student_id"] = student_id
    return sub, prompt(sub, ctx)


def peek(ctx: Ctx, *, round_id: int, student_id: int, back_round_id: int) -> list[Reply] | None:
    """One student's whole feedback of an earlier closed round, opened from the student card of
    a walk (``t_history``); "back" resumes the walk of ``back_round_id``. None when the rules
    refuse (not a closed round of the school with the teacher's students, a student not among
    them): all alike, nothing said."""
    try:
        rnd, students = walk.closed_round_students(
            ctx.session, teacher_id=ctx.person.id, round_id=round_id
        )
    except DomainError:
        return None
    name = next((s.name for s in students if s.student_id == student_id), None)
    if name is None:
        return None
    visible = feedback.feedback_visible_to(
        ctx.session,
        actor_id=ctx.person.id,
        round_id=rnd.id,
        student_id=student_id,
        channel=ctx.channel,
    )
    card = _student_card(
        ctx,
        sub={"round_id": back_round_id, "round_name": rnd.name},
        name=name,
        entries=visible,
        plan=_submitted_plan(ctx, rnd.id, student_id),
        back_key="teacher.earlier_back",
    )
    return [Reply(card=card)]


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    step = sub.get("step")
    if step == "earlier":
        rounds = closed_rounds_taught(ctx.session, teacher_id=ctx.person.id)
        if not rounds:
            return [Reply(text=ctx.t("teacher.no_earlier"))]
        shown = sub.get("shown")
        args = {"round_id": str(shown)} if shown is not None else {}
        back = Choice(ctx.t("teacher.earlier_back"), A.START_FEEDBACK, args, submits_fields=False)
        card = rounds_card(
            ctx,
            title=ctx.t("teacher.earlier_title"),
            text=ctx.t("teacher.earlier_text"),
            rounds=rounds,
            action=A.START_FEEDBACK,
            shown_id=shown,
            back=back,
        )
        return [Reply(card=card)]
    if step == "closed":
        return [Reply(card=_list_card(ctx, sub))]
    sid = int(sub["student_id"])
    name = next((s[1] for s in sub.get("students", []) if s[0] == sid), "")
    visible = feedback.feedback_visible_to(
        ctx.session,
        actor_id=ctx.person.id,
        round_id=int(sub["round_id"]),
        student_id=sid,
        channel=ctx.channel,
    )
    card = _student_card(
        ctx,
        sub=sub,
        name=name,
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


# -- cards ------------------------------------------------------------------------------------


def _list_card(ctx: Ctx, sub: Sub) -> Card:
    """The teacher's students in the round; the other closed rounds and the open walk, when
    there are."""
    students: Sequence[Sequence[Any]] = sub.get("students", [])
    choices = tuple(
        Choice(
            label=f"{s[1]} ({s[2]})",
            action=A.T_VIEW,
            args={"student_id": str(s[0])},
            submits_fields=False,
        )
        for s in students
    )
    if sub.get("earlier"):
        choices += (choice(ctx, "teacher.earlier", A.T_EARLIER),)
    if sub.get("open"):
        choices += (choice(ctx, "teacher.to_feedback", A.START_FEEDBACK, Style.PRIMARY),)
    return Card(
        kind="closed",
        title=ctx.t("teacher.closed_title", round=sub.get("round_name", "")),
        text=ctx.t("teacher.closed_text"),
        choices=choices,
        note="" if sub.get("open") else ctx.t("teacher.nothing_open"),
    )


def _student_card(
    ctx: Ctx,
    *,
    sub: Sub,
    name: str,
    entries: Sequence[FeedbackView],
    plan: Mapping[str, Any] | None = None,
    back_key: str = "teacher.closed_back",
) -> Card:
    """Everyone's feedback on the student in a closed round, and their submitted plan; the back
    button (``back_key``) opens ``sub["round_id"]``."""
    round_name = sub.get("round_name", "")
    sections = tuple(
        Section(
            title=f"{e.subject} · {e.teacher_name}",
            facts=entry_facts(ctx, e.light, e.remark, e.action),
            light=int(e.light),
        )
        for e in entries
    )
    if plan is not None:
        heading = Section(title=ctx.t("teacher.plan_title", name=name))
        sections += (heading, *plan_text.plan_sections(ctx, plan))
    text = ctx.t("teacher.closed_student_text", round=round_name)
    if not entries:
        text = f"{text}\n{ctx.t('teacher.closed_no_feedback')}"
    back = choice(ctx, back_key, A.START_FEEDBACK, round_id=sub["round_id"])
    return Card(kind="report", title=name, text=text, sections=sections, choices=(back,))
