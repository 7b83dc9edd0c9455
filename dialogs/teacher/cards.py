"""The cards of the teacher walk: pick a round or group, one student, the review list, the bulk
confirmation and the coach's tips. Rendering only (the read-only view after close has its
cards in ``dialogs.teacher.closed``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dialogs import actions as A
from dialogs.flow import Ctx, choice, field_names, light_label, when_text
from dialogs.types import FULL_LABEL, Card, Choice, Fact, FieldKind, InputField, Section, Style
from storage.feedback.entries import HistoryItem
from storage.feedback.walk import WalkGroup
from storage.models import Feedback, Light


def rounds_card(
    ctx: Ctx, groups: Sequence[WalkGroup], note: str = "", *, earlier: bool = False
) -> Card:
    """The open rounds with the teacher's progress; ``earlier``: a way to the closed rounds."""
    seen: dict[int, WalkGroup] = {}
    totals: dict[int, list[int]] = {}
    for g in groups:
        seen.setdefault(g.round_id, g)
        done_total = totals.setdefault(g.round_id, [0, 0])
        done_total[0] += g.done
        done_total[1] += g.total
    choices = tuple(
        Choice(
            label=ctx.t(
                "teacher.round_choice",
                round=g.round_name,
                done=totals[rid][0],
                total=totals[rid][1],
                deadline=_date(ctx, g),
            ),
            action=A.T_ROUND,
            args={"round_id": str(rid)},
            submits_fields=False,
        )
        for rid, g in seen.items()
    )
    if earlier:
        choices += (choice(ctx, "teacher.earlier", A.T_EARLIER),)
    return Card(kind="pick_round", title=ctx.t("teacher.rounds_title"), choices=choices, note=note)


def groups_card(
    ctx: Ctx,
    groups: Sequence[WalkGroup],
    note: str = "",
    *,
    other_rounds: bool = False,
    earlier: bool = False,
) -> Card:
    """The groups of one round; ``other_rounds``: a way back to the choice of round;
    ``earlier``: a way to the closed rounds."""
    choices = tuple(
        Choice(
            label=ctx.t("teacher.group_choice", group=g.group_title, done=g.done, total=g.total),
            action=A.T_GROUP,
            args={"round_id": str(g.round_id), "group_id": str(g.group_id)},
            style=Style.PRIMARY if g.done < g.total else Style.DEFAULT,
            submits_fields=False,
        )
        for g in groups
    )
    if other_rounds:
        choices += (choice(ctx, "teacher.other_round", A.START_FEEDBACK),)
    if earlier:
        choices += (choice(ctx, "teacher.earlier", A.T_EARLIER),)
    title = ctx.t("teacher.groups_title", round=groups[0].round_name) if groups else ""
    return Card(kind="pick_group", title=title, choices=choices, note=note)


def _date(ctx: Ctx, g: WalkGroup) -> str:
    return when_text(ctx.lang, g.deadline, ctx.school.time_zone)


def history_sections(ctx: Ctx, history: Sequence[HistoryItem]) -> tuple[Section, ...]:
    return tuple(
        Section(
            title=ctx.t("teacher.history_title", round=h.round_name, teacher=h.teacher_name),
            facts=entry_facts(ctx, h.light, h.remark, h.action),
            light=int(h.light),
        )
        for h in history
    )


def entry_facts(
    ctx: Ctx, light: Light | int | None, remark: str | None, action: str | None
) -> tuple[Fact, ...]:
    facts = [Fact(ctx.t("dialog.light"), light_label(ctx, light))]
    if remark:
        facts.append(Fact(ctx.t("dialog.remark"), remark))
    if action:
        facts.append(Fact(ctx.t("dialog.action"), action))
    return tuple(facts)


