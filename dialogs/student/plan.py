"""The student's side: the shared feedback and mentor note, the action plan, and the
agreements. The flow module of ``dialogs.engine.FLOWS``; the plan's steps, review and submission
live in ``dialogs.student.plan_steps``.

State (``sub``): ``step`` in ``home``, ``plan``, ``review``, ``agreements``, ``rounds`` (the
rounds shared with the student, to choose another: offered when there is more than one),
``none``; ``round_id`` (the round shown, the latest by default: the plan and the agreements are
this round's); ``i`` (index of the plan step); ``draft`` (a typed answer that was too long; after
a stop it waits for the student to go on).

Answering a step and submitting answer the acted card first (the answer as saved, or the plan as
submitted) and then show the next step or the home card; an empty or too long answer re-shows
the same step in place with the reason (``dialogs.flow``). "Previous" and "stop" on a step save
what was typed in its field first (``plan_steps.keep``), answering the acted card when they did.
"""

from __future__ import annotations

from dialogs import actions as A
from dialogs.flow import Ctx, StepResult, Sub, again, arg_id, choice, light_label
from dialogs.round_choice import rounds_card
from dialogs.student import plan_steps, plan_text
from dialogs.types import Card, Fact, Incoming, Reply, Section, Style
from storage.errors import DomainError
from storage.mentoring.receipts import mark_read
from storage.mentoring.service import StudentReport, student_report
from storage.models import PlanState
from storage.permissions import Action, Facts, decide
from storage.rounds.finder import rounds_shared_with


def accepts_text(sub: Sub) -> bool:
    return sub.get("step") == "plan"


answers_text = accepts_text  # typed text answers the open question


