"""The Teams bot: one activity in, the dialogs' replies out as Adaptive Cards.

Each turn: translate the activity (``translate``), find the sender's email when the account is
not linked yet (``TeamsInfo.get_member``), run the dialogs in a worker thread
(``asyncio.to_thread(handler.handle, incoming)``: one database transaction), then deliver:

- typed text and welcomes: the replies as new messages;
- ``Action.Submit`` (a message with ``value``): the card acted on (``replyToId``) is updated in
  place to its answered state, so it cannot be submitted twice; the rest are new messages;
- ``Action.Execute`` (invoke ``adaptiveCard/action``): the invoke response carries the answered
  card (Teams swaps it in place); the rest are new messages. In botbuilder 4.17.1 the
  ``on_adaptive_card_invoke`` path serialises the response twice (HTTP 500), and the
  ``CloudAdapter`` serialises an ``InvokeResponse`` body as a msrest model (a plain dict fails),
  so ``on_invoke_activity`` is overridden and returns ``InvokeResponse(body=
  AdaptiveCardInvokeResponse(...))``, serialised exactly once.

Other invokes (message extensions, task modules, sign-in) are features Stoplicht does not
offer: they get an empty 200, as other activities Stoplicht does not use (reactions, typing,
edits) get botbuilder's 200 and nothing is sent.

At most one turn per activity: Teams redelivers an activity it thinks was lost (same ``id``),
so a turn first claims the activity id in its conversation (``storage.conversation.claims``), and a
repeat does nothing (an ``Action.Execute`` repeat gets the answered card). Installing the app
sends both an ``installationUpdate`` and a ``conversationUpdate``; one welcome a day per
conversation is claimed, so the person gets it once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ActivityTypes, AdaptiveCardInvokeResponse

from bot.teams import render
from bot.teams.outbound import with_retries
from bot.teams.translate import (
    EXECUTE_INVOKE,
    BadActivity,
    Refused,
    locale_of,
    translate,
    user_of,
)
from dialogs.texts import language, t
from dialogs.types import Incoming, IncomingKind, Reply, TurnHandler

log = logging.getLogger(__name__)

KnownAccount = Callable[[str, str], bool]
# True the first time a key is seen (storage.conversation.claims)
ClaimEvent = Callable[[str], bool]


def turn_key(activity: Activity, incoming: Incoming) -> str | None:
    """What makes a turn the same turn again: the activity (its redelivery has the same id)
    in its conversation; for a welcome, the conversation and the day (both install activities
    welcome once). Conversation ids run to hundreds of characters, so they are hashed: the key
    stays short and whole (a claim keeps 200 characters)."""
    conversation = str(getattr(activity.conversation, "id", None) or "")
    where = hashlib.sha256(conversation.encode()).hexdigest()[:32]
    if incoming.kind == IncomingKind.INSTALLED:
        day = activity.timestamp.date().isoformat() if activity.timestamp else ""
        return f"welcome|{day}|{where}"
    if not isinstance(activity.id, str) or not activity.id:
        return None
    return f"{activity.id[:150]}|{where}"


def _invoke_response(status: int, kind: str, value: dict[str, Any]) -> InvokeResponse:
    body = AdaptiveCardInvokeResponse(status_code=status, type=kind, value=value)
    return InvokeResponse(status=status, body=body)


class StoplichtTeamsBot(ActivityHandler):
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
        self._mode = mode
        self._emails: OrderedDict[tuple[str, str], str | None] = OrderedDict()

    # -- activity types ------------------------------------------------------------------------

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        incoming = await self._incoming(turn_context)
        if incoming is None or not await self._first(turn_context, incoming):
            return
        replies = await self._run(incoming)
        act = turn_context.activity
        if incoming.kind == IncomingKind.ACTION and act.reply_to_id:
            replies = await self._answer_in_place(turn_context, act.reply_to_id, replies)
        await self._post(turn_context, replies)

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        await self._welcome(turn_context)

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        await self._welcome(turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        if turn_context.activity.name != EXECUTE_INVOKE:
            log.info("teams: ignored invoke %r", turn_context.activity.name)
            return InvokeResponse(status=200)
        lang = language(locale_of(turn_context.activity))
        try:
            incoming = await self._translate(turn_context)
        except Refused as exc:
            log.info("teams: refused Action.Execute: %s", exc)
            return _invoke_response(
                400,
                "application/vnd.microsoft.error",
                {"code": "BadRequest", "message": t(lang, exc.key)},
            )
        assert incoming is not None
        if not await self._first(turn_context, incoming):
            return _invoke_response(
                200, render.CONTENT_TYPE, render.answered_card(t(lang, "teams.answered"))
            )
        replies = await self._run(incoming)
        in_place, rest = self._split_answer(replies, lang)
        await self._post(turn_context, rest)
        return _invoke_response(200, render.CONTENT_TYPE, in_place)

    # -- steps --------------------------------------------------------------------------------

    async def _welcome(self, turn_context: TurnContext) -> None:
        incoming = await self._incoming(turn_context)
        if incoming is not None and await self._first(turn_context, incoming):
            await self._post(turn_context, await self._run(incoming))

    async def _incoming(self, turn_context: TurnContext) -> Incoming | None:
        """Translate; what the dialogs cannot take gets its line and reaches nothing else."""
        try:
            return await self._translate(turn_context)
        except Refused as exc:
            log.log(
                logging.INFO if isinstance(exc, BadActivity) else logging.DEBUG,
                "teams: refused activity: %s",
                exc,
            )
            lang = language(locale_of(turn_context.activity))
            await self._post(turn_context, [Reply(text=t(lang, exc.key))])
            return None

    async def _first(self, turn_context: TurnContext, incoming: Incoming) -> bool:
        """Claim the turn; False for a repeat (then nothing more may happen)."""
        key = turn_key(turn_context.activity, incoming)
        if key is None or await asyncio.to_thread(self._claim, key):
            return True
        log.info("teams: repeated activity %s ignored", key)
        return False

    async def _translate(self, turn_context: TurnContext) -> Incoming | None:
        incoming = translate(turn_context.activity)
        if incoming is None:
            return None
        email = await self._email(turn_context)
        if email:
            incoming = replace(incoming, user=replace(incoming.user, email=email))
        return incoming

    async def _run(self, incoming: Incoming) -> list[Reply]:
        return await asyncio.to_thread(self._handler.handle, incoming)

    def _split_answer(self, replies: list[Reply], lang: str) -> tuple[dict[str, Any], list[Reply]]:
        """(the acted card's new content, the replies still to post)."""
        for i, reply in enumerate(replies):
            if reply.replace and reply.card is not None:
                return render.render_card(reply.card, mode=self._mode), replies[:i] + replies[
                    i + 1 :
                ]
        summary = render.answered_summary(replies) or t(lang, "teams.answered")
        rest = [r for r in replies if r.card is not None or r.text != summary]
        return render.answered_card(summary), rest

    async def _answer_in_place(
        self, turn_context: TurnContext, activity_id: str, replies: list[Reply]
    ) -> list[Reply]:
        content, rest = self._split_answer(replies, language(locale_of(turn_context.activity)))
        update = Activity(
            type=ActivityTypes.message,
            id=activity_id,
            attachments=[render.attachment(content)],
        )
        try:
            await with_retries(lambda: turn_context.update_activity(update))
        except Exception:
            # The card stays as it was; the dialogs' version check still guards it.
            log.warning("teams: could not update the card in place", exc_info=True)
        return rest

    async def _post(self, turn_context: TurnContext, replies: list[Reply]) -> None:
        for reply in replies:
            if not reply.text and reply.card is None:
                continue
            payload = render.message(reply, mode=self._mode)
            activity = Activity().deserialize(payload)

            async def send(a: Activity = activity) -> Any:
                return await turn_context.send_activity(a)

            await with_retries(send)

    async def _email(self, turn_context: TurnContext) -> str | None:
        """The sender's email/UPN, asked from Teams only while the account is not linked."""
        activity = turn_context.activity
        user = user_of(activity)
        key = (user.tenant, user.user_id)
        if key in self._emails:
            return self._emails[key]
        if await asyncio.to_thread(self._known, user.tenant, user.user_id):
            self._remember(key, None)  # linked: the dialogs find the person without an email
            return None
        email: str | None = None
        if activity.channel_data is None:  # TeamsInfo reads it as a mapping (TypeError on None)
            activity.channel_data = {}
        try:
            member = await TeamsInfo.get_member(turn_context, activity.from_property.id)
            email = member.email or member.user_principal_name
        except Exception as exc:  # the roster lookup is a hint, not a requirement
            log.info("teams: member lookup failed: %s", exc)
        if email:
            self._remember(key, email)
        return email

    def _remember(self, key: tuple[str, str], email: str | None) -> None:
        self._emails[key] = email
        while len(self._emails) > 10_000:
            self._emails.popitem(last=False)
