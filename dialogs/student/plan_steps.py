"""The action plan in short guided steps: which steps, answering one, the review, submitting.

Plan steps, in order: ``went_well``; one ``subject:<name>`` per subject with "Let op"/"Pas op"
(``storage.mentoring.plans.plan_steps``); ``help``; ``other``. Each step saves its answer at
once (a draft), so stopping loses nothing: "stop" and "previous" send the field too
(``fields_optional``: on Teams what was typed in it, on Slack and the terminal nothing, their
text is sent as typed) and a typed answer is saved before leaving the step (``keep``). The plan
stays editable until the mentor records the agreements.

The actions return an ``Outcome``; ``dialogs.student.plan`` (the flow) adds the prompt of the
state they end in: after an answered step the next step or the review, after submitting the
home card. Refused input (an empty or too long answer, an empty plan) names the reason in
``again`` and the same card is shown again in place (``dialogs.flow``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NamedTuple

from dialogs import actions as A
from dialogs.coach.port import plan_tip
from dialogs.flow import Ctx, Sub, answered, choice, error_text, free_text, light_label
from dialogs.student import plan_text
from dialogs.types import Card, Choice, Fact, FieldKind, InputField, Reply, Section, Style
from storage.errors import DomainError, InvalidInput, NotAllowed, TextTooLong
from storage.mentoring import plans
from storage.mentoring.service import StudentReport
from storage.models import Light

REQUIRED = ("went_well", "subject")  # steps that need an answer; help and other are optional


class Outcome(NamedTuple):
    """What a plan action did: the new state, the acted card answered (``done``), or for
    refused input the reason (``again``: the same card is shown again with it)."""

    sub: Sub
    done: tuple[Reply, ...] = ()
    again: str | None = None


class Step(NamedTuple):
    key: str  # went_well, subject, help, other
    subject: str = ""  # the subject of a ``subject`` step
    light: Light | None = None  # and its worst light


def steps_of(sub: Sub, ctx: Ctx) -> list[Step]:
    subjects = plans.plan_steps(
        ctx.session, student_id=ctx.person.id, round_id=int(sub["round_id"])
    )
    return (
        [Step("went_well")]
        + [Step("subject", s.subject, s.light) for s in subjects]
        + [Step("help"), Step("other")]
    )


def answers_of(sub: Sub, ctx: Ctx) -> tuple[dict[str, Any], str | None]:
    """The plan's answers and state (None when not started)."""
    plan = plans.get_plan(
        ctx.session,
        actor_id=ctx.person.id,
        round_id=int(sub["round_id"]),
        student_id=ctx.person.id,
        channel=ctx.channel,
    )
    return (dict(plan.answers), str(plan.state)) if plan else ({}, None)


def value_of(answers: dict[str, Any], key: str, subject: str) -> str:
    if key == "subject":
        return str((answers.get("subjects") or {}).get(subject, ""))
    return str(answers.get(key, ""))


def open_plan(sub: Sub, ctx: Ctx) -> None:
    """Where "make / see or change my plan" leads: the first required step still empty, else
    the review (an optional step left empty is a choice, not a gap)."""
    answers, _ = answers_of(sub, ctx)
    for i, step in enumerate(steps_of(sub, ctx)):
        if step.key in REQUIRED and not value_of(answers, step.key, step.subject):
            sub.update(step="plan", i=i)
            return
    sub["step"] = "review"


def answer(sub: Sub, ctx: Ctx, value: str | None, *, move: bool = True) -> Outcome:
    """Save the step's answer and go to the next step or the review (``move=False``: stay;
    the caller goes where the student asked)."""
    steps = steps_of(sub, ctx)
    i = min(int(sub.get("i", 0)), len(steps) - 1)
    key, subject, light = steps[i]
    try:
        text = None if is_clear(value) else free_text(value, ctx)
        if text is None and key in REQUIRED:
            return Outcome(sub, again=ctx.t("student.answer_needed"))
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
        return Outcome(sub, again=error_text(ctx.lang, exc))
    except NotAllowed as exc:
        return refused(sub, ctx, exc)
    sub.pop("draft", None)
    card = Card(
        kind="plan_step",
        title=ctx.t("student.step_title", n=i + 1, total=len(steps)),
        text=question_of(ctx, steps[i]),
    )
    saved = Fact(ctx.t("student.answer_label"), text or "-")
    tip = plan_tip(ctx, subject=subject, text=text) if key == "subject" else None
    tipped = (Fact(ctx.t("coach.plan.title"), tip),) if tip else ()
    done = answered(card, ctx.t("answered.value"), facts=(saved, *tipped))
    if not move:
        return Outcome(sub, (done,))
    if i + 1 < len(steps) and not sub.pop("from_review", False):
        sub.update(step="plan", i=i + 1)
    else:
        sub["step"] = "review"
    return Outcome(sub, (done,))


