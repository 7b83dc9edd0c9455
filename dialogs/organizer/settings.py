"""The organizer's settings card ("instellingen" / "settings"): the red fields per light, the
full package, reminder offsets, quiet hours and auto-close, with their current values.

Every change goes through ``storage.school_config.set_settings``, the same checks as
``stoplicht school set``: a change is written at once, audited, and the card is redrawn in
place with the new values and the change in its note (the settings card stays the live card,
so an organizer can change one thing after another on it). A refused value re-shows the card
in place with the reason and what was typed. A light's button says what pressing it asks for
next (none → remark → action → both) and carries the value it was drawn with: when the setting
changed meanwhile (another organizer, the command line) nothing is written and the card shows
the value as it is now. Only organizers get here (``dialogs.organizer.rounds`` checks first);
anyone else, also from an old card, is refused with a sentence that says who can.
"""

from __future__ import annotations

import re
from dataclasses import replace

from dialogs import actions as A
from dialogs.flow import Ctx, StepResult, Sub, again, choice, error_text, light_label
from dialogs.types import Card, Choice, Fact, FieldKind, Incoming, InputField, Reply, Section, Style
from storage.errors import NotAllowed
from storage.models import Light, School
from storage.school_config import (
    REQUIREMENTS,
    SettingRefused,
    parse_time,
    requirement_name,
    set_settings,
    time_text,
)
from storage.school_settings import SchoolSettings

ACTIONS = frozenset({A.O_SETTINGS, A.O_REQUIRE, A.O_TOGGLE, A.O_TIMES})
TOGGLES = ("full_package", "auto_close", "quiet_weekends")
CYCLE = tuple(REQUIREMENTS)  # none, remark, action, both


def not_organizer() -> NotAllowed:
    refused = NotAllowed("only organizers can change the school's settings")
    refused.key = "settings.not_organizer"
    return refused


