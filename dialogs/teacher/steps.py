"""The teacher's walk through one group, student by student: the student prompt, save & next,
skip, back (along the trail of places visited), keep a coached text, and the bulk fill.

Functions take and return the walk's part of the dialog state (see ``dialogs.teacher.walk``);
``dialogs.teacher.walk`` dispatches to them. Card actions answer as ``dialogs.flow`` describes:
save, skip, keep (coach) and bulk-confirm first show the acted card answered, then the next
prompt; refused input re-shows the student card in place with the reason and the typed values.
A save turn costs a fixed number of statements (``bench/dialog_turns.py``): keep it so.
"""

from __future__ import annotations

from typing import Any

from dialogs.coach.port import coach_tips
from dialogs.flow import (
    Ctx,
    StepResult,
    Sub,
    again,
    answered,
    field_names,
    free_text,
    light_label,
)
from dialogs.teacher import cards
from dialogs.teacher import closed as teacher_closed
from dialogs.types import Incoming, Reply
from storage.errors import MandatoryFieldMissing, RoundClosed, TextTooLong
from storage.feedback import entries as feedback
from storage.feedback import walk
from storage.models import Light

HISTORY_SHOWN = 3  # earlier rounds shown on a student card, newest first
TRAIL_KEPT = 20  # places remembered for "back"


def remember_round(sub: Sub, groups: list[Any]) -> None:
    mine = [g for g in groups if g.round_id == sub["round_id"]]
    sub["round_total"] = sum(g.total for g in mine)
    sub["round_done_other"] = sum(g.done for g in mine if g.group_id != sub["group_id"])


def _round_progress(sub: Sub, ctx: Ctx, group_done: int) -> tuple[int, int]:
    """(done, total) over all the teacher's groups in the round; no query once remembered."""
    if "round_total" not in sub:  # a walk begun before the round figure was kept
        remember_round(
            sub, walk.walk_groups(ctx.session, teacher_id=ctx.person.id, school_id=ctx.school.id)
        )
    return int(sub["round_done_other"]) + group_done, int(sub["round_total"])


def entries_of(sub: Sub, ctx: Ctx) -> dict[int, Any]:
    return walk.own_entries(
        ctx.session,
        round_id=int(sub["round_id"]),
        teacher_id=ctx.person.id,
        group_id=int(sub["group_id"]),
    )


def next_open(sub: Sub, ctx: Ctx, *, exclude_current: bool, entries: Any = None) -> int | None:
    """Index of the next student without a light after the current one (wrapping), or None."""
    entries = entries_of(sub, ctx) if entries is None else entries
    students = sub.get("students", [])
    n = len(students)
    start = int(sub.get("pos", 0))
    for k in range(1 if exclude_current else 0, n):
        i = (start + k) % n
        if students[i][0] not in entries:
            return i
    return None


def goto(
    sub: Sub,
    ctx: Ctx,
    pos: int | None,
    note: str = "",
    entries: Any = None,
    *,
    remember: bool = True,
    history: list[feedback.HistoryItem] | None = None,
) -> StepResult:
    """Show the student at ``pos`` (None: the review list); ``remember`` puts the place left
    on the trail that "back" follows."""
    if pos is None:
        sub["step"] = "review"
        entries = entries_of(sub, ctx) if entries is None else entries
        left = sum(1 for s in sub.get("students", []) if s[0] not in entries)
        more = ctx.t("teacher.review_open", count=left) if left else ctx.t("teacher.all_done")
        note = f"{note}\n{more}" if note else more
        return sub, [Reply(card=cards.review_card(ctx, sub=sub, entries=entries, note=note))]
    if pos != sub.get("pos"):
        sub["draft"] = {}
        if remember and "pos" in sub:
            sub["trail"] = [*sub.get("trail", []), int(sub["pos"])][-TRAIL_KEPT:]
    sub["step"] = "student"
    sub["pos"] = pos
    return sub, student_prompt(sub, ctx, note=note, entries=entries, history=history)


# -- the student prompt and saving ------------------------------------------------------------


