"""Teams activities → ``Incoming``. The only place that knows Teams' payload shapes.

Stoplicht talks with one person at a time, in the personal chat (the manifest's only scope):
what a group chat or a channel sends is never a turn, because its replies, and the conversation
reference the turn would store for later notifications, would show a student's feedback to the
whole group.

- ``message`` with text: typed text (``bot.teams.message_text``: mentions and HTML off);
- ``message`` with a ``value`` object: an ``Action.Submit`` press; ``value`` holds the data
  the renderer put on the button (``{"stoplicht": {action, args, version}}``) merged with the
  inputs (keyed by field id);
- ``invoke`` named ``adaptiveCard/action``: an ``Action.Execute`` press, the same data under
  ``value.action.data`` (``verb`` is the action);
- ``conversationUpdate`` with a member other than the bot added, ``installationUpdate`` add:
  the bot was installed, welcome (personal chat only).

Anything else translates to ``None`` (ignored: reactions, typing, edits, deletes, removals,
other invokes). What the dialogs cannot take raises ``Refused`` with the line the person gets,
and nothing reaches the dialogs: ``BadActivity`` for a payload that is wrong (no sender, a
submit whose data has the wrong types or an unknown shape; an ``Action.Execute`` gets 400),
``NotPersonal`` for a message or card press in a group chat or channel, ``NoText`` for a
message that holds only files or images.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ActivityTypes

from bot.teams.message_text import typed_text
from dialogs.types import ConversationRef, Incoming, IncomingKind, UserRef

CHANNEL = "teams"
DATA_KEY = "stoplicht"  # the renderer's key in a card's submit data (bot.teams.render)
EXECUTE_INVOKE = "adaptiveCard/action"
_ACTION_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_VALUE_LENGTH = 20_000
MAX_ARGS = 20


PERSONAL = "personal"


class Refused(ValueError):
    """Not for the dialogs: the person gets the text ``key`` and nothing changes."""

    key = "teams.bad_request"


class BadActivity(Refused):
    """The activity is not something a Teams client sends for this bot."""


class NotPersonal(Refused):
    """A message or card press in a group chat or channel (Stoplicht is a personal app)."""

    key = "teams.personal_only"


class NoText(Refused):
    """A message with files or images and no text."""

    key = "error.no_text"


def is_personal(activity: Activity) -> bool:
    """The personal chat; an activity without a conversation type (the Emulator) counts."""
    conversation = activity.conversation
    if conversation is None:
        return True
    kind = conversation.conversation_type
    if isinstance(kind, str) and kind:
        return kind == PERSONAL
    return conversation.is_group is not True


def locale_of(activity: Activity) -> str | None:
    """``locale``, else the client's (``entities[type=clientInfo].locale``: Teams leaves
    ``locale`` out of some activities, e.g. ``conversationUpdate``)."""
    if isinstance(activity.locale, str) and activity.locale.strip():
        return activity.locale
    for entity in activity.entities or []:
        extra = getattr(entity, "additional_properties", None) or {}
        if getattr(entity, "type", None) == "clientInfo" and isinstance(extra.get("locale"), str):
            return str(extra["locale"])
    return None


def tenant_of(activity: Activity) -> str:
    """``channelData.tenant.id``, else ``conversation.tenantId`` (which botbuilder's schema,
    expecting ``tenantID``, leaves in ``additional_properties``)."""
    data = activity.channel_data if isinstance(activity.channel_data, Mapping) else {}
    tenant = data.get("tenant") if isinstance(data.get("tenant"), Mapping) else {}
    tid = tenant.get("id") if tenant else None
    conversation = activity.conversation
    if not tid and conversation is not None:
        extra = conversation.additional_properties or {}
        tid = conversation.tenant_id or extra.get("tenantId")
    return tid if isinstance(tid, str) else ""


def user_of(activity: Activity, *, email: str | None = None) -> UserRef:
    sender = activity.from_property
    if sender is None or not isinstance(sender.id, str) or not sender.id.strip():
        raise BadActivity("the activity has no sender (from.id)")
    aad = sender.aad_object_id if isinstance(sender.aad_object_id, str) else None
    return UserRef(
        channel=CHANNEL,
        tenant=tenant_of(activity),
        user_id=aad or sender.id,
        email=email,
        name=sender.name if isinstance(sender.name, str) else None,
        locale=locale_of(activity),
    )


def conversation_of(activity: Activity, user: UserRef) -> ConversationRef:
    reference = TurnContext.get_conversation_reference(activity).serialize()
    return ConversationRef(
        channel=CHANNEL, tenant=user.tenant, user_id=user.user_id, data=reference
    )


def _strings(obj: Any, what: str, *, limit: int = MAX_VALUE_LENGTH) -> dict[str, str]:
    if obj is None:
        return {}
    if not isinstance(obj, Mapping):
        raise BadActivity(f"{what} must be an object")
    out: dict[str, str] = {}
    for key, value in obj.items():
        if not isinstance(key, str):
            raise BadActivity(f"{what} has a non-text key")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise BadActivity(f"{what}.{key} must be text")
        text = str(value)
        if len(text) > limit:
            raise BadActivity(f"{what}.{key} is too long")
        out[key] = text
    return out


def card_press(
    data: Any, *, verb: str | None = None
) -> tuple[str, dict[str, str], int | None, dict[str, str]]:
    """(action, args, version, input values) from a card's submit data."""
    if not isinstance(data, Mapping):
        raise BadActivity("the card data must be an object")
    press = data.get(DATA_KEY)
    if not isinstance(press, Mapping):
        raise BadActivity("the card data has no stoplicht object")
    action = press.get("action", verb)
    if not isinstance(action, str) or not _ACTION_RE.match(action):
        raise BadActivity("the card data has no valid action")
    if verb is not None and verb != action:
        raise BadActivity("the verb and the action differ")
    args = _strings(press.get("args"), "args", limit=200)
    if len(args) > MAX_ARGS:
        raise BadActivity("too many args")
    version = press.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise BadActivity("version must be a whole number")
    values = {k: v for k, v in data.items() if k != DATA_KEY}
    return action, args, version, _strings(values, "inputs")


