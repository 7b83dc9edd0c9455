"""The organizer's commands in conversation: create a round (name, groups, deadline), see its
status (per group, per teacher, who has not started), extend the deadline, close it (confirm).

The round operations write their notifications to the outbox themselves (``storage.rounds``).
State (``sub``): ``step`` in ``home``, ``ask``, ``confirm``, ``status``, ``close``; ``ask`` names
the value asked (``name``, ``groups``, ``deadline``, ``extend``); ``new`` collects the round
being created; ``round_id`` the round looked at.

Giving a value, creating, extending and closing answer the acted card first (the value given,
"Aangemaakt", "Gesloten") and then show the next question or the status; a value that is not
understood re-shows the same question in place with the reason and the typed value
(``dialogs.flow``).
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

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
    when_text,
)
from dialogs.types import Card, Choice, Fact, FieldKind, Incoming, InputField, Reply, Section, Style
from storage import rounds
from storage.errors import InvalidInput, InvalidTransition, TextTooLong
from storage.models import Group, GroupKind, Round, RoundState
from storage.permissions import Action, Facts, require
from storage.round_finder import rounds_of_school
from storage.school_time import localize, school_zone

ALL_WORDS = {"alle", "all", "*"}
ROUND_ACTIONS = (A.O_STATUS, A.O_EXTEND, A.O_CLOSE, A.O_CLOSE_YES)
INVALID_FIELDS = ("name", "groups", "deadline")  # texts organizer.invalid_<field>


def accepts_text(sub: Sub) -> bool:
    return sub.get("step") == "ask"


answers_text = accepts_text  # typed text answers the open question


def handle(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    _require_organizer(ctx)
    action = inc.action or ""
    values = dict(inc.values)
    if inc.action is None and sub.get("step") == "ask":
        action, values = A.O_VALUE, {str(sub.get("ask")): inc.text or ""}
    if action in (A.O_START, A.CANCEL):
        return {"step": "home"}, _home(ctx)
    if action == A.O_NEW:
        return {"step": "ask", "ask": "name", "new": {}}, [Reply(card=_ask_card(ctx, "name"))]
    if action == A.O_VALUE and sub.get("step") == "ask":
        return _value(sub, ctx, values.get(str(sub.get("ask")), ""))
    if action == A.O_CREATE and sub.get("step") == "confirm":
        return _create(sub, ctx)
    rid = arg_id(inc.args.get("round_id")) or sub.get("round_id")
    if action in ROUND_ACTIONS and rid and not _own_round(ctx, rid):
        return {"step": "home"}, [Reply(text=ctx.t("error.not_found"))] + _home(ctx)
    if action == A.O_STATUS and rid:
        return {"step": "status", "round_id": rid}, _status(ctx, rid)
    if action == A.O_EXTEND and rid:
        return {"step": "ask", "ask": "extend", "round_id": rid}, [
            Reply(card=_ask_card(ctx, "extend"))
        ]
    if action == A.O_CLOSE and rid:
        return {"step": "close", "round_id": rid}, [Reply(card=_close_card(ctx, rid))]
    if action == A.O_CLOSE_YES and rid:
        asked = _close_card(ctx, rid)
        try:
            rounds.close_round(ctx.session, round_id=rid, actor_id=ctx.person.id, now=ctx.now)
        except InvalidTransition:
            note = ctx.t("answered.not_done", reason=ctx.t("organizer.not_open"))
            return {"step": "status", "round_id": rid}, [answered(asked, note, text="")] + (
                _status(ctx, rid)
            )
        done = answered(asked, ctx.t("organizer.closed"), text="")
        return {"step": "status", "round_id": rid}, [done] + _status(ctx, rid)
    return sub, prompt(sub, ctx)


def _own_round(ctx: Ctx, round_id: int) -> bool:
    """Another school's round (a forged or foreign button) is treated as not found."""
    rnd = ctx.session.get(Round, round_id)
    return rnd is not None and rnd.school_id == ctx.school.id


def _require_organizer(ctx: Ctx) -> None:
    p = ctx.person
    require(
        Action.MANAGE_ROUND,
        Facts(same_school=True, actor_active=p.active, is_organizer=p.is_organizer),
    )


# -- asking values -----------------------------------------------------------------------------


