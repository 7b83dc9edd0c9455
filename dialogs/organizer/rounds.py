"""The organizer's commands in conversation: create a round (name, groups, deadline, an
optional explanation the invitations show), then open it at once or save it as a draft; see its
status (per group, per teacher, who has not started), open a draft (confirm), extend the
deadline (the new one confirmed in full first), close it (confirm).

Dates are typed as people say them, in Dutch or English ("vrijdag 17:00", "morgen", "over twee
weeken", "fri 5pm", "4-12-2026"; ``dialogs.organizer.dates``), and said back in full ("vrijdag 4
december 2026, 17:00") before anything changes: on the confirmation of the new round, and on a
confirmation of its own for a new deadline.

The round operations write their notifications to the outbox themselves
(``storage.rounds.lifecycle``; opening invites the teachers) and check there that the person
may manage rounds.
The school's settings card is ``dialogs.organizer.settings``.
State (``sub``): ``step`` in ``home``, ``ask``, ``confirm``, ``status``, ``open``, ``close``,
``extend_confirm``, ``settings``; ``ask`` names the value asked (``name``, ``groups``,
``deadline``, ``explanation``, ``extend``); ``new`` collects the round being created;
``round_id`` the round looked at (or to open, close or extend); ``deadline`` the new deadline
to confirm.

Giving a value, creating, opening, extending and closing answer the acted card first (the value
given, "Geopend", "Gesloten") and then show the next question or the status; a value that is not
understood re-shows the same question in place with the reason and the typed value
(``dialogs.flow``). The cards are drawn by ``dialogs.organizer.cards``.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from dialogs import actions as A
from dialogs.flow import Ctx, StepResult, Sub, again, answered, arg_id, error_text, free_text
from dialogs.organizer import cards, dates
from dialogs.organizer import settings as school_settings
from dialogs.types import Fact, Incoming, Reply
from storage.errors import InvalidInput, InvalidTransition, TextTooLong
from storage.models import Round, RoundState
from storage.permissions import Action, Facts, require
from storage.rounds import lifecycle as rounds
from storage.school_time import localize, school_zone

ALL_WORDS = {"alle", "all", "*"}
ROUND_ACTIONS = (
    A.O_STATUS,
    A.O_OPEN,
    A.O_OPEN_YES,
    A.O_EXTEND,
    A.O_EXTEND_YES,
    A.O_CLOSE,
    A.O_CLOSE_YES,
)
NONE_WORDS = {"-", "geen", "nee", "none", "no"}  # no explanation
INVALID_FIELDS = ("name", "groups", "deadline")  # texts organizer.invalid_<field>


def accepts_text(sub: Sub) -> bool:
    return sub.get("step") == "ask"


answers_text = accepts_text  # typed text answers the open question


def handle(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    action = inc.action or ""
    if action in school_settings.ACTIONS and not ctx.person.is_organizer:
        raise school_settings.not_organizer()  # also from an old card
    _require_organizer(ctx)
    if action in school_settings.ACTIONS:
        return school_settings.handle(sub, inc, ctx)
    values = dict(inc.values)
    if inc.action is None and sub.get("step") == "ask":
        action, values = A.O_VALUE, {str(sub.get("ask")): inc.text or ""}
    if action in (A.O_START, A.CANCEL):
        return {"step": "home"}, cards.home(ctx)
    if action == A.O_NEW:
        return {"step": "ask", "ask": "name", "new": {}}, [Reply(card=cards.ask_card(ctx, "name"))]
    if action == A.O_VALUE and sub.get("step") == "ask":
        return _value(sub, ctx, values.get(str(sub.get("ask")), ""))
    if action in (A.O_CREATE, A.O_DRAFT) and sub.get("step") == "confirm":
        return _create(sub, ctx, open_now=action == A.O_CREATE)
    rid = arg_id(inc.args.get("round_id")) or sub.get("round_id")
    if action in ROUND_ACTIONS and rid and not _own_round(ctx, rid):
        return {"step": "home"}, [Reply(text=ctx.t("error.not_found"))] + cards.home(ctx)
    if action == A.O_STATUS and rid:
        return {"step": "status", "round_id": rid}, cards.status(ctx, rid)
    if action == A.O_EXTEND and rid:
        return {"step": "ask", "ask": "extend", "round_id": rid}, [
            Reply(card=cards.ask_card(ctx, "extend"))
        ]
    if action == A.O_EXTEND_YES and rid:
        if sub.get("step") != "extend_confirm" or sub.get("round_id") != rid:  # not asked
            return sub, prompt(sub, ctx)
        return _extend(sub, ctx, rid)
    if action == A.O_OPEN and rid:
        return {"step": "open", "round_id": rid}, [Reply(card=cards.open_card(ctx, rid))]
    if action == A.O_OPEN_YES and rid:
        if sub.get("step") != "open" or sub.get("round_id") != rid:  # not what was asked
            return sub, prompt(sub, ctx)
        return _open(ctx, rid)
    if action == A.O_CLOSE and rid:
        return {"step": "close", "round_id": rid}, [Reply(card=cards.close_card(ctx, rid))]
    if action == A.O_CLOSE_YES and rid:
        asked = cards.close_card(ctx, rid)
        try:
            rounds.close_round(ctx.session, round_id=rid, actor_id=ctx.person.id, now=ctx.now)
        except InvalidTransition:
            note = ctx.t("answered.not_done", reason=ctx.t("organizer.not_open"))
            return {"step": "status", "round_id": rid}, [answered(asked, note, text="")] + (
                cards.status(ctx, rid)
            )
        done = answered(asked, ctx.t("organizer.closed"), text="")
        return {"step": "status", "round_id": rid}, [done] + cards.status(ctx, rid)
    return sub, prompt(sub, ctx)


def _open(ctx: Ctx, rid: int) -> StepResult:
    """Open the draft as the command line does
    (``storage.rounds.lifecycle.open_round``: the rules, and the invitations in the outbox);
    refused when it is no draft or its deadline has passed."""
    asked = cards.open_card(ctx, rid)
    try:
        rounds.open_round(ctx.session, round_id=rid, actor_id=ctx.person.id, now=ctx.now)
    except InvalidTransition:
        rnd = ctx.session.get(Round, rid)
        still_draft = rnd is not None and rnd.state == RoundState.DRAFT  # the deadline passed
        why = ctx.t("organizer.open_past" if still_draft else "organizer.not_draft")
        note = ctx.t("answered.not_done", reason=why)
        return {"step": "status", "round_id": rid}, [answered(asked, note, text="")] + (
            cards.status(ctx, rid)
        )
    done = answered(asked, ctx.t("organizer.created"), text="")
    return {"step": "status", "round_id": rid}, [done] + cards.status(ctx, rid)


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
        return sub, again([Reply(card=cards.ask_card(ctx, ask, value=raw))], note)

    try:
        text = free_text(raw, ctx)
    except TextTooLong as exc:
        return refused(error_text(ctx.lang, exc))
    new = dict(sub.get("new") or {})
    if ask == "explanation":  # optional: empty or "-" is none
        explanation = (text or "").strip()
        if explanation.casefold() in NONE_WORDS:
            explanation = ""
        if len(explanation) > rounds.EXPLANATION_MAX:
            return refused(
                ctx.t("error.text_too_long", length=len(explanation), max=rounds.EXPLANATION_MAX)
            )
        new["explanation"] = explanation
        given = Fact(ctx.t("organizer.ask_explanation_label"), explanation or "-")
        done = answered(cards.ask_card(ctx, ask), ctx.t("answered.value"), facts=(given,), text="")
        sub = {"step": "confirm", "new": new}
        return sub, [done] + prompt(sub, ctx)
    if text is None:
        return refused(ctx.t("dialog.empty"))
    given = Fact(ctx.t(f"organizer.ask_{ask}_label"), text.strip())
    done = answered(cards.ask_card(ctx, ask), ctx.t("answered.value"), facts=(given,), text="")
    if ask == "name":
        if len(text.strip()) > rounds.ROUND_NAME_MAX:
            return refused(
                ctx.t("error.text_too_long", length=len(text), max=rounds.ROUND_NAME_MAX)
            )
        new["name"] = text.strip()
        return {**sub, "ask": "groups", "new": new}, [
            done,
            Reply(card=cards.ask_card(ctx, "groups")),
        ]
    if ask == "groups":
        ids, unknown = _parse_groups(ctx, text)
        if unknown or not ids:
            return refused(ctx.t("organizer.unknown_groups", groups=", ".join(unknown) or text))
        new["groups"] = ids
        return {**sub, "ask": "deadline", "new": new}, [
            done,
            Reply(card=cards.ask_card(ctx, "deadline")),
        ]
    try:
        deadline = _parse_deadline(ctx, text)
    except InvalidInput:
        return refused(ctx.t("organizer.date_clock_change", value=text))
    if deadline is None:
        return refused(ctx.t("organizer.bad_date", value=text))
    if deadline <= ctx.now:
        return refused(ctx.t("organizer.date_past"))
    understood = Fact(ctx.t(f"organizer.ask_{ask}_label"), cards.full(ctx, deadline))
    done = answered(cards.ask_card(ctx, ask), ctx.t("answered.value"), facts=(understood,), text="")
    if ask == "extend":  # said back in full and confirmed before it changes
        rid = int(sub["round_id"])
        sub = {"step": "extend_confirm", "round_id": rid, "deadline": deadline.isoformat()}
        return sub, [done] + prompt(sub, ctx)
    new["deadline"] = deadline.isoformat()
    sub = {"step": "ask", "ask": "explanation", "new": new}
    return sub, [done, Reply(card=cards.ask_card(ctx, "explanation"))]


def _extend(sub: Sub, ctx: Ctx, rid: int) -> StepResult:
    """Move the deadline to the one confirmed (later or earlier)."""
    deadline = datetime.fromisoformat(str(sub["deadline"]))
    asked = cards.extend_card(ctx, rid, deadline)
    if deadline <= ctx.now:  # the moment passed while the card was on screen
        note = ctx.t("answered.not_done", reason=ctx.t("organizer.date_past"))
        return {"step": "status", "round_id": rid}, [answered(asked, note, text="")] + (
            cards.status(ctx, rid)
        )
    rnd = ctx.session.get(Round, rid)
    earlier = rnd is not None and deadline < rnd.deadline
    try:
        rounds.extend_round(
            ctx.session, round_id=rid, actor_id=ctx.person.id, deadline=deadline, now=ctx.now
        )
    except InvalidTransition:
        note = ctx.t("answered.not_done", reason=ctx.t("organizer.cannot_extend"))
        return {"step": "status", "round_id": rid}, [answered(asked, note, text="")] + (
            cards.status(ctx, rid)
        )
    key = "organizer.moved_earlier" if earlier else "organizer.extended"
    done = answered(asked, ctx.t(key, deadline=cards.full(ctx, deadline)), text="")
    return {"step": "status", "round_id": rid}, [done] + cards.status(ctx, rid)


def _parse_groups(ctx: Ctx, text: str) -> tuple[list[int], list[str]]:
    classes = cards.classes(ctx)
    by_title = {title.casefold(): gid for gid, title in classes}
    words = [w.strip() for w in re.split(r"[,;\n]+", text) if w.strip()]
    if len(words) == 1 and words[0].casefold() in ALL_WORDS:
        return [gid for gid, _ in classes], []
    ids = [by_title[w.casefold()] for w in words if w.casefold() in by_title]
    return sorted(set(ids)), [w for w in words if w.casefold() not in by_title]


def _parse_deadline(ctx: Ctx, text: str) -> datetime | None:
    """A date as typed (``dialogs.organizer.dates``) on the school's clock; None when not a
    date; ``InvalidInput`` for a local time a clock change skips or repeats."""
    zone = _zone(ctx)
    local = dates.parse(text, ctx.now.astimezone(zone).replace(tzinfo=None))
    return localize(local, zone) if local is not None else None


def _zone(ctx: Ctx) -> ZoneInfo:
    return school_zone(ctx.school.time_zone)


def _create(sub: Sub, ctx: Ctx, *, open_now: bool) -> StepResult:
    """Create the round confirmed: opened at once (the teachers are invited) or as a draft."""
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
            open_now=open_now,
            explanation=str(new.get("explanation") or "") or None,
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
    saved = ctx.t("organizer.created" if open_now else "organizer.saved_draft")
    done = [answered(asked, saved)] if asked is not None else []
    return {"step": "status", "round_id": rnd.id}, done + cards.status(ctx, rnd.id)


# -- rendering ---------------------------------------------------------------------------------


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    step = sub.get("step")
    if step == "ask":
        return [Reply(card=cards.ask_card(ctx, str(sub.get("ask"))))]
    if step == "confirm":
        return [Reply(card=cards.confirm_card(ctx, sub.get("new") or {}))]
    if step == "settings":
        return [Reply(card=school_settings.card(ctx))]
    if step == "extend_confirm" and sub.get("round_id") and sub.get("deadline"):
        deadline = datetime.fromisoformat(str(sub["deadline"]))
        return [Reply(card=cards.extend_card(ctx, int(sub["round_id"]), deadline))]
    if step in ("status", "open", "close") and sub.get("round_id"):
        if step == "open":
            return [Reply(card=cards.open_card(ctx, int(sub["round_id"])))]
        if step == "close":
            return [Reply(card=cards.close_card(ctx, int(sub["round_id"])))]
        return cards.status(ctx, int(sub["round_id"]))
    return cards.home(ctx)