def student_prompt(
    sub: Sub,
    ctx: Ctx,
    *,
    note: str = "",
    entries: Any = None,
    history: list[feedback.HistoryItem] | None = None,
) -> list[Reply]:
    """The card of the student at the walk's place; ``entries`` and ``history`` (the student's
    earlier rounds in the subject) when the turn already has them."""
    students = sub.get("students", [])
    if not students:
        return [Reply(text=ctx.t("teacher.no_students"))]
    entries = entries_of(sub, ctx) if entries is None else entries
    student = students[min(int(sub.get("pos", 0)), len(students) - 1)]
    if history is None:
        history = feedback.subject_history(
            ctx.session,
            actor_id=ctx.person.id,
            student_id=int(student[0]),
            subject=str(sub.get("subject", "")),
            before_round_id=int(sub["round_id"]),
            channel=ctx.channel,
        )
    history = history[-HISTORY_SHOWN:][::-1]
    card = cards.student_card(
        ctx,
        sub=sub,
        student=student,
        index=int(sub.get("pos", 0)),
        done=len(entries),
        current=entries.get(student[0]),
        history=history,
        note=note or sub.get("note", ""),
        round_progress=_round_progress(sub, ctx, len(entries)),
    )
    return [Reply(card=card)]


def can_save(sub: Sub) -> bool:
    return sub.get("step") == "student" and bool(sub.get("students"))


def current_name(sub: Sub) -> str:
    students = sub.get("students", [])
    return str(students[min(int(sub.get("pos", 0)), len(students) - 1)][1]) if students else ""


def back(sub: Sub, ctx: Ctx) -> StepResult:
    """The student handled before this one (the trail), else the one above in the list."""
    sub["draft"] = {}
    trail = [p for p in sub.get("trail", []) if 0 <= p < len(sub.get("students", []))]
    pos = trail.pop() if trail else max(int(sub.get("pos", 0)) - 1, 0)
    sub["trail"] = trail
    return goto(sub, ctx, pos, remember=False)


def skip(sub: Sub, ctx: Ctx) -> StepResult:
    """Next open student; the skipped student's card is answered "skipped" (entry unchanged)."""
    entries = entries_of(sub, ctx)
    students = sub.get("students", [])
    done: list[Reply] = []
    if sub.get("step") == "student" and students:
        student = students[min(int(sub.get("pos", 0)), len(students) - 1)]
        entry = entries.get(student[0])
        card = cards.answered_student_card(
            ctx,
            sub=sub,
            student=student,
            light=entry.light if entry else None,
            remark=entry.remark if entry else None,
            action=entry.action if entry else None,
        )
        done = [answered(card, ctx.t("answered.skipped", name=student[1]))]
    sub, replies = goto(
        sub, ctx, next_open(sub, ctx, exclude_current=True, entries=entries), entries=entries
    )
    return sub, done + replies


def keep(sub: Sub, ctx: Ctx) -> StepResult:
    """After a coach tip: keep the text as saved; the tip card is answered, then go on."""
    done: list[Reply] = []
    students = sub.get("students", [])
    if sub.get("step") == "coach" and students:
        name = students[min(int(sub.get("pos", 0)), len(students) - 1)][1]
        card = cards.coach_card(ctx, name=name, tips=sub.get("tips", []))
        done = [answered(card, ctx.t("answered.kept"))]
    sub.pop("tips", None)
    sub, replies = goto(sub, ctx, next_open(sub, ctx, exclude_current=True))
    return sub, done + replies


