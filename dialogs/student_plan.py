"""The student's side: the shared feedback and mentor note, the action plan in short guided
steps, its review and submission, and the agreements.

Plan steps, in order: ``went_well``; one ``subject:<name>`` per subject with "Let op"/"Pas op"
(``storage.plans.plan_steps``); ``help``; ``other``. Each step saves its answer at once (a draft),
so stopping loses nothing. The plan stays editable until the mentor records the agreements.

State (``sub``): ``step`` in ``home``, ``plan``, ``review``, ``agreements``, ``none``;
``round_id``; ``i`` (index of the plan step); ``draft`` (a typed answer that was too long).

Answering a step and submitting answer the acted card first (the answer as saved, or the plan as
submitted) and then show the next step or the home card; an empty or too long answer re-shows
the same step in place with the reason (``dialogs.flow``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NamedTuple

from dialogs import actions as A
from dialogs import plan_text
from dialogs.flow import (
    Ctx,
    StepResult,
    Sub,
    again,
    answered,
    arg_id,
    choice,
    error_text,
    free_text,
    light_label,
)
from dialogs.types import Card, Choice, Fact, FieldKind, Incoming, InputField, Reply, Section, Style
from storage import plans
from storage.errors import DomainError, InvalidInput, NotAllowed, TextTooLong
from storage.mentoring import StudentReport, student_report
from storage.models import Light
from storage.permissions import Action, Facts, decide
from storage.round_finder import rounds_shared_with

REQUIRED = ("went_well", "subject")  # steps that need an answer; help and other are optional


def accepts_text(sub: Sub) -> bool:
    return sub.get("step") == "plan"


answers_text = accepts_text  # typed text answers the open question


def handle(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    action = inc.action or ""
    values = dict(inc.values)
    if inc.action is None and sub.get("step") == "plan":
        action, values = A.S_ANSWER, {"answer": inc.text or ""}
    if action != A.S_ANSWER:
        sub.pop("draft", None)
        sub.pop("from_review", None)
    if action in (A.S_PLAN, A.S_FEEDBACK) and "round_id" in inc.args:  # a notification's button
        sub = _in_round(sub, ctx, arg_id(inc.args.get("round_id")))
    if action == A.S_START or "round_id" not in sub:
        return _start(sub, ctx)
    if action in (A.S_FEEDBACK, A.CANCEL):
        sub["step"] = "home"
        return sub, prompt(sub, ctx)
    if action == A.S_PLAN:
        _open_plan(sub, ctx)
        return sub, prompt(sub, ctx)
    if action == A.S_ANSWER:
        return _answer(sub, ctx, values.get("answer"))
    if action == A.S_PREV:
        sub.update(step="plan", i=max(int(sub.get("i", 0)) - 1, 0))
        return sub, prompt(sub, ctx)
    if action == A.S_GOTO:
        steps = _steps(sub, ctx)
        i = arg_id(inc.args.get("step"))
        if i is None or not 0 <= i < len(steps):
            return sub, prompt(sub, ctx)
        sub.update(step="plan", i=i, from_review=True)  # answered, it goes back to the review
        return sub, prompt(sub, ctx)
    if action == A.S_SUBMIT:
        return _submit(sub, ctx)
    if action == A.S_AGREEMENTS:
        sub["step"] = "agreements"
        return sub, prompt(sub, ctx)
    return sub, prompt(sub, ctx)


def _start(sub: Sub, ctx: Ctx) -> StepResult:
    rounds = rounds_shared_with(ctx.session, student_id=ctx.person.id)
    if not rounds:
        return {"step": "none"}, [Reply(text=ctx.t("student.nothing_shared"))]
    if sub.get("round_id") == rounds[0].id and sub.get("step") in ("plan", "review"):
        return sub, prompt(sub, ctx)  # resume the plan where the student was
    sub = {"step": "home", "round_id": rounds[0].id}
    return sub, prompt(sub, ctx)


def _in_round(sub: Sub, ctx: Ctx, round_id: int | None) -> Sub:
    """The state for a button naming a round ("make your plan" in a notification): that round
    when it was shared with the student, else the state as it is (the button then does what
    it does without a round)."""
    if round_id is None or round_id == sub.get("round_id"):
        return sub
    shared = {r.id for r in rounds_shared_with(ctx.session, student_id=ctx.person.id)}
    return {"step": "home", "round_id": round_id} if round_id in shared else sub


# -- the plan ----------------------------------------------------------------------------------


class Step(NamedTuple):
    key: str  # went_well, subject, help, other
    subject: str = ""  # the subject of a ``subject`` step
    light: Light | None = None  # and its worst light


def _steps(sub: Sub, ctx: Ctx) -> list[Step]:
    subjects = plans.plan_steps(
        ctx.session, student_id=ctx.person.id, round_id=int(sub["round_id"])
    )
    return (
        [Step("went_well")]
        + [Step("subject", s.subject, s.light) for s in subjects]
        + [Step("help"), Step("other")]
    )


def _answers(sub: Sub, ctx: Ctx) -> tuple[dict[str, Any], str | None]:
    """The plan's answers and state (None when not started)."""
    plan = plans.get_plan(
        ctx.session,
        actor_id=ctx.person.id,
        round_id=int(sub["round_id"]),
        student_id=ctx.person.id,
        channel=ctx.channel,
    )
    return (dict(plan.answers), str(plan.state)) if plan else ({}, None)


