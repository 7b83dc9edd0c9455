"""The mentor's review: overview of the mentees (who needs attention first), the per-student
report, the mentor note, sharing with the student (confirm; only after close), the submitted
action plan, and the agreements of the three-way meeting.

State (``sub``): ``step`` in ``overview``, ``rounds`` (the rounds with the mentor's mentees, to
choose another: shown when there is more than one), ``report``, ``note``, ``share``, ``plan``,
``agree``, ``none``; ``round_id`` (the round shown; the latest by default); ``student_id`` for
the per-student steps. ``draft`` keeps a typed text that could not be saved (too long), so
nothing typed is lost.

Saving the note or the agreements and confirming the share answer the acted card first (the
saved text or "Gedeeld met ...") and then show the report (``dialogs.flow``).
"""

from __future__ import annotations

from dataclasses import replace

from dialogs import actions as A
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
)
from dialogs.mentor import cards
from dialogs.round_choice import rounds_card
from dialogs.types import Fact, Incoming, Reply
from storage.errors import DomainError, InvalidTransition, NotAllowed, TextTooLong
from storage.mentoring import service as mentoring
from storage.mentoring.picture import class_picture
from storage.models import Round
from storage.permissions import Action, Reason, decide
from storage.rounds.finder import rounds_for_mentor

TEXT_STEPS = ("note", "agree")


def accepts_text(sub: Sub) -> bool:
    return sub.get("step") in TEXT_STEPS


answers_text = accepts_text  # typed text answers the open question


