"""The mentor's review: overview of the mentees (who needs attention first), the per-student
report, the mentor note, sharing with the student (confirm; only after close), the submitted
action plan, and the agreements of the three-way meeting.

State (``sub``): ``step`` in ``overview``, ``report``, ``note``, ``share``, ``plan``, ``agree``,
``none``; ``round_id``; ``student_id`` for the per-student steps. ``draft`` keeps a typed text
that could not be saved (too long), so nothing typed is lost.

Saving the note or the agreements and confirming the share answer the acted card first (the
saved text or "Gedeeld met ...") and then show the report (``dialogs.flow``).
"""

from __future__ import annotations

from dataclasses import replace

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
from storage import mentoring
from storage.errors import DomainError, InvalidTransition, NotAllowed, TextTooLong
from storage.models import Light, Round, RoundState
from storage.permissions import Action, Facts, Reason, decide
from storage.round_finder import rounds_for_mentor

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
        sid = arg_id(inc.args.get("student_id"))
        if sid is None:
            return sub, prompt(sub, ctx)
        wanted = {**sub, "step": "report", "student_id": sid}
        try:  # a student who is not a mentee is refused before the state points at them
            report = _load_report(wanted, ctx)
        except DomainError as exc:
            back = {"step": "overview", "round_id": sub["round_id"]}
            return back, [Reply(text=ctx.t(exc.key, **exc.params))] + _overview(back, ctx)
        return wanted, [Reply(card=_report_card(ctx, report))]
    if action == A.M_SHARE and "student_id" in inc.args:
        return _ask_share(sub, ctx, arg_id(inc.args.get("student_id")))
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
    if sub.get("round_id") == rounds[0].id and sub.get("step") not in (None, "none"):
        return sub, prompt(sub, ctx)  # resume where the mentor was
    sub = {"step": "overview", "round_id": rounds[0].id}
    return sub, _overview(sub, ctx)


def _in_round(sub: Sub, ctx: Ctx, round_id: int | None) -> Sub | None:
    """The state for a button naming a round (digest, notification): that round's overview
    unless the mentor is in it already; None when it is not one of the mentor's rounds."""
    rounds = rounds_for_mentor(ctx.session, mentor_id=ctx.person.id, school_id=ctx.school.id)
    if round_id is None or round_id not in {r.id for r in rounds}:
        return None
    if sub.get("round_id") == round_id:
        return sub
    return {"step": "overview", "round_id": round_id}


def _ask_share(sub: Sub, ctx: Ctx, student_id: int | None) -> StepResult:
    """``m_share`` naming a student (a digest's button): that student's confirmation, when the
    rules allow sharing now; otherwise their report with the reason."""
    if student_id is None:
        return sub, prompt(sub, ctx)
    wanted = {**sub, "step": "report", "student_id": student_id}
    wanted.pop("draft", None)
    try:  # a student who is not a mentee is refused before the state points at them
        report = _load_report(wanted, ctx)
    except DomainError as exc:
        back = {"step": "overview", "round_id": sub["round_id"]}
        return back, [Reply(text=ctx.t(exc.key, **exc.params))] + _overview(back, ctx)
    rule = Facts(
        is_mentor=True,
        round_state=report.round_state,
        shared=report.shared,
        full_package=ctx.settings.full_package,
    )
    decision = decide(Action.SHARE, rule)
    if report.shared or not decision:
        if report.shared:
            note = ctx.t("mentor.shared_before")
        elif decision.reason is Reason.ROUND_NOT_CLOSED:
            note = ctx.t("mentor.share_not_closed")
        else:
            note = ctx.t("error.not_allowed")
        return wanted, [Reply(text=note), Reply(card=_report_card(ctx, report))]
    wanted["step"] = "share"
    return wanted, [Reply(card=_share_card(ctx, report.student_name, report.student_id))]


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
    done = answered(_text_card(ctx, sub, field, text or ""), ctx.t(key), facts=(saved,), text="")
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
        card = _share_card(ctx, report.student_name, report.student_id)
        done = answered(card, ctx.t("answered.not_done", reason=text), text="")
        return sub, [done, Reply(card=_report_card(ctx, report))]
    sub["step"] = "report"
    report = _load_report(sub, ctx)
    note = ctx.t("answered.shared", name=report.student_name)
    if not new:
        note = ctx.t("mentor.shared_before")
    done = answered(_share_card(ctx, report.student_name, report.student_id), note, text="")
    return sub, [done, Reply(card=_report_card(ctx, report))]


# -- rendering ---------------------------------------------------------------------------------


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    step = sub.get("step")
    if step == "overview":
        return _overview(sub, ctx)
    if step in ("report", "note", "agree", "share", "plan") and "student_id" in sub:
        try:
            report = _load_report(sub, ctx)
        except DomainError as exc:
            return [Reply(text=error_text(ctx.lang, exc))] + _overview(sub, ctx)
        if step == "note":
            return [Reply(card=_text_card(ctx, sub, "note", report.mentor_note or ""))]
        if step == "agree":
            return [Reply(card=_text_card(ctx, sub, "agreements", report.agreements or ""))]
        if step == "share":
            return [Reply(card=_share_card(ctx, report.student_name, report.student_id))]
        if step == "plan":
            return [Reply(card=_plan_card(ctx, report))]
        return [Reply(card=_report_card(ctx, report))]
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
    card = _report_card(ctx, _load_report(sub, ctx))
    return [Reply(card=replace(card, note=note))]


