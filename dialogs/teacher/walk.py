"""The teacher's flow: entry, the choice of round and group, and dispatch to the walk.

The flow module of ``dialogs.engine.FLOWS`` (``handle``, ``prompt``, ``accepts_text``,
``answers_text``). The walk through one group lives in ``dialogs.teacher.steps``, the read-only
view after close in ``dialogs.teacher.closed``.

State (``sub``): ``step`` is one of ``rounds``, ``groups``, ``student``, ``coach``, ``review``,
``bulk``, ``done``, ``none``, or one of the read-only view (``closed``, ``closed_student``,
``earlier``: see ``dialogs.teacher.closed``); the walk keeps ``round_id``,
``group_id``, ``group_title``, ``students`` (``[id, name, class]`` in walk order, fixed when the
group is opened) and ``pos``. ``draft`` keeps typed values that could not be saved yet (a
missing mandatory field, a text too long), so nothing typed is lost. ``round_total`` and
``round_done_other`` (the teacher's entries expected in the round over all their groups, and
those done in the other groups) are taken when the group is opened, for the round progress.
``trail`` holds the places visited before the current student (latest last), so "back"
returns to the student the teacher just handled, not merely the one above in the list.

Once the walk's round is closed, a card of the walk (review list, bulk, skip, back, jump) shows
the read-only view of that round with a note that it closed, and "where was I" says it closed:
nothing that looks editable is shown for a closed round.
"""

from __future__ import annotations

from typing import Any

from dialogs import actions as A
from dialogs.flow import Ctx, StepResult, Sub, arg_id, noted
from dialogs.teacher import cards, steps
from dialogs.teacher import closed as teacher_closed
from dialogs.types import Incoming, Reply
from storage.feedback import walk
from storage.models import Round
from storage.permissions import Action, Facts, decide
from storage.rounds.finder import closed_rounds_taught

WALK_STEPS = ("student", "coach", "review", "bulk", "done")
# Walk actions that would show an editable card (saving checks the round in storage).
EDITING = (A.T_SKIP, A.T_BACK, A.T_REVIEW, A.T_JUMP, A.T_BULK, A.T_BULK_NO, A.T_KEEP, A.T_EDIT)


def accepts_text(sub: Sub) -> bool:
    """A typed text on a student card is taken only to say how to give it (a light first)."""
    return sub.get("step") == "student"


def answers_text(sub: Sub) -> bool:
    """No question of the walk waits for typed text: commands keep working everywhere."""
    return False


