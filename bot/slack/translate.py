"""Slack payloads in, plain ``Incoming`` values out (pure functions).

What counts as a turn: a person's direct message to the bot (also with a file, or as a thread
reply; not a bot's message, an edit, a delete or any other subtype), the ``/stoplicht`` slash
command, a button (``block_actions``), a modal submit or close, and opening the App Home.
Everything else is ignored. Typed text is read as the person typed it
(``bot.slack.message_text``: escapes, markup and the bot's mention off). The Slack user becomes
a ``UserRef`` with the workspace's team id as tenant (Enterprise Grid too: the workspace, not
the organisation); the email (from ``users.info``) lets the dialogs link the account to the
roster.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.slack.message_text import from_markup, from_rich_text, typed_text
from bot.slack.modals import ModalContext
from dialogs.types import ConversationRef, Incoming, IncomingKind, UserRef

CHANNEL = "slack"
USER_SUBTYPES = frozenset({"file_share", "thread_broadcast"})  # a person's message all the same


@dataclass(frozen=True)
class Profile:
    """What ``users.info`` told about a user (cached by the app)."""

    email: str | None = None
    name: str | None = None
    locale: str | None = None


@dataclass(frozen=True)
class ButtonValue:
    action: str
    args: Mapping[str, str] = field(default_factory=dict)
    version: int | None = None
    opens_modal: bool = False


def decode_value(value: str | None) -> ButtonValue:
    """The value ``render.encode_value`` wrote; ``ValueError`` for anything else."""
    try:
        data = json.loads(value or "")
        action = data["a"]
        if not isinstance(action, str) or not action:
            raise ValueError("no action")
        args = data.get("g") or {}
        if not isinstance(args, dict):
            raise ValueError("args")
        version = data.get("v")
        return ButtonValue(
            action=action,
            args={str(k): str(v) for k, v in args.items()},
            version=int(version) if version is not None else None,
            opens_modal=bool(data.get("m")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError("not a Stoplicht button value") from exc


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def team_of(body: Mapping[str, Any]) -> str:
    """The workspace: ``team_id`` (events, commands), ``team.id`` (interactions; null in some
    Enterprise Grid payloads), else the user's ``team_id``."""
    team = body.get("team_id") or _mapping(body.get("team")).get("id")
    if not team:
        team = _mapping(body.get("user")).get("team_id") or ""
    return str(team)


def bot_user_of(body: Mapping[str, Any]) -> str | None:
    """The bot's own user id, from an event's ``authorizations`` (to drop its mention)."""
    for auth in body.get("authorizations") or []:
        if isinstance(auth, Mapping) and auth.get("is_bot") and auth.get("user_id"):
            return str(auth["user_id"])
    return None


def user_of(body: Mapping[str, Any]) -> str:
    """The acting user's id in an event, command or interaction payload."""
    if "event" in body:
        return str(_mapping(body["event"]).get("user") or "")
    if "user_id" in body:  # slash command
        return str(body["user_id"])
    return str(_mapping(body.get("user")).get("id") or "")


def user_ref(team: str, user: str, profile: Profile) -> UserRef:
    return UserRef(
        channel=CHANNEL,
        tenant=team,
        user_id=user,
        email=profile.email,
        name=profile.name,
        locale=profile.locale,
    )


def conversation(
    team: str, user: str, channel: str | None, locale: str | None = None
) -> ConversationRef | None:
    """Where to reach the user; with their Slack ``locale``, so a notification speaks their
    language when they chose none (``schedules.outbox``)."""
    if not channel:
        return None
    data = {"team_id": team, "channel": channel}
    if locale:
        data["locale"] = locale
    return ConversationRef(channel=CHANNEL, tenant=team, user_id=user, data=data)


def is_user_dm(event: Mapping[str, Any]) -> bool:
    """A person's new message in a DM with the bot: no subtype but a file or a thread
    broadcast (not edits, deletes, joins, bot messages)."""
    return (
        event.get("type") == "message"
        and event.get("channel_type") == "im"
        and (not event.get("subtype") or event.get("subtype") in USER_SUBTYPES)
        and not event.get("bot_id")
        and isinstance(event.get("user"), str)
        and bool(event.get("user"))
    )


def only_files(event: Mapping[str, Any], incoming: Incoming) -> bool:
    """A message with files and no text: nothing the dialogs could read."""
    return not (incoming.text or "").strip() and bool(event.get("files"))


def message_incoming(body: Mapping[str, Any], profile: Profile) -> Incoming | None:
    event = body.get("event") or {}
    if not is_user_dm(event):
        return None
    team, user = team_of(body), user_of(body)
    return Incoming(
        user=user_ref(team, user, profile),
        kind=IncomingKind.MESSAGE,
        text=typed_text(event, bot=bot_user_of(body)),
        conversation=conversation(team, user, event.get("channel"), profile.locale),
    )