def _value(sub: Sub, ctx: Ctx, raw: str) -> StepResult:
    ask = str(sub.get("ask"))

    def refused(note: str) -> StepResult:  # the same question again, the typed value kept
        return sub, again([Reply(card=_ask_card(ctx, ask, value=raw))], note)

    try:
        text = free_text(raw, ctx)
    except TextTooLong as exc:
        return refused(error_text(ctx.lang, exc))
    if text is None:
        return refused(ctx.t("dialog.empty"))
    new = dict(sub.get("new") or {})
    given = Fact(ctx.t(f"organizer.ask_{ask}_label"), text.strip())
    done = answered(_ask_card(ctx, ask), ctx.t("answered.value"), facts=(given,), text="")
    if ask == "name":
        if len(text.strip()) > rounds.ROUND_NAME_MAX:
            return refused(
                ctx.t("error.text_too_long", length=len(text), max=rounds.ROUND_NAME_MAX)
            )
        new["name"] = text.strip()
        return {**sub, "ask": "groups", "new": new}, [done, Reply(card=_ask_card(ctx, "groups"))]
    if ask == "groups":
        ids, unknown = _parse_groups(ctx, text)
        if unknown or not ids:
            return refused(ctx.t("organizer.unknown_groups", groups=", ".join(unknown) or text))
        new["groups"] = ids
        return {**sub, "ask": "deadline", "new": new}, [
            done,
            Reply(card=_ask_card(ctx, "deadline")),
        ]
    try:
        deadline = _parse_deadline(ctx, text)
    except InvalidInput:
        return refused(ctx.t("organizer.date_clock_change", value=text))
    if deadline is None:
        return refused(ctx.t("organizer.bad_date", value=text))
    if deadline <= ctx.now:
        return refused(ctx.t("organizer.date_past"))
    if ask == "extend":
        rid = int(sub["round_id"])
        rnd = ctx.session.get(Round, rid)
        earlier = rnd is not None and deadline < rnd.deadline
        try:
            rounds.extend_round(
                ctx.session, round_id=rid, actor_id=ctx.person.id, deadline=deadline, now=ctx.now
            )
        except InvalidTransition:
            note = ctx.t("answered.not_done", reason=ctx.t("organizer.cannot_extend"))
            return {"step": "status", "round_id": rid}, [
                answered(_ask_card(ctx, ask), note, facts=(given,), text="")
            ] + _status(ctx, rid)
        key = "organizer.moved_earlier" if earlier else "organizer.extended"
        note = ctx.t(key, deadline=_show(ctx, deadline))
        done = answered(_ask_card(ctx, ask), note, facts=(given,), text="")
        return {"step": "status", "round_id": rid}, [done] + _status(ctx, rid)
    new["deadline"] = deadline.isoformat()
    sub = {"step": "confirm", "new": new}
    return sub, [done] + prompt(sub, ctx)


def _classes(ctx: Ctx) -> list[tuple[int, str]]:
    rows = ctx.session.execute(
        select(Group.id, Group.title)
        .where(
            Group.school_id == ctx.school.id,
            Group.kind == GroupKind.CLASS,
            Group.active.is_(True),
        )
        .order_by(Group.title)
    ).all()
    return [(r[0], r[1]) for r in rows]


def _parse_groups(ctx: Ctx, text: str) -> tuple[list[int], list[str]]:
    classes = _classes(ctx)
    by_title = {title.casefold(): gid for gid, title in classes}
    words = [w.strip() for w in re.split(r"[,;\n]+", text) if w.strip()]
    if len(words) == 1 and words[0].casefold() in ALL_WORDS:
        return [gid for gid, _ in classes], []
    ids = [by_title[w.casefold()] for w in words if w.casefold() in by_title]
    return sorted(set(ids)), [w for w in words if w.casefold() not in by_title]