def _overview(sub: Sub, ctx: Ctx) -> list[Reply]:
    rnd = ctx.session.get(Round, int(sub["round_id"]))
    items = mentoring.mentor_overview(
        ctx.session, mentor_id=ctx.person.id, round_id=int(sub["round_id"]), channel=ctx.channel
    )
    if rnd is None or not items:
        return [Reply(text=ctx.t("mentor.no_mentees"))]
    facts = []
    choices = []
    for s in items:
        counts = ", ".join(
            f"{s.counts.get(light, 0)}× {light_label(ctx, light)}"
            for light in reversed(Light)
            if s.counts.get(light, 0)
        ) or ctx.t("mentor.no_feedback_yet")
        flag = ctx.t(f"mentor.concern_{s.concern.name.lower()}") if s.concern else ""
        if s.worse_than_previous and s.concern is not mentoring.Concern.WORSE_THAN_BEFORE:
            flag += ctx.t("mentor.also_worse")  # the first reason does not say it
        label = f"{s.name} ({s.class_title})" if s.class_title else s.name
        facts.append(Fact(label, f"{counts}{' · ' + flag if flag else ''}"))
        choices.append(
            Choice(
                label=label,
                action=A.M_STUDENT,
                args={"student_id": str(s.student_id)},
                style=Style.DANGER if s.concern else Style.DEFAULT,
                submits_fields=False,
            )
        )
    state = ctx.t(f"mentor.state_{rnd.state.value}")
    card = Card(
        kind="overview",
        title=ctx.t("mentor.overview_title", round=rnd.name),
        text=ctx.t("mentor.overview_text", state=state),
        facts=tuple(facts),
        choices=tuple(choices),
    )
    return [Reply(card=card)]


def _report_card(ctx: Ctx, report: mentoring.StudentReport) -> Card:
    sections = []
    for line in report.lines:
        facts = [Fact(ctx.t("dialog.light"), light_label(ctx, line.light))]
        if line.remark:
            facts.append(Fact(ctx.t("dialog.remark"), line.remark))
        if line.action:
            facts.append(Fact(ctx.t("dialog.action"), line.action))
        for h in line.history:
            facts.append(Fact(h.round_name, light_label(ctx, h.light)))
        sections.append(
            Section(
                title=f"{line.subject} · {line.teacher_name}",
                facts=tuple(facts),
                light=int(line.light) if line.light else None,
            )
        )
    closed = report.round_state == RoundState.CLOSED
    facts = [
        Fact(ctx.t("mentor.shared_label"), ctx.t("mentor.yes" if report.shared else "mentor.no")),
        Fact(ctx.t("mentor.note_label"), report.mentor_note or "-"),
    ]
    if report.plan_state is not None:
        facts.append(Fact(ctx.t("mentor.plan_label"), ctx.t(f"mentor.plan_{report.plan_state}")))
    if report.agreements:
        facts.append(Fact(ctx.t("mentor.agreements_label"), report.agreements))
    # The buttons follow the rules: the report was loaded, so the actor is the mentor.
    rule = Facts(
        is_mentor=True,
        round_state=report.round_state,
        shared=report.shared,
        full_package=ctx.settings.full_package,
    )
    choices = [
        choice(ctx, "mentor.edit_note" if report.mentor_note else "mentor.write_note", A.M_NOTE)
    ]
    if not report.shared and decide(Action.SHARE, rule):
        choices.append(choice(ctx, "mentor.share", A.M_SHARE, Style.PRIMARY))
    if report.plan_answers is not None and report.plan_state is not None:
        choices.append(choice(ctx, "mentor.see_plan", A.M_PLAN))
    if decide(Action.WRITE_AGREEMENTS, rule):
        key = "mentor.edit_agreements" if report.agreements else "mentor.record_agreements"
        choices.append(choice(ctx, key, A.M_AGREE))
    choices.append(choice(ctx, "mentor.back", A.M_BACK))
    text = ctx.t("mentor.report_open") if not closed else ""
    return Card(
        kind="report",
        title=ctx.t("mentor.report_title", name=report.student_name, round=report.round_name),
        text=text,
        facts=tuple(facts),
        sections=tuple(sections),
        choices=tuple(choices),
    )


def _text_card(ctx: Ctx, sub: Sub, field: str, value: str) -> Card:
    action = A.M_NOTE if field == "note" else A.M_AGREE
    return Card(
        kind=field,
        title=ctx.t(f"mentor.{field}_title"),
        text=ctx.t(f"mentor.{field}_text"),
        fields=(
            InputField(
                id=field,
                label=ctx.t(f"mentor.{field}_label"),
                kind=FieldKind.MULTILINE,
                value=sub.get("draft") or value,
                max_length=ctx.settings.max_text_length,
                required=field == "agreements",
            ),
        ),
        choices=(
            Choice(label=ctx.t("mentor.save"), action=action, style=Style.PRIMARY),
            choice(ctx, "mentor.back_report", A.M_STUDENT, student_id=sub["student_id"]),
        ),
    )


def _share_card(ctx: Ctx, name: str, student_id: int) -> Card:
    return Card(
        kind="confirm",
        title=ctx.t("mentor.share_title", name=name),
        text=ctx.t("mentor.share_text"),
        choices=(
            choice(ctx, "mentor.share_yes", A.M_SHARE_YES, Style.PRIMARY),
            choice(ctx, "mentor.share_no", A.M_STUDENT, student_id=student_id),
        ),
    )


def _plan_card(ctx: Ctx, report: mentoring.StudentReport) -> Card:
    return Card(
        kind="plan",
        title=ctx.t("mentor.plan_title", name=report.student_name),
        sections=plan_text.plan_sections(ctx, report.plan_answers or {}),
        choices=(choice(ctx, "mentor.back_report", A.M_STUDENT, student_id=report.student_id),),
    )