def _value(answers: dict[str, Any], key: str, subject: str) -> str:
    if key == "subject":
        return str((answers.get("subjects") or {}).get(subject, ""))
    return str(answers.get(key, ""))


def _open_plan(sub: Sub, ctx: Ctx) -> None:
    """Where "make / see or change my plan" leads: the first required step still empty, else
    the review (an optional step left empty is a choice, not a gap)."""
    answers, _ = _answers(sub, ctx)
    for i, step in enumerate(_steps(sub, ctx)):
        if step.key in REQUIRED and not _value(answers, step.key, step.subject):
            sub.update(step="plan", i=i)
            return
    sub["step"] = "review"


def _answer(sub: Sub, ctx: Ctx, value: str | None) -> StepResult:
    steps = _steps(sub, ctx)
    i = min(int(sub.get("i", 0)), len(steps) - 1)
    key, subject, light = steps[i]
    try:
        text = free_text(value, ctx)
        if text is None and key in REQUIRED:
            return sub, again(prompt(sub, ctx), ctx.t("student.answer_needed"))
        answer: dict[str, Any] = (
            {"subjects": {subject: text or ""}} if key == "subject" else {key: text or ""}
        )
        plans.save_plan(
            ctx.session,
            actor_id=ctx.person.id,
            round_id=int(sub["round_id"]),
            answers=answer,
            now=ctx.now,
            channel=ctx.channel,
        )
    except TextTooLong as exc:
        sub["draft"] = value
        return sub, again(prompt(sub, ctx), error_text(ctx.lang, exc))
    except NotAllowed as exc:
        return _refused(sub, ctx, exc)
    sub.pop("draft", None)
    card = Card(
        kind="plan_step",
        title=ctx.t("student.step_title", n=i + 1, total=len(steps)),
        text=_question(ctx, steps[i]),
    )
    saved = Fact(ctx.t("student.answer_label"), text or "-")
    done = answered(card, ctx.t("answered.value"), facts=(saved,))
    if i + 1 < len(steps) and not sub.pop("from_review", False):
        sub.update(step="plan", i=i + 1)
    else:
        sub["step"] = "review"
    return sub, [done] + prompt(sub, ctx)


def _submit(sub: Sub, ctx: Ctx) -> StepResult:
    try:
        new = plans.submit_plan(
            ctx.session,
            actor_id=ctx.person.id,
            round_id=int(sub["round_id"]),
            now=ctx.now,
            channel=ctx.channel,
        )
    except InvalidInput:
        sub.update(step="plan", i=0)
        return sub, again(prompt(sub, ctx), ctx.t("student.plan_empty"))
    except NotAllowed as exc:
        return _refused(sub, ctx, exc)
    sub["step"] = "home"
    note = ctx.t("student.submitted" if new else "student.updated")
    answers, _ = _answers(sub, ctx)
    card = Card(
        kind="plan_review",
        title=ctx.t("student.review_title"),
        sections=plan_text.plan_sections(ctx, answers),
    )
    return sub, [answered(card, note)] + prompt(sub, ctx)


def _refused(sub: Sub, ctx: Ctx, exc: DomainError) -> StepResult:
    sub["step"] = "home"
    reason = str(exc.params.get("reason", ""))
    if reason == "agreements_recorded":
        text = ctx.t("student.plan_closed")
    else:
        text = error_text(ctx.lang, exc)
    card = Card(kind="plan", title=ctx.t("student.review_title"))  # the plan card acted on
    return sub, [answered(card, ctx.t("answered.not_done", reason=text))] + prompt(sub, ctx)


# -- rendering ---------------------------------------------------------------------------------


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    step = sub.get("step")
    if "round_id" not in sub or step == "none":
        return [Reply(text=ctx.t("student.nothing_shared"))]
    try:
        report = student_report(
            ctx.session,
            actor_id=ctx.person.id,
            round_id=int(sub["round_id"]),
            student_id=ctx.person.id,
            channel=ctx.channel,
        )
    except DomainError:
        return [Reply(text=ctx.t("student.nothing_shared"))]
    if step == "plan":
        return [Reply(card=_step_card(sub, ctx, report))]
    if step == "review":
        answers, state = _answers(sub, ctx)
        return [Reply(card=_review_card(sub, ctx, answers, state))]
    if step == "agreements":  # the agreements, and below them the plan they were made on
        text = report.agreements or ctx.t("student.no_agreements")
        card = Card(
            kind="agreements",
            title=ctx.t("student.agreements_title"),
            text=text,
            sections=plan_text.plan_sections(ctx, report.plan_answers or {})
            if report.plan_answers
            else (),
            choices=(choice(ctx, "student.back_home", A.S_FEEDBACK),),
        )
        return [Reply(card=card)]
    return [Reply(card=_home_card(ctx, report))]


