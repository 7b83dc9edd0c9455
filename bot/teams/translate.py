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
- ``invoke`` named ``fileConsent/invoke``: the person accepted or declined a file the bot
  offered (the report PDF, ``render.consent_card``); ``file_consent`` reads it: the action
  that makes the file again (from the card's context, so the rules are asked again) and where
  to upload it.

Anything else translates to ``None`` (ignored: reactions, typing, edits, deletes, removals,
other invokes). What the dialogs cannot take raises ``Refused`` with the line the person gets,
and nothing reaches the dialogs: ``BadActivity`` for a payload that is wrong (no sender, a
submit whose data has the wrong types or an unknown shape; an ``Action.Execute`` gets 400),
``NotPersonal`` for a message or card press in a group chat or channel, ``NoText`` for a
message that holds only files or images.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.teams.message_text import typed_text
from dialogs import actions as A
from dialogs.sanitize import clean_text
from dialogs.types import ConversationRef, Incoming, IncomingKind, UserRef

CHANNEL = "teams"
DATA_KEY = "stoplicht"  # the renderer's key in a card's submit data (bot.teams.render)
EXECUTE_INVOKE = "adaptiveCard/action"
FILE_CONSENT_INVOKE = "fileConsent/invoke"
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


Json = Mapping[str, Any]


def _obj(value: Any) -> Json:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def is_personal(activity: Json) -> bool:
    """The personal chat; an activity without a conversation type (the Emulator) counts."""
    conversation = activity.get("conversation")
    if not isinstance(conversation, Mapping):
        return True
    kind = conversation.get("conversationType")
    if isinstance(kind, str) and kind:
        return kind == PERSONAL
    return conversation.get("isGroup") is not True


def locale_of(activity: Json) -> str | None:
    """``locale``, else the client's (``entities[type=clientInfo].locale``: Teams leaves
    ``locale`` out of some activities, e.g. ``conversationUpdate``)."""
    locale = activity.get("locale")
    if isinstance(locale, str) and locale.strip():
        return locale
    entities = activity.get("entities")
    for entity in entities if isinstance(entities, list) else []:
        entity = _obj(entity)
        if entity.get("type") == "clientInfo" and isinstance(entity.get("locale"), str):
            return str(entity["locale"])
    return None


def tenant_of(activity: Json) -> str:
    """``channelData.tenant.id``, else ``conversation.tenantId``."""
    tid = _obj(_obj(activity.get("channelData")).get("tenant")).get("id")
    if not tid:
        tid = _obj(activity.get("conversation")).get("tenantId")
    return tid if isinstance(tid, str) else ""


def user_of(activity: Json, *, email: str | None = None) -> UserRef:
    sender = _obj(activity.get("from"))
    sender_id = sender.get("id")
    if not isinstance(sender_id, str) or not sender_id.strip():
        raise BadActivity("the activity has no sender (from.id)")
    # ids are looked up before the dialogs run: storable text only (dialogs.sanitize)
    return UserRef(
        channel=CHANNEL,
        tenant=clean_text(tenant_of(activity)),
        user_id=clean_text(_text(sender.get("aadObjectId")) or sender_id),
        email=email,
        name=_text(sender.get("name")),
        locale=locale_of(activity),
    )


def conversation_reference(activity: Json) -> dict[str, Any]:
    """The conversation reference of ``activity`` as Bot Framework JSON (``user``, ``bot``,
    ``conversation``, ``channelId``, ``locale``, ``serviceUrl``): the shape both SDKs read
    back (botbuilder's ``ConversationReference``, the Agents SDK's, whose ``agent`` is aliased
    ``bot``), so a reference stored by one backend continues with the other.

    Without ``activityId``: a notification starts a new message rather than answering one, so
    the id is not needed, and leaving it out keeps the reference the same from one activity of
    a person to the next; the account's stored reference is then written only when something
    in it really changed (``storage.people.identity``), not on every Teams turn."""
    reference = {
        "user": activity.get("from"),
        "bot": activity.get("recipient"),
        "conversation": activity.get("conversation"),
        "channelId": activity.get("channelId"),
        "locale": activity.get("locale"),
        "serviceUrl": activity.get("serviceUrl"),
    }
    return {k: copy.deepcopy(v) for k, v in reference.items() if v is not None}


def conversation_of(activity: Json, user: UserRef) -> ConversationRef:
    return ConversationRef(
        channel=CHANNEL,
        tenant=user.tenant,
        user_id=user.user_id,
        data=conversation_reference(activity),
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


MESSAGE, INVOKE = "message", "invoke"
CONVERSATION_UPDATE, INSTALLATION_UPDATE = "conversationUpdate", "installationUpdate"


def keeps_card(activity: Json) -> bool:
    """Whether the pressed card asked to stay as it is after a press that answers nothing in
    place (``bot.teams.render.keeps_content``): ``keep`` in the button's data."""
    value = activity.get("value")
    if not isinstance(value, Mapping):
        return False
    if activity.get("type") == INVOKE:
        press = value.get("action")
        value = press.get("data") if isinstance(press, Mapping) else None
    data = value.get(DATA_KEY) if isinstance(value, Mapping) else None
    return isinstance(data, Mapping) and data.get("keep") is True


def translate(activity: Json, *, email: str | None = None) -> Incoming | None:
    """The ``Incoming`` for ``activity`` (the activity's JSON, as posted to the bot), ``None``
    when the dialogs have nothing to do."""
    kind = activity.get("type")
    if kind not in (MESSAGE, INVOKE, CONVERSATION_UPDATE, INSTALLATION_UPDATE):
        return None
    if kind == CONVERSATION_UPDATE:
        added = activity.get("membersAdded")
        bot_id = _obj(activity.get("recipient")).get("id")
        members = added if isinstance(added, list) else []
        if not any(_obj(m).get("id") != bot_id for m in members):
            return None
    if kind == INSTALLATION_UPDATE and activity.get("action") not in ("add", "add-upgrade"):
        return None
    if kind == INVOKE and activity.get("name") != EXECUTE_INVOKE:
        return None
    if not is_personal(activity):
        if kind in (MESSAGE, INVOKE):
            raise NotPersonal("a message outside the personal chat")
        return None
    user = user_of(activity, email=email)
    conversation = conversation_of(activity, user)
    if kind in (CONVERSATION_UPDATE, INSTALLATION_UPDATE):
        return Incoming(user=user, kind=IncomingKind.INSTALLED, conversation=conversation)
    value = activity.get("value")
    if kind == INVOKE:
        press = value.get("action") if isinstance(value, Mapping) else None
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
    if value is not None:
        action, args, version, values = card_press(value)
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
    if not text and activity.get("attachments"):
        raise NoText("only files or images")
    if len(text) > MAX_VALUE_LENGTH:
        raise BadActivity("the message is too long")
    return Incoming(user=user, kind=IncomingKind.MESSAGE, text=text, conversation=conversation)


@dataclass(frozen=True)
class FileConsent:
    """A ``fileConsent/invoke``: ``incoming`` makes the file again (no card version: the
    context names all it needs); the upload fields are set when ``accepted``."""

    accepted: bool
    incoming: Incoming
    upload_url: str = ""
    content_url: str = ""
    name: str = ""
    unique_id: str = ""
    file_type: str = ""


def file_consent(activity: Json, *, email: str | None = None) -> FileConsent:
    """Read an accepted or declined file offer; ``BadActivity`` for anything else."""
    if not is_personal(activity):
        raise NotPersonal("a file consent outside the personal chat")
    user = user_of(activity, email=email)
    raw = activity.get("value")
    value: Json = raw if isinstance(raw, Mapping) else {}
    answer = value.get("action")
    if value.get("type") != "fileUpload" or answer not in ("accept", "decline"):
        raise BadActivity("not a file upload consent")
    action, args, _, _ = card_press(value.get("context") or {})
    if action not in A.TIMELESS:
        raise BadActivity("the consent names no file action")
    incoming = Incoming(
        user=user,
        kind=IncomingKind.ACTION,
        action=action,
        args=args,
        conversation=conversation_of(activity, user),
    )
    if answer == "decline":
        return FileConsent(accepted=False, incoming=incoming)
    info = value.get("uploadInfo")
    if not isinstance(info, Mapping):
        raise BadActivity("an accepted file consent without uploadInfo")
    fields = _strings(
        {k: info.get(k) for k in ("uploadUrl", "contentUrl", "name", "uniqueId", "fileType")},
        "uploadInfo",
        limit=4000,
    )
    url = fields.get("uploadUrl", "")
    if not url.startswith(("https://", "http://")):
        raise BadActivity("the uploadUrl is not a web address")
    return FileConsent(
        accepted=True,
        incoming=incoming,
        upload_url=url,
        content_url=fields.get("contentUrl", ""),
        name=fields.get("name", ""),
        unique_id=fields.get("uniqueId", ""),
        file_type=fields.get("fileType", ""),
    )
