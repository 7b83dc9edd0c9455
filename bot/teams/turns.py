"""One Teams turn, whichever SDK carries it: the activity's JSON in, the dialogs' replies out.

Both Teams backends (botbuilder, ``bot.teams.bot``; the Microsoft 365 Agents SDK,
``bot.teams.agents``) hand every turn to ``TeamsTurns`` through a ``TurnPort``: the activity
as JSON, and three calls into their SDK (send an activity, update one in place, look up a
member). Everything else is shared:

Each turn: translate the activity (``translate``), find the sender's email when the account is
not linked yet (the port's member lookup), run the dialogs in a worker thread
(``asyncio.to_thread(handler.handle, incoming)``: one database transaction), then deliver:

- typed text and welcomes: the replies as new messages;
- ``Action.Submit`` (a message with ``value``): the card acted on (``replyToId``) is updated in
  place to its answered state, so it cannot be submitted twice; the rest are new messages. The
  same holds for the ``Action.Submit`` fallback of a card sent with ``Action.Execute`` (a client
  without Universal Actions): the press is the same press, with the same data;
- ``Action.Execute`` (invoke ``adaptiveCard/action``): the invoke response carries the answered
  card (Teams swaps it in place); the rest are new messages.
- A card that shows information (``render.keeps_content``: no inputs; a report, an overview,
  the digest and every notification) stays as it is after a press that answers nothing in
  place (navigation): it keeps showing its content and each of its buttons stays usable. An
  ``Action.Execute`` then gets a message response (``card_kept``: Teams leaves the card and
  shows the line briefly), an ``Action.Submit`` no update.

A file (the report PDF) is offered with a FileConsentCard; when the person accepts, the
``fileConsent/invoke`` makes the file again through the dialogs (the rules are asked again at
that moment), the bytes go to the upload URL Teams gave (``bot.teams.files``) and a FileInfoCard
shows the file in the chat; a decline gets a short line. Either way the invoke is answered 200.

Other invokes (message extensions, task modules, sign-in) are features Stoplicht does not
offer: they get an empty 200, as other activities Stoplicht does not use (reactions, typing,
edits) get a 200 and nothing is sent.

At most one turn per activity: Teams redelivers an activity it thinks was lost (same ``id``),
so a turn claims the activity id in its conversation (``turn_key``) in the turn's own
transaction (``Incoming.receipt``, ``storage.conversation.claims.claim_in``): the claim commits
with the turn or not at all. A repeat of an answered activity, also one arriving while the
first is still running, does nothing (an ``Action.Execute`` repeat gets the answered card);
a turn that failed and was rolled back left no claim, so its redelivery runs it. Installing the
app sends both an ``installationUpdate`` and a ``conversationUpdate``; one welcome a day per
conversation is claimed, so the person gets it once. A file consent's upload is no dialog turn
(the bytes go to Teams, not to the database, and a decline runs nothing): its activity is
claimed on its own before the work (``claim``), so a redelivery never uploads twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.teams import files, render
from bot.teams.outbound import with_retries
from bot.teams.translate import (
    CHANNEL,
    EXECUTE_INVOKE,
    FILE_CONSENT_INVOKE,
    BadActivity,
    Refused,
    file_consent,
    keeps_card,
    locale_of,
    translate,
    user_of,
)
from dialogs.sanitize import clean_text
from dialogs.texts import language, t
from dialogs.types import AlreadyAnswered, Incoming, IncomingKind, Receipt, Reply, TurnHandler

log = logging.getLogger(__name__)

KnownAccount = Callable[[str, str], bool]
# True the first time a key is seen (storage.conversation.claims)
ClaimEvent = Callable[[str], bool]
ERROR_TYPE = "application/vnd.microsoft.error"

# The body of the request being handled, as posted (set by ``bot.teams.http``): the activity
# JSON with every property Teams sent, which an SDK's object model may drop.
POSTED_ACTIVITY: ContextVar[Mapping[str, Any] | None] = ContextVar("posted_activity", default=None)


def posted_activity(
    fallback: Callable[[], Mapping[str, Any]], activity_id: Any
) -> Mapping[str, Any]:
    """The JSON of the activity this turn runs for: the posted body when it is this activity,
    else ``fallback()`` (the SDK's own serialisation)."""
    body = POSTED_ACTIVITY.get()
    if body is not None and body.get("id") == activity_id:
        return body
    return fallback()


class TurnPort(Protocol):
    """What a backend gives a turn: the activity and three calls into its SDK."""

    @property
    def activity(self) -> Mapping[str, Any]: ...

    async def send(self, payload: dict[str, Any]) -> None:
        """Send one activity (Bot Framework JSON) into the turn's conversation."""

    async def update(self, payload: dict[str, Any]) -> None:
        """Replace the activity ``payload["id"]`` with ``payload``."""

    async def member(self, member_id: str) -> Mapping[str, Any]:
        """The conversation member as Bot Framework JSON (``email``, ``userPrincipalName``)."""
        ...


@dataclass(frozen=True)
class InvokeAnswer:
    """The HTTP answer to an invoke: ``body`` is an ``AdaptiveCardInvokeResponse`` as JSON."""

    status: int
    body: dict[str, Any] | None = None


async def on_turn_error(context: Any, error: Exception) -> None:
    """Either SDK's last resort (its ``TurnContext``): log once with context; a message gets a
    short apology, never a stack trace."""
    activity = context.activity
    log.error(
        "teams turn failed: type=%s conversation=%s",
        activity.type,
        getattr(activity.conversation, "id", None),
        exc_info=error,
    )
    if activity.type == "message":
        try:
            await context.send_activity(t(language(activity.locale), "error.unexpected"))
        except Exception:  # the connector may be what failed
            log.warning("could not send the apology", exc_info=True)


def card_answer(status: int, kind: str, value: dict[str, Any]) -> InvokeAnswer:
    return InvokeAnswer(status, {"statusCode": status, "type": kind, "value": value})


# An invoke response that leaves the card as it is (Teams shows ``value``, a text, briefly).
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"


def card_kept(text: str) -> InvokeAnswer:
    return InvokeAnswer(200, {"statusCode": 200, "type": MESSAGE_TYPE, "value": text})


def _replaces(replies: list[Reply]) -> bool:
    """Whether the turn updates the acted card in place (``Reply.replace``)."""
    return any(r.replace and r.card is not None for r in replies)


def _day(timestamp: Any) -> str:
    if not isinstance(timestamp, str):
        return ""
    try:
        moment = datetime.fromisoformat(timestamp)
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date().isoformat()


def turn_key(activity: Mapping[str, Any], incoming: Incoming) -> str | None:
    """What makes a turn the same turn again: the activity (its redelivery has the same id)
    in its conversation; for a welcome, the conversation and the day (both install activities
    welcome once). Conversation ids run to hundreds of characters, so they are hashed: the key
    stays short and whole (a claim keeps 200 characters)."""
    conversation = activity.get("conversation")
    cid = conversation.get("id") if isinstance(conversation, Mapping) else None
    where = hashlib.sha256(str(cid or "").encode()).hexdigest()[:32]
    if incoming.kind == IncomingKind.INSTALLED:
        return f"welcome|{_day(activity.get('timestamp'))}|{where}"
    activity_id = activity.get("id")
    if not isinstance(activity_id, str) or not activity_id:
        return None
    return f"{clean_text(activity_id[:150])}|{where}"


class TeamsTurns:
    def __init__(
        self,
        *,
        handler: TurnHandler,
        known_account: KnownAccount,
        claim: ClaimEvent,
        mode: render.ActionMode = "execute",
    ) -> None:
        self._handler = handler
        self._known = known_account
        self._claim = claim
        self.mode: render.ActionMode = mode
        self._emails: OrderedDict[tuple[str, str], str | None] = OrderedDict()

    # -- activity kinds ------------------------------------------------------------------------

    async def message(self, port: TurnPort) -> None:
        incoming = await self._incoming(port)
        if incoming is None:
            return
        replies = await self._once(port, incoming)
        if replies is None:
            return
        reply_to = port.activity.get("replyToId")
        keep = keeps_card(port.activity) and not _replaces(replies)  # it keeps its content
        acted = incoming.kind == IncomingKind.ACTION and isinstance(reply_to, str) and reply_to
        if acted and not keep:
            replies = await self._answer_in_place(port, str(reply_to), replies)
        await self._post(port, replies)

    async def welcome(self, port: TurnPort) -> None:
        incoming = await self._incoming(port)
        replies = None if incoming is None else await self._once(port, incoming)
        if replies is not None:
            await self._post(port, replies)

    async def invoke(self, port: TurnPort) -> InvokeAnswer:
        activity = port.activity
        if activity.get("name") == FILE_CONSENT_INVOKE:
            await self._file_consent(port)
            return InvokeAnswer(200)
        if activity.get("name") != EXECUTE_INVOKE:
            log.info("teams: ignored invoke %r", activity.get("name"))
            return InvokeAnswer(200)
        lang = language(locale_of(activity))
        try:
            incoming = await self._translate(port)
        except Refused as exc:
            log.info("teams: refused Action.Execute: %s", exc)
            return card_answer(400, ERROR_TYPE, {"code": "BadRequest", "message": t(lang, exc.key)})
        assert incoming is not None
        replies = await self._once(port, incoming)
        if replies is None:  # a repeat: the card it acted on was answered
            return card_answer(
                200, render.CONTENT_TYPE, render.answered_card(t(lang, "teams.answered"))
            )
        if keeps_card(activity) and not _replaces(replies):
            await self._post(port, replies)  # the card keeps showing what it shows
            return card_kept(t(lang, "teams.answered"))
        in_place, rest = self._split_answer(replies, lang)
        await self._post(port, rest)
        return card_answer(200, render.CONTENT_TYPE, in_place)

    # -- steps --------------------------------------------------------------------------------

    async def _file_consent(self, port: TurnPort) -> None:
        """The person accepted (make the file again, upload, show it) or declined an offer."""
        activity = port.activity
        lang = language(locale_of(activity))
        try:
            consent = file_consent(activity, email=await self._email(port))
        except Refused as exc:
            log.info("teams: refused file consent: %s", exc)
            await self._post(port, [Reply(text=t(lang, exc.key))])
            return
        if not await self._first(port, consent.incoming):
            return
        if not consent.accepted:
            await self._post(port, [Reply(text=t(lang, "report.consent_declined"))])
            return
        replies = await self._run(consent.incoming)
        made = next((r.file for r in replies if r.file is not None), None)
        if made is None:  # the rules say no now: their sentence, nothing uploaded
            await self._post(port, [r for r in replies if r.file is None])
            return
        try:
            await files.upload(consent.upload_url, made.content)
        except files.UploadFailed as exc:
            log.warning("teams: file upload failed: %s", exc)
            await self._post(port, [Reply(text=made.failed)])
            return
        info = render.file_info_card(
            name=consent.name or made.name,
            content_url=consent.content_url,
            unique_id=consent.unique_id,
            file_type=consent.file_type or "pdf",
        )
        payload: dict[str, Any] = {"type": "message", "attachments": [info]}
        await with_retries(lambda: port.send(payload))

    async def _incoming(self, port: TurnPort) -> Incoming | None:
        """Translate; what the dialogs cannot take gets its line and reaches nothing else."""
        try:
            return await self._translate(port)
        except Refused as exc:
            log.log(
                logging.INFO if isinstance(exc, BadActivity) else logging.DEBUG,
                "teams: refused activity: %s",
                exc,
            )
            lang = language(locale_of(port.activity))
            await self._post(port, [Reply(text=t(lang, exc.key))])
            return None

    async def _first(self, port: TurnPort, incoming: Incoming) -> bool:
        """Claim the activity on its own, for work that is no dialog turn (a file consent);
        False for a repeat (then nothing more may happen)."""
        key = turn_key(port.activity, incoming)
        if key is None or await asyncio.to_thread(self._claim, key):
            return True
        log.info("teams: repeated activity %s ignored", key)
        return False

    async def _once(self, port: TurnPort, incoming: Incoming) -> list[Reply] | None:
        """The turn, claimed in its own transaction (``Incoming.receipt``); None for a repeat
        of an activity that was answered (then nothing more may happen)."""
        key = turn_key(port.activity, incoming)
        if key is not None:
            incoming = replace(incoming, receipt=Receipt(CHANNEL, key))
        try:
            return await self._run(incoming)
        except AlreadyAnswered:
            log.info("teams: repeated activity %s ignored", key)
            return None

    async def _translate(self, port: TurnPort) -> Incoming | None:
        incoming = translate(port.activity)
        if incoming is None:
            return None
        email = await self._email(port)
        if email:
            incoming = replace(incoming, user=replace(incoming.user, email=email))
        return incoming

    async def _run(self, incoming: Incoming) -> list[Reply]:
        return await asyncio.to_thread(self._handler.handle, incoming)

    def _split_answer(self, replies: list[Reply], lang: str) -> tuple[dict[str, Any], list[Reply]]:
        """(the acted card's new content, the replies still to post)."""
        for i, reply in enumerate(replies):
            if reply.replace and reply.card is not None:
                rest = replies[:i] + replies[i + 1 :]
                return render.render_card(reply.card, mode=self.mode), rest
        summary = render.answered_summary(replies) or t(lang, "teams.answered")
        rest = [r for r in replies if r.card is not None or r.file is not None or r.text != summary]
        return render.answered_card(summary), rest

    async def _answer_in_place(
        self, port: TurnPort, activity_id: str, replies: list[Reply]
    ) -> list[Reply]:
        content, rest = self._split_answer(replies, language(locale_of(port.activity)))
        update = {"type": "message", "id": activity_id, "attachments": [render.attachment(content)]}
        try:
            await with_retries(lambda: port.update(update))
        except Exception:
            # The card stays as it was; the dialogs' version check still guards it.
            log.warning("teams: could not update the card in place", exc_info=True)
        return rest

    async def _post(self, port: TurnPort, replies: list[Reply]) -> None:
        for reply in replies:
            if not reply.text and reply.card is None and reply.file is None:
                continue
            payload = render.message(reply, mode=self.mode)

            async def send(p: dict[str, Any] = payload) -> None:
                await port.send(p)

            await with_retries(send)

    async def _email(self, port: TurnPort) -> str | None:
        """The sender's email/UPN, asked from Teams only while the account is not linked."""
        activity = port.activity
        user = user_of(activity)
        key = (user.tenant, user.user_id)
        if key in self._emails:
            return self._emails[key]
        if await asyncio.to_thread(self._known, user.tenant, user.user_id):
            self._remember(key, None)  # linked: the dialogs find the person without an email
            return None
        email: str | None = None
        sender = activity.get("from")
        try:
            member = await port.member(str(sender["id"]) if isinstance(sender, Mapping) else "")
            found = member.get("email") or member.get("userPrincipalName")
            email = found if isinstance(found, str) and found else None
        except Exception as exc:  # the roster lookup is a hint, not a requirement
            log.info("teams: member lookup failed: %s", exc)
        if email:
            self._remember(key, email)
        return email

    def _remember(self, key: tuple[str, str], email: str | None) -> None:
        self._emails[key] = email
        while len(self._emails) > 10_000:
            self._emails.popitem(last=False)