def translate(activity: Activity, *, email: str | None = None) -> Incoming | None:
    """The ``Incoming`` for ``activity``, ``None`` when the dialogs have nothing to do."""
    kind = activity.type
    if kind not in (
        ActivityTypes.message,
        ActivityTypes.invoke,
        ActivityTypes.conversation_update,
        ActivityTypes.installation_update,
    ):
        return None
    if kind == ActivityTypes.conversation_update:
        added = activity.members_added or []
        bot_id = activity.recipient.id if activity.recipient else None
        if not any(m.id != bot_id for m in added):
            return None
    if kind == ActivityTypes.installation_update and activity.action not in ("add", "add-upgrade"):
        return None
    if kind == ActivityTypes.invoke and activity.name != EXECUTE_INVOKE:
        return None
    if not is_personal(activity):
        if kind in (ActivityTypes.message, ActivityTypes.invoke):
            raise NotPersonal("a message outside the personal chat")
        return None
    user = user_of(activity, email=email)
    conversation = conversation_of(activity, user)
    if kind in (ActivityTypes.conversation_update, ActivityTypes.installation_update):
        return Incoming(user=user, kind=IncomingKind.INSTALLED, conversation=conversation)
    if kind == ActivityTypes.invoke:
        value = activity.value if isinstance(activity.value, Mapping) else None
        press = value.get("action") if value else None
        if not isinstance(press, Mapping) or press.get("type") != "Action.Execute":
            raise BadActivity("the invoke is not an Action.Execute")
        verb = press.get("verb")
        if not isinstance(verb, str):
            raise BadActivity("the Action.Execute has no verb")
        action, args, version, values = card_press(press.get("data") or {}, verb=verb)
        return Incoming(
            user=user,
            kind=IncomingKind.ACTION,
            action=action,
            args=args,
            version=version,
            values=values,
            conversation=conversation,
        )
    if activity.value is not None:
        action, args, version, values = card_press(activity.value)
        return Incoming(
            user=user,
            kind=IncomingKind.ACTION,
            action=action,
            args=args,
            version=version,
            values=values,
            conversation=conversation,
        )
    text = typed_text(activity)
    if not text and activity.attachments:
        raise NoText("only files or images")
    if len(text) > MAX_VALUE_LENGTH:
        raise BadActivity("the message is too long")
    return Incoming(user=user, kind=IncomingKind.MESSAGE, text=text, conversation=conversation)