def handle(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    action = inc.action or ""
    if inc.action is None and sub.get("step") in TEXT_STEPS:  # typed text answers the question
        field = "note" if sub["step"] == "note" else "agreements"
        action, values = (A.M_NOTE if field == "note" else A.M_AGREE), {field: inc.text or ""}
    else:
        values = dict(inc.values)
    if action != A.M_NOTE and action != A.M_AGREE:
        sub.pop("draft", None)
    if action == A.M_START:
        return _start(sub, ctx, arg_id(inc.args.get("round_id")))
    if action == A.M_ROUNDS:
        return _rounds(sub, ctx)
    if action == A.M_ROUND:
        return _pick_round(sub, ctx, arg_id(inc.args.get("round_id")))
    if action in (A.M_STUDENT, A.M_SHARE) and "round_id" in inc.args:  # from a notification
        target = _in_round(sub, ctx, arg_id(inc.args.get("round_id")))
        if target is None:
            return _start({}, ctx, None)
        sub = target
    if "round_id" not in sub:
        return _start(sub, ctx, None)
    if action in (A.M_BACK, A.CANCEL):
        return {"step": "overview", "round_id": sub["round_id"]}, _overview(sub, ctx)
    if action == A.M_STUDENT:
        return _open_student(sub, ctx, arg_id(inc.args.get("student_id")))
    if action == A.M_SHARE and "student_id" in inc.args:
        return _open_student(sub, ctx, arg_id(inc.args.get("student_id")), share=True)
    if "student_id" not in sub:
        return sub, prompt(sub, ctx)
    if action == A.M_NOTE:
        return _text_step(sub, ctx, "note", values.get("note"))
    if action == A.M_AGREE:
        return _text_step(sub, ctx, "agree", values.get("agreements"))
    if action == A.M_SHARE:
        sub["step"] = "share"
        return sub, prompt(sub, ctx)
    if action == A.M_SHARE_YES:
        return _share(sub, ctx)
    if action == A.M_PLAN:
        sub["step"] = "plan"
        return sub, prompt(sub, ctx)
    return sub, prompt(sub, ctx)


def _start(sub: Sub, ctx: Ctx, round_id: int | None) -> StepResult:
    rounds = rounds_for_mentor(ctx.session, mentor_id=ctx.person.id, school_id=ctx.school.id)
    if round_id is not None:
        rounds = [r for r in rounds if r.id == round_id] or rounds
    if not rounds:
        return {"step": "none"}, [Reply(text=ctx.t("mentor.no_mentees"))]
    resume = round_id is None  # the digest's "overview" (a round named) shows the overview
    if resume and sub.get("round_id") == rounds[0].id and sub.get("step") not in (None, "none"):
        return sub, prompt(sub, ctx)  # resume where the mentor was
    sub = {"step": "overview", "round_id": rounds[0].id}
    return sub, _overview(sub, ctx)


def _rounds(sub: Sub, ctx: Ctx, note: str = "") -> StepResult:
    """The rounds with the mentor's mentees, to choose one ("Andere bespreking")."""
    new: Sub = {"step": "rounds"}
    if "round_id" in sub:
        new["round_id"] = sub["round_id"]
    return new, _rounds_prompt(new, ctx, note)


def _pick_round(sub: Sub, ctx: Ctx, round_id: int | None) -> StepResult:
    """The overview of a chosen round; a round that is not one of the mentor's (another
    school's, one without their mentees, a draft) is refused without saying why."""
    rounds = rounds_for_mentor(ctx.session, mentor_id=ctx.person.id, school_id=ctx.school.id)
    if round_id is None or round_id not in {r.id for r in rounds}:
        return _rounds(sub, ctx, ctx.t("rounds.not_yours"))
    new = {"step": "overview", "round_id": round_id}
    return new, _overview(new, ctx, rounds=rounds)


def _in_round(sub: Sub, ctx: Ctx, round_id: int | None) -> Sub | None:
    """The state for a button naming a round (digest, notification): that round's overview
    unless the mentor is in it already; None when it is not one of the mentor's rounds."""
    rounds = rounds_for_mentor(ctx.session, mentor_id=ctx.person.id, school_id=ctx.school.id)
    if round_id is None or round_id not in {r.id for r in rounds}:
        return None
    if sub.get("round_id") == round_id:
        return sub
    return {"step": "overview", "round_id": round_id}


def _open_student(sub: Sub, ctx: Ctx, student_id: int | None, *, share: bool = False) -> StepResult:
    """A mentee's report; with ``share`` (``m_share`` naming a student: a digest's button) that
    student's confirmation, when the rules allow sharing now, else the report with the reason."""
    if student_id is None:
        return sub, prompt(sub, ctx)
    wanted = {**sub, "step": "report", "student_id": student_id}
    wanted.pop("draft", None)
    try:  # a student who is not a mentee is refused before the state points at them
        report = _load_report(wanted, ctx)
    except DomainError as exc:
        back = {"step": "overview", "round_id": sub["round_id"]}
        return back, [Reply(text=ctx.t(exc.key, **exc.params))] + _overview(back, ctx)
    if not share:
        return wanted, [Reply(card=cards.report_card(ctx, report))]
    decision = decide(Action.SHARE, cards.report_facts(ctx, report))
    if report.shared or not decision:
        if report.shared:
            note = ctx.t("mentor.shared_before")
        elif decision.reason is Reason.ROUND_NOT_CLOSED:
            note = ctx.t("mentor.share_not_closed")
        else:
            note = ctx.t("error.not_allowed")
        return wanted, [Reply(text=note), Reply(card=cards.report_card(ctx, report))]
    wanted["step"] = "share"
    return wanted, [Reply(card=cards.share_card(ctx, report.student_name, report.student_id))]


def _text_step(sub: Sub, ctx: Ctx, step: str, value: str | None) -> StepResult:
    if value is None:  # the button that opens the question
        sub["step"] = step
        return sub, prompt(sub, ctx)
    sub["step"] = step
    try:
        text = free_text(value, ctx)
        if text is None and step == "agree":
            return sub, again(prompt(sub, ctx), ctx.t("dialog.empty"))
        common = dict(
            actor_id=ctx.person.id,
            round_id=int(sub["round_id"]),
            student_id=int(sub["student_id"]),
            now=ctx.now,
            channel=ctx.channel,
        )
        if step == "note":
            mentoring.set_mentor_note(ctx.session, text=text or "", **common)  # type: ignore[arg-type]
        else:
            mentoring.record_agreements(ctx.session, text=text or "", **common)  # type: ignore[arg-type]
    except TextTooLong as exc:
        sub["draft"] = value
        return sub, again(prompt(sub, ctx), error_text(ctx.lang, exc))
    sub.pop("draft", None)
    sub["step"] = "report"
    key = "mentor.note_saved" if step == "note" else "mentor.agreements_saved"
    field = "note" if step == "note" else "agreements"
    saved = Fact(ctx.t(f"mentor.{field}_label"), text or "-")
    done = answered(
        cards.text_card(ctx, sub, field, text or ""), ctx.t(key), facts=(saved,), text=""
    )
    return sub, [done] + _report(sub, ctx)


def _share(sub: Sub, ctx: Ctx) -> StepResult:
    try:
        new = mentoring.share_with_student(
            ctx.session,
            actor_id=ctx.person.id,
            round_id=int(sub["round_id"]),
            student_id=int(sub["student_id"]),
            now=ctx.now,
            channel=ctx.channel,
        )
    except (InvalidTransition, NotAllowed) as exc:
        sub["step"] = "report"
        reason = str(exc.params.get("reason", ""))
        if reason == "round_not_closed":
            text = ctx.t("mentor.share_not_closed")
        else:
            text = error_text(ctx.lang, exc)
        report = _load_report(sub, ctx)
        card = cards.share_card(ctx, report.student_name, report.student_id)
        done = answered(card, ctx.t("answered.not_done", reason=text), text="")
        return sub, [done, Reply(card=cards.report_card(ctx, report))]
    sub["step"] = "report"
    report = _load_report(sub, ctx)
    note = ctx.t("answered.shared", name=report.student_name)
    if not new:
        note = ctx.t("mentor.shared_before")
    done = answered(cards.share_card(ctx, report.student_name, report.student_id), note, text="")
    return sub, [done, Reply(card=cards.report_card(ctx, report))]


# -- rendering ---------------------------------------------------------------------------------


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    step = sub.get("step")
    if step == "overview":
        return _overview(sub, ctx)
    if step == "rounds":
        return _rounds_prompt(sub, ctx)
    if step in ("report", "note", "agree", "share", "plan") and "student_id" in sub:
        try:
            report = _load_report(sub, ctx)
        except DomainError as exc:
            return [Reply(text=error_text(ctx.lang, exc))] + _overview(sub, ctx)
        if step == "note":
            return [Reply(card=cards.text_card(ctx, sub, "note", report.mentor_note or ""))]
        if step == "agree":
            return [Reply(card=cards.text_card(ctx, sub, "agreements", report.agreements or ""))]
        if step == "share":
            return [Reply(card=cards.share_card(ctx, report.student_name, report.student_id))]
        if step == "plan":
            return [Reply(card=cards.plan_card(ctx, report))]
        return [Reply(card=cards.report_card(ctx, report))]
    return [Reply(text=ctx.t("mentor.no_mentees"))]


def _load_report(sub: Sub, ctx: Ctx) -> mentoring.StudentReport:
    return mentoring.student_report(
        ctx.session,
        actor_id=ctx.person.id,
        round_id=int(sub["round_id"]),
        student_id=int(sub["student_id"]),
        channel=ctx.channel,
    )


def _report(sub: Sub, ctx: Ctx, note: str = "") -> list[Reply]:
    card = cards.report_card(ctx, _load_report(sub, ctx))
    return [Reply(card=replace(card, note=note))]


def _overview(sub: Sub, ctx: Ctx, *, rounds: list[Round] | None = None) -> list[Reply]:
    rnd = ctx.session.get(Round, int(sub["round_id"]))
    picture = class_picture(
        ctx.session, mentor_id=ctx.person.id, round_id=int(sub["round_id"]), channel=ctx.channel
    )
    if rnd is None or not picture.rows:
        return [Reply(text=ctx.t("mentor.no_mentees"))]
    if rounds is None:
        rounds = rounds_for_mentor(ctx.session, mentor_id=ctx.person.id, school_id=ctx.school.id)
    card = cards.overview_card(
        ctx, round_name=rnd.name, state=rnd.state, picture=picture, other_rounds=len(rounds) > 1
    )
    return [Reply(card=card)]


def _rounds_prompt(sub: Sub, ctx: Ctx, note: str = "") -> list[Reply]:
    rounds = rounds_for_mentor(ctx.session, mentor_id=ctx.person.id, school_id=ctx.school.id)
    if not rounds:
        return [Reply(text=ctx.t("mentor.no_mentees"))]
    card = rounds_card(
        ctx,
        title=ctx.t("mentor.rounds_title"),
        text=ctx.t("mentor.rounds_text"),
        rounds=rounds,
        action=A.M_ROUND,
        shown_id=sub.get("round_id"),
        back=choice(ctx, "mentor.back", A.M_BACK) if "round_id" in sub else None,
        note=note,
    )
    return [Reply(card=card)]