def student_card(
    ctx: Ctx,
    *,
    sub: Mapping[str, Any],
    student: Sequence[Any],
    index: int,
    done: int,
    current: Feedback | None,
    history: Sequence[HistoryItem],
    note: str = "",
    round_progress: tuple[int, int] | None = None,
) -> Card:
    """One student: light choices that submit the remark and action in the same round-trip.

    Progress: the place in the group and how many of the group are done; ``round_progress``
    (done, total over all the teacher's groups in the round) is shown as well when the teacher
    has more to do in the round than this group."""
    draft = sub.get("draft") or {}
    remark = draft.get("remark", current.remark if current else "") or ""
    action = draft.get("action", current.action if current else "") or ""
    saved = int(current.light) if current else None
    fixed = _fixed_parts(ctx)
    limit = ctx.settings.max_text_length
    fields = (
        InputField(
            id="remark",
            label=fixed.texts["dialog.remark_label"],
            kind=FieldKind.MULTILINE,
            value=remark,
            placeholder=fixed.texts["teacher.remark_placeholder"],
            required_for_lights=fixed.need_remark,
            max_length=limit,
            error_message=fixed.texts["teacher.remark_required"],
        ),
        InputField(
            id="action",
            label=fixed.texts["dialog.action_label"],
            kind=FieldKind.MULTILINE,
            value=action,
            placeholder=fixed.texts["teacher.action_placeholder"],
            required_for_lights=fixed.need_action,
            max_length=limit,
            error_message=fixed.texts["teacher.action_required"],
        ),
    )
    lights = fixed.lights
    earlier: tuple[Choice, ...] = ()
    if history:  # one press to the student's whole feedback of the latest earlier round
        earlier = (
            Choice(
                label=ctx.t("teacher.earlier_full", name=student[1]),
                action=A.T_HISTORY,
                args={"student_id": str(student[0]), "round_id": str(history[0].round_id)},
                submits_fields=False,  # navigation, as "skip" and "back"
            ),
        )
    total = len(sub.get("students", []))
    # the rest in one go only while some student of the group has no light
    nav = fixed.nav_with_bulk if done < total else fixed.nav
    facts: tuple[Fact, ...] = (
        Fact(ctx.t("dialog.group"), f"{student[2]} · {sub.get('group_title', '')}"),
        Fact(
            ctx.t("teacher.progress_label"),
            ctx.t("teacher.progress", n=index + 1, total=total, done=done),
        ),
    )
    if round_progress is not None and round_progress[1] > total:
        facts += (
            Fact(
                ctx.t("teacher.round_progress_label"),
                ctx.t("teacher.round_progress", done=round_progress[0], total=round_progress[1]),
            ),
        )
    if current is not None:
        facts += (Fact(ctx.t("teacher.current_label"), light_label(ctx, current.light)),)
    facts += (fixed.rule,)
    text = fixed.texts["teacher.history_intro" if history else "teacher.no_history"]
    return Card(
        kind="student",
        title=str(student[1]),
        text=text,
        facts=facts,
        sections=history_sections(ctx, history),
        fields=fields,
        choices=lights + nav + earlier,
        note=note,
        light=saved,
        chosen_light=draft.get("light"),
    )


@dataclass(frozen=True)
class _FixedParts:
    """What a student card shows the same for every student, given the language and the
    school's settings: the light buttons, the navigation, the rule, the fields' texts."""

    need_remark: frozenset[int]
    need_action: frozenset[int]
    lights: tuple[Choice, ...]
    nav: tuple[Choice, ...]
    nav_with_bulk: tuple[Choice, ...]
    rule: Fact
    texts: Mapping[str, str]


# (language, id of the settings) -> (the settings, their parts). Settings are remembered per
# JSON text (``SchoolSettings.from_json``), so a school's turns share one object; holding it
# here keeps its id from being reused while the entry lives.
_FIXED: dict[tuple[str, int], tuple[object, _FixedParts]] = {}
_FIXED_TEXTS = (
    "dialog.remark_label",
    "dialog.action_label",
    "teacher.remark_placeholder",
    "teacher.action_placeholder",
    "teacher.remark_required",
    "teacher.action_required",
    "teacher.history_intro",
    "teacher.no_history",
)


def _fixed_parts(ctx: Ctx) -> _FixedParts:
    key = (ctx.lang, id(ctx.settings))
    hit = _FIXED.get(key)
    if hit is not None and hit[0] is ctx.settings:
        return hit[1]
    req = ctx.settings
    lights = tuple(
        Choice(
            label=light_label(ctx, x),
            action=A.T_SAVE,
            args={"light": str(int(x))},
            style=Style.DANGER if x is Light.PAS_OP else Style.PRIMARY,
            light=int(x),
        )
        for x in Light
    )
    head = (
        choice(ctx, "teacher.skip", A.T_SKIP),
        choice(ctx, "teacher.back", A.T_BACK),
        choice(ctx, "teacher.review", A.T_REVIEW),
    )
    stop = choice(ctx, "teacher.stop", A.T_STOP)
    parts = _FixedParts(
        need_remark=frozenset(int(x) for x in Light if req.requirement(x).remark),
        need_action=frozenset(int(x) for x in Light if req.requirement(x).action),
        lights=lights,
        nav=(*head, stop),
        nav_with_bulk=(*head, choice(ctx, "teacher.bulk", A.T_BULK), stop),
        rule=Fact(ctx.t("teacher.rule_label"), rule_text(ctx)),
        texts={k: ctx.t(k) for k in _FIXED_TEXTS},
    )
    if len(_FIXED) > 64:
        _FIXED.clear()
    _FIXED[key] = (ctx.settings, parts)
    return parts


def rule_text(ctx: Ctx) -> str:
    """The school's rule, before anything is typed: which fields each light needs
    ("Let op: een actie · Pas op: een opmerking en een actie")."""
    parts = []
    for light in Light:
        req = ctx.settings.requirement(light)
        needed = [f for f in ("remark", "action") if getattr(req, f)]
        if needed:
            parts.append(f"{light_label(ctx, light)}: {field_names(ctx.lang, needed)}")
    return " · ".join(parts) or ctx.t("teacher.rule_none")


