"""The cards of the mentor's review: the overview of a round's mentees, the per-student report,
the note and agreements questions, the share confirmation and the submitted plan. Rendering
only: which buttons a report offers follows ``storage.permissions.decide``."""

from __future__ import annotations

from dialogs import actions as A
from dialogs.flow import Ctx, Sub, choice, light_label, when_text
from dialogs.mentor.picture import picture_table
from dialogs.student import plan_text
from dialogs.types import Card, Choice, Fact, FieldKind, InputField, Section, Style
from storage.mentoring.picture import ClassPicture
from storage.mentoring.service import Concern, StudentReport
from storage.models import RoundState
from storage.permissions import Action, Facts, decide


def overview_card(
    ctx: Ctx,
    *,
    round_name: str,
    state: RoundState,
    picture: ClassPicture,
    other_rounds: bool = False,
) -> Card:
    """The class picture of a round (``dialogs.mentor.picture``): per mentee a row, most
    concern first (``storage.mentoring.overview.sort_key``), a button per mentee; while the
    round is open, how far each subject teacher is. ``other_rounds``: a way to the mentor's
    other rounds."""
    choices = []
    facts = []
    for row in picture.rows:
        s = row.summary
        label = f"{s.name} ({s.class_title})" if s.class_title else s.name
        if s.concern:  # why they are at the top, in words
            flag = ctx.t(f"mentor.concern_{s.concern.name.lower()}")
            if s.worse_than_previous and s.concern is not Concern.WORSE_THAN_BEFORE:
                flag += ctx.t("mentor.also_worse")
            facts.append(Fact(label, flag))
        choices.append(
            Choice(
                label=label,
                action=A.M_STUDENT,
                args={"student_id": str(s.student_id)},
                submits_fields=False,
            )
        )
    if other_rounds:
        choices.append(choice(ctx, "mentor.other_round", A.M_ROUNDS))
    sections: tuple[Section, ...] = ()
    if state is RoundState.OPEN and picture.teachers:
        sections = (
            Section(
                title=ctx.t("picture.teachers_title"),
                facts=tuple(
                    Fact(
                        f"{p.name} ({', '.join(p.subjects)})",
                        ctx.t("picture.teacher_progress", done=p.done, total=p.total),
                    )
                    for p in picture.teachers
                ),
            ),
        )
    return Card(
        kind="overview",
        title=ctx.t("mentor.overview_title", round=round_name),
        text=ctx.t("mentor.overview_text", state=ctx.t(f"mentor.state_{state.value}")),
        facts=tuple(facts),
        table=picture_table(ctx.lang, picture),
        sections=sections,
        choices=tuple(choices),
    )


def report_facts(ctx: Ctx, report: StudentReport) -> Facts:
    """The rule's facts for a loaded report: loading it proved the actor is the mentor."""
    return Facts(
        is_mentor=True,
        round_state=report.round_state,
        shared=report.shared,
        full_package=ctx.settings.full_package,
    )


def report_card(ctx: Ctx, report: StudentReport) -> Card:
    sections = []
    for line in report.lines:
        facts = [Fact(ctx.t("dialog.light"), light_label(ctx, line.light))]
        if line.remark:
            facts.append(Fact(ctx.t("dialog.remark"), line.remark))
        if line.action:
            facts.append(Fact(ctx.t("dialog.action"), line.action))
        for h in reversed(line.history):  # the clock, newest first: light, remark, action
            said = " · ".join(x for x in (h.remark, h.action) if x and x.strip())
            value = light_label(ctx, h.light) + (f" · {said}" if said else "")
            facts.append(Fact(h.round_name, value))
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
    ]
    if report.shared:
        read = ctx.t("mentor.not_read")
        if report.read_at is not None:
            read = ctx.t(
                "mentor.read_at", when=when_text(ctx.lang, report.read_at, ctx.school.time_zone)
            )
        facts.append(Fact(ctx.t("mentor.read_label"), read))
    facts += [
        Fact(ctx.t("mentor.note_label"), report.mentor_note or "-"),
    ]
    if report.plan_state is not None:
        facts.append(Fact(ctx.t("mentor.plan_label"), ctx.t(f"mentor.plan_{report.plan_state}")))
    if report.agreements:
        facts.append(Fact(ctx.t("mentor.agreements_label"), report.agreements))
    rule = report_facts(ctx, report)  # the buttons follow the rules
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
    if decide(Action.READ_REPORT, rule):  # the PDF for the three-way meeting
        choices.append(_pdf_choice(ctx, report))
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


def _pdf_choice(ctx: Ctx, report: StudentReport) -> Choice:
    return choice(
        ctx,
        "report.button",
        A.REPORT_PDF,
        round_id=report.round_id,
        student_id=report.student_id,
    )


def text_card(ctx: Ctx, sub: Sub, field: str, value: str) -> Card:
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
                error_message=ctx.t("mentor.agreements_required") if field == "agreements" else "",
            ),
        ),
        choices=(
            Choice(label=ctx.t("mentor.save"), action=action, style=Style.PRIMARY),
            choice(ctx, "mentor.back_report", A.M_STUDENT, student_id=sub["student_id"]),
        ),
    )


def share_card(ctx: Ctx, name: str, student_id: int) -> Card:
    return Card(
        kind="confirm",
        title=ctx.t("mentor.share_title", name=name),
        text=ctx.t("mentor.share_text"),
        choices=(
            choice(ctx, "mentor.share_yes", A.M_SHARE_YES, Style.PRIMARY),
            choice(ctx, "mentor.share_no", A.M_STUDENT, student_id=student_id),
        ),
    )


def plan_card(ctx: Ctx, report: StudentReport) -> Card:
    return Card(
        kind="plan",
        title=ctx.t("mentor.plan_title", name=report.student_name),
        sections=plan_text.plan_sections(ctx, report.plan_answers or {}),
        choices=(choice(ctx, "mentor.back_report", A.M_STUDENT, student_id=report.student_id),),
    )