def save(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    """Save the light and texts of the student card (the state is at a student, see
    ``can_save``); then the coach's tips, or the next open student."""
    students = sub["students"]
    pos = int(sub.get("pos", 0))
    student = students[pos]
    raw_remark, raw_action = inc.values.get("remark"), inc.values.get("action")
    sub["draft"] = {"remark": raw_remark or "", "action": raw_action or ""}  # nothing typed lost
    try:
        light = Light.parse(inc.args.get("light", ""))
    except ValueError:
        return sub, again(student_prompt(sub, ctx, note=ctx.t("teacher.pick_light")))
    sub["draft"]["light"] = int(light)
    try:
        remark, action = free_text(raw_remark, ctx), free_text(raw_action, ctx)
        # the walk's other students from the next one on (wrapping), as ``next_open`` goes
        ahead = [int(students[(pos + k) % len(students)][0]) for k in range(1, len(students))]
        step = feedback.record_and_look_ahead(
            ctx.session,
            actor_id=ctx.person.id,
            round_id=int(sub["round_id"]),
            group_id=int(sub["group_id"]),
            student_id=int(student[0]),
            light=light,
            remark=remark,
            action=action,
            now=ctx.now,
            channel=ctx.channel,
            ahead=ahead,
        )
    except MandatoryFieldMissing as exc:
        fields = field_names(ctx.lang, exc.params.get("fields", []))
        reason = ctx.t("teacher.mandatory", light=light_label(ctx, light), fields=fields)
        return sub, again(student_prompt(sub, ctx, note=reason))  # typed values in the fields
    except TextTooLong:  # say which of the two texts is too long
        limit = ctx.settings.max_text_length
        which = "remark" if len(raw_remark or "") > limit else "action"
        length = len((raw_remark if which == "remark" else raw_action) or "")
        note = ctx.t(f"teacher.{which}_too_long", length=length, max=limit)
        return sub, again(student_prompt(sub, ctx, note=note))
    except RoundClosed:  # the card can no longer be used: answered with the reason
        closed_sub, replies = teacher_closed.round_view(ctx, int(sub["round_id"]))
        card = cards.answered_student_card(ctx, sub=sub, student=student, light=None)
        note = ctx.t("answered.not_done", reason=ctx.t("error.round_closed"))
        return closed_sub, [answered(card, note)] + replies
    sub["draft"] = {}
    saved = ctx.t("teacher.saved", name=student[1], light=light_label(ctx, light))
    card = cards.answered_student_card(
        ctx, sub=sub, student=student, light=light, remark=remark, action=action
    )
    done = answered(card, saved)
    tips = coach_tips(ctx, remark=remark, action=action)
    if tips:
        sub["step"] = "coach"
        sub["tips"] = tips
        return sub, [done, Reply(card=cards.coach_card(ctx, name=student[1], tips=tips))]
    nxt = None
    if step.next_student is not None:
        nxt = next(i for i, s in enumerate(students) if int(s[0]) == step.next_student)
    sub, replies = goto(sub, ctx, nxt, "", step.entries, history=step.next_history)
    return sub, [done] + replies


def concerns_of(sub: Sub, ctx: Ctx) -> list[tuple[str, Light]]:
    """The students still without a light who had Let op or Pas op last time, by name, in the
    walk's order (the bulk card names them and asks whether to include them)."""
    found = feedback.earlier_concerns(
        ctx.session,
        actor_id=ctx.person.id,
        round_id=int(sub["round_id"]),
        group_id=int(sub["group_id"]),
        channel=ctx.channel,
    )
    return [(s[1], found[s[0]]) for s in sub.get("students", []) if s[0] in found]


def bulk(sub: Sub, ctx: Ctx, *, include: str | None = None) -> StepResult:
    """Fill the rest with "Ga zo door"; ``include="others"`` leaves out the students who had
    Let op or Pas op last time (found again now, never taken from the button)."""
    left_out: dict[int, Light] = {}
    if include == "others":
        left_out = feedback.earlier_concerns(
            ctx.session,
            actor_id=ctx.person.id,
            round_id=int(sub["round_id"]),
            group_id=int(sub["group_id"]),
            channel=ctx.channel,
        )
    try:
        filled_ids = feedback.bulk_fill(
            ctx.session,
            actor_id=ctx.person.id,
            round_id=int(sub["round_id"]),
            group_id=int(sub["group_id"]),
            light=Light.GA_ZO_DOOR,
            now=ctx.now,
            channel=ctx.channel,
            exclude=left_out,
        )
    except MandatoryFieldMissing as exc:
        fields = field_names(ctx.lang, exc.params.get("fields", []))
        light = light_label(ctx, Light.GA_ZO_DOOR)
        sub["step"] = "student"
        note = ctx.t("teacher.bulk_mandatory", light=light, fields=fields)
        done = answered(cards.bulk_card(ctx, sub=sub, remaining=()), note, text="")
        return sub, [done] + student_prompt(sub, ctx)
    except RoundClosed:
        closed_sub, replies = teacher_closed.round_view(ctx, int(sub["round_id"]))
        note = ctx.t("answered.not_done", reason=ctx.t("error.round_closed"))
        done = answered(cards.bulk_card(ctx, sub=sub, remaining=()), note, text="")
        return closed_sub, [done] + replies
    sub["step"] = "review"
    filled = set(filled_ids)
    if filled:
        summary = ctx.t(
            "teacher.bulk_done",
            count=len(filled),
            light=light_label(ctx, Light.GA_ZO_DOOR),
            names=", ".join(s[1] for s in sub.get("students", []) if s[0] in filled),
        )
    else:
        summary = ctx.t("teacher.bulk_none")
    if left_out:
        names = ", ".join(s[1] for s in sub.get("students", []) if s[0] in left_out)
        summary += " " + ctx.t(
            "teacher.bulk_left_out",
            names=names,
            let_op=light_label(ctx, Light.LET_OP),
            pas_op=light_label(ctx, Light.PAS_OP),
        )
    entries = entries_of(sub, ctx)
    done = answered(cards.bulk_card(ctx, sub=sub, remaining=()), summary, text="")
    return sub, [done, Reply(card=cards.review_card(ctx, sub=sub, entries=entries))]