def is_clear(value: str | None) -> bool:
    """A lone ``-``: the answer made empty, as a ``-`` empties a field everywhere else (the
    terminal's fields); never stored as the answer itself."""
    return value is not None and value.strip() == "-"


def keep(sub: Sub, ctx: Ctx, value: str | None) -> Outcome:
    """Before leaving the step ("previous", "stop"): an answer typed in its field is saved as
    a draft. An empty field or the answer as saved changes nothing (leaving never wipes an
    answer); a text too long is kept in ``draft`` and named in ``again``."""
    if sub.get("step") != "plan":
        return Outcome(sub)
    if is_clear(value):  # "-": clear the answer (a required one is asked for instead)
        return answer(sub, ctx, "", move=False)
    try:
        text = free_text(value, ctx)
    except TextTooLong as exc:
        sub["draft"] = value
        return Outcome(sub, again=error_text(ctx.lang, exc))
    if text is None:
        return Outcome(sub)
    steps = steps_of(sub, ctx)
    step = steps[min(int(sub.get("i", 0)), len(steps) - 1)]
    if text == value_of(answers_of(sub, ctx)[0], step.key, step.subject):
        return Outcome(sub)
    return answer(sub, ctx, text, move=False)


def submit(sub: Sub, ctx: Ctx) -> Outcome:
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
        return Outcome(sub, again=ctx.t("student.plan_empty"))
    except NotAllowed as exc:
        return refused(sub, ctx, exc)
    sub["step"] = "home"
    note = ctx.t("student.submitted" if new else "student.updated")
    answers, _ = answers_of(sub, ctx)
    card = Card(
        kind="plan_review",
        title=ctx.t("student.review_title"),
        sections=plan_text.plan_sections(ctx, answers),
    )
    return Outcome(sub, (answered(card, note),))


def refused(sub: Sub, ctx: Ctx, exc: DomainError) -> Outcome:
    sub["step"] = "home"
    reason = str(exc.params.get("reason", ""))
    if reason == "agreements_recorded":
        text = ctx.t("student.plan_closed")
    else:
        text = error_text(ctx.lang, exc)
    card = Card(kind="plan", title=ctx.t("student.review_title"))  # the plan card acted on
    return Outcome(sub, (answered(card, ctx.t("answered.not_done", reason=text)),))


def step_card(sub: Sub, ctx: Ctx, report: StudentReport) -> Card:
    steps = steps_of(sub, ctx)
    i = min(int(sub.get("i", 0)), len(steps) - 1)
    key, subject, _light = steps[i]
    answers, _ = answers_of(sub, ctx)
    sections: tuple[Section, ...] = ()
    question = question_of(ctx, steps[i])
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
    value = sub.get("draft") or value_of(answers, key, subject)
    choices: list[Choice] = [
        Choice(label=ctx.t("student.next"), action=A.S_ANSWER, style=Style.PRIMARY)
    ]
    if i > 0:
        choices.append(_leave(ctx, "student.prev", A.S_PREV))
    choices.append(_leave(ctx, "student.stop", A.S_STOP))
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
                error_message=ctx.t("student.answer_needed") if key in REQUIRED else "",
            ),
        ),
        choices=tuple(choices),
    )
    return replace(card, note=ctx.t("student.typing_hint")) if i == 0 else card


def _leave(ctx: Ctx, key: str, action: str) -> Choice:
    """A way off the step that takes what was typed along where the channel can (``keep``)."""
    return replace(choice(ctx, key, action), submits_fields=True, fields_optional=True)


def review_card(sub: Sub, ctx: Ctx, answers: dict[str, Any], state: str | None) -> Card:
    steps = steps_of(sub, ctx)
    edit = tuple(
        Choice(
            label=ctx.t("student.edit_step", step=step_name_of(ctx, step)),
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


def question_of(ctx: Ctx, step: Step) -> str:
    if step.key == "subject":
        return ctx.t("student.q_subject", subject=step.subject, light=light_label(ctx, step.light))
    return ctx.t(f"student.q_{step.key}")


def step_name_of(ctx: Ctx, step: Step) -> str:
    if step.key == "subject":
        return step.subject
    return ctx.t(f"student.name_{step.key}")