def answered_student_card(
    ctx: Ctx,
    *,
    sub: Mapping[str, Any],
    student: Sequence[Any],
    light: Light | int | None,
    remark: str | None = None,
    action: str | None = None,
) -> Card:
    """The student card after an action on it (``dialogs.flow.answered`` adds the outcome):
    who, which group, and the entry as it now stands; the earlier rounds are left out."""
    facts: tuple[Fact, ...] = (
        Fact(ctx.t("dialog.group"), f"{student[2]} · {sub.get('group_title', '')}"),
    )
    if light is not None:
        facts += entry_facts(ctx, light, remark, action)
    return Card(
        kind="student",
        title=str(student[1]),
        facts=facts,
        light=int(light) if light is not None else None,
    )


def review_card(
    ctx: Ctx, *, sub: Mapping[str, Any], entries: Mapping[int, Feedback], note: str = ""
) -> Card:
    """The group's students as jump buttons, each labelled with its light. The light is not
    listed again as a fact, except for a student whose label is too long for every channel to
    show whole (``FULL_LABEL``). Teams and Slack split a long list of buttons over several rows
    and the terminal numbers them all, so no student is left out."""
    students = sub.get("students", [])
    facts: list[Fact] = []
    jumps: list[Choice] = []
    for s in students:
        light = light_label(ctx, entries[s[0]].light if s[0] in entries else None)
        label = ctx.t("teacher.jump_choice", name=s[1], light=light)
        if len(label) > FULL_LABEL:
            facts.append(Fact(str(s[1]), light))
        jumps.append(
            Choice(
                label=label,
                action=A.T_JUMP,
                args={"student_id": str(s[0])},
                submits_fields=False,
            )
        )
    done = sum(1 for s in students if s[0] in entries)
    open_left = done < len(students)  # "continue" and "the rest" only for a group not complete
    more = (
        *(
            (
                choice(ctx, "teacher.continue", A.START_FEEDBACK, Style.PRIMARY),
                choice(ctx, "teacher.bulk", A.T_BULK),
            )
            if open_left
            else ()
        ),
        choice(ctx, "teacher.other_group", A.T_GROUPS),
        choice(ctx, "teacher.stop", A.T_STOP),
    )
    return Card(
        kind="review",
        title=ctx.t("teacher.review_title", group=sub.get("group_title", "")),
        text=ctx.t("teacher.review_text", done=done, total=len(students)),
        facts=tuple(facts),
        choices=tuple(jumps) + more,
        note=note,
    )


def bulk_card(
    ctx: Ctx,
    *,
    sub: Mapping[str, Any],
    remaining: Sequence[str],
    concerns: Sequence[tuple[str, Light]] = (),
) -> Card:
    """Confirm filling the rest with "Ga zo door". ``concerns``: students of the rest who had
    Let op or Pas op last time; they are named and the teacher chooses to include them or to
    fill only the others."""
    text = ctx.t(
        "teacher.bulk_text",
        count=len(remaining),
        light=light_label(ctx, Light.GA_ZO_DOOR),
        names=", ".join(remaining),
    )
    choices: tuple[Choice, ...]
    if not concerns:
        choices = (
            choice(ctx, "teacher.bulk_yes", A.T_BULK_YES, Style.PRIMARY),
            choice(ctx, "teacher.bulk_no", A.T_BULK_NO),
        )
        facts: tuple[Fact, ...] = ()
    else:
        text += "\n\n" + ctx.t(
            "teacher.bulk_concerns",
            count=len(concerns),
            let_op=light_label(ctx, Light.LET_OP),
            pas_op=light_label(ctx, Light.PAS_OP),
            light=light_label(ctx, Light.GA_ZO_DOOR),
        )
        facts = tuple(Fact(name, light_label(ctx, light)) for name, light in concerns)
        choices = (
            choice(ctx, "teacher.bulk_others", A.T_BULK_YES, Style.PRIMARY, include="others"),
            choice(ctx, "teacher.bulk_all", A.T_BULK_YES, include="all"),
            choice(ctx, "teacher.bulk_no", A.T_BULK_NO),
        )
    return Card(
        kind="confirm",
        title=ctx.t("teacher.bulk_title", group=sub.get("group_title", "")),
        text=text,
        facts=facts,
        choices=choices,
    )


def coach_card(ctx: Ctx, *, name: str, tips: Sequence[str], note: str = "") -> Card:
    return Card(
        kind="coach",
        title=ctx.t("teacher.coach_title", name=name),
        text="\n".join(f"- {tip}" for tip in tips),
        choices=(
            choice(ctx, "teacher.coach_keep", A.T_KEEP, Style.PRIMARY),
            choice(ctx, "teacher.coach_edit", A.T_EDIT),
        ),
        note=note,
    )
