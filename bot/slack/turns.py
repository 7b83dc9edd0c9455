"""The work after the ack: one Slack gesture becomes one dialog turn and its Slack answers.

Nothing acknowledged is lost: ``bot.slack.app`` keeps each submitted modal and DM in the
inbox before the ack (``storage.conversation.inbox``); the turn marks it done in its own
transaction (``Incoming.receipt``), and what a crash left undone is run again (``replay``,
from a sweep in every server), exactly once. The acted message shows its answered state after
the turn, only when the turn did not fail.

Each lazy function (run by Bolt after the ack) claims the delivery's id in ``ProcessedEvent``
before any side effect that is not idempotent (so a Slack retry, or a Socket Mode redelivery,
does nothing a second time) and finds the user's email (``users.info``, cached). The message
the user acted on is updated (``chat.update``, idempotent) to its answered state first, before
the claim and the turn: without buttons, so it cannot be answered twice, and showing what was
chosen (the turn's replies then say what came of it). A notification's message (its buttons
carry no version) is left as it is: each of its buttons stays usable. The turn runs in a worker
thread; its replies are posted to the user's DM.

A light button opens the fields modal: ``views.open`` with a loading view comes first, while
the ``trigger_id`` is fresh, and only then the database (the current card, fetched with a
``where`` turn that changes nothing). If the card on screen is older than the dialog's state,
the modal says so and nothing changes. The Web API calls themselves are in ``bot.slack.api``.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.orm import Session, sessionmaker

from bot.slack import api, modals, render, translate
from bot.slack.home import home_sections
from bot.slack.modals import ModalContext
from dialogs.texts import language, t
from dialogs.types import Fact, Incoming, IncomingKind, Receipt, Reply, TurnHandler
from storage.conversation import inbox
from storage.conversation.claims import claim

log = logging.getLogger(__name__)

SOURCE = "slack"

Listener = Callable[[dict[str, Any], AsyncWebClient], Awaitable[None]]

# The kept request the running listener works for, and whether it runs again after a crash.
_RECEIPT: contextvars.ContextVar[str | None] = contextvars.ContextVar("receipt", default=None)
_REPLAY: contextvars.ContextVar[bool] = contextvars.ContextVar("replay", default=False)
# Set when the listener found its request a repeat (another run has it): that run finishes it.
_REPEAT: contextvars.ContextVar[bool] = contextvars.ContextVar("repeat", default=False)


class Turns:
    def __init__(
        self,
        *,
        handler: TurnHandler,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
    ) -> None:
        self.handler = handler
        self._sf = session_factory
        self._clock = clock
        self._people = api.People()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._locks: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

    # -- the lazy listeners ------------------------------------------------------------------

    async def on_message(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        event = body.get("event") or {}
        if not translate.is_user_dm(event):
            return
        async with self._turn(body) as turn:
            if not await turn.claim():
                return
            profile = await self._people.profile(client, body)
            incoming = translate.message_incoming(body, profile)
            if incoming is None:
                return
            if translate.only_files(event, incoming):  # nothing to read: say so, change nothing
                replies = [Reply(text=t(language(profile.locale), "error.no_text"))]
            else:
                replies = await self._handle(incoming)
            await api.post(client, str(event.get("channel")), replies)

    async def on_command(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        async with self._turn(body) as turn:
            if not await turn.claim():
                return
            profile = await self._people.profile(client, body)
            if body.get("channel_name") != "directmessage":  # typed elsewhere: say where
                see_dm = t(language(profile.locale), "slack.see_dm")
                await api.respond(client, body.get("response_url"), see_dm)
            dm = await self._people.dm(client, body)
            replies = await self._handle(translate.command_incoming(body, profile, dm))
            await api.post(client, dm, replies)

    async def on_action(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        action = (body.get("actions") or [{}])[0]
        try:
            value = translate.decode_value(action.get("value"))
        except ValueError:
            log.warning("slack: ignored a button without a Stoplicht value")
            return
        async with self._turn(body) as turn:
            label = str((action.get("text") or {}).get("text") or value.action)
            if value.opens_modal:
                if await turn.claim():
                    await self._open_fields(body, client, value, label)
                return
            profile = await self._people.profile(client, body)
            container = body.get("container") or {}
            on_message = container.get("type") == "message"
            dm = container.get("channel_id") if on_message else await self._people.dm(client, body)
            if not await turn.claim():
                return
            incoming = translate.action_incoming(body, value, profile, dm)
            replies = await self._handle(incoming)
            # answered once stored: a second click finds no buttons; a notification (its
            # buttons carry no version) stays as it is, usable for each of its buttons
            if on_message and value.version is not None and not _failed(replies, profile.locale):
                blocks = (body.get("message") or {}).get("blocks") or []
                await api.show_answered(
                    client, dm, container.get("message_ts"), blocks, label, profile
                )
            ts = container.get("message_ts") if on_message else None
            await api.post(client, dm, replies, ts=ts)

    async def on_submission(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        view = body.get("view") or {}
        try:
            ctx = ModalContext.from_metadata(str(view.get("private_metadata") or ""))
        except ValueError:
            log.warning("slack: ignored a view submission without a Stoplicht context")
            return
        values = translate.view_values(view)
        if modals.field_errors(values, ctx, translate.unreadable_fields(view)):
            return  # the ack showed the errors; the modal is still open
        async with self._turn(body) as turn:
            profile = await self._people.profile(client, body)
            blocks = view.get("blocks") or []
            typed = _typed(blocks, values)
            if not await turn.claim():
                return
            incoming = translate.submission_incoming(body, ctx, profile, values)
            replies = await self._handle(incoming)
            if not _failed(replies, profile.locale):  # shown answered only once it is stored
                await api.show_answered(
                    client, ctx.channel, ctx.ts, blocks, ctx.label, profile, typed
                )
            await api.post(client, ctx.channel, replies, ts=ctx.ts)

    async def on_closed(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        async with self._turn(body) as turn:
            if not await turn.claim():
                return
            profile = await self._people.profile(client, body)
            replies = await self._handle(translate.closed_incoming(body, profile))
            if replies:
                await api.post(client, await self._people.dm(client, body), replies)

    async def on_home(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        event = body.get("event") or {}
        if event.get("tab") != "home":
            return
        async with self._turn(body) as turn:
            if not await turn.claim():
                return
            profile = await self._people.profile(client, body)
            replies = await self._handle(translate.home_incoming(body, profile))
            lang = language(profile.locale)
            sections = await asyncio.to_thread(
                home_sections,
                self._sf,
                team=translate.team_of(body),
                user_id=str(event.get("user")),
                lang=lang,
            )
            view = render.home_view(replies, lang, sections)
            await api.call(client.views_publish(user_id=str(event.get("user")), view=view))

    # -- steps ---------------------------------------------------------------------------------

    async def _open_fields(
        self, body: dict[str, Any], client: AsyncWebClient, value: Any, label: str
    ) -> None:
        """Open at once (the trigger is fresh), then fill in the current card's fields."""
        trigger = str(body.get("trigger_id") or "")
        container = body.get("container") or {}
        cached = self._people.cached(body)
        first_lang = language(cached.locale if cached else None)
        opened = await api.call(
            client.views_open(trigger_id=trigger, view=modals.loading_view(label, first_lang))
        )
        if opened is None:
            return
        view_id = opened["view"]["id"]
        profile = await self._people.profile(client, body)
        lang = language(profile.locale)
        channel = str(container.get("channel_id") or "")
        where = translate.action_incoming(body, value, profile, channel or None)
        where = Incoming(
            user=where.user,
            kind=IncomingKind.ACTION,
            action="where",
            conversation=where.conversation,
        )
        replies = await self._handle(where)
        card = next((r.card for r in replies if r.card is not None and r.card.fields), None)
        if card is None or value.version is None or card.version != value.version:
            view = modals.notice_view(label, t(lang, "slack.outdated_modal"), lang)
            await api.call(client.views_update(view_id=view_id, view=view))
            if channel:
                await api.post(client, channel, replies)
            return
        chosen = next(
            (
                c
                for c in card.choices
                if c.action == value.action and dict(c.args) == dict(value.args)
            ),
            None,
        )
        ctx = ModalContext(
            channel=channel,
            ts=str(container.get("message_ts") or ""),
            action=value.action,
            args=dict(value.args),
            version=value.version,  # the card's own (checked above)
            label=label,
            light=chosen.light if chosen is not None else None,
        )
        await api.call(
            client.views_update(view_id=view_id, view=modals.field_view(card, ctx, lang))
        )

    # -- the inbox ---------------------------------------------------------------------------

    def kept(self, listener: Listener) -> Listener:
        """``listener`` for a request kept in the inbox: its turn carries the receipt, and when
        it ends without a turn (nothing to do, a repeat, a failure) the request is done too.
        Not when it is cancelled (shutdown): then it runs again."""

        async def run(body: dict[str, Any], client: AsyncWebClient) -> None:
            key = translate.dedupe_key(body)
            _RECEIPT.set(key)
            _REPEAT.set(False)
            await listener(body, client)
            if key is not None and not _REPEAT.get():
                await asyncio.to_thread(
                    inbox.finish, self._sf, source=SOURCE, key=key, now=self._clock()
                )

        run.__name__ = getattr(listener, "__name__", "run")
        return run

    async def replay(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Run a kept request again (after a crash): the listener Bolt would have run."""
        listener = self._listener_for(body)
        if listener is None:
            key = translate.dedupe_key(body)
            if key is not None:
                await asyncio.to_thread(
                    inbox.finish, self._sf, source=SOURCE, key=key, now=self._clock()
                )
            return
        _REPLAY.set(True)
        await self.kept(listener)(body, client)

    def _listener_for(self, body: dict[str, Any]) -> Listener | None:
        """The listener of a kept request (``bot.slack.app.keeps``: a DM, a submitted modal)."""
        kind = body.get("type")
        if kind == "event_callback" and (body.get("event") or {}).get("type") == "message":
            return self.on_message
        if kind == "view_submission":
            return self.on_submission
        return None

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        """One turn in a worker thread; one user's turns run one after the other, in order
        (one dialog state per person: a double click must not race itself)."""
        receipt = _RECEIPT.get()
        if receipt is not None:
            incoming = replace(incoming, receipt=Receipt(SOURCE, receipt, kept=True))
        key = (incoming.user.tenant, incoming.user.user_id)
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                return await asyncio.to_thread(self.handler.handle, incoming)
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def _turn(self, body: dict[str, Any]) -> _Turn:
        return _Turn(self, translate.dedupe_key(body))

    async def drain(self) -> None:
        """Wait for the turns under way (server shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _claim(self, key: str) -> bool:
        return claim(self._sf, source=SOURCE, event_id=key, now=self._clock())


class _Turn:
    """``async with``: tracks the task (for ``drain``) and logs a failure once; ``claim()``
    records the delivery and is False for a repeat (then nothing more may happen)."""

    def __init__(self, turns: Turns, key: str | None) -> None:
        self.turns, self.key = turns, key
        self.task: asyncio.Task[Any] | None = None

    async def claim(self) -> bool:
        if self.key is None:
            return True
        first = await asyncio.to_thread(self.turns._claim, self.key)
        # Run again after a crash: the claim may be the crashed run's; the inbox decides.
        if first or _REPLAY.get():
            return True
        _REPEAT.set(True)
        return False

    async def __aenter__(self) -> _Turn:
        self.task = asyncio.current_task()
        if self.task is not None:
            self.turns._tasks.add(self.task)
        return self

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        if self.task is not None:
            self.turns._tasks.discard(self.task)
        if exc is not None and not isinstance(exc, asyncio.CancelledError):
            log.error("slack turn failed: %s", type(exc).__name__, exc_info=exc)
            return True
        return False


def _failed(replies: list[Reply], locale: str | None) -> bool:
    """The turn failed (the apology for an unexpected error): nothing was stored."""
    apology = t(language(locale), "error.unexpected")
    return len(replies) == 1 and replies[0].text == apology and replies[0].card is None


def _typed(blocks: Sequence[dict[str, Any]], values: dict[str, str]) -> list[Fact]:
    """The texts a modal submitted, with their fields' labels, for the answered message."""
    out: list[Fact] = []
    for block in blocks:
        if block.get("type") == "input" and values.get(str(block.get("block_id"))):
            label = str((block.get("label") or {}).get("text") or "")
            out.append(Fact(label, values[str(block["block_id"])]))
    return out