def _home_card(ctx: Ctx, report: StudentReport) -> Card:
    sections = [
        Section(
            title=line.subject,
            facts=tuple(
                f
                for f in (
                    Fact(ctx.t("dialog.light"), light_label(ctx, line.light)),
                    Fact(ctx.t("dialog.remark"), line.remark) if line.remark else None,
                    Fact(ctx.t("dialog.action"), line.action) if line.action else None,
                )
                if f is not None
            ),
            light=int(line.light) if line.light else None,
        )
        for line in report.lines
        if line.light is not None
    ]
    if report.mentor_note:
        sections.append(Section(title=ctx.t("student.mentor_note"), text=report.mentor_note))
    if report.agreements:
        plan_key = None
    elif report.plan_state is None:
        plan_key = "student.start_plan"
    else:
        plan_key = "student.edit_plan"
    may_write = decide(
        Action.WRITE_PLAN,
        Facts(
            is_self=True,
            round_state=report.round_state,
            shared=report.shared,
            agreements_recorded=bool(report.agreements),
            full_package=ctx.settings.full_package,
        ),
    )
    choices = []
    if plan_key and may_write:
        choices.append(choice(ctx, plan_key, A.S_PLAN, Style.PRIMARY))
    if report.agreements:
        choices.append(choice(ctx, "student.see_agreements", A.S_AGREEMENTS, Style.PRIMARY))
    facts: tuple[Fact, ...] = ()
    if report.plan_state is not None:
        facts = (Fact(ctx.t("student.plan_label"), ctx.t(f"mentor.plan_{report.plan_state}")),)
    return Card(
        kind="feedback",
        title=ctx.t("student.feedback_title", round=report.round_name),
        text=ctx.t("student.feedback_text"),
        facts=facts,
        sections=tuple(sections),
        choices=tuple(choices),
    )


def _step_card(sub: Sub, ctx: Ctx, report: StudentReport) -> Card:
    steps = _steps(sub, ctx)
    i = min(int(sub.get("i", 0)), len(steps) - 1)
    key, subject, _light = steps[i]
    answers, _ = _answers(sub, ctx)
    sections: tuple[Section, ...] = ()
    question = _question(ctx, steps[i])
    if key == "subject":
        sections = tuple(
            Section(
                title=f"{line.subject} · {line.teacher_name}",
                facts=tuple(
                    Fact(label, value)
                    for label, value in (
                        (ctx.t("dialog.light"), light_label(ctx, line.light)),
                        (ctx.t("dialog.remark"), line.remark or ""),
                        (ctx.t("dialog.action"), line.action or ""),
                    )
                    if value
                ),
                light=int(line.light) if line.light else None,
            )
            for line in report.lines
            if line.subject == subject
        )
    value = sub.get("draft") or _value(answers, key, subject)
    choices: list[Choice] = [
        Choice(label=ctx.t("student.next"), action=A.S_ANSWER, style=Style.PRIMARY)
    ]
    if i > 0:
        choices.append(choice(ctx, "student.prev", A.S_PREV))
    choices.append(choice(ctx, "student.stop", A.STOP))
    card = Card(
        kind="plan_step",
        title=ctx.t("student.step_title", n=i + 1, total=len(steps)),
        text=question,
        sections=sections,
        fields=(
            InputField(
                id="answer",
                label=ctx.t("student.answer_label"),
                kind=FieldKind.MULTILINE,
                value=value,
                required=key in REQUIRED,
                max_length=ctx.settings.max_text_length,
            ),
        ),
        choices=tuple(choices),
    )
    return replace(card, note=ctx.t("student.typing_hint")) if i == 0 else card


def _review_card(sub: Sub, ctx: Ctx, answers: dict[str, Any], state: str | None) -> Card:
    steps = _steps(sub, ctx)
    edit = tuple(
        Choice(
            label=ctx.t("student.edit_step", step=_step_name(ctx, step)),
            action=A.S_GOTO,
            args={"step": str(i)},
            submits_fields=False,
        )
        for i, step in enumerate(steps)
    )
    submit_key = "student.submit" if state != "submitted" else "student.resubmit"
    return Card(
        kind="plan_review",
        title=ctx.t("student.review_title"),
        text=ctx.t("student.review_text"),
        sections=plan_text.plan_sections(ctx, answers),
        choices=(choice(ctx, submit_key, A.S_SUBMIT, Style.PRIMARY),)
        + edit
        + (choice(ctx, "student.back_home", A.S_FEEDBACK),),
    )


def _question(ctx: Ctx, step: Step) -> str:
    if step.key == "subject":
        return ctx.t("student.q_subject", subject=step.subject, light=light_label(ctx, step.light))
    return ctx.t(f"student.q_{step.key}")


def _step_name(ctx: Ctx, step: Step) -> str:
    if step.key == "subject":
        return step.subject
    return ctx.t(f"student.name_{step.key}")
