"""The teacher's walk through their students: one prompt per student, one round-trip each.

State (``sub``): ``step`` is one of ``rounds``, ``groups``, ``student``, ``coach``, ``review``,
``bulk``, ``done``, ``closed``, ``closed_student``, ``none``; the walk keeps ``round_id``,
``group_id``, ``group_title``, ``students`` (``[id, name, class]`` in walk order, fixed when the
group is opened) and ``pos``. ``draft`` keeps typed values that could not be saved yet (a
missing mandatory field, a text too long), so nothing typed is lost. ``round_total`` and
``round_done_other`` (the teacher's entries expected in the round over all their groups, and
those done in the other groups) are taken when the group is opened, for the round progress.
``trail`` holds the places visited before the current student (latest last), so "back" returns
to the student the teacher just handled, not merely the one above in the list.

Card actions answer as ``dialogs.flow`` describes: save, skip, keep (coach) and bulk-confirm
first show the acted card answered, then the next prompt; refused input re-shows the student
card in place with the reason and the typed values.
"""

from __future__ import annotations

from typing import Any

from dialogs import actions as A
from dialogs import teacher_cards as cards
from dialogs.coach_port import coach_tips
from dialogs.flow import (
    Ctx,
    StepResult,
    Sub,
    again,
    answered,
    arg_id,
    field_names,
    free_text,
    light_label,
)
from dialogs.types import Incoming, Reply
from storage import feedback, plans, walk
from storage.errors import DomainError, MandatoryFieldMissing, RoundClosed, TextTooLong
from storage.models import Light, Round, RoundState

WALK_STEPS = ("student", "coach", "review", "bulk", "done")
HISTORY_SHOWN = 3  # earlier rounds shown on a student card, newest first
TRAIL_KEPT = 20  # places remembered for "back"


def accepts_text(sub: Sub) -> bool:
    """A typed text on a student card is taken only to say how to give it (a light first)."""
    return sub.get("step") == "student"


def answers_text(sub: Sub) -> bool:
    """No question of the walk waits for typed text: commands keep working everywhere."""
    return False


