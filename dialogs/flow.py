"""What every flow shares: the turn context, the step signature and small card helpers.

A flow is a module with three functions over its own part of the dialog state (a JSON dict):
``handle(sub, incoming, ctx) -> (sub, [Reply])`` takes one step, ``prompt(sub, ctx)`` re-renders
the prompt of the state it is in (resume, "where was I", stale card), ``accepts_text(sub)``
says whether a typed message that is no command goes to the flow, and ``answers_text(sub)``
whether it is the answer to an open question (then only "stop", "cancel" and commands written
with a leading "/" are commands; see ``dialogs.common.parse_command``). Flows never catch unexpected
errors; domain errors they cannot answer better themselves go to the engine.

Answered cards (what ``Reply.replace`` means; the channels update the acted card in place):

- A card action that does something (save a light, skip, keep a coached text, confirm bulk,
  save a note or agreements, share, answer a plan step (also "previous" or "stop" on a step
  when they saved what was typed), submit the plan, give an organizer value, create, open or
  close a round) answers ``[answered(card, note), <next prompt>...]``: first
  the acted card in its answered state (``answered``: no fields or choices, the outcome in the
  note), then the next prompt as new messages.
- Input the dialogs refuse (a missing mandatory field, a text too long, an empty answer, a date
  not understood) re-shows the same card in place with the reason and the typed values in its
  fields (``again``), so nothing typed is lost and the card stays usable.
- Navigation (back, review list, pick a round/group/student, open a question, cancel, bulk
  "no", stop, help) replaces nothing: the next prompt is posted as a new message, and the
  channel marks the acted card as used its own way (the acted card is outdated anyway once the
  state moved on). So every prompt arrives as a new message, and only an outcome or a refusal
  rewrites the card it belongs to.
- Only card actions replace (``settle``): for a typed message or command ``replace`` is
  cleared and an answered card is posted as a confirmation; only the first reply of a turn may
  replace. An outdated card or a double click never replaces (the engine re-shows the current
  prompt with a note before any flow runs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from dialogs import actions as A
from dialogs.texts import t
from dialogs.types import Card, Choice, Fact, Incoming, IncomingKind, Reply, Style
from storage.errors import DomainError
from storage.free_text import check_text
from storage.models import Light, Mentorship, PersonKind, TeachingAssignment
from storage.people.directory import parse_id
from storage.people.identity import PersonView, SchoolView
from storage.school_settings import SchoolSettings
from storage.school_time import school_zone

Sub = dict[str, Any]
StepResult = tuple[Sub, list[Reply]]


@dataclass
class Ctx:
    """One turn's context: the session of its unit of work, who is talking, in which language."""

    session: Session
    person: PersonView
    school: SchoolView
    settings: SchoolSettings
    lang: str
    now: datetime
    channel: str
    demo: bool = False
    _roles: tuple[str, ...] | None = field(default=None, repr=False)

    def t(self, key: str, **params: Any) -> str:
        return t(self.lang, key, **params)

    @property
    def roles(self) -> tuple[str, ...]:
        """The person's roles, for help and hints (queried once, only when needed)."""
        if self._roles is None:
            p = self.person
            roles: list[str] = []
            if self.session.scalar(select(exists().where(TeachingAssignment.teacher_id == p.id))):
                roles.append("teacher")
            if self.session.scalar(select(exists().where(Mentorship.mentor_id == p.id))):
                roles.append("mentor")
            if p.kind == PersonKind.STUDENT:
                roles.append("student")
            if p.is_organizer:
                roles.append("organizer")
            self._roles = tuple(roles)
        return self._roles