def command_incoming(body: Mapping[str, Any], profile: Profile, dm: str | None) -> Incoming:
    """``/stoplicht <words>`` is the same as typing ``<words>`` to the bot; bare: the menu, asked
    as an action (never typed text, which a question waiting for an answer would take)."""
    team, user = team_of(body), user_of(body)
    text = from_markup(str(body.get("text") or ""))
    if not text.strip():
        return Incoming(
            user=user_ref(team, user, profile),
            kind=IncomingKind.ACTION,
            action="menu",
            conversation=conversation(team, user, dm, profile.locale),
        )
    return Incoming(
        user=user_ref(team, user, profile),
        kind=IncomingKind.MESSAGE,
        text=text,
        conversation=conversation(team, user, dm, profile.locale),
    )


def action_incoming(
    body: Mapping[str, Any], value: ButtonValue, profile: Profile, dm: str | None
) -> Incoming:
    team, user = team_of(body), user_of(body)
    return Incoming(
        user=user_ref(team, user, profile),
        kind=IncomingKind.ACTION,
        action=value.action,
        args=dict(value.args),
        version=value.version,
        conversation=conversation(team, user, dm, profile.locale),
    )


def view_values(view: Mapping[str, Any]) -> dict[str, str]:
    """``{block id: typed text}`` from a submitted view's state (an empty field: "")."""
    return {k: v for k, v in _view_inputs(view).items() if isinstance(v, str)}


def unreadable_fields(view: Mapping[str, Any]) -> list[str]:
    """The block ids whose submitted value is not text (a malformed payload)."""
    return [k for k, v in _view_inputs(view).items() if not isinstance(v, str)]


_CHOSEN = ("selected_date", "selected_time", "selected_date_time", "selected_user")
_CHOSEN_MANY = ("selected_users", "selected_conversations", "selected_channels")


def element_value(element: Any) -> object:
    """What one state element holds, as text when it is text: ``value`` (text, email, url and
    number inputs), the chosen option, date, time or user, a rich text input's text; nothing
    chosen is "". Anything else is returned as it is (not text: unreadable)."""
    if not isinstance(element, Mapping):
        return element
    if "value" in element:
        return "" if element["value"] is None else element["value"]
    if "selected_option" in element:
        option = element["selected_option"]
        return "" if option is None else _mapping(option).get("value", option)
    for key in _CHOSEN:
        if key in element:
            chosen = element[key]
            if isinstance(chosen, int) and not isinstance(chosen, bool):
                return str(chosen)
            return "" if chosen is None else chosen
    if "rich_text_value" in element:
        return from_rich_text([element["rich_text_value"]]) or ""
    if isinstance(element.get("selected_options"), list):
        values = [_mapping(o).get("value") for o in element["selected_options"]]
        texts = [v for v in values if isinstance(v, str)]
        return ", ".join(texts) if len(texts) == len(values) else values
    for key in _CHOSEN_MANY:
        if isinstance(element.get(key), list):
            chosen = element[key]
            return ", ".join(chosen) if all(isinstance(v, str) for v in chosen) else chosen
    return ""


def _view_inputs(view: Mapping[str, Any]) -> dict[str, object]:
    out: dict[str, object] = {}
    state = view.get("state")
    blocks = state.get("values") if isinstance(state, Mapping) else None
    for block_id, actions in (blocks if isinstance(blocks, Mapping) else {}).items():
        for element in (actions if isinstance(actions, Mapping) else {}).values():
            out[str(block_id)] = element_value(element)
    return out


def submission_incoming(
    body: Mapping[str, Any], ctx: ModalContext, profile: Profile, values: Mapping[str, str]
) -> Incoming:
    team, user = team_of(body), user_of(body)
    return Incoming(
        user=user_ref(team, user, profile),
        kind=IncomingKind.ACTION,
        action=ctx.action,
        args=dict(ctx.args),
        values=dict(values),
        version=ctx.version,
        conversation=conversation(team, user, ctx.channel, profile.locale),
    )


def closed_incoming(body: Mapping[str, Any], profile: Profile) -> Incoming:
    team, user = team_of(body), user_of(body)
    return Incoming(user=user_ref(team, user, profile), kind=IncomingKind.CLOSED)


def home_incoming(body: Mapping[str, Any], profile: Profile) -> Incoming:
    """Opening the App Home asks for the start menu: it changes no dialog state."""
    team, user = team_of(body), user_of(body)
    return Incoming(user=user_ref(team, user, profile), kind=IncomingKind.ACTION, action="menu")


def dedupe_key(body: Mapping[str, Any]) -> str | None:
    """The id a retried delivery repeats: the Events API ``event_id``; for commands and
    interactions the ``trigger_id`` (one per user gesture); a modal close its view id."""
    if body.get("event_id"):
        return f"ev:{body['event_id']}"
    if body.get("trigger_id"):
        return f"tr:{body['trigger_id']}"
    view = body.get("view") or {}
    if body.get("type") == "view_closed" and view.get("id"):
        return f"vc:{view['id']}:{view.get('hash', '')}"
    return None