def handle(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    if inc.action is None:  # typed text on the student card: the state stays as it is
        return sub, [Reply(text=ctx.t("teacher.light_first", name=_current_name(sub)))]
    sub.pop("note", None)
    action = inc.action or ""
    if action != A.T_SAVE:
        sub["draft"] = {}
    args = inc.args
    if action == A.START_FEEDBACK:
        return _start(sub, ctx, round_id=arg_id(args.get("round_id")))
    if action == A.T_ROUND:
        return _pick_round(sub, ctx, arg_id(args.get("round_id")))
    if action == A.T_GROUP:
        return _open_group(sub, ctx, arg_id(args.get("round_id")), arg_id(args.get("group_id")))
    if action in (A.T_GROUPS, A.CANCEL):
        return _start(sub, ctx, round_id=sub.get("round_id"), pick=True)
    if action == A.T_VIEW:
        return _view(sub, ctx, arg_id(args.get("student_id")))
    if sub.get("step") not in WALK_STEPS:
        return _start(sub, ctx, round_id=None)
    if action == A.T_SAVE:
        return _save(sub, inc, ctx)
    if action == A.T_SKIP:
        return _skip(sub, ctx)
    if action == A.T_BACK:
        return _back(sub, ctx)
    if action == A.T_STOP:
        return sub, [Reply(text=ctx.t("teacher.stopped"))]
    if action == A.T_REVIEW:
        sub["step"] = "review"
        return sub, prompt(sub, ctx)
    if action == A.T_JUMP:
        ids = [s[0] for s in sub.get("students", [])]
        sid = arg_id(args.get("student_id"))
        if sid not in ids:
            return sub, [Reply(text=ctx.t("teacher.no_such_student"))] + prompt(sub, ctx)
        sub["draft"] = {}
        return _goto(sub, ctx, ids.index(sid))
    if action == A.T_BULK:
        sub["step"] = "bulk"
        return sub, prompt(sub, ctx)
    if action == A.T_BULK_NO:
        sub["step"] = "student"
        return sub, prompt(sub, ctx)
    if action == A.T_BULK_YES:
        return _bulk(sub, ctx)
    if action == A.T_KEEP:
        return _keep(sub, ctx)
    if action == A.T_EDIT:  # the saved entry to edit, with the tips above it to work from
        tips = sub.pop("tips", None) if sub.get("step") == "coach" else None
        sub["step"] = "student"
        return sub, _student_prompt(sub, ctx, note="\n".join(f"- {tip}" for tip in tips or ()))
    return sub, prompt(sub, ctx)


# -- entry and choosing -----------------------------------------------------------------------


def _start(sub: Sub, ctx: Ctx, *, round_id: int | None, pick: bool = False) -> StepResult:
    """Resume a walk in progress, else choose: several rounds/groups → pick, one → go."""
    if not pick and sub.get("step") in WALK_STEPS and round_id in (None, sub.get("round_id")):
        rnd = ctx.session.get(Round, sub.get("round_id"))
        if rnd is not None and rnd.state == RoundState.OPEN:
            if sub["step"] == "review":  # "continue" from the review list: the next open student
                return _goto(sub, ctx, _next_open(sub, ctx, exclude_current=False))
            if sub["step"] in ("done", "bulk", "coach"):
                sub["step"] = "student"
            return sub, prompt(sub, ctx)
    groups = walk.walk_groups(ctx.session, teacher_id=ctx.person.id, school_id=ctx.school.id)
    if round_id is not None:
        groups = [g for g in groups if g.round_id == round_id] or groups
    if not groups:
        return _closed(sub, ctx)
    round_ids = list(dict.fromkeys(g.round_id for g in groups))
    if len(round_ids) > 1 and round_id is None:
        return {"step": "rounds"}, [Reply(card=cards.rounds_card(ctx, groups))]
    return _pick_round(sub, ctx, round_ids[0], groups=groups, pick=pick)


def _pick_round(
    sub: Sub, ctx: Ctx, round_id: int | None, *, groups: list[Any] | None = None, pick: bool = False
) -> StepResult:
    if groups is None:
        groups = walk.walk_groups(ctx.session, teacher_id=ctx.person.id, school_id=ctx.school.id)
    mine = [g for g in groups if g.round_id == round_id]
    if not mine:
        return _start({}, ctx, round_id=None)
    if len(mine) == 1 and not pick:
        return _open_group(sub, ctx, mine[0].round_id, mine[0].group_id)
    several = len({g.round_id for g in groups}) > 1
    card = cards.groups_card(ctx, mine, other_rounds=several)
    return {"step": "groups", "round_id": round_id}, [Reply(card=card)]


def _open_group(sub: Sub, ctx: Ctx, round_id: int | None, group_id: int | None) -> StepResult:
    groups = walk.walk_groups(ctx.session, teacher_id=ctx.person.id, school_id=ctx.school.id)
    match = [g for g in groups if g.round_id == round_id and g.group_id == group_id]
    if not match:
        return _start({}, ctx, round_id=None)
    g = match[0]
    students = walk.walk_students(
        ctx.session, round_id=g.round_id, teacher_id=ctx.person.id, group_id=g.group_id
    )
    sub = {
        "step": "student",
        "round_id": g.round_id,
        "round_name": g.round_name,
        "group_id": g.group_id,
        "group_title": g.group_title,
        "subject": g.subject,
        "students": [[s.student_id, s.name, s.class_title] for s in students],
        "pos": 0,
        "draft": {},
    }
    _remember_round(sub, groups)
    return _goto(sub, ctx, _next_open(sub, ctx, exclude_current=False), remember=False)


def _remember_round(sub: Sub, groups: list[Any]) -> None:
    mine = [g for g in groups if g.round_id == sub["round_id"]]
    sub["round_total"] = sum(g.total for g in mine)
    sub["round_done_other"] = sum(g.done for g in mine if g.group_id != sub["group_id"])


def _round_progress(sub: Sub, ctx: Ctx, group_done: int) -> tuple[int, int]:
    """(done, total) over all the teacher's groups in the round; no query once remembered."""
    if "round_total" not in sub:  # a walk begun before the round figure was kept
        _remember_round(
            sub, walk.walk_groups(ctx.session, teacher_id=ctx.person.id, school_id=ctx.school.id)
        )
    return int(sub["round_done_other"]) + group_done, int(sub["round_total"])


def _entries(sub: Sub, ctx: Ctx) -> dict[int, Any]:
    return walk.own_entries(
        ctx.session,
        round_id=int(sub["round_id"]),
        teacher_id=ctx.person.id,
        group_id=int(sub["group_id"]),
    )


def _next_open(sub: Sub, ctx: Ctx, *, exclude_current: bool, entries: Any = None) -> int | None:
    """Index of the next student without a light after the current one (wrapping), or None."""
    entries = _entries(sub, ctx) if entries is None else entries
    students = sub.get("students", [])
    n = len(students)
    start = int(sub.get("pos", 0))
    for k in range(1 if exclude_current else 0, n):
        i = (start + k) % n
        if students[i][0] not in entries:
            return i
    return None


def _goto(
    sub: Sub,
    ctx: Ctx,
    pos: int | None,
    note: str = "",
    entries: Any = None,
    *,
    remember: bool = True,
) -> StepResult:
    """Show the student at ``pos`` (None: the review list); ``remember`` puts the place left
    on the trail that "back" follows."""
    if pos is None:
        sub["step"] = "review"
        entries = _entries(sub, ctx) if entries is None else entries
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
    return sub, _student_prompt(sub, ctx, note=note, entries=entries)


# -- the student prompt and saving ------------------------------------------------------------


def _student_prompt(sub: Sub, ctx: Ctx, *, note: str = "", entries: Any = None) -> list[Reply]:
    students = sub.get("students", [])
    if not students:
        return [Reply(text=ctx.t("teacher.no_students"))]
    entries = _entries(sub, ctx) if entries is None else entries
    student = students[min(int(sub.get("pos", 0)), len(students) - 1)]
    history = feedback.subject_history(
        ctx.session,
        actor_id=ctx.person.id,
        student_id=int(student[0]),
        subject=str(sub.get("subject", "")),
        before_round_id=int(sub["round_id"]),
        channel=ctx.channel,
    )[-HISTORY_SHOWN:][::-1]
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


def _current_name(sub: Sub) -> str:
    students = sub.get("students", [])
    return str(students[min(int(sub.get("pos", 0)), len(students) - 1)][1]) if students else ""


def _back(sub: Sub, ctx: Ctx) -> StepResult:
    """The student handled before this one (the trail), else the one above in the list."""
    sub["draft"] = {}
    trail = [p for p in sub.get("trail", []) if 0 <= p < len(sub.get("students", []))]
    pos = trail.pop() if trail else max(int(sub.get("pos", 0)) - 1, 0)
    sub["trail"] = trail
    return _goto(sub, ctx, pos, remember=False)


def _skip(sub: Sub, ctx: Ctx) -> StepResult:
    """Next open student; the skipped student's card is answered "skipped" (entry unchanged)."""
    entries = _entries(sub, ctx)
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
    sub, replies = _goto(
        sub, ctx, _next_open(sub, ctx, exclude_current=True, entries=entries), entries=entries
    )
    return sub, done + replies


def _keep(sub: Sub, ctx: Ctx) -> StepResult:
    """After a coach tip: keep the text as saved; the tip card is answered, then go on."""
    done: list[Reply] = []
    students = sub.get("students", [])
    if sub.get("step") == "coach" and students:
        name = students[min(int(sub.get("pos", 0)), len(students) - 1)][1]
        card = cards.coach_card(ctx, name=name, tips=sub.get("tips", []))
        done = [answered(card, ctx.t("answered.kept"))]
    sub.pop("tips", None)
    sub, replies = _goto(sub, ctx, _next_open(sub, ctx, exclude_current=True))
    return sub, done + replies


def _save(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    students = sub.get("students", [])
    if sub.get("step") != "student" or not students:
        return sub, prompt(sub, ctx)
    student = students[int(sub.get("pos", 0))]
    raw_remark, raw_action = inc.values.get("remark"), inc.values.get("action")
    sub["draft"] = {"remark": raw_remark or "", "action": raw_action or ""}  # nothing typed lost
    try:
        light = Light.parse(inc.args.get("light", ""))
    except ValueError:
        return sub, again(_student_prompt(sub, ctx, note=ctx.t("teacher.pick_light")))
    sub["draft"]["light"] = int(light)
    try:
        remark, action = free_text(raw_remark, ctx), free_text(raw_action, ctx)
        feedback.record_feedback(
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
        )
    except MandatoryFieldMissing as exc:
        fields = field_names(ctx.lang, exc.params.get("fields", []))
        reason = ctx.t("teacher.mandatory", light=light_label(ctx, light), fields=fields)
        return sub, again(_student_prompt(sub, ctx, note=reason))  # typed values in the fields
    except TextTooLong:  # say which of the two texts is too long
        limit = ctx.settings.max_text_length
        which = "remark" if len(raw_remark or "") > limit else "action"
        length = len((raw_remark if which == "remark" else raw_action) or "")
        note = ctx.t(f"teacher.{which}_too_long", length=length, max=limit)
        return sub, again(_student_prompt(sub, ctx, note=note))
    except RoundClosed:  # the card can no longer be used: answered with the reason
        closed_sub, replies = _closed({}, ctx)
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
    entries = _entries(sub, ctx)
    sub, replies = _goto(
        sub, ctx, _next_open(sub, ctx, exclude_current=True, entries=entries), "", entries
    )
    return sub, [done] + replies


def _bulk(sub: Sub, ctx: Ctx) -> StepResult:
    try:
        filled_ids = feedback.bulk_fill(
            ctx.session,
            actor_id=ctx.person.id,
            round_id=int(sub["round_id"]),
            group_id=int(sub["group_id"]),
            light=Light.GA_ZO_DOOR,
            now=ctx.now,
            channel=ctx.channel,
        )
    except MandatoryFieldMissing as exc:
        fields = field_names(ctx.lang, exc.params.get("fields", []))
        light = light_label(ctx, Light.GA_ZO_DOOR)
        sub["step"] = "student"
        note = ctx.t("teacher.bulk_mandatory", light=light, fields=fields)
        done = answered(cards.bulk_card(ctx, sub=sub, remaining=()), note, text="")
        return sub, [done] + _student_prompt(sub, ctx)
    except RoundClosed:
        closed_sub, replies = _closed({}, ctx)
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
    entries = _entries(sub, ctx)
    done = answered(cards.bulk_card(ctx, sub=sub, remaining=()), summary, text="")
    return sub, [done, Reply(card=cards.review_card(ctx, sub=sub, entries=entries))]


# -- after close: read-only -------------------------------------------------------------------


def _closed(sub: Sub, ctx: Ctx, note: str = "") -> StepResult:
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


def _view(sub: Sub, ctx: Ctx, student_id: int | None) -> StepResult:
    students = {s[0]: s for s in sub.get("students", [])}
    if sub.get("step") not in ("closed", "closed_student") or student_id not in students:
        return sub, [Reply(text=ctx.t("teacher.no_such_student"))] + prompt(sub, ctx)
    sub["step"] = "closed_student"
    sub["student_id"] = student_id
    return sub, prompt(sub, ctx)


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


# -- re-rendering -----------------------------------------------------------------------------


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    step = sub.get("step")
    if step == "student":
        return _student_prompt(sub, ctx)
    if step == "review" or step == "done":
        return [Reply(card=cards.review_card(ctx, sub=sub, entries=_entries(sub, ctx)))]
    if step == "bulk":
        entries = _entries(sub, ctx)
        remaining = [s[1] for s in sub.get("students", []) if s[0] not in entries]
        if not remaining:
            sub["step"] = "review"
            note = ctx.t("teacher.bulk_none")
            return [Reply(card=cards.review_card(ctx, sub=sub, entries=entries, note=note))]
        return [Reply(card=cards.bulk_card(ctx, sub=sub, remaining=remaining))]
    if step == "coach":
        name = sub["students"][int(sub.get("pos", 0))][1]
        return [Reply(card=cards.coach_card(ctx, name=name, tips=sub.get("tips", [])))]
    if step == "closed":
        card = cards.closed_list_card(
            ctx, round_name=sub.get("round_name", ""), students=sub.get("students", [])
        )
        return [Reply(card=card)]
    if step == "closed_student":
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
    if step in ("rounds", "groups"):
        return _start(sub, ctx, round_id=sub.get("round_id"), pick=True)[1]
    return [Reply(text=ctx.t("teacher.nothing_open"))]