def handle(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    action = inc.action or ""
    values = dict(inc.values)
    if inc.action is None and sub.get("step") == "plan":
        action, values = A.S_ANSWER, {"answer": inc.text or ""}
    if action not in (A.S_ANSWER, A.S_STOP, A.S_START):  # stop and resume keep the step as is
        sub.pop("draft", None)
        sub.pop("from_review", None)
    if action in (A.S_PLAN, A.S_FEEDBACK) and "round_id" in inc.args:  # a notification, a choice
        target = _in_round(sub, ctx, arg_id(inc.args.get("round_id")))
        if target is None:
            return _rounds(sub, ctx, ctx.t("rounds.not_yours"))
        sub = target
    if action == A.S_ROUNDS:
        return _rounds(sub, ctx)
    if action == A.S_START or "round_id" not in sub:
        return _start(sub, ctx)
    if action in (A.S_FEEDBACK, A.CANCEL):
        sub["step"] = "home"
        return sub, prompt(sub, ctx)
    if action == A.S_PLAN:
        plan_steps.open_plan(sub, ctx)
        return sub, prompt(sub, ctx)
    if action == A.S_ANSWER:
        return _then(plan_steps.answer(sub, ctx, values.get("answer")), ctx)
    if action == A.S_PREV:
        out = plan_steps.keep(sub, ctx, values.get("answer"))
        if out.again is None and out.sub.get("step") == "plan":
            out.sub["i"] = max(int(out.sub.get("i", 0)) - 1, 0)
        return _then(out, ctx)
    if action == A.S_STOP:  # the engine pauses after it, as after "stop"
        return _stop(sub, ctx, values.get("answer"))
    if action == A.S_GOTO:
        steps = plan_steps.steps_of(sub, ctx)
        i = arg_id(inc.args.get("step"))
        if i is None or not 0 <= i < len(steps):
            return sub, prompt(sub, ctx)
        sub.update(step="plan", i=i, from_review=True)  # answered, it goes back to the review
        return sub, prompt(sub, ctx)
    if action == A.S_SUBMIT:
        return _then(plan_steps.submit(sub, ctx), ctx)
    if action == A.S_AGREEMENTS:
        sub["step"] = "agreements"
        return sub, prompt(sub, ctx)
    return sub, prompt(sub, ctx)


def _then(out: plan_steps.Outcome, ctx: Ctx) -> StepResult:
    """A plan action's outcome with the prompt of the state it ends in."""
    if out.again is not None:
        return out.sub, again(prompt(out.sub, ctx), out.again)
    return out.sub, [*out.done, *prompt(out.sub, ctx)]


def _stop(sub: Sub, ctx: Ctx, value: str | None) -> StepResult:
    """Stop on a plan step: what was typed is saved first; a text too long to save is kept
    for when the student goes on, and the stop says so."""
    on_step = sub.get("step") == "plan"
    out = plan_steps.keep(sub, ctx, value)
    if out.again is not None:
        return out.sub, [Reply(text=ctx.t("student.stopped_unsaved", reason=out.again))]
    if on_step and out.sub.get("step") != "plan":  # refused: the agreements were recorded
        return _then(out, ctx)
    return out.sub, [*out.done, Reply(text=ctx.t("dialog.stopped"))]


def _start(sub: Sub, ctx: Ctx) -> StepResult:
    rounds = rounds_shared_with(ctx.session, student_id=ctx.person.id)
    if not rounds:
        return {"step": "none"}, [Reply(text=ctx.t("student.nothing_shared"))]
    if sub.get("round_id") == rounds[0].id and sub.get("step") in ("plan", "review"):
        return sub, prompt(sub, ctx)  # resume the plan where the student was
    sub = {"step": "home", "round_id": rounds[0].id}
    return sub, prompt(sub, ctx)


def _in_round(sub: Sub, ctx: Ctx, round_id: int | None) -> Sub | None:
    """The state for a button naming a round ("make your plan" in a notification, a round
    chosen from the list): that round when it was shared with the student, else None."""
    if round_id is not None and round_id == sub.get("round_id"):
        return sub
    shared = {r.id for r in rounds_shared_with(ctx.session, student_id=ctx.person.id)}
    return {"step": "home", "round_id": round_id} if round_id in shared else None


def _rounds(sub: Sub, ctx: Ctx, note: str = "") -> StepResult:
    """The rounds shared with the student, to choose one; a refused choice says so in ``note``
    (the same words for any round that is not theirs)."""
    new: Sub = {"step": "rounds"}
    if "round_id" in sub:
        new["round_id"] = sub["round_id"]
    return new, _rounds_prompt(new, ctx, note)


def _rounds_prompt(sub: Sub, ctx: Ctx, note: str = "") -> list[Reply]:
    rounds = rounds_shared_with(ctx.session, student_id=ctx.person.id)
    if not rounds:
        return [Reply(text=ctx.t("student.nothing_shared"))]
    back = choice(ctx, "student.back_home", A.S_FEEDBACK) if "round_id" in sub else None
    card = rounds_card(
        ctx,
        title=ctx.t("student.rounds_title"),
        text=ctx.t("student.rounds_text"),
        rounds=rounds,
        action=A.S_FEEDBACK,
        shown_id=sub.get("round_id"),
        back=back,
        note=note,
    )
    return [Reply(card=card)]


# -- rendering ---------------------------------------------------------------------------------


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    step = sub.get("step")
    if step == "rounds":
        return _rounds_prompt(sub, ctx)
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
        return [Reply(card=plan_steps.step_card(sub, ctx, report))]
    if step == "review":
        answers, state = plan_steps.answers_of(sub, ctx)
        return [Reply(card=plan_steps.review_card(sub, ctx, answers, state))]
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
    several = len(rounds_shared_with(ctx.session, student_id=ctx.person.id)) > 1
    if report.shared:  # the student sees the shared feedback now: the first time is recorded
        mark_read(
            ctx.session,
            student_id=ctx.person.id,
            round_id=report.round_id,
            now=ctx.now,
            channel=ctx.channel,
        )
    return [Reply(card=_home_card(ctx, report, other_rounds=several))]


def _home_card(ctx: Ctx, report: StudentReport, *, other_rounds: bool = False) -> Card:
    """The round's feedback and mentor note, the plan's state and what can be done next;
    ``other_rounds``: a way to the other rounds shared with the student."""
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
    given = bool(sections)  # a shared round may hold no feedback for the student
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
    own = Facts(
        is_self=True,
        round_state=report.round_state,
        shared=report.shared,
        full_package=ctx.settings.full_package,
    )
    if given and decide(Action.READ_REPORT, own):  # the PDF for the three-way meeting
        choices.append(
            choice(
                ctx,
                "report.button",
                A.REPORT_PDF,
                round_id=report.round_id,
                student_id=report.student_id,
            )
        )
    if other_rounds:
        choices.append(choice(ctx, "student.other_round", A.S_ROUNDS))
    facts: tuple[Fact, ...] = ()
    if report.plan_state is not None:
        facts = (Fact(ctx.t("student.plan_label"), ctx.t(f"mentor.plan_{report.plan_state}")),)
    return Card(
        kind="feedback",
        title=ctx.t("student.feedback_title", round=report.round_name),
        text=ctx.t(_feedback_text_key(report, given=given, may_write=bool(may_write))),
        facts=facts,
        sections=tuple(sections),
        choices=tuple(choices),
    )


def _feedback_text_key(report: StudentReport, *, given: bool, may_write: bool) -> str:
    """What the feedback page says to do next: read, make the plan, the plan is submitted, or
    see the agreements."""
    if not given:
        return "student.no_feedback"
    if report.agreements:
        return "student.feedback_text_agreed"
    if report.plan_state is PlanState.SUBMITTED:
        return "student.feedback_text_submitted"
    return "student.feedback_text" if may_write else "student.feedback_text_read"