def _parse_deadline(ctx: Ctx, text: str) -> datetime | None:
    """``2026-12-01 17:00``, ``1-12-2026 17:00``, a date alone (17:00), or ``+N`` days; None
    when not a date; ``InvalidInput`` for a local time a clock change skips or repeats."""
    zone = _zone(ctx)
    text = text.strip()
    if re.fullmatch(r"\+\d{1,3}", text):
        day = ctx.now.astimezone(zone).date() + timedelta(days=int(text[1:]))
        return datetime.combine(day, time(17, 0), zone)
    for fmt in ("%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if "%H" not in fmt:
            parsed = parsed.replace(hour=17)
        return localize(parsed, zone)
    return None


def _zone(ctx: Ctx) -> ZoneInfo:
    return school_zone(ctx.school.time_zone)


def _create(sub: Sub, ctx: Ctx) -> StepResult:
    new = sub.get("new") or {}
    try:
        rnd = rounds.create_round(
            ctx.session,
            school_id=ctx.school.id,
            actor_id=ctx.person.id,
            name=str(new["name"]),
            group_ids=[int(g) for g in new["groups"]],
            deadline=datetime.fromisoformat(str(new["deadline"])),
            now=ctx.now,
            open_now=True,
        )
    except InvalidInput as exc:  # something changed since it was asked (time, classes)
        field = exc.params.get("field")
        detail = (
            ctx.t(f"organizer.invalid_{field}")
            if field in INVALID_FIELDS
            else error_text(ctx.lang, exc)
        )
        return {"step": "home"}, [Reply(text=ctx.t("organizer.create_failed", detail=detail))]
    ctx.session.flush()
    asked = prompt(sub, ctx)[0].card
    done = [answered(asked, ctx.t("organizer.created"))] if asked is not None else []
    return {"step": "status", "round_id": rnd.id}, done + _status(ctx, rnd.id)


# -- rendering ---------------------------------------------------------------------------------


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    step = sub.get("step")
    if step == "ask":
        return [Reply(card=_ask_card(ctx, str(sub.get("ask"))))]
    if step == "confirm":
        new = sub.get("new") or {}
        titles = dict(_classes(ctx))
        groups = ", ".join(titles.get(int(g), str(g)) for g in new.get("groups", []))
        deadline = _show(ctx, datetime.fromisoformat(str(new.get("deadline"))))
        card = Card(
            kind="confirm",
            title=ctx.t("organizer.confirm_title"),
            facts=(
                Fact(ctx.t("organizer.name_label"), str(new.get("name", ""))),
                Fact(ctx.t("organizer.groups_label"), groups),
                Fact(ctx.t("organizer.deadline_label"), deadline),
            ),
            choices=(
                choice(ctx, "organizer.create", A.O_CREATE, Style.PRIMARY),
                choice(ctx, "organizer.cancel", A.CANCEL),
            ),
        )
        return [Reply(card=card)]
    if step in ("status", "close") and sub.get("round_id"):
        if step == "close":
            return [Reply(card=_close_card(ctx, int(sub["round_id"])))]
        return _status(ctx, int(sub["round_id"]))
    return _home(ctx)


def _home(ctx: Ctx) -> list[Reply]:
    listed = rounds_of_school(ctx.session, school_id=ctx.school.id)
    choices = [choice(ctx, "organizer.new", A.O_NEW, Style.PRIMARY)] + [
        Choice(
            label=ctx.t(
                "organizer.round_choice",
                round=r.name,
                state=ctx.t(f"organizer.state_{r.state.value}"),
            ),
            action=A.O_STATUS,
            args={"round_id": str(r.id)},
            submits_fields=False,
        )
        for r in listed
    ]
    card = Card(kind="rounds", title=ctx.t("organizer.home_title"), choices=tuple(choices))
    return [Reply(card=card)]


def _ask_card(ctx: Ctx, ask: str, value: str = "") -> Card:
    facts: tuple[Fact, ...] = ()
    if ask == "groups":
        facts = (Fact(ctx.t("organizer.classes"), ", ".join(t for _, t in _classes(ctx))),)
    field_id = ask
    return Card(
        kind="ask",
        title=ctx.t(f"organizer.ask_{ask}_title"),
        text=ctx.t(f"organizer.ask_{ask}_text"),
        facts=facts,
        fields=(
            InputField(
                id=field_id,
                label=ctx.t(f"organizer.ask_{ask}_label"),
                kind=FieldKind.TEXT,
                value=value,
                required=True,
            ),
        ),
        choices=(
            Choice(label=ctx.t("organizer.next"), action=A.O_VALUE, style=Style.PRIMARY),
            choice(ctx, "organizer.cancel", A.CANCEL),
        ),
    )


def _status(ctx: Ctx, round_id: int, note: str = "") -> list[Reply]:
    rnd = ctx.session.get(Round, round_id)
    if rnd is None or rnd.school_id != ctx.school.id:  # another school's round: not found
        return [Reply(text=ctx.t("error.not_found"))] + _home(ctx)
    status = rounds.round_status(ctx.session, round_id=round_id)
    groups = Section(
        title=ctx.t("organizer.per_group"),
        facts=tuple(Fact(g.title, f"{g.done}/{g.total}") for g in status.groups),
    )
    teachers = Section(
        title=ctx.t("organizer.per_teacher"),
        facts=tuple(Fact(t.name, f"{t.done}/{t.total}") for t in status.teachers),
    )
    not_started = Section(
        title=ctx.t("organizer.not_started"),
        text=", ".join(t.name for t in status.not_started) or ctx.t("organizer.everyone_started"),
    )
    choices: list[Choice] = []
    if status.state != RoundState.CLOSED:
        choices.append(choice(ctx, "organizer.extend", A.O_EXTEND, round_id=round_id))
    if status.state == RoundState.OPEN:
        choices.append(choice(ctx, "organizer.close", A.O_CLOSE, Style.DANGER, round_id=round_id))
    choices.append(choice(ctx, "organizer.back", A.O_START))
    card = Card(
        kind="status",
        title=ctx.t("organizer.status_title", round=status.name),
        facts=(
            Fact(ctx.t("organizer.state_label"), ctx.t(f"mentor.state_{status.state.value}")),
            Fact(ctx.t("organizer.deadline_label"), _show(ctx, status.deadline)),
            Fact(ctx.t("organizer.done_label"), f"{status.done}/{status.total}"),
        ),
        sections=(groups, teachers, not_started),
        choices=tuple(choices),
        note=note,
    )
    return [Reply(card=card)]


def _close_card(ctx: Ctx, round_id: int) -> Card:
    rnd = ctx.session.get(Round, round_id)
    name = rnd.name if rnd is not None else ""
    return Card(
        kind="confirm",
        title=ctx.t("organizer.close_title", round=name),
        text=ctx.t("organizer.close_text"),
        choices=(
            choice(ctx, "organizer.close_yes", A.O_CLOSE_YES, Style.DANGER, round_id=round_id),
            choice(ctx, "organizer.close_no", A.O_STATUS, round_id=round_id),
        ),
    )


def _show(ctx: Ctx, when: datetime) -> str:
    return when_text(ctx.lang, when, ctx.school.time_zone)