class Flow(Protocol):
    def handle(self, sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult: ...
    def prompt(self, sub: Sub, ctx: Ctx) -> list[Reply]: ...
    def accepts_text(self, sub: Sub) -> bool: ...
    def answers_text(self, sub: Sub) -> bool: ...


def free_text(value: str | None, ctx: Ctx) -> str | None:
    """A typed text exactly as typed, or None when empty; too long raises ``TextTooLong``."""
    if value is None or not value.strip():
        return None
    return check_text(value, field="text", max_length=ctx.settings.max_text_length)


def arg_id(value: Any) -> int | None:
    """An id from a card's args or the flow state; None for anything that is not one (text,
    a negative or out-of-range number), so a forged or broken button falls back to a prompt."""
    if isinstance(value, bool) or value is None:
        return None
    return parse_id(str(value))


def error_text(lang: str | None, exc: DomainError) -> str:
    """A domain error in the user's language; its parameters fill the text where they fit.

    Errors raised without the parameters their text names still give a sentence: the generic
    text of the error, never a failure of its own."""
    params: dict[str, Any] = {"detail": str(exc), **exc.params}
    if isinstance(params.get("fields"), list | tuple):
        params["fields"] = field_names(lang, params["fields"])
    try:
        return t(lang, exc.key, **params)
    except (KeyError, IndexError, ValueError):
        return t(lang, "error.domain")


def field_names(lang: str | None, fields: Sequence[str]) -> str:
    """Mandatory fields as words: "een opmerking en een actie"."""
    names = [t(lang, f"field.{f}") for f in fields]
    return f" {t(lang, 'field.and')} ".join(names)


def light_label(ctx: Ctx, light: int | Light | None) -> str:
    if light is None:
        return ctx.t("dialog.no_light")
    return ctx.t(f"light.{Light(light).key}")


def when_text(lang: str, when: datetime, time_zone: str | None) -> str:
    """A moment (a deadline) on the school's clock, written the way ``lang`` writes dates."""
    return local_text(lang, when.astimezone(school_zone(time_zone)))


def local_text(lang: str, local: datetime) -> str:
    """A moment already on the school's clock, written the way ``lang`` writes dates."""
    return local.strftime("%d-%m-%Y %H:%M" if lang == "nl" else "%Y-%m-%d %H:%M")


def date_text(lang: str, when: datetime, time_zone: str | None) -> str:
    """A day (a round's deadline or close) on the school's clock, as ``lang`` writes dates."""
    local = when.astimezone(school_zone(time_zone))
    return local.strftime("%d-%m-%Y" if lang == "nl" else "%Y-%m-%d")


def choice(ctx: Ctx, key: str, action: str, style: Style = Style.DEFAULT, **args: Any) -> Choice:
    """A button whose label is the text ``key``; args become strings."""
    return Choice(
        label=ctx.t(key),
        action=action,
        args={k: str(v) for k, v in args.items()},
        style=style,
        submits_fields=False,
    )


def message(text: str) -> Reply:
    return Reply(text=text)


def answered(
    card: Card, note: str, *, facts: Sequence[Fact] = (), text: str | None = None
) -> Reply:
    """``card`` in its answered state, replacing the acted card: no fields, no choices, the
    outcome in ``note``; ``facts`` (e.g. the saved texts) are added, ``text`` replaces the
    card's text (pass "" to drop a question that no longer applies)."""
    done = replace(
        card,
        text=card.text if text is None else text,
        facts=card.facts + tuple(facts),
        fields=(),
        choices=(),
        note=note,
        answered=True,
    )
    return Reply(card=done, replace=True)


def noted(replies: list[Reply], note: str, *, in_place: bool = False) -> list[Reply]:
    """``note`` above the first card of ``replies`` (before any note it had), or as a text
    first when there is no card. ``in_place``: that card replaces the acted card (``again``)."""
    for i, r in enumerate(replies):
        if r.card is not None:
            old = r.card.note
            card = replace(r.card, note=f"{note}\n{old}" if old and note else (note or old))
            return replies[:i] + [replace(r, card=card, replace=in_place)] + replies[i + 1 :]
    return [Reply(text=note)] + replies if note else replies


def again(replies: list[Reply], note: str = "") -> list[Reply]:
    """The same card shown again in place with the reason why (refused input)."""
    return noted(replies, note, in_place=True)


def settle(inc: Incoming, replies: list[Reply]) -> list[Reply]:
    """The replace rule of the module docstring, applied once per turn by the engine: only the
    first reply may replace, and only in a turn that came from a card action."""
    keep_first = inc.kind == IncomingKind.ACTION
    return [
        replace(r, replace=False) if r.replace and (i > 0 or not keep_first) else r
        for i, r in enumerate(replies)
    ]


def menu_card(ctx: Ctx, *, note: str = "") -> Card:
    """The start menu: one button per role the person has."""
    choices: list[Choice] = []
    roles = ctx.roles
    if "teacher" in roles:
        choices.append(choice(ctx, "menu.feedback", A.START_FEEDBACK, Style.PRIMARY))
    if "mentor" in roles:
        choices.append(choice(ctx, "menu.mentor", A.M_START))
    if "student" in roles:
        choices.append(choice(ctx, "menu.student", A.S_START, Style.PRIMARY))
    if "organizer" in roles:
        choices.append(choice(ctx, "menu.organizer", A.O_START))
    choices.append(choice(ctx, "menu.help", A.HELP))
    other = "en" if ctx.lang == "nl" else "nl"
    choices.append(choice(ctx, f"menu.lang_{other}", A.LANG, lang=other))
    text = ctx.t("menu.text") if len(choices) > 2 else ctx.t("menu.nothing")
    return Card(
        kind="menu",
        title=ctx.t("menu.title", name=ctx.person.display_name),
        text=text,
        choices=tuple(choices),
        note=note,
    )