def handle(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    if inc.action is None:  # typed text on the student card: the state stays as it is
        return sub, [Reply(text=ctx.t("teacher.light_first", name=steps.current_name(sub)))]
    sub.pop("note", None)
    action = inc.action or ""
    if action not in (A.T_SAVE, A.START_FEEDBACK):  # resuming keeps what was typed (_start)
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
        viewed = teacher_closed.view(sub, ctx, arg_id(args.get("student_id")))
        if viewed is None:
            return sub, [Reply(text=ctx.t("teacher.no_such_student"))] + prompt(sub, ctx)
        return viewed
    if action == A.T_EARLIER:
        listed = teacher_closed.earlier(sub, ctx)
        if listed is None:
            return sub, [Reply(text=ctx.t("teacher.no_earlier"))] + prompt(sub, ctx)
        return listed
    if action == A.T_HISTORY and sub.get("step") in WALK_STEPS:
        return _peek(sub, inc, ctx)
    if sub.get("step") not in WALK_STEPS:
        return _start(sub, ctx, round_id=None)
    if action in EDITING and not _round_open(ctx, sub):  # a walk card used after the close
        closed_sub, replies = teacher_closed.round_view(ctx, int(sub["round_id"]))
        return closed_sub, noted(replies, ctx.t("error.round_closed"))
    if action == A.T_SAVE:
        return steps.save(sub, inc, ctx) if steps.can_save(sub) else (sub, prompt(sub, ctx))
    if action == A.T_SKIP:
        return steps.skip(sub, ctx)
    if action == A.T_BACK:
        return steps.back(sub, ctx)
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
        return steps.goto(sub, ctx, ids.index(sid))
    if action == A.T_BULK:
        sub["step"] = "bulk"
        return sub, prompt(sub, ctx)
    if action == A.T_BULK_NO:
        sub["step"] = "student"
        return sub, prompt(sub, ctx)
    if action == A.T_BULK_YES:
        return steps.bulk(sub, ctx, include=args.get("include"))
    if action == A.T_KEEP:
        return steps.keep(sub, ctx)
    if action == A.T_EDIT:  # the saved entry to edit, with the tips above it to work from
        tips = sub.pop("tips", None) if sub.get("step") == "coach" else None
        sub["step"] = "student"
        return sub, steps.student_prompt(sub, ctx, note="\n".join(f"- {tip}" for tip in tips or ()))
    return sub, prompt(sub, ctx)


def _peek(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    """The student's earlier full feedback, from their card; the walk stays at that student."""
    shown = teacher_closed.peek(
        ctx,
        round_id=arg_id(inc.args.get("round_id")) or 0,
        student_id=arg_id(inc.args.get("student_id")) or 0,
        back_round_id=int(sub["round_id"]),
    )
    if shown is None:
        return sub, [Reply(text=ctx.t("teacher.no_such_student"))] + prompt(sub, ctx)
    return sub, shown


# -- entry and choosing -----------------------------------------------------------------------


def _start(sub: Sub, ctx: Ctx, *, round_id: int | None, pick: bool = False) -> StepResult:
    """Resume a walk in progress, else choose: several rounds/groups → pick, one → go."""
    resume = not pick and sub.get("step") in WALK_STEPS and round_id in (None, sub.get("round_id"))
    if resume and _round_open(ctx, sub):
        if sub["step"] == "review":  # "continue" from the review list: the next open student
            return steps.goto(sub, ctx, steps.next_open(sub, ctx, exclude_current=False))
        if sub["step"] in ("done", "bulk", "coach"):
            sub["step"] = "student"
        return sub, prompt(sub, ctx)
    groups = walk.walk_groups(ctx.session, teacher_id=ctx.person.id, school_id=ctx.school.id)
    if round_id is not None and all(g.round_id != round_id for g in groups):
        # not an open round of the teacher: a closed one's read-only view, else refused
        shown = teacher_closed.show_round(ctx, round_id, open_=bool(groups))
        if shown is not None:
            return shown
        sub, replies = _start(sub, ctx, round_id=None, pick=pick)
        return sub, noted(replies, ctx.t("rounds.not_yours"))
    if round_id is not None:
        groups = [g for g in groups if g.round_id == round_id]
    if not groups:
        return teacher_closed.closed(sub, ctx)
    round_ids = list(dict.fromkeys(g.round_id for g in groups))
    if len(round_ids) > 1 and round_id is None:
        card = cards.rounds_card(ctx, groups, earlier=_has_earlier(ctx))
        return {"step": "rounds"}, [Reply(card=card)]
    return _pick_round(sub, ctx, round_ids[0], groups=groups, pick=pick)


def _round_open(ctx: Ctx, sub: Sub) -> bool:
    """Whether the walk's round still takes feedback, by the rule (``storage.permissions``);
    only for what to show: a save is refused by storage itself."""
    rid = arg_id(sub.get("round_id"))
    rnd = ctx.session.get(Round, rid) if rid is not None else None
    return rnd is not None and bool(
        decide(Action.WRITE_FEEDBACK, Facts(teaches_group=True, round_state=rnd.state))
    )


def _has_earlier(ctx: Ctx) -> bool:
    """Whether there are closed rounds to show (asked only when a choice card is shown)."""
    return bool(closed_rounds_taught(ctx.session, teacher_id=ctx.person.id))


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
    card = cards.groups_card(ctx, mine, other_rounds=several, earlier=_has_earlier(ctx))
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
    steps.remember_round(sub, groups)
    return steps.goto(sub, ctx, steps.next_open(sub, ctx, exclude_current=False), remember=False)


# -- re-rendering -----------------------------------------------------------------------------


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    step = sub.get("step")
    if step in WALK_STEPS and not _round_open(ctx, sub):  # "where was I" after the close
        return [Reply(text=ctx.t("teacher.walk_closed"))]
    if step == "student":
        return steps.student_prompt(sub, ctx)
    if step == "review" or step == "done":
        return [Reply(card=cards.review_card(ctx, sub=sub, entries=steps.entries_of(sub, ctx)))]
    if step == "bulk":
        entries = steps.entries_of(sub, ctx)
        remaining = [s[1] for s in sub.get("students", []) if s[0] not in entries]
        if not remaining:
            sub["step"] = "review"
            note = ctx.t("teacher.bulk_none")
            return [Reply(card=cards.review_card(ctx, sub=sub, entries=entries, note=note))]
        concerns = steps.concerns_of(sub, ctx)
        return [Reply(card=cards.bulk_card(ctx, sub=sub, remaining=remaining, concerns=concerns))]
    if step == "coach":
        name = sub["students"][int(sub.get("pos", 0))][1]
        return [Reply(card=cards.coach_card(ctx, name=name, tips=sub.get("tips", [])))]
    if step in teacher_closed.STEPS:
        return teacher_closed.prompt(sub, ctx)
    if step in ("rounds", "groups"):
        return _start(sub, ctx, round_id=sub.get("round_id"), pick=True)[1]
    return [Reply(text=ctx.t("teacher.nothing_open"))]