def handle(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    action = inc.action or ""
    sub = {"step": "settings"}
    if action == A.O_REQUIRE:
        return sub, _require(inc, ctx)
    if action == A.O_TOGGLE:
        return sub, _toggle(inc, ctx)
    if action == A.O_TIMES:
        return sub, _times(inc, ctx)
    return sub, [Reply(card=card(ctx))]


def _require(inc: Incoming, ctx: Ctx) -> list[Reply]:
    try:
        light = Light.parse(inc.args.get("light", ""))
    except ValueError:
        return [Reply(card=card(ctx))]
    to, was = inc.args.get("to", ""), inc.args.get("from", "")
    if to not in REQUIREMENTS:
        return [Reply(card=card(ctx))]
    if requirement_name(ctx.settings.requirement(light)) != was:
        return _in_place(ctx, ctx.t("settings.changed_meanwhile"))
    return _apply(ctx, [(f"required.{light.key}", to)])


def _toggle(inc: Incoming, ctx: Ctx) -> list[Reply]:
    key, to = inc.args.get("key", ""), inc.args.get("to", "")
    if key not in TOGGLES or to not in ("on", "off"):
        return [Reply(card=card(ctx))]
    if getattr(ctx.settings, key) == (to == "on"):  # a double press, or changed meanwhile
        return _in_place(ctx, ctx.t("settings.unchanged"))
    return _apply(ctx, [(key, to)])


def _times(inc: Incoming, ctx: Ctx) -> list[Reply]:
    reminders = (inc.values.get("reminders") or "").strip()
    quiet = (inc.values.get("quiet") or "").strip()
    typed = {"reminders": reminders, "quiet": quiet}
    if not reminders or not quiet:
        return again([Reply(card=card(ctx, typed=typed))], ctx.t("settings.times_empty"))
    try:
        start, end = _quiet_hours(quiet)
    except SettingRefused as exc:
        return again([Reply(card=card(ctx, typed=typed))], error_text(ctx.lang, exc))
    changes = [("reminder_offsets_hours", reminders), ("quiet_start", start), ("quiet_end", end)]
    return _apply(ctx, changes, typed=typed)


_NO_QUIET = {"geen", "none", "-"}


def _quiet_hours(text: str) -> tuple[str, str]:
    """``21:00-07:00`` (also ``21.00 tot 7.00``, ``21:00 to 07:00``); ``geen``: no nightly quiet
    hours (start and end the same)."""
    if text.lower() in _NO_QUIET:
        return "00:00", "00:00"
    parts = [p.strip() for p in re.split(r"\s*(?:-|–|—|\btot\b|\bto\b)\s*", text, maxsplit=1)]
    if len(parts) != 2:
        raise SettingRefused("quiet_format", f"quiet hours {text!r}: use 21:00-07:00", value=text)
    return tuple(time_text(parse_time("quiet", p)) for p in parts)  # type: ignore[return-value]


def _apply(
    ctx: Ctx, changes: list[tuple[str, str]], *, typed: dict[str, str] | None = None
) -> list[Reply]:
    school = ctx.session.get(School, ctx.school.id)
    assert school is not None
    try:
        done = set_settings(
            ctx.session,
            school=school,
            changes=changes,
            actor_id=ctx.person.id,
            channel=ctx.channel,
            now=ctx.now,
        )
    except SettingRefused as exc:
        return again([Reply(card=card(ctx, typed=typed))], error_text(ctx.lang, exc))
    ctx.school = replace(ctx.school, settings=dict(school.settings))
    ctx.settings = SchoolSettings.from_json(school.settings)
    if not done:
        return _in_place(ctx, ctx.t("settings.unchanged"))
    what = "; ".join(dict.fromkeys(_described(ctx, c.key) for c in done))
    return _in_place(ctx, ctx.t("settings.saved", what=what))


def _in_place(ctx: Ctx, note: str) -> list[Reply]:
    return [Reply(card=card(ctx, note=note), replace=True)]


def _described(ctx: Ctx, key: str) -> str:
    if key.startswith("required."):
        light = Light.parse(key.split(".", 1)[1])
        return f"{light_label(ctx, light)}: {_requirement_text(ctx, light)}"
    if key in ("quiet_start", "quiet_end"):
        return f"{ctx.t('settings.quiet_label')}: {_quiet_text(ctx)}"
    if key == "reminder_offsets_hours":
        return f"{ctx.t('settings.reminders_label')}: {_reminders_text(ctx)}"
    return f"{ctx.t(f'settings.{key}_label')}: {_on_off(ctx, getattr(ctx.settings, key))}"


# -- the card ------------------------------------------------------------------------------------


def card(ctx: Ctx, *, note: str = "", typed: dict[str, str] | None = None) -> Card:
    s = ctx.settings
    typed = typed or {}
    rules = Section(
        title=ctx.t("settings.required_title"),
        facts=tuple(Fact(light_label(ctx, x), _requirement_text(ctx, x)) for x in Light),
    )
    facts = (
        Fact(ctx.t("settings.full_package_label"), _on_off(ctx, s.full_package)),
        Fact(ctx.t("settings.reminders_label"), _reminders_text(ctx)),
        Fact(ctx.t("settings.quiet_label"), _quiet_text(ctx)),
        Fact(ctx.t("settings.auto_close_label"), _on_off(ctx, s.auto_close)),
    )
    offsets = ", ".join(map(str, s.reminder_offsets_hours)) or ctx.t("settings.none_word")
    quiet = f"{time_text(s.quiet_start)}-{time_text(s.quiet_end)}"
    if s.quiet_start == s.quiet_end:
        quiet = ctx.t("settings.none_word")
    fields = (
        InputField(
            id="reminders",
            label=ctx.t("settings.reminders_field"),
            kind=FieldKind.TEXT,
            value=typed.get("reminders", offsets),
            required=True,
            error_message=ctx.t("settings.times_empty"),
        ),
        InputField(
            id="quiet",
            label=ctx.t("settings.quiet_field"),
            kind=FieldKind.TEXT,
            value=typed.get("quiet", quiet),
            required=True,
            error_message=ctx.t("settings.times_empty"),
        ),
    )
    choices: list[Choice] = [_light_choice(ctx, x) for x in Light]
    for key in TOGGLES:
        on = bool(getattr(s, key))
        label = ctx.t(f"settings.{key}_{'off' if on else 'on'}")
        args = {"key": key, "to": "off" if on else "on"}
        choices.append(Choice(label=label, action=A.O_TOGGLE, args=args, submits_fields=False))
    choices.append(
        Choice(label=ctx.t("settings.save_times"), action=A.O_TIMES, style=Style.PRIMARY)
    )
    choices.append(choice(ctx, "organizer.back", A.O_START))
    return Card(
        kind="settings",
        title=ctx.t("settings.title", school=ctx.school.name),
        text=ctx.t("settings.text"),
        facts=facts,
        sections=(rules,),
        fields=fields,
        choices=tuple(choices),
        note=note,
    )


def _light_choice(ctx: Ctx, light: Light) -> Choice:
    now = requirement_name(ctx.settings.requirement(light))
    nxt = CYCLE[(CYCLE.index(now) + 1) % len(CYCLE)]
    label = ctx.t(
        "settings.require_choice", light=light_label(ctx, light), next=ctx.t(f"settings.ask_{nxt}")
    )
    return Choice(
        label=label,
        action=A.O_REQUIRE,
        args={"light": light.key, "to": nxt, "from": now},
        submits_fields=False,
    )


def _requirement_text(ctx: Ctx, light: Light) -> str:
    return ctx.t(f"settings.req_{requirement_name(ctx.settings.requirement(light))}")


def _on_off(ctx: Ctx, value: bool) -> str:
    return ctx.t("settings.on" if value else "settings.off")


def _reminders_text(ctx: Ctx) -> str:
    hours = ctx.settings.reminder_offsets_hours
    if not hours:
        return ctx.t("settings.no_reminders")
    listed = ", ".join(map(str, hours[:-1]))
    joined = f"{listed} {ctx.t('field.and')} {hours[-1]}" if listed else str(hours[-1])
    return ctx.t("settings.reminders_value", hours=joined)


def _quiet_text(ctx: Ctx) -> str:
    s = ctx.settings
    nightly = (
        ctx.t("settings.no_nightly")
        if s.quiet_start == s.quiet_end
        else f"{time_text(s.quiet_start)}–{time_text(s.quiet_end)}"
    )
    weekends = ctx.t("settings.weekends_quiet" if s.quiet_weekends else "settings.weekends_open")
    return f"{nightly}, {weekends}"
